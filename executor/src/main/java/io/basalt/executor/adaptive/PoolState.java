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
 */
public record PoolState(int readyTasks, int idleConnections, int busyConnections,
    int establishing, boolean failed, int finishedTasks, long avgTaskNanos,
    long avgConnectNanos) {

  /** Connections opened or being opened. */
  public int initiated() {
    return idleConnections + busyConnections + establishing;
  }

  /** Connections that will take a ready task without a new one being opened. */
  public int usable() {
    return idleConnections + establishing;
  }
}
