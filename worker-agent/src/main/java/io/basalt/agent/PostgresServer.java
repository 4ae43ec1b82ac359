package io.basalt.agent;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One local PostgreSQL server: its data directory, configuration and process.
 *
 * <p>{@link #start()} creates the data directory on first use, rewrites Basalt's settings and
 * starts the server with {@code pg_ctl}. A server left running by an earlier process on the same
 * data directory and port is adopted rather than started twice, so a launcher that crashed can be
 * started again. {@link #close()} stops the server.
 *
 * <p>The server process outlives this object unless stopped: PostgreSQL runs detached from the
 * JVM, as it would under a service manager.
 */
public final class PostgresServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);
  private static final int PG_CTL_WAIT_SECONDS = 60;
  private static final Duration PG_CTL_TIMEOUT = Duration.ofSeconds(PG_CTL_WAIT_SECONDS + 30);
  private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration PSQL_TIMEOUT = Duration.ofMinutes(10);
  private static final int LOG_TAIL_LINES = 20;

  private final PgBinaries binaries;
  private final PostgresConfig config;
  private final RunAs runAs;
  private final DataDirectory dataDirectory;

  public PostgresServer(PgBinaries binaries, PostgresConfig config, RunAs runAs) {
    this.binaries = binaries;
    this.config = config;
    this.runAs = runAs;
    this.dataDirectory = new DataDirectory(binaries, config, runAs);
  }

  /** Runs initdb unless the data directory already holds a cluster; returns whether it did. */
  public boolean initIfNeeded() {
    return dataDirectory.initIfNeeded();
  }

  /**
   * Starts the server, creating the data directory first if needed; adopts a server already
   * running on this data directory with this port and socket directory.
   *
   * @throws AgentException if the server does not come up; the message includes the end of the
   *     server log
   */
  public void start() {
    if (isRunning()) {
      if (runsAsConfigured()) {
        LOG.info("PostgreSQL in {} is already running on port {}; using it", dataDir(), port());
        return;
      }
      LOG.info("PostgreSQL in {} runs with other settings ({}); restarting it", dataDir(),
          dataDirectory.postmasterInfo().map(Object::toString).orElse("unknown"));
      stop();
    }
    requirePortFree();
    runAs.requireReachable(binaries.bin("postgres"));
    initIfNeeded();
    dataDirectory.writeSettings();
    prepareSocketDir();
    LOG.info("starting PostgreSQL {} in {} on port {}", binaries.majorVersion(), dataDir(),
        port());
    ProcessResult result = pgCtl(List.of("start", "-l", dataDirectory.logFile().toString(), "-w",
        "-t", Integer.toString(PG_CTL_WAIT_SECONDS)), PG_CTL_TIMEOUT);
    if (!result.succeeded()) {
      throw new AgentException("PostgreSQL in " + dataDir() + " did not start on port " + port()
          + " (pg_ctl exit code " + result.exitCode() + "): " + result.output().strip()
          + "\n--- last lines of " + dataDirectory.logFile() + " ---\n" + logTail());
    }
  }

  /** Stops the server (fast shutdown: sessions are cut, nothing is lost); no-op if stopped. */
  public void stop() {
    if (!isRunning()) {
      return;
    }
    LOG.info("stopping PostgreSQL in {}", dataDir());
    ProcessResult result = pgCtl(List.of("stop", "-m", "fast", "-w", "-t",
        Integer.toString(PG_CTL_WAIT_SECONDS)), PG_CTL_TIMEOUT);
    if (!result.succeeded() && isRunning()) {
      throw new AgentException("PostgreSQL in " + dataDir() + " did not stop (pg_ctl exit code "
          + result.exitCode() + "): " + result.output().strip() + "\n--- last lines of "
          + dataDirectory.logFile() + " ---\n" + logTail());
    }
  }

  /**
   * Whether a server that {@link #start()} would adopt runs on this data directory: one with this
   * port and socket directory, typically left by a launcher that was killed. Such a server holds
   * the port, so a launcher choosing ports must not take it for someone else's.
   */
  public boolean isRunningAsConfigured() {
    return isRunning() && runsAsConfigured();
  }

  private boolean runsAsConfigured() {
    Optional<DataDirectory.PostmasterInfo> running = dataDirectory.postmasterInfo();
    return running.isPresent() && running.get().port() == config.port()
        && running.get().socketDir().equals(config.socketDir().toString());
  }

  /** Whether a postmaster runs on this data directory, by {@code pg_ctl status}. */
  public boolean isRunning() {
    if (!dataDirectory.isInitialised()) {
      return false;
    }
    return pgCtl(List.of("status"), STATUS_TIMEOUT).succeeded();
  }

  /** Whether the server accepts connections on its unix socket, by {@code pg_isready}. */
  public boolean isHealthy() {
    Optional<Path> pgIsReady = binaries.clientProgram("pg_isready");
    if (pgIsReady.isEmpty()) {
      return ReadinessProbe.accepting(socketFile(), config.superuser(), READY_TIMEOUT);
    }
    List<String> command = List.of(pgIsReady.get().toString(), "-h", socketDir().toString(),
        "-p", Integer.toString(port()), "-U", config.superuser(), "-d", "postgres", "-q", "-t",
        Long.toString(READY_TIMEOUT.toSeconds()));
    return ProcessRunner.run(runAs.wrap(command), READY_TIMEOUT.plusSeconds(10)).succeeded();
  }

  @Override
  public void close() {
    stop();
  }

  /**
   * Runs {@code sql} with psql over the unix socket as the superuser, stopping at the first
   * error; returns psql's exit code (0 on success).
   */
  public int psql(String database, String sql) {
    ProcessResult result = psqlResult(database, sql);
    if (!result.succeeded()) {
      LOG.warn("psql on port {} failed: {}", port(), result.output().strip());
    }
    return result.exitCode();
  }

  /**
   * Runs {@code sql} like {@link #psql} and returns its unaligned, tuples-only output (columns
   * separated by {@code |}, one row per line, no trailing newline).
   *
   * @throws AgentException if psql fails
   */
  public String psqlOutput(String database, String sql) {
    return psqlResult(database, sql).requireSuccess().stdout().stripTrailing();
  }

  /** Runs {@code sql} like {@link #psql} and returns everything about the run. */
  public ProcessResult psqlResult(String database, String sql) {
    Path psql = binaries.clientProgram("psql").orElseThrow(() -> new AgentException(
        "psql not found in " + binaries.binDir() + ", on the PATH or in /usr/bin; install the"
            + " PostgreSQL client programs"));
    // The script goes through standard input: statements run one by one as in a file, so
    // CREATE DATABASE works, and secrets in it (passwords) never show in the process list.
    List<String> command = new ArrayList<>(List.of(psql.toString(), "-X", "-q", "-A", "-t",
        "-v", "ON_ERROR_STOP=1", "-h", socketDir().toString(), "-p", Integer.toString(port()),
        "-U", config.superuser(), "-d", database, "-f", "-"));
    return ProcessRunner.run(runAs.wrap(command), Map.of(), sql, PSQL_TIMEOUT);
  }

  /** The last lines of the server log, for error messages. */
  public String logTail() {
    return FileTrees.tail(dataDirectory.logFile(), LOG_TAIL_LINES);
  }

  public int port() {
    return config.port();
  }

  public Path socketDir() {
    return config.socketDir();
  }

  public Path socketFile() {
    return config.socketFile();
  }

  public Path dataDir() {
    return config.dataDir();
  }

  public Path logFile() {
    return dataDirectory.logFile();
  }

  public PostgresConfig config() {
    return config;
  }

  public PgBinaries binaries() {
    return binaries;
  }

  public RunAs runAs() {
    return runAs;
  }

  @Override
  public String toString() {
    return "PostgresServer[" + dataDir() + ", port " + port() + "]";
  }

  private ProcessResult pgCtl(List<String> arguments, Duration timeout) {
    List<String> command = new ArrayList<>(List.of(binaries.bin("pg_ctl").toString(), "-D",
        dataDir().toString()));
    command.addAll(arguments);
    return ProcessRunner.run(runAs.wrap(command), timeout);
  }

  /** The socket directory is what keeps {@code local trust} private: 0700, the server's user. */
  private void prepareSocketDir() {
    Path dir = socketDir();
    runAs.requireReachable(dir);
    try {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new AgentException("cannot prepare socket directory " + dir + ": " + e, e);
    }
    runAs.claim(dir);
  }

  /**
   * Fails fast, with the port in the message, when something already listens there; pg_ctl would
   * fail too, but only after the server wrote its reason into its log.
   */
  private void requirePortFree() {
    for (String host : config.listenAddress().split(",")) {
      String name = host.strip();
      if (name.isEmpty()) {
        continue;
      }
      InetAddress address;
      try {
        address = name.equals("*") ? InetAddress.getByName("0.0.0.0") : InetAddress.getByName(name);
      } catch (UnknownHostException e) {
        continue; // PostgreSQL reports an unresolvable listen address itself
      }
      if (!FreePorts.isFree(address, port())) {
        throw new AgentException("cannot start PostgreSQL in " + dataDir() + ": port " + port()
            + " on " + name + " is already in use by another process");
      }
    }
  }
}
