package io.basalt.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PostgreSQL data directory: creating it with initdb and writing Basalt's configuration into
 * it. The server's lifecycle is {@link PostgresServer}'s.
 */
final class DataDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);
  private static final Duration INITDB_TIMEOUT = Duration.ofMinutes(5);
  private static final String LOG_FILE = "server.log";

  private final PgBinaries binaries;
  private final PostgresConfig config;
  private final RunAs runAs;

  DataDirectory(PgBinaries binaries, PostgresConfig config, RunAs runAs) {
    this.binaries = binaries;
    this.config = config;
    this.runAs = runAs;
  }

  Path path() {
    return config.dataDir();
  }

  Path logFile() {
    return path().resolve(LOG_FILE);
  }

  boolean isInitialised() {
    return Files.isRegularFile(path().resolve("PG_VERSION"));
  }

  /** Runs initdb unless the directory already holds a cluster; returns whether it did. */
  boolean initIfNeeded() {
    if (isInitialised()) {
      return false;
    }
    Path dir = path();
    LOG.info("creating PostgreSQL {} data directory {}", binaries.majorVersion(), dir);
    runAs.requireReachable(dir);
    try {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new AgentException("cannot create data directory " + dir + ": " + e, e);
    }
    runAs.claim(dir);
    ProcessRunner.run(runAs.wrap(initdbCommand()), INITDB_TIMEOUT).requireSuccess();
    write(path().resolve("pg_hba.conf"), ConfigFiles.hbaFile());
    return true;
  }

  /** (Re)writes basalt.conf and makes sure postgresql.conf includes it. */
  void writeSettings() {
    write(path().resolve(ConfigFiles.SETTINGS_FILE), ConfigFiles.settingsFile(config));
    Path postgresqlConf = path().resolve("postgresql.conf");
    try {
      List<String> lines = Files.readAllLines(postgresqlConf, StandardCharsets.UTF_8);
      if (!lines.contains(ConfigFiles.INCLUDE_LINE)) {
        // Last in the file, so Basalt's settings override initdb's defaults above them.
        Files.writeString(postgresqlConf, "\n# Basalt's settings\n" + ConfigFiles.INCLUDE_LINE
            + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      }
    } catch (IOException e) {
      throw new AgentException("cannot update " + postgresqlConf + ": " + e, e);
    }
  }

  /** Port and socket directory of the running postmaster, from postmaster.pid. */
  Optional<PostmasterInfo> postmasterInfo() {
    Path pidFile = path().resolve("postmaster.pid");
    try {
      List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
      if (lines.size() < 5) {
        return Optional.empty();
      }
      return Optional.of(new PostmasterInfo(Integer.parseInt(lines.get(3).strip()),
          lines.get(4).strip()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** What a running server reports about itself in postmaster.pid. */
  record PostmasterInfo(int port, String socketDir) {}

  private List<String> initdbCommand() {
    List<String> command = new ArrayList<>(List.of(binaries.bin("initdb").toString(),
        "-D", path().toString(), "-U", config.superuser(), "-E", "UTF8",
        "--locale=" + Locales.initdbLocale(), "--auth-local=trust",
        "--auth-host=scram-sha-256"));
    if (!config.fsync()) {
      command.add("--no-sync");
    }
    if (binaries.majorVersion() >= 14) {
      command.add("--no-instructions");
    }
    return command;
  }

  private void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new AgentException("cannot write " + file + ": " + e, e);
    }
    runAs.claim(file);
  }

  /** Picks the locale for initdb once per JVM. */
  private static final class Locales {
    private static volatile String chosen;

    static String initdbLocale() {
      String locale = chosen;
      if (locale == null) {
        locale = hasCUtf8() ? "C.UTF-8" : "C";
        chosen = locale;
      }
      return locale;
    }

    /** C.UTF-8 sorts like C but knows what a character is; glibc has it built in since 2.35. */
    private static boolean hasCUtf8() {
      try {
        ProcessResult result = ProcessRunner.run(List.of("locale", "-a"), Duration.ofSeconds(30));
        return result.succeeded() && result.stdout().lines()
            .map(name -> name.strip().toLowerCase(Locale.ROOT))
            .anyMatch(name -> name.equals("c.utf8") || name.equals("c.utf-8"));
      } catch (AgentException e) {
        return false; // no locale program: stay with C
      }
    }
  }
}
