package io.basalt.coordinator.dist;

import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import io.basalt.executor.remote.RemoteConnection;
import io.basalt.metadata.catalog.Identifiers;
import io.basalt.metadata.catalog.Node;
import java.util.List;

/** Creates a coordinator role on a node that lacks it, with the same attributes. */
final class WorkerRoles {
  private WorkerRoles() {}

  static void copyRole(ClusterServices cluster, Node node, String role) {
    List<String[]> attrs;
    try (RemoteConnection admin = cluster.openAdmin()) {
      attrs = admin.query("SELECT rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolbypassrls"
          + " FROM pg_catalog.pg_roles WHERE rolname = " + Sql.literal(role));
    }
    if (attrs.isEmpty()) {
      throw BasaltException.of(SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
          "role \"" + role + "\" does not exist");
    }
    String[] a = attrs.get(0);
    String sql = "CREATE ROLE " + Identifiers.quote(role) + " LOGIN"
        + ("t".equals(a[0]) ? " SUPERUSER" : "") + ("t".equals(a[1]) ? " INHERIT" : " NOINHERIT")
        + ("t".equals(a[2]) ? " CREATEROLE" : "") + ("t".equals(a[3]) ? " CREATEDB" : "")
        + ("t".equals(a[4]) ? " BYPASSRLS" : "");
    try (RemoteConnection n = cluster.openNodeAdmin(node)) {
      n.execute(sql);
    } catch (BasaltException e) {
      if (!"42710".equals(e.sqlState())) { // created meanwhile by another session
        throw e;
      }
    }
  }
}
