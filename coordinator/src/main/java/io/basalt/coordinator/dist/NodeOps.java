package io.basalt.coordinator.dist;

import io.basalt.coordinator.catalog.MetadataLoader;
import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import io.basalt.executor.remote.RemoteConnection;
import io.basalt.metadata.catalog.DistributedTable;
import io.basalt.metadata.catalog.MetadataSnapshot;
import io.basalt.metadata.catalog.Node;
import io.basalt.metadata.catalog.Shard;
import java.util.ArrayList;
import java.util.List;

/** citus_add_node and citus_check_cluster_node_health. */
public final class NodeOps {
  private final OperationContext ctx;

  public NodeOps(OperationContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Registers a node and returns its nodeid (the existing one if it is registered already).
   * The node must accept connections and allow prepared transactions. Reference tables get a
   * placement on a new worker, with their rows, in the same transaction.
   */
  public int addNode(String name, int port, int groupId, String role, String cluster) {
    ctx.db().execute("SELECT basalt_internal.ensure_superuser()");
    String existing = ctx.db().queryValue("SELECT nodeid FROM pg_catalog.pg_dist_node WHERE"
        + " nodename = " + Sql.literal(name) + " AND nodeport = " + port);
    if (existing != null) {
      return Integer.parseInt(existing);
    }
    checkReachable(name, port);
    boolean coordinator = groupId == 0;
    String sql = "INSERT INTO pg_catalog.pg_dist_node (" + (groupId >= 0 ? "groupid, " : "")
        + "nodename, nodeport, noderole, nodecluster, shouldhaveshards, hasmetadata,"
        + " metadatasynced) VALUES (" + (groupId >= 0 ? groupId + ", " : "")
        + Sql.literal(name) + ", " + port + ", " + Sql.literal(role) + ", "
        + Sql.literal(cluster) + ", " + !coordinator + ", " + coordinator + ", " + coordinator
        + ") RETURNING nodeid";
    int nodeId = Integer.parseInt(ctx.db().queryValue(sql));
    ctx.transaction().catalogChanged();
    if (!coordinator && "primary".equals(role)) {
      replicateReferenceTables(nodeId);
    }
    return nodeId;
  }

  private void checkReachable(String name, int port) {
    String max;
    try (RemoteConnection c = RemoteConnection.open(ctx.cluster().endpointFor(name, port),
        ctx.cluster().adminUser(), ctx.cluster().database(), "basalt internal")) {
      max = c.queryValue("SELECT current_setting('max_prepared_transactions')");
    } catch (BasaltException e) {
      throw BasaltException.builder(SqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION,
          "connection to the remote node " + name + ":" + port + " failed")
          .detail(e.getMessage()).cause(e).build();
    }
    if ("0".equals(max)) {
      throw BasaltException.of(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE,
          "node " + name + ":" + port + " has max_prepared_transactions = 0",
          "Basalt commits with two-phase commit: set max_prepared_transactions on the node to"
              + " at least max_connections and restart it.");
    }
  }

  /** Creates every reference table's shard on the new node and copies its rows there. */
  private void replicateReferenceTables(int nodeId) {
    MetadataSnapshot meta = MetadataLoader.load(ctx.db());
    Node target = meta.nodes().stream().filter(n -> n.nodeId() == nodeId).findFirst().orElseThrow();
    for (DistributedTable t : meta.tables().values()) {
      if (!t.isReference()) {
        continue;
      }
      Shard shard = t.shards().get(0);
      Node source = shard.placementGroups().stream().map(meta::primaryOf)
          .flatMap(java.util.Optional::stream).findFirst()
          .orElseThrow(() -> BasaltException.of(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE,
              "reference table " + t.name() + " has no active placement to copy from"));
      TableDefinition def = TableDefinition.read(ctx.db(), t.oid());
      RemoteConnection to = ctx.transaction().connectionForWrite(target, ctx.user());
      StringBuilder sql = new StringBuilder(WorkerObjects.prelude(ctx.db(), def));
      for (String s : ShardDdl.create(def, shard.shardId(),
          oid -> referencedReferenceShard(meta, oid))) {
        sql.append(s).append(";\n");
      }
      to.execute(sql.toString());
      String shardName = ShardDdl.shardTable(t.schema(), t.name(), shard.shardId());
      java.io.ByteArrayOutputStream rows = new java.io.ByteArrayOutputStream();
      ctx.transaction().connection(source, ctx.user()).copyOut("COPY " + shardName
          + " TO STDOUT", rows);
      byte[] data = rows.toByteArray();
      to.copyIn("COPY " + shardName + " FROM STDIN", data, data.length);
      ctx.db().execute("INSERT INTO pg_catalog.pg_dist_placement (shardid, shardstate,"
          + " shardlength, groupid) VALUES (" + shard.shardId() + ", 1, 0, " + target.groupId()
          + ")");
    }
  }

  private static String referencedReferenceShard(MetadataSnapshot meta, long oid) {
    DistributedTable t = meta.table(oid).orElseThrow();
    return ShardDdl.shardTable(t.schema(), t.name(), t.shards().get(0).shardId());
  }

  /** One row per node: (coordinator, node, reachable). */
  public List<Object[]> health(String fromName, int fromPort) {
    List<Object[]> rows = new ArrayList<>();
    List<Node> nodes = ctx.cluster().snapshot().nodes().stream()
        .sorted(java.util.Comparator.comparing(Node::name).thenComparingInt(Node::port)).toList();
    for (Node n : nodes) {
      if (!n.isActivePrimary()) {
        continue;
      }
      boolean ok;
      try (RemoteConnection c = ctx.cluster().openNodeAdmin(n)) {
        ok = "1".equals(c.queryValue("SELECT 1"));
      } catch (RuntimeException e) {
        ok = false;
      }
      rows.add(new Object[] {fromName, fromPort, n.name(), n.port(), ok});
    }
    return rows;
  }
}
