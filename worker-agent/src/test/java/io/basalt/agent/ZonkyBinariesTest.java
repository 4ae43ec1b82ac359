package io.basalt.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.agent.testing.TestDirectories;
import io.basalt.agent.testing.TestPostgres;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The last resort of discovery: binaries bundled in the io.zonky.test.postgres jar on the test
 * classpath, extracted once into a scratch cache shared by the tests of this class.
 */
class ZonkyBinariesTest {
  private static Path directory;
  private static Path cache;
  private static URL archive;
  private static PgBinaries extracted;

  @BeforeAll
  static void extract() {
    directory = TestDirectories.create("zonky");
    cache = directory.resolve("cache");
    archive = ZonkyBinaries.findArchive(ZonkyBinariesTest.class.getClassLoader()).orElseThrow();
    extracted = ZonkyBinaries.extract(archive, cache);
  }

  @AfterAll
  static void deleteCache() {
    TestDirectories.delete(directory);
  }

  @Test
  void extractsRunnableBinaries() {
    assertEquals(cache.resolve("pg-16.15.0/bin"), extracted.binDir());
    assertEquals(16, extracted.majorVersion());

    ProcessResult version = ProcessRunner.run(
        List.of(extracted.bin("postgres").toString(), "--version"),
        ProcessRunner.DEFAULT_TIMEOUT).requireSuccess();

    assertTrue(version.stdout().startsWith("postgres (PostgreSQL) 16."), version.stdout());
    assertTrue(Files.isSymbolicLink(extracted.binDir().resolveSibling("lib/libpq.so")));
  }

  @Test
  void aSecondExtractionReusesTheFirst() throws Exception {
    long modified = Files.getLastModifiedTime(extracted.bin("postgres")).toMillis();

    PgBinaries again = ZonkyBinaries.extract(archive, cache);

    assertEquals(extracted, again);
    assertEquals(modified, Files.getLastModifiedTime(again.bin("postgres")).toMillis());
    try (var entries = Files.list(cache)) {
      assertEquals(List.of(cache.resolve("pg-16.15.0")), entries.toList(),
          "no staging directories left behind");
    }
  }

  @Test
  void discoveryFallsBackToTheBundle() {
    Map<String, String> env = Map.of("PATH", "", "BASALT_PG_CACHE", cache.toString());

    PgBinaries found = PgBinaries.discover(env::get, directory.resolve("no-debian"),
        ZonkyBinariesTest.class.getClassLoader());

    assertEquals(extracted, found);
  }

  @Test
  void theBundledServerRuns() {
    Path data = directory.resolve("data");
    PostgresConfig config = PostgresConfig.defaults(data, FreePorts.find()).withFsync(false);
    try (PostgresServer server = new PostgresServer(extracted, config, TestPostgres.runAs())) {
      server.start();

      assertTrue(server.isHealthy());
      assertTrue(server.psqlOutput("postgres", "select version()").startsWith("PostgreSQL 16."));
    }
  }
}
