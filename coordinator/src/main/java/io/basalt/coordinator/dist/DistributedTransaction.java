package io.basalt.coordinator.dist;

import io.basalt.error.BasaltException;
import io.basalt.executor.remote.RemoteConnection;
import io.basalt.metadata.catalog.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker side of one client transaction: a connection per node group that took part, each
 * with a transaction open, ended together with the coordinator database's transaction.
 *
 * <p>Commit is two-phase: PREPARE TRANSACTION on every participant, a commit record per
 * participant in pg_dist_transaction written in the coordinator database's transaction, the
 * coordinator database's COMMIT (the decision), then COMMIT PREPARED. A failure before the
 * decision rolls everything back; after it, {@link TransactionRecovery} finishes the commit from
 * the records.
 */
public final class DistributedTransaction {
  private static final Logger LOG = LoggerFactory.getLogger(DistributedTransaction.class);

  private final ClusterServices cluster;
  private final int sessionPid;
  private final WorkerConnections workers;
  private final Map<Integer, RemoteConnection> participants = new LinkedHashMap<>();
  private final Map<Integer, Node> nodes = new LinkedHashMap<>();
  /** How many savepoints were open when each participant joined. */
  private final Map<Integer, Integer> joinedAtDepth = new LinkedHashMap<>();
  /** The client's open savepoints, innermost last. */
  private final List<String> savepoints = new ArrayList<>();
  private boolean catalogChanged;
  private final List<String> pendingNames = new ArrayList<>();

  public DistributedTransaction(ClusterServices cluster, int sessionPid) {
    this(cluster, sessionPid, new WorkerConnections(cluster, false));
  }

  /** A transaction whose participants come from (and go back to) a session's connections. */
  public DistributedTransaction(ClusterServices cluster, int sessionPid,
      WorkerConnections workers) {
    this.cluster = cluster;
    this.sessionPid = sessionPid;
    this.workers = workers;
  }

  /** The participant on the node's group, or null if the group has not joined. */
  public RemoteConnection participant(Node node) {
    return participants.get(node.groupId());
  }

  public boolean isActive() {
    return !participants.isEmpty();
  }

  /** The connection of this transaction on the node's group, opened with BEGIN on first use. */
  public RemoteConnection connection(Node node, String user) {
    RemoteConnection c = participants.get(node.groupId());
    if (c == null) {
      c = workers.acquire(node, user);
      try {
        c.execute("BEGIN");
      } catch (RuntimeException e) {
        c.close();
        throw e;
      }
      participants.put(node.groupId(), c);
      nodes.put(node.groupId(), node);
      joinedAtDepth.put(node.groupId(), savepoints.size());
    }
    return c;
  }

  /** The client's transaction ended without participants: forget its savepoints. */
  public void ended() {
    if (participants.isEmpty()) {
      savepoints.clear();
    }
  }

  /** SAVEPOINT name: taken on every participant, and remembered for later joiners. */
  public void savepoint(String name) {
    forward("SAVEPOINT " + io.basalt.metadata.catalog.Identifiers.quote(name));
    savepoints.add(name);
  }

  /**
   * ROLLBACK TO SAVEPOINT name. A participant that joined after the savepoint did all its work
   * after it, so its whole transaction is rolled back and it leaves.
   */
  public void rollbackTo(String name) {
    // A savepoint taken before any participant joined is not tracked: all joined after it.
    int depth = savepoints.lastIndexOf(name);
    for (var it = participants.entrySet().iterator(); it.hasNext();) {
      var p = it.next();
      if (joinedAtDepth.get(p.getKey()) > depth) {
        quietly(p.getValue(), "ROLLBACK");
        workers.release(nodes.remove(p.getKey()), p.getValue(), true);
        joinedAtDepth.remove(p.getKey());
        it.remove();
      } else {
        p.getValue().execute("ROLLBACK TO SAVEPOINT " + io.basalt.metadata.catalog.Identifiers.quote(name));
        // A SET made after the savepoint is undone with it.
        workers.forgetSettings(p.getValue());
      }
    }
    savepoints.subList(Math.max(depth + 1, 0), savepoints.size()).clear();
  }

  /** RELEASE SAVEPOINT name, on the participants that have it. */
  public void release(String name) {
    int depth = savepoints.lastIndexOf(name);
    if (depth < 0) {
      // Taken before anyone joined: releasing it releases every tracked one too.
      savepoints.clear();
      joinedAtDepth.replaceAll((g, d) -> 0);
      return;
    }
    for (var p : participants.entrySet()) {
      if (joinedAtDepth.get(p.getKey()) <= depth) {
        p.getValue().execute("RELEASE SAVEPOINT " + io.basalt.metadata.catalog.Identifiers.quote(name));
      } else {
        joinedAtDepth.put(p.getKey(), depth);
      }
    }
    savepoints.subList(depth, savepoints.size()).clear();
  }

  /** A table this transaction distributes: refused everywhere until the snapshot has it. */
  public void distributing(String tableName) {
    cluster.metadata().markPending(tableName);
    pendingNames.add(tableName);
  }

  /** After the snapshot was reloaded (or the transaction rolled back). */
  public void releasePending() {
    pendingNames.forEach(cluster.metadata()::unmarkPending);
    pendingNames.clear();
  }

  /** Notes that this transaction changed the catalog: the snapshot is reloaded when it ends. */
  public void catalogChanged() {
    catalogChanged = true;
  }

  public boolean hasCatalogChanges() {
    return catalogChanged;
  }

  private void forward(String sql) {
    for (RemoteConnection c : participants.values()) {
      c.execute(sql);
    }
  }

  /**
   * Commits the coordinator database's transaction (through {@code coordinator}) and every
   * participant. Throws if the transaction could not commit; everything is rolled back then.
   */
  public void commit(Sql coordinator) {
    if (participants.isEmpty()) {
      coordinator.execute("COMMIT");
      return;
    }
    long txNumber = cluster.nextTransactionNumber();
    List<String> gids = new ArrayList<>();
    List<RemoteConnection> prepared = new ArrayList<>();
    try {
      int i = 0;
      StringBuilder records = new StringBuilder();
      for (Map.Entry<Integer, RemoteConnection> p : participants.entrySet()) {
        String gid = cluster.newGid(sessionPid, txNumber, ++i);
        cluster.inFlight().add(gid);
        gids.add(gid);
        p.getValue().execute("PREPARE TRANSACTION " + Sql.literal(gid));
        prepared.add(p.getValue());
        records.append(records.isEmpty() ? "SELECT " : ", ")
            .append("basalt_internal.record_prepared(").append(p.getKey()).append(", ")
            .append(Sql.literal(gid)).append(")");
      }
      coordinator.execute(records.toString());
      coordinator.execute("COMMIT");
    } catch (RuntimeException e) {
      for (int j = 0; j < gids.size(); j++) {
        if (j < prepared.size()) {
          quietly(prepared.get(j), "ROLLBACK PREPARED " + Sql.literal(gids.get(j)));
        }
      }
      quietlyRollbackCoordinator(coordinator);
      end(true);
      gids.forEach(cluster.inFlight()::remove);
      throw e;
    }
    // Decided: from here on the transaction is committed, whatever happens to the workers.
    int j = 0;
    for (RemoteConnection c : participants.values()) {
      String gid = gids.get(j++);
      try {
        c.execute("COMMIT PREPARED " + Sql.literal(gid));
      } catch (BasaltException e) {
        LOG.warn("COMMIT PREPARED {} failed on {}; recovery will finish it: {}", gid,
            c.description(), e.getMessage());
      }
    }
    gids.forEach(cluster.inFlight()::remove);
    end(false);
  }

  /** Rolls back every participant (the caller rolls back the coordinator database). */
  public void rollback() {
    for (RemoteConnection c : participants.values()) {
      quietly(c, "ROLLBACK");
    }
    end(true);
  }

  private void end(boolean rolledBack) {
    participants.forEach((group, c) -> workers.release(nodes.get(group), c, rolledBack));
    participants.clear();
    nodes.clear();
    joinedAtDepth.clear();
    savepoints.clear();
  }

  private static void quietly(RemoteConnection c, String sql) {
    try {
      c.execute(sql);
    } catch (RuntimeException e) {
      LOG.warn("{} failed on {}: {}", sql, c.description(), e.getMessage());
    }
  }

  private static void quietlyRollbackCoordinator(Sql coordinator) {
    try {
      coordinator.execute("ROLLBACK");
    } catch (RuntimeException e) {
      LOG.debug("coordinator rollback after a failed commit: {}", e.getMessage());
    }
  }

  /** The transaction rolled back: its catalog changes and pending names are gone. */
  public void discardCatalogChanges() {
    catalogChanged = false;
    releasePending();
  }

  /** Called when the transaction has ended (either way): reloads the snapshot if it changed. */
  public boolean takeCatalogChange() {
    boolean changed = catalogChanged;
    catalogChanged = false;
    return changed;
  }
}
