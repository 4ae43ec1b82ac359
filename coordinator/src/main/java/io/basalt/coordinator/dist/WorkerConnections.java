package io.basalt.coordinator.dist;

import io.basalt.executor.remote.RemoteConnection;
import io.basalt.metadata.catalog.Node;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * One session's connections to the workers: at most one idle connection per node group is kept
 * for the session's next statement (Citus keeps one per worker), and each connection is given
 * the session's settings (DateStyle, TimeZone, ...) before it runs a client's statement, so
 * worker output matches what the coordinator database would print. Not thread-safe: the
 * session's thread uses it.
 */
public final class WorkerConnections implements AutoCloseable {
  private final ClusterServices cluster;
  private final Map<Integer, RemoteConnection> idle = new HashMap<>();
  /** The settings statement each connection last ran (absent: none yet, or undone). */
  private final Map<RemoteConnection, String> applied = new IdentityHashMap<>();

  private final boolean keepIdle;

  /** {@code keepIdle}: cache an idle connection per group (a session), or close each (others). */
  public WorkerConnections(ClusterServices cluster, boolean keepIdle) {
    this.cluster = cluster;
    this.keepIdle = keepIdle;
  }

  /** A connection to the node's group, not in a transaction: the cached one or a new one. */
  public RemoteConnection acquire(Node node, String user) {
    RemoteConnection c = idle.remove(node.groupId());
    if (c != null && !c.isClosed() && c.relay().transactionStatus() == 'I') {
      return c;
    }
    if (c != null) {
      discard(c);
    }
    return cluster.openNode(node, user, keepIdle);
  }

  /**
   * Hands a connection back. It is kept when it is healthy, outside a transaction and no other
   * is cached for the group; {@code settingsUndone} forgets its settings (a rolled back
   * transaction undoes a SET made inside it).
   */
  public void release(Node node, RemoteConnection c, boolean settingsUndone) {
    if (settingsUndone) {
      applied.remove(c);
    }
    if (!keepIdle || c.isClosed() || c.relay().transactionStatus() != 'I'
        || idle.containsKey(node.groupId())) {
      discard(c);
      return;
    }
    idle.put(node.groupId(), c);
  }

  /** Runs the session's settings statement on the connection unless it already ran it. */
  public void applySettings(RemoteConnection c, String settingsSql) {
    if (settingsSql == null || settingsSql.equals(applied.get(c))) {
      return;
    }
    c.execute(settingsSql);
    applied.put(c, settingsSql);
  }

  /** The connection's settings were undone (ROLLBACK TO SAVEPOINT): run them again next time. */
  public void forgetSettings(RemoteConnection c) {
    applied.remove(c);
  }

  private void discard(RemoteConnection c) {
    applied.remove(c);
    c.close();
  }

  @Override
  public void close() {
    idle.values().forEach(this::discard);
    idle.clear();
  }
}
