package io.basalt.coordinator.dist;

import io.basalt.metadata.catalog.Node;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What executions have learnt about each node that the next one can use before it learns it
 * again: how long opening a connection takes (a moving average), and whether the node was
 * found without spare CPU a moment ago. Keyed by node group; shared by all sessions.
 */
public final class NodeHistory {
  /** How long a busy verdict holds: later short statements skip the probe that found it. */
  private static final long BUSY_MEMORY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Map<Integer, Long> connectNanos = new ConcurrentHashMap<>();
  /** Until when (System.nanoTime) each group counts as busy. */
  private final Map<Integer, Long> busyUntil = new ConcurrentHashMap<>();

  /** A connection to the node opened in {@code nanos}. */
  void connected(Node node, long nanos) {
    connectNanos.merge(node.groupId(), nanos, (old, now) -> (old * 7 + now) / 8);
  }

  /** How long opening a connection to the node has been taking; 0 before the first. */
  public long connectNanos(Node node) {
    return connectNanos.getOrDefault(node.groupId(), 0L);
  }

  /** An execution found the node without spare CPU. */
  public void busy(Node node) {
    busyUntil.put(node.groupId(), System.nanoTime() + BUSY_MEMORY_NANOS);
  }

  /** Whether an execution found the node without spare CPU in the last few seconds. */
  public boolean recentlyBusy(Node node) {
    Long until = busyUntil.get(node.groupId());
    return until != null && System.nanoTime() - until < 0;
  }
}
