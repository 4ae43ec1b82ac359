package io.basalt.coordinator.dist;

import io.basalt.executor.remote.RemoteConnection;
import io.basalt.metadata.catalog.Node;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops the shards queued in pg_dist_cleanup: those of dropped tables (queued by the
 * coordinator database's sql_drop event trigger in the dropping transaction, so only committed
 * drops are seen here) and of removed placements. A row goes once its shard is gone; a node that
 * is down keeps its rows for the next run.
 */
public final class ShardCleanup {
  private static final Logger LOG = LoggerFactory.getLogger(ShardCleanup.class);

  private ShardCleanup() {}

  /** Runs only when {@code db} (any committed view of the catalog) shows shards to drop. */
  public static void runIfPending(ClusterServices cluster, Sql db) {
    if ("t".equals(db.queryValue("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_cleanup)"))) {
      run(cluster);
    }
  }

  public static void run(ClusterServices cluster) {
    try (RemoteConnection admin = cluster.openAdmin()) {
      List<String[]> rows = admin.query("SELECT record_id, object_name, node_group_id"
          + " FROM pg_catalog.pg_dist_cleanup WHERE object_type = 1 ORDER BY record_id");
      for (String[] r : rows) {
        int group = Integer.parseInt(r[2]);
        Optional<Node> node = cluster.snapshot().nodes().stream()
            .filter(n -> n.groupId() == group && n.isActivePrimary()).findFirst();
        if (node.isEmpty()) {
          // The node was removed: its data went with it.
          admin.execute("DELETE FROM pg_catalog.pg_dist_cleanup WHERE record_id = " + r[0]);
          continue;
        }
        try (RemoteConnection worker = cluster.openNodeAdmin(node.get())) {
          worker.execute("DROP TABLE IF EXISTS " + r[1] + " CASCADE");
          admin.execute("DELETE FROM pg_catalog.pg_dist_cleanup WHERE record_id = " + r[0]);
        } catch (RuntimeException e) {
          LOG.warn("could not drop shard {} on {}, will retry: {}", r[1], node.get().address(),
              e.getMessage());
        }
      }
    }
  }
}
