package io.basalt.agent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.agent.testing.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReadinessProbeTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @Test
  void agreesWithPgIsReady() {
    try (TestPostgres pg = TestPostgres.start()) {
      PostgresServer server = pg.server();
      assertTrue(server.isHealthy());
      assertTrue(ReadinessProbe.accepting(server.socketFile(), "postgres", TIMEOUT));
      // A server that rejects the login still accepts connections, as pg_isready says too.
      assertTrue(ReadinessProbe.accepting(server.socketFile(), "no_such_role", TIMEOUT));

      server.stop();

      assertFalse(server.isHealthy());
      assertFalse(ReadinessProbe.accepting(server.socketFile(), "postgres", TIMEOUT));
    }
  }

  @Test
  void aMissingSocketIsNotReady() {
    assertFalse(ReadinessProbe.accepting(Path.of("/nonexistent/.s.PGSQL.5432"), "postgres",
        TIMEOUT));
  }
}
