package io.basalt.coordinator.catalog;

import io.basalt.metadata.catalog.DistributedTable;
import io.basalt.metadata.catalog.MetadataSnapshot;
import io.basalt.metadata.catalog.Node;
import io.basalt.metadata.catalog.Shard;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the whole catalog. Callers run it inside one transaction (REPEATABLE READ for the shared
 * snapshot; a session's own open transaction to see its uncommitted changes), so the result is
 * consistent.
 */
public final class MetadataLoader {
  private MetadataLoader() {}

  public static MetadataSnapshot load(Querier admin) {
    {
      long version = Long.parseLong(admin.queryValue(
          "SELECT version FROM pg_catalog.basalt_metadata_version"));
      List<Node> nodes = new ArrayList<>();
      for (String[] r : admin.query("SELECT nodeid, groupid, nodename, nodeport, isactive,"
          + " noderole, nodecluster, shouldhaveshards FROM pg_catalog.pg_dist_node"
          + " ORDER BY nodeid")) {
        nodes.add(new Node(Integer.parseInt(r[0]), Integer.parseInt(r[1]), r[2],
            Integer.parseInt(r[3]), "t".equals(r[4]), r[5], r[6], "t".equals(r[7])));
      }
      Map<Long, List<Integer>> placements = new HashMap<>();
      for (String[] r : admin.query("SELECT shardid, groupid FROM pg_catalog.pg_dist_placement"
          + " ORDER BY shardid, groupid")) {
        placements.computeIfAbsent(Long.parseLong(r[0]), k -> new ArrayList<>())
            .add(Integer.parseInt(r[1]));
      }
      Map<Long, List<Shard>> shards = new HashMap<>();
      for (String[] r : admin.query("SELECT logicalrelid::oid, shardid, shardminvalue,"
          + " shardmaxvalue FROM pg_catalog.pg_dist_shard"
          + " ORDER BY logicalrelid, shardminvalue::int NULLS FIRST, shardid")) {
        long shardId = Long.parseLong(r[1]);
        long table = Long.parseLong(r[0]);
        shards.computeIfAbsent(table, k -> new ArrayList<>()).add(new Shard(shardId, table,
            r[2] == null ? null : Integer.valueOf(r[2]), r[3] == null ? null : Integer.valueOf(r[3]),
            placements.getOrDefault(shardId, List.of())));
      }
      List<DistributedTable> tables = new ArrayList<>();
      for (String[] r : admin.query("SELECT p.logicalrelid::oid, n.nspname, c.relname,"
          + " p.partmethod, p.repmodel, p.colocationid, a.attname, coalesce(a.attnum, 0),"
          + " coalesce(a.atttypid, 0), coalesce(a.atttypmod, -1)"
          + " FROM pg_catalog.pg_dist_partition p"
          + " JOIN pg_catalog.pg_class c ON c.oid = p.logicalrelid"
          + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
          + " LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = p.logicalrelid"
          + "  AND a.attnum = basalt_internal.partkey_attnum(p.partkey)")) {
        long oid = Long.parseLong(r[0]);
        tables.add(new DistributedTable(oid, r[1], r[2], r[3].charAt(0), r[4].charAt(0),
            Integer.parseInt(r[5]), r[6], Integer.parseInt(r[7]), Integer.parseInt(r[8]),
            shards.getOrDefault(oid, List.of()), Integer.parseInt(r[9])));
      }
      return MetadataSnapshot.of(version, nodes, tables);
    }
  }
}
