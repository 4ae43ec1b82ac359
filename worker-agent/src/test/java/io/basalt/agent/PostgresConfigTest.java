package io.basalt.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresConfigTest {
  @Test
  void defaultsArePinned() {
    PostgresConfig config = PostgresConfig.defaults(Path.of("/var/lib/basalt/worker-1"), 5433);

    assertEquals(Path.of("/var/lib/basalt/worker-1"), config.dataDir());
    assertEquals(5433, config.port());
    assertEquals(Path.of("/var/lib/basalt/worker-1-run"), config.socketDir());
    assertEquals("127.0.0.1", config.listenAddress());
    assertEquals(200, config.maxConnections());
    assertEquals(200, config.maxPreparedTransactions());
    assertEquals("postgres", config.superuser());
    assertEquals(Map.of(), config.extraSettings());
    assertTrue(config.fsync());
    assertEquals(Path.of("/var/lib/basalt/worker-1-run/.s.PGSQL.5433"), config.socketFile());
  }

  @Test
  void relativeDataDirectoriesBecomeAbsolute() {
    PostgresConfig config = PostgresConfig.defaults(Path.of("data/../pg"), 5432);

    assertTrue(config.dataDir().isAbsolute());
    assertEquals("pg", config.dataDir().getFileName().toString());
    assertEquals("pg-run", config.socketDir().getFileName().toString());
  }

  @Test
  void deepDataDirectoriesGetAShortSocketDirectoryUnderTmp() {
    Path deep = Path.of("/tmp", "x".repeat(60), "y".repeat(40), "data");
    PostgresConfig config = PostgresConfig.defaults(deep, 5432);

    assertEquals(Path.of("/tmp"), config.socketDir().getParent());
    assertTrue(config.socketDir().getFileName().toString().matches("basalt-[0-9a-f]{12}"));
    assertTrue(config.socketFile().toString().length() <= PostgresConfig.MAX_SOCKET_PATH_BYTES);
    assertEquals(config.socketDir(), PostgresConfig.defaults(deep, 6543).socketDir(),
        "stable for a data directory");
    assertTrue(!config.socketDir().equals(
        PostgresConfig.defaults(deep.resolveSibling("other"), 5432).socketDir()));
  }

  @Test
  void rejectsAnExplicitSocketDirectoryThatIsTooLong() {
    PostgresConfig config = PostgresConfig.defaults(Path.of("/tmp/data"), 5432);

    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> config.withSocketDir(Path.of("/tmp", "s".repeat(100))));
    assertTrue(error.getMessage().contains("107 bytes"), error.getMessage());
  }

  @Test
  void rejectsSettingsThatCannotWork() {
    PostgresConfig config = PostgresConfig.defaults(Path.of("/tmp/data"), 5432);

    assertThrows(IllegalArgumentException.class, () -> config.withPort(0));
    assertThrows(IllegalArgumentException.class, () -> config.withPort(65536));
    assertThrows(IllegalArgumentException.class, () -> config.withMaxConnections(0));
    assertThrows(IllegalArgumentException.class, () -> config.withMaxPreparedTransactions(0));
    assertThrows(IllegalArgumentException.class, () -> config.withSuperuser("bad name"));
  }

  @Test
  void extraSettingsMayNotShadowTheFields() {
    PostgresConfig config = PostgresConfig.defaults(Path.of("/tmp/data"), 5432);

    for (String name : List.of("port", "PORT", "listen_addresses", "unix_socket_directories",
        "max_connections", "max_prepared_transactions", "fsync")) {
      assertThrows(IllegalArgumentException.class,
          () -> config.withExtraSettings(Map.of(name, "1")), name);
    }
    assertThrows(IllegalArgumentException.class,
        () -> config.withExtraSettings(Map.of("work_mem = 1; x", "1")));
    assertEquals(Map.of("citus.shard_count", "32", "work_mem", "64MB"),
        config.withExtraSettings(Map.of("work_mem", "64MB", "citus.shard_count", "32"))
            .extraSettings());
  }
}
