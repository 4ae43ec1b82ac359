package io.basalt.coordinator.server;

import io.basalt.executor.backend.BackendConnection;
import io.basalt.executor.backend.BackendEndpoint;
import io.basalt.executor.backend.SessionOptions;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads role passwords from the coordinator database's pg_authid, so clients authenticate
 * against the same roles (and SCRAM verifiers) PostgreSQL itself would use. One superuser
 * connection, used under a lock and reopened if it breaks.
 */
final class RoleStore implements AutoCloseable {
  private final BackendEndpoint endpoint;
  private final String adminUser;
  private final String database;
  private BackendConnection connection;

  RoleStore(BackendEndpoint endpoint, String adminUser, String database) {
    this.endpoint = endpoint;
    this.adminUser = adminUser;
    this.database = database;
  }

  /**
   * The stored password of a role that may log in now, as PostgreSQL would accept it; empty for
   * unknown roles, NOLOGIN roles, roles without a password and expired passwords.
   */
  synchronized Optional<String> storedPassword(String role) {
    String sql = "SELECT rolpassword FROM pg_catalog.pg_authid WHERE rolname = "
        + BackendConnection.literal(role) + " AND rolcanlogin AND rolpassword IS NOT NULL"
        + " AND (rolvaliduntil IS NULL OR rolvaliduntil > pg_catalog.now())";
    for (int attempt = 0; ; attempt++) {
      try {
        BackendConnection c = connection();
        BackendConnection.CollectingSink sink = new BackendConnection.CollectingSink();
        c.simpleQuery(sql, sink);
        sink.throwIfFailed();
        if (sink.rows().isEmpty() || sink.rows().get(0)[0] == null) {
          return Optional.empty();
        }
        return Optional.of(new String(sink.rows().get(0)[0], StandardCharsets.UTF_8));
      } catch (RuntimeException e) {
        closeConnection();
        if (attempt > 0) {
          throw e;
        }
      }
    }
  }

  private BackendConnection connection() {
    if (connection == null || connection.isClosed()) {
      connection = BackendConnection.open(endpoint, adminUser, database, SessionOptions.none());
    }
    return connection;
  }

  private void closeConnection() {
    if (connection != null) {
      connection.close();
      connection = null;
    }
  }

  @Override
  public synchronized void close() {
    closeConnection();
  }
}
