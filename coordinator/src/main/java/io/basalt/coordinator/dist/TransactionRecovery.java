package io.basalt.coordinator.dist;

import io.basalt.executor.remote.RemoteConnection;
import io.basalt.metadata.catalog.Node;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes two-phase commits that lost their coordinator half-way: a prepared transaction on a
 * worker whose commit record exists in pg_dist_transaction is committed, one without a record
 * is rolled back (its coordinator transaction never committed). Transactions of this coordinator
 * that are still between PREPARE and COMMIT PREPARED are left alone.
 */
public final class TransactionRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionRecovery.class);

  private TransactionRecovery() {}

  /** Returns how many prepared transactions were committed or rolled back. */
  public static int recover(ClusterServices cluster) {
    return recover(cluster, 0);
  }

  /** Commit records removed per DELETE statement. */
  private static final int DELETE_BATCH = 1000;

  /**
   * Like {@link #recover(ClusterServices)}, leaving alone prepared transactions younger than
   * {@code minAgeSeconds}: the periodic run uses a margin so that it never races a commit that
   * is still under way in another coordinator process.
   */
  public static int recover(ClusterServices cluster, int minAgeSeconds) {
    int finished = 0;
    try (RemoteConnection admin = cluster.openAdmin()) {
      for (Node node : cluster.snapshot().nodes()) {
        if (!node.isActivePrimary() || node.isCoordinator()) {
          continue;
        }
        finished += recoverNode(cluster, admin, node, minAgeSeconds);
      }
    }
    return finished;
  }

  private static int recoverNode(ClusterServices cluster, RemoteConnection admin, Node node,
      int minAgeSeconds) {
    int finished = 0;
    try (RemoteConnection worker = cluster.openNodeAdmin(node)) {
      // The order of these reads is what makes recovery safe beside commits under way. A record
      // read before the worker's list belongs to a transaction decided before it: absent from
      // the list, that transaction is finished there and its record can go.
      Set<String> recordedBefore = records(admin, node);
      List<String[]> prepared = worker.query("SELECT gid, prepared < now() - interval '"
          + minAgeSeconds + " seconds' FROM pg_catalog.pg_prepared_xacts"
          + " WHERE database = current_database() AND gid LIKE 'citus\\_0\\_%'");
      // A listed transaction not in flight after the list was read has passed its decision
      // point (gids join inFlight before PREPARE and leave after COMMIT/ROLLBACK PREPARED), so
      // records read after this show whether it was decided. Checking inFlight later instead
      // could miss a commit decided after the records were read whose COMMIT PREPARED failed.
      Set<String> inFlight = Set.copyOf(cluster.inFlight());
      Set<String> stillPrepared = new HashSet<>();
      List<String> toFinish = new java.util.ArrayList<>();
      for (String[] r : prepared) {
        if (inFlight.contains(r[0]) || (minAgeSeconds > 0 && !"t".equals(r[1]))) {
          stillPrepared.add(r[0]);
        } else {
          toFinish.add(r[0]);
        }
      }
      // Usually nothing is left to finish, and the records need not be read again.
      Set<String> committed = toFinish.isEmpty() ? Set.of() : records(admin, node);
      for (String gid : toFinish) {
        String action = committed.contains(gid) ? "COMMIT PREPARED " : "ROLLBACK PREPARED ";
        try {
          worker.execute(action + Sql.literal(gid));
          finished++;
          LOG.info("recovery: {}{} on {}", action, gid, node.address());
        } catch (RuntimeException e) {
          stillPrepared.add(gid);
          LOG.warn("recovery could not finish {} on {}: {}", gid, node.address(), e.getMessage());
        }
      }
      // Records whose prepared transaction is gone have done their job. Under load there are
      // tens of thousands a minute: they go in batches, one statement (and one commit) each.
      List<String> done = new java.util.ArrayList<>();
      for (String gid : recordedBefore) {
        if (!stillPrepared.contains(gid)) {
          done.add(gid);
        }
      }
      for (int from = 0; from < done.size(); from += DELETE_BATCH) {
        StringBuilder list = new StringBuilder();
        for (String gid : done.subList(from, Math.min(done.size(), from + DELETE_BATCH))) {
          list.append(list.isEmpty() ? "" : ", ").append(Sql.literal(gid));
        }
        admin.execute("DELETE FROM pg_catalog.pg_dist_transaction WHERE groupid = "
            + node.groupId() + " AND gid = ANY (ARRAY[" + list + "]::text[])");
      }
    }
    return finished;
  }

  private static Set<String> records(RemoteConnection admin, Node node) {
    Set<String> gids = new HashSet<>();
    for (String[] r : admin.query("SELECT gid FROM pg_catalog.pg_dist_transaction"
        + " WHERE groupid = " + node.groupId())) {
      gids.add(r[0]);
    }
    return gids;
  }
}
