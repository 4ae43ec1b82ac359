package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.basalt.agent.FreePorts;
import io.basalt.agent.PostgresConfig;
import io.basalt.agent.PostgresServer;
import io.basalt.agent.testing.TestPostgres;
import io.basalt.coordinator.cli.Main;
import java.io.IOException;
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
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The coordinator process killed with SIGKILL in the middle of a two-phase commit, then started
 * again on the same data directory. The coordinator runs as {@code basalt serve} in a JVM of its
 * own with one embedded worker; a second node sits behind a {@link FaultProxy}, which holds the
 * commit at the chosen point while the process is killed. Killed before the decision (the
 * proxied node's answer to PREPARE TRANSACTION held), the transaction is rolled back everywhere
 * after the restart; killed after it (COMMIT PREPARED held), it is committed everywhere.
 *
 * <p>The embedded PostgreSQL servers outlive a killed coordinator (they run detached, as under a
 * service manager); the restart adopts them on their ports. Every process started here is
 * stopped at the end, orphans by the pid in their postmaster.pid.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CoordinatorKillIT {
  private static final Duration WAIT = Duration.ofSeconds(180);
  private static final String JAVA = ProcessHandle.current().info().command().orElseThrow();

  private static Path tmp;
  private static Path data;
  private static int port;
  private static TestPostgres extra;
  private static FaultProxy proxy;
  private static Process coordinator;
  private static int starts;
  private static int keyLocal;
  private static int keyProxied;

  @BeforeAll
  static void setUp() throws Exception {
    tmp = Files.createTempDirectory(Path.of("/tmp"), "basalt-kill-");
    // PostgreSQL runs as an unprivileged user when the tests run as root: let it in.
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    data = tmp.resolve("data");
    port = FreePorts.find();
    extra = TestPostgres.start();
    proxy = FaultProxy.start(extra.server().port());
    startCoordinator();
    extra.server().psql("postgres", "ALTER ROLE postgres PASSWORD '" + password() + "'");
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("SELECT citus_add_node('127.0.0.1', " + proxy.port() + ")");
      s.execute("CREATE TABLE kill_t (k int PRIMARY KEY, v int NOT NULL)");
      s.execute("SELECT create_distributed_table('kill_t', 'k', shard_count => 4)");
      s.execute("INSERT INTO kill_t SELECT g, 0 FROM generate_series(1, 100) g");
      SplitKeys keys = SplitKeys.find(s, "kill_t", extra.server().port());
      keyLocal = keys.local();
      keyProxied = keys.proxied();
    }
  }

  @AfterAll
  static void tearDown() throws Exception {
    try {
      if (proxy != null) {
        proxy.close();
      }
      if (coordinator != null) {
        coordinator.destroy(); // SIGTERM: it stops its PostgreSQL servers on the way out
        if (!coordinator.waitFor(120, TimeUnit.SECONDS)) {
          coordinator.destroyForcibly();
        }
      }
      for (long pid : postmasterPids().values()) {
        ProcessHandle.of(pid).ifPresent(TestBasalt::terminate);
      }
    } finally {
      if (extra != null) {
        extra.close();
      }
      TestBasalt.deleteTree(tmp);
    }
  }

  /**
   * Each test starts without commit records (a finished two-phase commit leaves its records to
   * recovery), so that counting them shows whether the held transaction made its decision.
   */
  @BeforeEach
  void startClean() throws SQLException {
    recover();
    assertEquals(0, commitRecords());
  }

  /** A test that failed while a message was held must not leave it holding row locks. */
  @AfterEach
  void releaseHeldMessages() throws SQLException {
    proxy.cutAll();
    proxy.clearFaults();
    recover();
  }

  @Test
  void killedBeforeTheDecisionRollsBackEverywhere() throws Exception {
    FaultProxy.Rule held = proxy.on("PREPARE TRANSACTION", FaultProxy.Action.STALL_REPLY);
    CompletableFuture<Void> commit = transaction(71, keyLocal, keyProxied);
    assertTrue(held.awaitHit(WAIT), "PREPARE TRANSACTION never reached the proxied node");
    // Both nodes prepared (the embedded worker's PREPARE runs beside the held one); the
    // coordinator has not written its decision.
    awaitPrepared(worker());
    assertEquals(1, preparedOn(extra.server()));
    assertEquals(0, commitRecords());
    killAndRestart(commit);
    recover();
    assertEquals(0, preparedOn(worker()));
    assertEquals(0, preparedOn(extra.server()));
    assertEquals(List.of(0, 0), valuesOnWorkers());
  }

  @Test
  void killedAfterTheDecisionCommitsEverywhere() throws Exception {
    FaultProxy.Rule held = proxy.on("COMMIT PREPARED", FaultProxy.Action.STALL_BEFORE);
    CompletableFuture<Void> commit = transaction(72, keyProxied, keyLocal);
    assertTrue(held.awaitHit(WAIT), "COMMIT PREPARED never reached the proxied node");
    // Decided: the records are written. The proxied node's COMMIT PREPARED is held; the embedded
    // worker's runs beside it and may or may not have finished when the process dies.
    assertEquals(2, commitRecords());
    assertEquals(1, preparedOn(extra.server()));
    killAndRestart(commit);
    recover();
    assertEquals(0, preparedOn(worker()));
    assertEquals(0, preparedOn(extra.server()));
    assertEquals(List.of(72, 72), valuesOnWorkers());
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE kill_t SET v = 0");
    }
  }

  /**
   * A two-phase commit's records stay in pg_dist_transaction until recovery removes them, and
   * session pids start again with every run: the gids of a new run must not repeat an earlier
   * run's (they once did, and commits failed on pg_dist_transaction's unique key).
   */
  @Test
  void aRestartNeverReusesTheGidsOfAnEarlierRun() throws Exception {
    transaction(73, keyLocal, keyProxied).get(60, TimeUnit.SECONDS);
    List<String> before = gids();
    assertEquals(2, before.size(), "records of the first run's commit: " + before);
    coordinator.destroyForcibly();
    assertTrue(coordinator.waitFor(60, TimeUnit.SECONDS));
    proxy.cutAll();
    proxy.clearFaults();
    startCoordinator();
    transaction(74, keyLocal, keyProxied).get(60, TimeUnit.SECONDS);
    List<String> after = new ArrayList<>(gids());
    after.removeAll(before);
    assertEquals(2, after.size(), "records of the second run's commit: " + after);
    long last = before.stream().mapToLong(CoordinatorKillIT::transactionNumber).max()
        .orElseThrow();
    for (String gid : after) {
      assertTrue(transactionNumber(gid) > last, gid + " does not follow " + before);
    }
    assertEquals(List.of(74, 74), valuesOnWorkers());
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE kill_t SET v = 0");
    }
  }

  /** The transaction number n of a gid citus_0_pid_n_c. */
  private static long transactionNumber(String gid) {
    String[] parts = gid.split("_");
    return Long.parseLong(parts[3]);
  }

  private static List<String> gids() throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT gid FROM pg_catalog.pg_dist_transaction")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** Sets v on both keys in one transaction (first key first), committing in the background. */
  private static CompletableFuture<Void> transaction(int v, int first, int second)
      throws SQLException {
    Connection c = connect();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE kill_t SET v = " + v + " WHERE k = " + first);
      s.executeUpdate("UPDATE kill_t SET v = " + v + " WHERE k = " + second);
    }
    return CompletableFuture.runAsync(() -> {
      try (c) {
        c.commit();
      } catch (SQLException e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    });
  }

  /**
   * SIGKILL while the commit is held, then a restart on the same data directory. The embedded
   * servers survive the kill; after the restart no server of the killed coordinator is left
   * running beside the ones in use, and the embedded worker kept its port.
   */
  private static void killAndRestart(CompletableFuture<Void> commit) throws Exception {
    Map<String, Long> before = postmasterPids();
    int workerPort = worker().port();
    coordinator.destroyForcibly();
    assertTrue(coordinator.waitFor(60, TimeUnit.SECONDS));
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> commit.get(60, TimeUnit.SECONDS));
    // The client lost its connection: it cannot know the outcome, which recovery settles.
    assertTrue(e.getCause() instanceof SQLException se && se.getSQLState() != null
        && se.getSQLState().startsWith("08"), () -> "expected a class 08 error: " + e.getCause());
    for (long pid : before.values()) {
      assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
          "a PostgreSQL server died with the coordinator");
    }
    // The dead process's connections are closed, but the proxy notices only when it next reads
    // from them: cut them first, or releasing the held message would still deliver it.
    proxy.cutAll();
    proxy.clearFaults();
    startCoordinator();
    Map<String, Long> after = postmasterPids();
    for (var old : before.entrySet()) {
      boolean alive = ProcessHandle.of(old.getValue()).map(ProcessHandle::isAlive).orElse(false);
      assertTrue(!alive || old.getValue().equals(after.get(old.getKey())),
          "the killed coordinator's server in " + old.getKey() + " (pid " + old.getValue()
              + ") still runs beside " + after);
    }
    assertEquals(workerPort, worker().port(), "the embedded worker moved to another port");
  }

  private static void startCoordinator() throws Exception {
    starts++;
    Path log = tmp.resolve("serve-" + starts + ".log");
    List<String> cmd = List.of(JAVA, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "serve", "--host", "127.0.0.1", "--port", Integer.toString(port),
        "--data-dir", data.toString(), "--workers", "1", "--no-fsync");
    coordinator = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!coordinator.isAlive()) {
        fail("the coordinator exited during start-up:\n" + Files.readString(log));
      }
      if (Files.exists(data.resolve("password"))) {
        try (Connection c = connect()) {
          return;
        } catch (SQLException e) {
          // Not up yet.
        }
      }
      Thread.sleep(200);
    }
    fail("the coordinator did not start in time:\n" + Files.readString(log));
  }

  private static String password() throws IOException {
    return Files.readString(data.resolve("password")).strip();
  }

  private static Connection connect() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "postgres");
    try {
      p.setProperty("password", password());
    } catch (IOException e) {
      throw new SQLException(e);
    }
    p.setProperty("sslmode", "disable");
    p.setProperty("connectTimeout", "10");
    // A held message must fail the test, not hang it.
    p.setProperty("socketTimeout", "120");
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
  }

  private static void recover() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("SELECT recover_prepared_transactions()");
    }
  }

  /** The embedded worker, reached over its Unix socket as the server's OS user. */
  private static PostgresServer worker() throws SQLException {
    int workerPort;
    try (Connection c = connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT nodeport FROM pg_dist_node WHERE nodeport <> "
            + proxy.port() + " AND groupid > 0")) {
      rs.next();
      workerPort = rs.getInt(1);
    }
    return new PostgresServer(TestPostgres.binaries(),
        PostgresConfig.defaults(data.resolve("worker-1"), workerPort).withFsync(false),
        TestPostgres.runAs());
  }

  /** The commit records (pg_dist_transaction rows), read through the coordinator. */
  private static long commitRecords() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_catalog.pg_dist_transaction")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void awaitPrepared(PostgresServer node) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (preparedOn(node) != 1) {
      if (System.nanoTime() > deadline) {
        fail("no prepared transaction on " + node);
      }
      Thread.sleep(20);
    }
  }

  private static int preparedOn(PostgresServer node) {
    return Integer.parseInt(node.psqlOutput("postgres",
        "SELECT count(*) FROM pg_prepared_xacts WHERE gid LIKE 'citus\\_%'"));
  }

  /** v of keyLocal and keyProxied, read on their workers directly. */
  private static List<Integer> valuesOnWorkers() throws SQLException {
    List<Integer> out = new ArrayList<>();
    for (int k : new int[] {keyLocal, keyProxied}) {
      long shard;
      try (Connection c = connect(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT get_shard_id_for_distribution_column('kill_t', "
              + k + ")")) {
        rs.next();
        shard = rs.getLong(1);
      }
      PostgresServer node = k == keyProxied ? extra.server() : worker();
      out.add(Integer.parseInt(node.psqlOutput("postgres", "SELECT v FROM kill_t_" + shard
          + " WHERE k = " + k)));
    }
    return out;
  }

  /** The pid in each embedded server's postmaster.pid, by data directory name. */
  private static Map<String, Long> postmasterPids() throws IOException {
    Map<String, Long> pids = new java.util.TreeMap<>();
    if (data == null || !Files.isDirectory(data)) {
      return pids;
    }
    try (var dirs = Files.list(data)) {
      for (Path dir : dirs.toList()) {
        Path pm = dir.resolve("postmaster.pid");
        if (Files.isRegularFile(pm)) {
          Optional<String> first = Files.readAllLines(pm).stream().findFirst();
          if (first.isPresent() && first.get().strip().matches("\\d+")) {
            pids.put(dir.getFileName().toString(), Long.parseLong(first.get().strip()));
          }
        }
      }
    }
    return pids;
  }
}
