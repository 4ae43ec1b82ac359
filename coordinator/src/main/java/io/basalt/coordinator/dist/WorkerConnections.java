package io.basalt.coordinator.dist;

import io.basalt.executor.adaptive.PoolSettings;
import io.basalt.executor.adaptive.SharedConnections;
import io.basalt.executor.remote.RemoteConnection;
import io.basalt.metadata.catalog.Node;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * One session's connections to the workers. Between executions the session keeps up to
 * citus.max_cached_conns_per_worker idle connections per node group (younger than
 * citus.max_cached_connection_lifetime), and none while another session waits for a slot on
 * that node. Every connection a client session opens holds a slot of citus.max_shared_pool_size
 * until it closes: the first of an execution waits for one ({@link #acquire}), extra ones are
 * only opened when one is free ({@link #openExtra}). Each connection is given the session's
 * settings (DateStyle, TimeZone, ...) before it runs a client's statement, so worker output
 * matches what the coordinator database would print.
 *
 * <p>Not thread-safe: the session's thread uses it, except {@link #openExtra}, which the
 * executor calls from the threads that open a pool's extra connections.
 */
public final class WorkerConnections implements AutoCloseable {
  private final ClusterServices cluster;
  private final Map<Integer, Deque<RemoteConnection>> idle = new HashMap<>();
  /** The settings statement each connection last ran (absent: none yet, or undone). */
  private final Map<RemoteConnection, String> applied = new IdentityHashMap<>();

  private final boolean keepIdle;
  private volatile PoolSettings settings = PoolSettings.DEFAULTS;

  /** {@code keepIdle}: a client session's (cached, counted in the shared pool), or Basalt's own. */
  public WorkerConnections(ClusterServices cluster, boolean keepIdle) {
    this.cluster = cluster;
    this.keepIdle = keepIdle;
  }

  /** The executor settings the session has now. */
  public void settings(PoolSettings now) {
    settings = now;
  }

  /**
   * A connection to the node's group, not in a transaction: the most recently cached one, or a
   * new one (waiting for a shared-pool slot if the node has none free).
   */
  public RemoteConnection acquire(Node node, String user) {
    Deque<RemoteConnection> cached = idle.get(node.groupId());
    while (cached != null && !cached.isEmpty()) {
      RemoteConnection c = cached.pop();
      if (!c.isClosed() && c.relay().transactionStatus() == 'I') {
        return c;
      }
      discard(c);
    }
    if (!keepIdle) {
      return cluster.openNode(node, user, false, settings.connectTimeoutMillis());
    }
    SharedConnections shared = cluster.sharedConnections();
    shared.acquire(node.groupId(), settings.connectTimeoutMillis());
    return counted(node, user, shared);
  }

  /**
   * An extra connection for one execution, made ready by {@code setup} (closed again if a
   * statement of it fails), or null when the node's shared pool has no free slot. Thread-safe.
   */
  public RemoteConnection openExtra(Node node, String user, String... setup) {
    RemoteConnection c;
    if (!keepIdle) {
      c = cluster.openNode(node, user, false, settings.connectTimeoutMillis());
    } else {
      SharedConnections shared = cluster.sharedConnections();
      if (!shared.tryAcquire(node.groupId())) {
        return null;
      }
      c = counted(node, user, shared);
    }
    try {
      // One message each: in one query string the settings' SELECT would come first in the
      // transaction, and BEGIN ISOLATION LEVEL must precede every query of it.
      for (String sql : setup) {
        c.execute(sql);
      }
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
    return c;
  }

  private RemoteConnection counted(Node node, String user, SharedConnections shared) {
    RemoteConnection c;
    try {
      c = cluster.openNode(node, user, true, settings.connectTimeoutMillis());
    } catch (RuntimeException e) {
      shared.release(node.groupId());
      throw e;
    }
    c.onClose(() -> shared.release(node.groupId()));
    return c;
  }

  /**
   * Hands a connection back. It is kept when it is healthy, outside a transaction, young enough,
   * nobody waits for a slot on its node and fewer than max_cached_conns_per_worker are kept
   * there; {@code settingsUndone} forgets its settings (a rolled back transaction undoes a SET
   * made inside it).
   */
  public void release(Node node, RemoteConnection c, boolean settingsUndone) {
    if (settingsUndone) {
      applied.remove(c);
    }
    PoolSettings s = settings;
    Deque<RemoteConnection> cached = idle.computeIfAbsent(node.groupId(), g -> new ArrayDeque<>());
    if (!keepIdle || c.isClosed() || c.relay().transactionStatus() != 'I'
        || cached.size() >= s.maxCachedPerNode()
        || System.nanoTime() - c.openedNanos() > s.cachedLifetimeMillis() * 1_000_000
        || cluster.sharedConnections().hasWaiters(node.groupId())) {
      discard(c);
      return;
    }
    cached.push(c);
  }

  /**
   * Runs the session's settings statement on the connection unless it already ran it. The
   * statements the connection kept prepared under other settings go first (see
   * BackendConnection#forgetKeptStatements).
   */
  public void applySettings(RemoteConnection c, String settingsSql) {
    if (settingsSql == null || settingsSql.equals(applied.get(c))) {
      return;
    }
    c.relay().forgetKeptStatements();
    c.execute(settingsSql);
    applied.put(c, settingsSql);
  }

  /** The connection already ran {@code settingsSql} (an extra connection, on its own thread). */
  public void settingsApplied(RemoteConnection c, String settingsSql) {
    applied.put(c, settingsSql);
  }

  /** The connection's settings were undone (ROLLBACK TO SAVEPOINT): run them again next time. */
  public void forgetSettings(RemoteConnection c) {
    applied.remove(c);
  }

  /** Closes a connection that must not be used again (a task on it was cancelled). */
  public void discard(RemoteConnection c) {
    applied.remove(c);
    c.close();
  }

  @Override
  public void close() {
    idle.values().forEach(d -> d.forEach(this::discard));
    idle.clear();
  }
}
