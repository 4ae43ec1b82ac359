package io.basalt.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.agent.testing.TestDirectories;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The discovery cascade. Fake installations are directories of tiny shell scripts that print a
 * version, so each step can be tested without several PostgreSQL versions on the machine.
 */
class PgBinariesTest {
  /** Sees no bundled archive, so discovery cannot fall through to it. */
  private static final ClassLoader NO_BUNDLE = new URLClassLoader(new URL[0], null);

  private Path directory;

  @BeforeEach
  void createDirectory() {
    directory = TestDirectories.create("bin");
  }

  @AfterEach
  void deleteDirectory() {
    TestDirectories.delete(directory);
  }

  @Test
  void discoversTheInstalledServer() {
    PgBinaries binaries = PgBinaries.discover();

    assertTrue(binaries.majorVersion() >= 10, "" + binaries);
    assertTrue(Files.isExecutable(binaries.bin("postgres")));
    assertTrue(Files.isExecutable(binaries.bin("initdb")));
    assertTrue(Files.isExecutable(binaries.bin("pg_ctl")));
  }

  @Test
  void anExplicitDirectoryWins() throws IOException {
    Path bin = fakeInstallation(directory.resolve("custom"), "14.9");
    Path debian = directory.resolve("debian");
    fakeInstallation(debian.resolve("16"), "16.1");

    PgBinaries binaries = PgBinaries.discover(
        env(Map.of("BASALT_PG_BIN", bin.toString(), "PATH", "")), debian, NO_BUNDLE);

    assertEquals(new PgBinaries(bin, 14), binaries);
  }

  @Test
  void aWrongExplicitDirectoryIsAnErrorNotAFallback() throws IOException {
    Path debian = directory.resolve("debian");
    fakeInstallation(debian.resolve("16"), "16.1");
    Path empty = Files.createDirectory(directory.resolve("empty"));

    AgentException error = assertThrows(AgentException.class, () -> PgBinaries.discover(
        env(Map.of("BASALT_PG_BIN", empty.toString(), "PATH", "")), debian, NO_BUNDLE));

    assertTrue(error.getMessage().contains(empty.toString()), error.getMessage());
  }

  @Test
  void pgConfigOnThePathComesBeforeTheDebianLayout() throws IOException {
    Path bin = fakeInstallation(directory.resolve("opt/pg13"), "13.4");
    Path pathDir = Files.createDirectory(directory.resolve("path"));
    script(pathDir.resolve("pg_config"), "echo " + bin);
    Path debian = directory.resolve("debian");
    fakeInstallation(debian.resolve("16"), "16.1");

    PgBinaries binaries =
        PgBinaries.discover(env(Map.of("PATH", pathDir.toString())), debian, NO_BUNDLE);

    assertEquals(new PgBinaries(bin, 13), binaries);
  }

  @Test
  void theNewestDebianVersionWins() throws IOException {
    Path debian = directory.resolve("debian");
    fakeInstallation(debian.resolve("9.6"), "9.6.24");
    fakeInstallation(debian.resolve("16"), "16.1");
    fakeInstallation(debian.resolve("15"), "15.4");
    Files.createDirectories(debian.resolve("17/bin")); // client programs only

    PgBinaries binaries = PgBinaries.discover(env(Map.of("PATH", "")), debian, NO_BUNDLE);

    assertEquals(new PgBinaries(debian.resolve("16/bin"), 16), binaries);
  }

  @Test
  void nothingFoundSaysWhatToDo() {
    AgentException error = assertThrows(AgentException.class, () -> PgBinaries.discover(
        env(Map.of("PATH", "")), directory.resolve("none"), NO_BUNDLE));

    assertTrue(error.getMessage().contains("BASALT_PG_BIN"), error.getMessage());
  }

  @Test
  void clientProgramsAreFoundOutsideTheServerDirectory() throws IOException {
    PgBinaries serverOnly = new PgBinaries(fakeInstallation(directory.resolve("srv"), "16.1"), 16);

    assertEquals(serverOnly.bin("postgres"), serverOnly.clientProgram("postgres").orElseThrow());
    assertTrue(serverOnly.clientProgram("psql").isPresent(), "psql from the PATH or /usr/bin");
    assertTrue(serverOnly.clientProgram("no_such_program").isEmpty());
  }

  @Test
  void anInstallationTooOldIsRefused() throws IOException {
    Path bin = fakeInstallation(directory.resolve("old"), "9.6.24");

    AgentException error = assertThrows(AgentException.class, () -> PgBinaries.at(bin));

    assertTrue(error.getMessage().contains("PostgreSQL 9 in " + bin), error.getMessage());
  }

  @Test
  void bundledBinariesAreCachedWhereTheServerUserCanReachThem() {
    assertEquals(Path.of("/opt/pg-cache"),
        PgBinaries.cacheRoot(env(Map.of("BASALT_PG_CACHE", "/opt/pg-cache"))));
    Path cacheRoot = PgBinaries.cacheRoot(env(Map.of("XDG_CACHE_HOME", "/home/u/.cache")));
    if (RunAs.isRoot()) {
      // root's home is private; the unprivileged server user could not run binaries from it
      assertEquals(Path.of("/var/cache/basalt"), cacheRoot);
    } else {
      assertEquals(Path.of("/home/u/.cache/basalt"), cacheRoot);
    }
  }

  private static Function<String, String> env(Map<String, String> variables) {
    return variables::get;
  }

  /** A bin directory whose postgres prints {@code version}; initdb and pg_ctl do nothing. */
  private static Path fakeInstallation(Path root, String version) throws IOException {
    Path bin = Files.createDirectories(root.resolve("bin"));
    script(bin.resolve("postgres"), "echo 'postgres (PostgreSQL) " + version + "'");
    script(bin.resolve("initdb"), "exit 0");
    script(bin.resolve("pg_ctl"), "exit 0");
    return bin;
  }

  private static void script(Path file, String body) throws IOException {
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
