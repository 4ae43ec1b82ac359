package io.basalt.coordinator.session;

import io.basalt.coordinator.dist.ClusterServices;
import io.basalt.executor.adaptive.PoolSettings;
import io.basalt.executor.adaptive.PoolState;
import io.basalt.executor.adaptive.SlowStart;
import io.basalt.executor.backend.PgErrors;
import io.basalt.executor.remote.RemoteConnection;
import io.basalt.metadata.catalog.Node;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Runs one statement's tasks (one per shard) over a pool of connections per node: each pool
 * starts on one connection and grows by {@link SlowStart} while tasks wait, so quick statements
 * stay on the session's cached connections and long ones spread over many within milliseconds
 * (citus-reference 6.2). Tasks are taken by whichever of the node's connections is free (late
 * binding), one at a time per connection; the nodes run in parallel. The first failure stops the
 * execution: tasks not started are dropped, running ones are cancelled, and the error is thrown
 * once every connection is quiet again.
 *
 * <p>Where tasks may run is the caller's {@link Pools}: a node where the client's transaction
 * already has its connection keeps to that one (read-your-writes), others may grow.
 */
final class AdaptiveExecutor {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(AdaptiveExecutor.class);
  /** One task: {@code work} runs it on a connection and throws if it failed. */
  record Task(Node node, Consumer<RemoteConnection> work) {}

  /** Where an execution's connections come from and go back to. */
  interface Pools {
    /** The node's first connection, on the session's thread (waits for a slot if need be). */
    RemoteConnection first(Node node);

    /** Whether the node's pool may open more connections than its first. */
    boolean mayGrow(Node node);

    /**
     * A further connection, ready for tasks (settings applied, transaction begun if the
     * execution writes), or null when the shared pool has no free slot. Called from the
     * opening threads.
     */
    RemoteConnection extra(Node node);

    /**
     * Hands a connection back once the execution is over (session's thread). {@code extra}:
     * one that {@link #extra} opened; {@code cancelled}: a task on it was cancelled, so it must
     * not be used again; {@code used}: it ran a task.
     */
    void giveBack(Node node, RemoteConnection c, boolean extra, boolean cancelled,
        boolean used);
  }

  /** What the session supplies: cancel registration for running tasks. */
  interface Running {
    void on(RemoteConnection c, Runnable work);
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Map<Node, Pool> pools = new LinkedHashMap<>();
  private final PoolSettings settings;
  private final boolean write;
  private final ClusterServices cluster;
  private final Pools source;
  private final Running running;
  private int remaining;
  private RuntimeException failure;

  private AdaptiveExecutor(PoolSettings settings, boolean write, ClusterServices cluster,
      Pools source, Running running) {
    this.settings = settings;
    this.cluster = cluster;
    this.write = write;
    this.source = source;
    this.running = running;
  }

  /** Runs the tasks; throws the first failure after every connection went quiet. */
  static void run(List<Task> tasks, PoolSettings settings, boolean write,
      ClusterServices cluster, Pools source, Running running) {
    if (tasks.isEmpty()) {
      return;
    }
    new AdaptiveExecutor(settings, write, cluster, source, running).execute(tasks);
  }

  private final class Pool {
    final Node node;
    final Deque<Task> ready = new ArrayDeque<>();
    final List<RemoteConnection> connections = new ArrayList<>();
    final List<RemoteConnection> extras = new ArrayList<>();
    final List<RemoteConnection> busy = new ArrayList<>();
    final List<RemoteConnection> cancelled = new ArrayList<>();
    final List<RemoteConnection> used = new ArrayList<>();
    final SlowStart slowStart;
    long connectEstimate;
    /** Asked once the first connection is there (it may decide, e.g. a borrowed one). */
    boolean mayGrow;
    int establishing;
    boolean failed;
    int finished;
    long taskNanos;
    /** Time spent opening the extra connections. */
    long connectNanos;
    /** Extra connections that have not yet finished a task started beside others. */
    final List<RemoteConnection> unproven = new ArrayList<>();
    long soloNanos;
    int solo;
    long overlapNanos;
    int overlap;
    long overlapBusy;

    Pool(Node node) {
      this.node = node;
      this.slowStart = new SlowStart(settings, write);
    }

    /**
     * What slow start decides on. A connection counts as idle from the moment it joins the
     * pool (not only once its thread runs), so slow start never opens a connection for a task
     * an existing one is about to take.
     */
    PoolState state() {
      return new PoolState(ready.size(), connections.size() - busy.size(), busy.size(),
          establishing, failed, finished, finished == 0 ? 0 : taskNanos / finished,
          extras.isEmpty() ? connectEstimate : connectNanos / extras.size(),
          unproven.size(), solo == 0 ? 0 : soloNanos / solo,
          overlap == 0 ? 0 : overlapNanos / overlap,
          overlap == 0 ? 0 : (double) overlapBusy / overlap);
    }
  }

  private void execute(List<Task> tasks) {
    for (Task t : tasks) {
      pools.computeIfAbsent(t.node(), Pool::new).ready.add(t);
    }
    remaining = tasks.size();
    try {
      for (Pool p : pools.values()) {
        RemoteConnection c = source.first(p.node);
        lock.lock();
        try {
          p.connections.add(c);
          p.mayGrow = source.mayGrow(p.node);
          // What earlier executions learnt about the node: how long a connection takes to
          // open, and whether it had CPU to spare.
          p.connectEstimate = cluster.nodeHistory().connectNanos(p.node);
          if (cluster.nodeHistory().recentlyBusy(p.node)) {
            p.slowStart.busyBefore();
          }
          p.slowStart.started(System.nanoTime());
        } finally {
          lock.unlock();
        }
        startWorker(p, c);
      }
    } catch (RuntimeException e) {
      fail(e);
    }
    lock.lock();
    try {
      while (remaining > 0 && failure == null) {
        long now = System.nanoTime();
        long wake = now + TimeUnit.SECONDS.toNanos(1);
        for (Pool p : pools.values()) {
          if (!p.mayGrow || p.ready.isEmpty()) {
            continue;
          }
          int n = p.slowStart.toOpen(now, p.state());
          for (int i = 0; i < n; i++) {
            p.establishing++;
            startOpener(p);
          }
          wake = Math.min(wake, p.slowStart.nextCheckNanos(now));
        }
        changed.awaitNanos(Math.max(1, wake - System.nanoTime()));
      }
      if (failure != null) {
        // Running tasks stop; their errors after the first are of no interest.
        for (Pool p : pools.values()) {
          for (RemoteConnection c : p.busy) {
            p.cancelled.add(c);
            c.relay().cancel();
          }
        }
      }
      while (pools.values().stream().anyMatch(p -> !p.busy.isEmpty() || p.establishing > 0)) {
        changed.await();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(PgErrors.from(e));
    } finally {
      lock.unlock();
      for (Pool p : pools.values()) {
        if (p.slowStart.foundSaturated()) {
          cluster.nodeHistory().busy(p.node);
        }
        for (RemoteConnection c : p.connections) {
          source.giveBack(p.node, c, p.extras.contains(c), p.cancelled.contains(c),
              p.used.contains(c));
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private void startOpener(Pool p) {
    Thread.ofVirtual().name("basalt-open-" + p.node.groupId()).start(() -> {
      long start = System.nanoTime();
      RemoteConnection c = null;
      try {
        c = source.extra(p.node);
      } catch (RuntimeException e) {
        // An extra connection that cannot be had only limits the pool.
        LOG.debug("an extra connection to node group {} failed", p.node.groupId(), e);
      }
      lock.lock();
      try {
        p.establishing--;
        if (c == null) {
          p.failed = true;
        } else {
          p.connectNanos += System.nanoTime() - start;
          p.connections.add(c);
          p.extras.add(c);
          p.unproven.add(c);
        }
        changed.signalAll();
      } finally {
        lock.unlock();
      }
      if (c != null) {
        work(p, c);
      }
    });
  }

  private void startWorker(Pool p, RemoteConnection c) {
    Thread.ofVirtual().name("basalt-task-" + p.node.groupId()).start(() -> work(p, c));
  }

  /** A connection's loop: takes the node's ready tasks until none is left or one failed. */
  private void work(Pool p, RemoteConnection c) {
    while (true) {
      Task task;
      int busyAtStart;
      lock.lock();
      try {
        task = failure == null ? p.ready.poll() : null;
        if (task == null) {
          changed.signalAll();
          return;
        }
        p.busy.add(c);
        busyAtStart = p.busy.size();
        if (!p.used.contains(c)) {
          p.used.add(c);
        }
      } finally {
        lock.unlock();
      }
      long start = System.nanoTime();
      RuntimeException error = null;
      try {
        running.on(c, () -> task.work().accept(c));
      } catch (RuntimeException e) {
        error = e;
      }
      lock.lock();
      try {
        p.busy.remove(c);
        p.finished++;
        long took = System.nanoTime() - start;
        p.taskNanos += took;
        if (p.extras.isEmpty() && p.establishing == 0) {
          // Before the pool grew: what one connection does when this execution is alone.
          p.soloNanos += took;
          p.solo++;
        }
        if (busyAtStart > 1) {
          p.overlapNanos += took;
          p.overlap++;
          p.overlapBusy += busyAtStart;
          p.unproven.remove(c);
        }
        remaining--;
        if (error != null && failure == null) {
          failure = PgErrors.from(error);
        }
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  private void fail(RuntimeException e) {
    lock.lock();
    try {
      if (failure == null) {
        failure = PgErrors.from(e);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
