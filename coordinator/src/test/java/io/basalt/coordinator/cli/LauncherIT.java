package io.basalt.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.basalt.agent.FreePorts;
import io.basalt.coordinator.it.TestBasalt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The launcher CLI for real: {@code start}, {@code status} and {@code stop} run as separate JVMs
 * (as {@code bin/basalt} runs them), {@code start} forks the detached server, and the test talks
 * to that server with pgjdbc. Every data directory is stopped, killed if need be, and deleted at
 * the end.
 */
class LauncherIT {
  private static final Duration CLI_TIMEOUT = Duration.ofSeconds(240);
  private static final String JAVA = ProcessHandle.current().info().command().orElseThrow();
  private static final String CLASSPATH = System.getProperty("java.class.path");

  private static final List<Path> dataDirs = new ArrayList<>();
  private static Path tmp;

  record Result(int exit, String out, String err) {
    String all() {
      return "exit=" + exit + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
    }
  }

  @BeforeAll
  static void setUp() throws IOException {
    tmp = Files.createTempDirectory(Path.of("/tmp"), "basalt-launcher-");
    // PostgreSQL runs as an unprivileged user when the tests run as root: let it in.
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @AfterAll
  static void tearDown() throws Exception {
    try {
      for (Path dir : dataDirs) {
        stopForSure(dir);
      }
    } finally {
      TestBasalt.deleteTree(tmp);
    }
  }

  @Test
  void startStatusStopRestart() throws Exception {
    Path data = dataDir("main");
    int port = FreePorts.find();

    Result start = cli("start", "--data-dir", data.toString(), "--port", Integer.toString(port),
        "--workers", "1", "--no-fsync");
    assertEquals(0, start.exit(), start.all());
    assertTrue(start.out().contains("127.0.0.1:" + port), start.all());
    PidFile pidFile = PidFile.read(data).orElseThrow(() -> new AssertionError("no pid file"));
    assertEquals(port, pidFile.port());
    assertTrue(ProcessHandle.of(pidFile.pid()).map(ProcessHandle::isAlive).orElse(false));
    try (Connection c = connect(data, port); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1")) {
      assertTrue(rs.next());
      assertEquals(1, rs.getInt(1));
    }

    Result status = cli("status", "--data-dir", data.toString());
    assertEquals(0, status.exit(), status.all());
    assertTrue(status.out().contains("running"), status.all());
    assertTrue(status.out().contains(":" + port), status.all());
    assertTrue(status.out().contains("pid " + pidFile.pid()), status.all());

    // A second start on the same data directory: an error naming the running server.
    Result again = cli("start", "--data-dir", data.toString(), "--port",
        Integer.toString(FreePorts.find()), "--workers", "1", "--no-fsync");
    assertNotEquals(0, again.exit(), again.all());
    assertTrue(again.err().contains("already running"), again.all());
    assertTrue(again.err().contains("pid " + pidFile.pid()), again.all());
    assertEquals(pidFile, PidFile.read(data).orElseThrow(), "the pid file was rewritten");

    // Another data directory on the port the first one holds: a clear error, nothing left over.
    Path other = dataDir("other");
    Result taken = cli("start", "--data-dir", other.toString(), "--port", Integer.toString(port),
        "--workers", "1", "--no-fsync");
    assertNotEquals(0, taken.exit(), taken.all());
    assertTrue(taken.err().contains("port " + port) && taken.err().contains("in use"),
        taken.all());
    assertEquals(List.of(), processesMentioning(other), "processes left by the failed start");
    assertTrue(PidFile.read(other).isEmpty(), "pid file written by the failed start");
    assertEquals(3, cli("status", "--data-dir", other.toString()).exit());

    try (Connection c = connect(data, port); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE launcher_t (id int PRIMARY KEY, v text)");
      s.execute("INSERT INTO launcher_t VALUES (1, 'kept across a restart')");
      s.execute("CREATE TABLE launcher_d (k int, v text)");
      s.execute("INSERT INTO launcher_d SELECT g, 'v' || g FROM generate_series(1, 100) g");
      s.execute("SELECT create_distributed_table('launcher_d', 'k', shard_count => 4)");
    }

    Result stop = cli("stop", "--data-dir", data.toString());
    assertEquals(0, stop.exit(), stop.all());
    assertTrue(stop.out().contains("stopped"), stop.all());
    assertFalse(ProcessHandle.of(pidFile.pid()).map(ProcessHandle::isAlive).orElse(false),
        "the server process " + pidFile.pid() + " is still alive after stop");
    assertEquals(List.of(), processesMentioning(data), "processes left after stop");
    assertFalse(Files.exists(PidFile.path(data)), "pid file left after stop");
    for (String server : List.of("coordinator", "worker-1")) {
      assertFalse(Files.exists(data.resolve(server).resolve("postmaster.pid")),
          server + " still has a postmaster.pid after stop");
    }
    Result stopped = cli("status", "--data-dir", data.toString());
    assertEquals(3, stopped.exit(), stopped.all());
    assertTrue(stopped.out().contains("not running"), stopped.all());

    // Start again on the same port: the data is still there.
    Result restart = cli("start", "--data-dir", data.toString(), "--port",
        Integer.toString(port), "--workers", "1", "--no-fsync");
    assertEquals(0, restart.exit(), restart.all());
    PidFile second = PidFile.read(data).orElseThrow();
    assertNotEquals(pidFile.pid(), second.pid());
    try (Connection c = connect(data, port); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT v FROM launcher_t WHERE id = 1")) {
      assertTrue(rs.next(), "the row is gone after a restart");
      assertEquals("kept across a restart", rs.getString(1));
    }
    // The distributed table too: its catalog, its worker (registered once), its shards' rows.
    try (Connection c = connect(data, port); Statement s = c.createStatement()) {
      assertEquals(1, count(s, "SELECT count(*) FROM pg_dist_node"));
      assertEquals(4, count(s, "SELECT count(*) FROM pg_dist_shard"
          + " WHERE logicalrelid = 'launcher_d'::regclass"));
      s.execute("CREATE INDEX launcher_d_v ON launcher_d (v)");
      s.execute("SELECT undistribute_table('launcher_d')");
      assertEquals(100, count(s, "SELECT count(*) FROM launcher_d"));
      assertEquals(5050, count(s, "SELECT sum(k) FROM launcher_d"));
    }

    Result finalStop = cli("stop", "--data-dir", data.toString());
    assertEquals(0, finalStop.exit(), finalStop.all());
    assertFalse(ProcessHandle.of(second.pid()).map(ProcessHandle::isAlive).orElse(false));
    assertEquals(List.of(), processesMentioning(data), "processes left after the final stop");
    Result stopTwice = cli("stop", "--data-dir", data.toString());
    assertEquals(0, stopTwice.exit(), stopTwice.all());
    assertTrue(stopTwice.out().contains("not running"), stopTwice.all());
  }

  /** A pid file left by a crash may name a pid the OS gave to some other process since. */
  @Test
  void stalePidFileOfAnotherProcessIsNotTrusted() throws Exception {
    Path data = dataDir("stale");
    Files.createDirectories(data);
    Process sleeper = new ProcessBuilder("sleep", "300").start();
    try {
      long started = sleeper.info().startInstant().orElseThrow().toEpochMilli();
      new PidFile(sleeper.pid(), "127.0.0.1", 1, started - 60_000).write(data);
      Result status = cli("status", "--data-dir", data.toString());
      assertEquals(3, status.exit(), status.all());
      Result stop = cli("stop", "--data-dir", data.toString());
      assertEquals(0, stop.exit(), stop.all());
      assertTrue(stop.out().contains("not running"), stop.all());
      assertTrue(sleeper.isAlive(), "stop signalled a process that is not Basalt");

      // The same file with the process's true start time does name a live server.
      new PidFile(sleeper.pid(), "127.0.0.1", 1, started).write(data);
      assertEquals(0, cli("status", "--data-dir", data.toString()).exit());
    } finally {
      sleeper.destroyForcibly();
      sleeper.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void usageErrors() throws Exception {
    Result none = cli();
    assertEquals(2, none.exit(), none.all());
    assertTrue(none.err().contains("usage: basalt start"), none.all());
    Result unknown = cli("frobnicate", "--data-dir", dataDir("usage").toString());
    assertEquals(2, unknown.exit(), unknown.all());
    assertTrue(unknown.err().contains("unknown command frobnicate"), unknown.all());
    Result badPort = cli("start", "--port", "70000", "--data-dir", dataDir("usage").toString());
    assertEquals(2, badPort.exit(), badPort.all());
    assertTrue(badPort.err().contains("--port must be between 1 and 65535"), badPort.all());
  }

  /**
   * bin/basalt itself: it finds a Java 21+ runtime and passes arguments and exit codes through.
   * BASALT_CLASSPATH points it at the classes under test, so it neither needs nor builds the jar.
   */
  @Test
  void binBasaltStatus() throws Exception {
    Path script = projectRoot().resolve("bin/basalt");
    assertTrue(Files.isExecutable(script), script + " is not executable");
    Path data = dataDir("bin");
    Result r = run(List.of(script.toString(), "status", "--data-dir", data.toString()),
        Map.of("BASALT_CLASSPATH", CLASSPATH));
    assertEquals(3, r.exit(), r.all());
    assertTrue(r.out().contains("not running for " + data), r.all());
    assertFalse(r.err().contains("building"), r.all());
    Result usage = run(List.of(script.toString(), "status", "--bogus", "x"),
        Map.of("BASALT_CLASSPATH", CLASSPATH));
    assertEquals(2, usage.exit(), usage.all());
    assertTrue(usage.err().contains("unknown option --bogus"), usage.all());
  }

  // ------------------------------------------------------------------ helpers

  private static Path dataDir(String name) {
    Path dir = tmp.resolve(name);
    synchronized (dataDirs) {
      if (!dataDirs.contains(dir)) {
        dataDirs.add(dir);
      }
    }
    return dir;
  }

  private static Path projectRoot() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("bin/basalt"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      fail("bin/basalt not found above " + System.getProperty("user.dir"));
    }
    return dir;
  }

  private static long count(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next(), sql);
      return rs.getLong(1);
    }
  }

  private static Connection connect(Path data, int port) throws IOException, SQLException {
    Properties p = new Properties();
    p.setProperty("user", "postgres");
    p.setProperty("password", Files.readString(data.resolve("password")).strip());
    p.setProperty("sslmode", "disable");
    p.setProperty("connectTimeout", "10");
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
  }

  /** Runs the CLI in a JVM of its own, as bin/basalt does. */
  private static Result cli(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(JAVA, "-cp", CLASSPATH, Main.class.getName()));
    cmd.addAll(List.of(args));
    return run(cmd, Map.of());
  }

  private static Result run(List<String> cmd, Map<String, String> env)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("basalt-cli-", ".out");
    Path err = Files.createTempFile("basalt-cli-", ".err");
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd)
          .redirectOutput(out.toFile()).redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      pb.environment().remove("BASALT_DATA_DIR");
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(CLI_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        fail("timed out after " + CLI_TIMEOUT + ": " + cmd + "\n--- stdout ---\n"
            + Files.readString(out) + "\n--- stderr ---\n" + Files.readString(err));
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** Live processes whose command line names {@code dir} (the server, its PostgreSQL servers). */
  private static List<String> processesMentioning(Path dir) {
    String needle = dir.toString();
    return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
        .filter(h -> h.info().commandLine().map(c -> c.contains(needle)).orElse(false))
        .map(h -> h.pid() + ": " + h.info().commandLine().orElse("?")).toList();
  }

  /** Stops whatever serves {@code dir}: the CLI first, then signals by pid as a last resort. */
  private static void stopForSure(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try {
      if (PidFile.live(dir).isPresent()) {
        cli("stop", "--data-dir", dir.toString());
      }
    } catch (Exception | AssertionError e) {
      // Fall through to the signals below.
    }
    PidFile.read(dir).flatMap(PidFile::process).ifPresent(TestBasalt::terminate);
    // PostgreSQL servers orphaned by a server that was killed: their postmaster.pid names them.
    try (var s = Files.list(dir)) {
      for (Path pgData : s.toList()) {
        Path pm = pgData.resolve("postmaster.pid");
        if (Files.isRegularFile(pm)) {
          String first = Files.readAllLines(pm).stream().findFirst().orElse("").strip();
          if (first.matches("\\d+")) {
            ProcessHandle.of(Long.parseLong(first)).ifPresent(TestBasalt::terminate);
          }
        }
      }
    } catch (IOException e) {
      // Best effort.
    }
  }
}
