package io.basalt.executor.adaptive;

/**
 * How many connections one node's pool opens, and when, during one execution - Citus's slow
 * start (citus-reference 6.2): quick statements stay on the connection the session already
 * has, long ones spread over more within milliseconds.
 *
 * <ul>
 *   <li>Never more than the ready tasks need, nor more than the target pool size.
 *   <li>Slow start: new connections in batches at most every interval, and not while earlier
 *       ones are still being opened; batches grow 1, 2, 3, ... (from max_cached_conns_per_worker).
 *       An interval of 0 opens what is needed at once.
 *   <li>Cost-based brake: once a task has finished, nothing is opened while running the ready
 *       tasks on the busy connections is estimated to end sooner than a new connection could
 *       help (Citus applies it only up to its first extra connection; here it holds at every
 *       step, so that short tasks never fan out because one batch ran late on a loaded machine).
 *   <li>Saturation brake (Basalt's own): once tasks finish quickly enough to be measured, a
 *       batch is opened only after each connection of the previous one has finished a task
 *       that ran beside others, and none once tasks running side by side take nearly as many
 *       times longer than tasks took before the pool grew as there are tasks running: the
 *       machine has no spare CPU (the worker's, or the coordinator's when every node shares
 *       it), so more connections only add the cost of opening them. The verdict is remembered
 *       for the node a short while ({@link #busyBefore}), so later short statements do not pay
 *       for finding it out again. Long tasks (none finished before the pool grew) grow exactly
 *       as in Citus.
 *   <li>force_max_query_parallelization: a connection for every ready task at once.
 *   <li>After a failure (a refused slot or connection) the pool opens nothing more.
 * </ul>
 *
 * One instance per pool per execution; not thread-safe; time comes from the caller.
 */
public final class SlowStart {
  private final PoolSettings settings;
  private final int target;
  private int batch;
  private boolean openedBefore;
  private long lastOpenNanos;
  private boolean saturated;
  private boolean busyBefore;

  /** {@code write}: the execution writes (sequential modify mode keeps it to one per node). */
  public SlowStart(PoolSettings settings, boolean write) {
    this.settings = settings;
    this.target = settings.targetPoolSize(write);
    this.batch = Math.max(1, settings.maxCachedPerNode());
  }

  /**
   * The pool's first connection was there at {@code nowNanos} (the session's cached one, not
   * opened through {@link #toOpen}): the first extra comes one interval later, as in Citus, where
   * opening the first connection starts the interval.
   */
  public void started(long nowNanos) {
    opened(nowNanos, 1);
  }

  /** The connections to start opening now (the caller opens them and reports them as establishing). */
  public int toOpen(long nowNanos, PoolState pool) {
    int wanted = pool.readyTasks() - pool.usable();
    if (wanted <= 0 || pool.failed()) {
      return 0;
    }
    if (settings.forceMaxParallelization()) {
      return wanted;
    }
    int room = target - pool.initiated();
    if (room <= 0) {
      return 0;
    }
    if (pool.initiated() == 0) {
      // The first connection of a pool is always needed.
      return opened(nowNanos, 1);
    }
    if (settings.slowStartIntervalMillis() == 0) {
      return opened(nowNanos, Math.min(wanted, room));
    }
    if (pool.establishing() > 0 || (openedBefore
        && nowNanos - lastOpenNanos < settings.slowStartIntervalMillis() * 1_000_000)) {
      return 0;
    }
    if (settings.costBased() && queueingIsCheaper(pool)) {
      return 0;
    }
    if (pool.finishedTasks() > 0 && (pool.unproven() > 0 || busyBefore || saturated(pool))) {
      return 0;
    }
    int n = Math.min(Math.min(wanted, room), batch);
    batch++;
    return opened(nowNanos, n);
  }

  /**
   * When to ask {@link #toOpen} again at the latest if nothing else changes (a task ending or a
   * connection opening also warrant asking): the end of the current interval.
   */
  public long nextCheckNanos(long nowNanos) {
    long interval = Math.max(1, settings.slowStartIntervalMillis()) * 1_000_000;
    return openedBefore ? Math.max(nowNanos, lastOpenNanos + interval) : nowNanos + interval;
  }

  /**
   * Whether the ready tasks finish sooner on the busy connections than with one more: the time
   * they need spread over the busy connections, against a task plus opening a connection.
   */
  private static boolean queueingIsCheaper(PoolState pool) {
    int active = pool.busyConnections() + pool.idleConnections();
    if (pool.finishedTasks() == 0 || active == 0) {
      return false;
    }
    long task = pool.avgTaskNanos();
    long queued = task / 2 + task * pool.readyTasks() / active;
    return queued <= task + pool.avgConnectNanos();
  }

  /**
   * A recent execution found the node without spare CPU: short tasks (some finished before the
   * pool would grow) stay on the connections there are; long ones still grow.
   */
  public void busyBefore() {
    busyBefore = true;
  }

  /** Whether this execution found the node without spare CPU. */
  public boolean foundSaturated() {
    return saturated;
  }

  /**
   * Whether tasks running side by side on the node take so much longer than one alone that
   * together they get barely more done (less than a third more): the node is busy, and stays
   * so for this execution.
   */
  private boolean saturated(PoolState pool) {
    if (!saturated && pool.soloTaskNanos() > 0 && pool.overlapTaskNanos() > 0) {
      saturated = pool.overlapTaskNanos() * 4 >= pool.soloTaskNanos() * pool.overlapBusy() * 3;
    }
    return saturated;
  }

  private int opened(long nowNanos, int n) {
    openedBefore = true;
    lastOpenNanos = nowNanos;
    return n;
  }
}
