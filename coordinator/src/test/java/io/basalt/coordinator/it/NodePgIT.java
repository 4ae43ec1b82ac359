package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** node-postgres (pg) through Basalt: coordinator/src/test/node/pg-test.js. */
class NodePgIT {

  private static Path nodeDir() {
    // Surefire runs with the module directory as working directory.
    Path p = Path.of("src/test/node").toAbsolutePath();
    if (!Files.isDirectory(p)) {
      p = Path.of("coordinator/src/test/node").toAbsolutePath();
    }
    assertTrue(Files.isRegularFile(p.resolve("package.json")), "no node project at " + p);
    return p;
  }

  private static String which(String tool) throws Exception {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path c = Path.of(d, tool);
      if (Files.isExecutable(c)) {
        return c.toString();
      }
    }
    for (String d : List.of("/usr/bin", "/usr/local/bin")) {
      if (Files.isExecutable(Path.of(d, tool))) {
        return d + "/" + tool;
      }
    }
    throw new AssertionError(tool + " is required for NodePgIT but is not installed");
  }

  @Test
  void nodePostgres() throws Exception {
    TestBasalt.server();
    Path dir = nodeDir();
    String node = which("node");
    if (!Files.isDirectory(dir.resolve("node_modules/pg"))) {
      Proc.Result install = Proc.run(List.of(which("npm"), "install", "--no-audit", "--no-fund"),
          Map.of(), dir, null, Duration.ofSeconds(240));
      assertEquals(0, install.exit(), "npm install failed\n" + install.all());
    }
    Map<String, String> env = new HashMap<>(TestBasalt.libpqEnv());
    Proc.Result r = Proc.run(List.of(node, "pg-test.js"), env, dir, null, Duration.ofSeconds(60));
    assertEquals(0, r.exit(), r.all());
    assertTrue(r.out().lines().anyMatch("OK"::equals), r.all());
  }
}
