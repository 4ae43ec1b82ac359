package io.basalt.executor.adaptive;

/**
 * What one node's pool looks like at a moment of an execution, as {@link SlowStart} needs it.
 *
 * @param readyTasks tasks waiting for a connection
 * @param idleConnections established connections with no task
 * @param busyConnections connections running a task
 * @param establishing connections being opened
 * @param failed a connection of the pool could not be opened (or was refused a slot): open no
 *     more
 * @param finishedTasks tasks finished so far
 * @param avgTaskNanos their mean duration (0 before the first)
 * @param avgConnectNanos the mean time to open a connection so far (0 before the first)
 * @param unproven connections opened during this execution that have not yet finished a task
 *     that started beside others (so what they add is not known yet)
 * @param soloTaskNanos the mean duration of the tasks that finished before the pool opened
 *     any further connection (0: none did)
 * @param overlapTaskNanos the mean duration of finished tasks that started beside others (0:
 *     none yet)
 * @param overlapBusy how many tasks ran on the node, on average, when those started
 */
public record PoolState(int readyTasks, int idleConnections, int busyConnections,
    int establishing, boolean failed, int finishedTasks, long avgTaskNanos,
    long avgConnectNanos, int unproven, long soloTaskNanos, long overlapTaskNanos,
    double overlapBusy) {

  /** A pool with nothing known about how its tasks share the node. */
  public PoolState(int readyTasks, int idleConnections, int busyConnections, int establishing,
      boolean failed, int finishedTasks, long avgTaskNanos, long avgConnectNanos) {
    this(readyTasks, idleConnections, busyConnections, establishing, failed, finishedTasks,
        avgTaskNanos, avgConnectNanos, 0, 0, 0, 0);
  }

  /** Connections opened or being opened. */
  public int initiated() {
    return idleConnections + busyConnections + establishing;
  }

  /** Connections that will take a ready task without a new one being opened. */
  public int usable() {
    return idleConnections + establishing;
  }
}
