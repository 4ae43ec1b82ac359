package io.basalt.coordinator.dist;

import io.basalt.executor.remote.RemoteConnection;
import io.basalt.metadata.catalog.Node;
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
    try (RemoteConnection coordinator = cluster.openAdmin()) {
      String local = coordinator.queryValue("SELECT t.oid FROM pg_catalog.pg_type t"
          + " JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = "
          + Sql.literal(name[0]) + " AND t.typname = " + Sql.literal(name[1]));
      return local == null ? oid : Integer.parseInt(local);
    }
  }
}
