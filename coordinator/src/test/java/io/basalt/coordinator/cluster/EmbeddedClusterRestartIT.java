package io.basalt.coordinator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.basalt.agent.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A Basalt process killed without stopping its servers (SIGKILL) leaves them running on their
 * ports; the next start on the same data directory adopts each one where it is instead of
 * taking its busy port for someone else's, moving it and restarting it.
 */
class EmbeddedClusterRestartIT {
  @Test
  void aStartAfterAKillAdoptsTheRunningServersOnTheirPorts() throws IOException {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "basalt-restart-");
    // PostgreSQL runs as an unprivileged user when the tests run as root: let it in.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    EmbeddedCluster second = null;
    EmbeddedCluster first = EmbeddedCluster.start(dir, 1, false);
    try {
      List<String> before = identities(first);
      // No close(): the killed process never stopped its servers.
      second = EmbeddedCluster.start(dir, 1, false);
      assertEquals(before, identities(second));
    } finally {
      (second != null ? second : first).close();
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  /** Each server's port and its postmaster's start time: the same process on the same port. */
  private static List<String> identities(EmbeddedCluster cluster) {
    List<PostgresServer> all = new ArrayList<>(cluster.workers());
    all.add(0, cluster.coordinatorDb());
    List<String> out = new ArrayList<>();
    for (PostgresServer s : all) {
      out.add(s.port() + " " + s.psqlOutput("postgres", "SELECT pg_postmaster_start_time()"));
    }
    return out;
  }
}
