package io.basalt.executor.adaptive;

import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import java.util.HashMap;
import java.util.Map;

/**
 * citus.max_shared_pool_size: how many connections all sessions together hold open to each
 * worker node. A session's first connection to a node for an execution is required and waits
 * for a slot (bounded by the connection timeout); extra ones are optional and are simply not
 * opened when no slot is free, so under saturation every session falls back to one connection
 * per node instead of failing. Keyed by node group; thread-safe.
 */
public final class SharedConnections {
  /** No cap (citus.max_shared_pool_size = -1). */
  public static final int UNLIMITED = -1;

  private final Map<Integer, Integer> open = new HashMap<>();
  private final Map<Integer, Integer> waiting = new HashMap<>();
  private int limit;

  public SharedConnections(int limit) {
    this.limit = limit;
  }

  /** A new cap; slots already taken are kept (they go back as their connections close). */
  public synchronized void limit(int newLimit) {
    if (newLimit != limit) {
      limit = newLimit;
      notifyAll();
    }
  }

  /** Connections counted against the node's cap now. */
  public synchronized int open(int node) {
    return open.getOrDefault(node, 0);
  }

  /** An optional slot: taken if one is free, otherwise false at once. */
  public synchronized boolean tryAcquire(int node) {
    if (!free(node)) {
      return false;
    }
    open.merge(node, 1, Integer::sum);
    return true;
  }

  /**
   * A required slot: waits until one is free. Throws 53300 when none frees up within
   * {@code timeoutMillis}, and 57014 when the waiting thread is interrupted (a cancel).
   */
  public synchronized void acquire(int node, long timeoutMillis) {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    waiting.merge(node, 1, Integer::sum);
    try {
      while (!free(node)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw BasaltException.builder(SqlState.TOO_MANY_CONNECTIONS,
              "could not get a connection to node group " + node + ": all "
              + limit + " connections of citus.max_shared_pool_size are in use")
              .hint("Raise citus.max_shared_pool_size, or make fewer sessions hold connections"
                  + " (citus.max_cached_conns_per_worker).").build();
        }
        wait(Math.max(1, left / 1_000_000));
      }
      open.merge(node, 1, Integer::sum);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw BasaltException.of(SqlState.QUERY_CANCELED,
          "canceling statement due to user request");
    } finally {
      waiting.merge(node, -1, Integer::sum);
    }
  }

  /** A connection counted on the node closed. */
  public synchronized void release(int node) {
    open.merge(node, -1, Integer::sum);
    notifyAll();
  }

  /** Whether a session waits for a slot on the node: idle connections should then go. */
  public synchronized boolean hasWaiters(int node) {
    return waiting.getOrDefault(node, 0) > 0;
  }

  private boolean free(int node) {
    return limit == UNLIMITED || open.getOrDefault(node, 0) < limit;
  }
}
