package io.basalt.executor.backend;

import io.basalt.agent.testing.TestPostgres;
import java.util.Map;

/** Backend sessions on a test PostgreSQL, as its superuser over its Unix socket. */
final class TestBackends {
  private TestBackends() {}

  static BackendConnection open(TestPostgres postgres) {
    var server = postgres.server();
    return BackendConnection.open(BackendEndpoint.unixSocket(server.socketFile(), server.port()),
        server.config().superuser(), "postgres", new SessionOptions(null, null, Map.of()));
  }
}
