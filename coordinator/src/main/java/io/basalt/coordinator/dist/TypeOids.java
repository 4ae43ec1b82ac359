package io.basalt.coordinator.dist;

import io.basalt.executor.remote.RemoteConnection;
import io.basalt.metadata.catalog.DistributedTable;
import io.basalt.metadata.catalog.Node;
import io.basalt.metadata.catalog.Shard;
import io.basalt.metadata.shard.ShardNames;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A worker's type OIDs as the coordinator database knows them. Built-in types have one OID on
 * every server; a type created on each server (an enum made on the workers when its table was
 * distributed) has an OID of its own on each. A result described with a worker's OID names, for
 * a client that looks it up through the coordinator, nothing or another type, so results that
 * come straight from a worker are described with the coordinator's OID of the same type (same
 * schema and name). Looked up once per worker and type, over short connections of their own
 * (the caller's are busy relaying), and kept: a type dropped and made again gets new OIDs.
 */
public final class TypeOids {
  /** PostgreSQL's FirstNormalObjectId: OIDs below it are the same on every server. */
  public static final int FIRST_NORMAL_OBJECT_ID = 16384;

  private final ClusterServices cluster;
  private final ConcurrentHashMap<Long, Integer> known = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, BinaryTypeOids.Kind> kinds = new ConcurrentHashMap<>();

  TypeOids(ClusterServices cluster) {
    this.cluster = cluster;
  }

  /** The coordinator's OID of the type the worker on {@code node} calls {@code oid}. */
  public int local(Node node, int oid) {
    if (oid < FIRST_NORMAL_OBJECT_ID || oid < 0) {
      return oid;
    }
    long key = ((long) node.groupId() << 32) | (oid & 0xffffffffL);
    Integer hit = known.get(key);
    if (hit != null) {
      return hit;
    }
    int local = lookUp(node, oid);
    known.put(key, local);
    return local;
  }

  /** Whether the worker's type {@code oid} is an array, a composite, or neither. */
  public BinaryTypeOids.Kind kind(Node node, int oid) {
    long key = ((long) node.groupId() << 32) | (oid & 0xffffffffL);
    BinaryTypeOids.Kind hit = kinds.get(key);
    if (hit != null) {
      return hit;
    }
    BinaryTypeOids.Kind kind = BinaryTypeOids.Kind.OTHER;
    try (RemoteConnection worker = cluster.openNodeAdmin(node)) {
      List<String[]> rows = worker.query("SELECT t.typtype, t.typcategory, t.typelem <> 0"
          + " FROM pg_catalog.pg_type t WHERE t.oid = " + oid);
      if (!rows.isEmpty()) {
        String[] r = rows.get(0);
        kind = "c".equals(r[0]) ? BinaryTypeOids.Kind.RECORD
            : "A".equals(r[1]) && "t".equals(r[2]) ? BinaryTypeOids.Kind.ARRAY
            : BinaryTypeOids.Kind.OTHER;
      }
    }
    // Looked up outside the map: a lookup goes over the network.
    kinds.put(key, kind);
    return kind;
  }

  /** The worker's types as {@link BinaryTypeOids} reads them. */
  public BinaryTypeOids.Types of(Node node) {
    return new BinaryTypeOids.Types() {
      @Override
      public int local(int oid) {
        return TypeOids.this.local(node, oid);
      }

      @Override
      public BinaryTypeOids.Kind kind(int oid) {
        return TypeOids.this.kind(node, oid);
      }
    };
  }

  private int lookUp(Node node, int oid) {
    String[] name;
    try (RemoteConnection worker = cluster.openNodeAdmin(node)) {
      List<String[]> rows = worker.query("SELECT n.nspname, t.typname FROM pg_catalog.pg_type t"
          + " JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE t.oid = " + oid);
      if (rows.isEmpty()) {
        return oid;
      }
      name = rows.get(0);
    }
    // A shard's row type (a whole-row reference, SELECT t FROM t) is its table's here.
    String typeName = shellOf(name[0], name[1]);
    try (RemoteConnection coordinator = cluster.openAdmin()) {
      String local = coordinator.queryValue("SELECT t.oid FROM pg_catalog.pg_type t"
          + " JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = "
          + Sql.literal(name[0]) + " AND t.typname = " + Sql.literal(typeName));
      return local == null ? oid : Integer.parseInt(local);
    }
  }

  /** The distributed table whose shard is named {@code name}, or {@code name} itself. */
  private String shellOf(String schema, String name) {
    for (DistributedTable t : cluster.snapshot().tables().values()) {
      if (t.schema().equals(schema) && name.startsWith(t.name().substring(0,
          Math.min(t.name().length(), 8)))) {
        for (Shard s : t.shards()) {
          if (ShardNames.shardName(t.name(), s.shardId()).equals(name)) {
            return t.name();
          }
        }
      }
    }
    return name;
  }
}
