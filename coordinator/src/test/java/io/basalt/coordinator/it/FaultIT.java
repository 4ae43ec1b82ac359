package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.basalt.agent.PostgresServer;
import io.basalt.agent.testing.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults between the coordinator and one worker: a third PostgreSQL server joins the shared
 * cluster behind a {@link FaultProxy}, and each test breaks that link at one point of a
 * distributed transaction. After each: the client got an error with a class 08 SQLSTATE or a
 * committed result; once recovery ran, every transaction is all-or-nothing on the workers
 * (read on each worker directly) and no citus_ prepared transaction is left; other sessions
 * were served throughout; with the link restored, new work succeeds.
 */
class FaultIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static TestPostgres extra;
  private static FaultProxy proxy;
  /** A key of fault_t on an embedded worker, and one on the proxied node. */
  private static int keyLocal;
  private static int keyProxied;

  @BeforeAll
  static void setUp() throws Exception {
    TestBasalt.server();
    extra = TestPostgres.start();
    // The coordinator reaches nodes it did not start with the superuser's password.
    extra.server().psql("postgres", "ALTER ROLE postgres PASSWORD '"
        + TestBasalt.password().replace("'", "''") + "'");
    proxy = FaultProxy.start(extra.server().port());
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      s.execute("SELECT citus_add_node('127.0.0.1', " + proxy.port() + ")");
      s.execute("CREATE TABLE fault_t (k int PRIMARY KEY, v int NOT NULL)");
      s.execute("SELECT create_distributed_table('fault_t', 'k', shard_count => 6)");
      s.execute("INSERT INTO fault_t SELECT g, 0 FROM generate_series(1, 100) g");
      SplitKeys keys = SplitKeys.find(s, "fault_t", extra.server().port());
      keyLocal = keys.local();
      keyProxied = keys.proxied();
    }
  }

  @AfterAll
  static void tearDown() throws Exception {
    try {
      if (proxy != null) {
        proxy.clearFaults();
        proxy.accept();
        try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
          s.execute("SELECT recover_prepared_transactions()");
          s.execute("DROP TABLE IF EXISTS fault_t, bank_accounts, bank_log");
          s.execute("SELECT citus_remove_node('127.0.0.1', " + proxy.port() + ")");
        }
      }
    } finally {
      if (proxy != null) {
        proxy.close();
      }
      if (extra != null) {
        extra.close();
      }
    }
  }

  /**
   * After every fault: with the link restored and recovery run, nothing is left prepared and a
   * two-phase transaction over both nodes commits again.
   */
  @AfterEach
  void restoredLinkWorks() throws Exception {
    proxy.clearFaults();
    proxy.accept();
    recover();
    assertNoPreparedTransactions();
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.executeUpdate("UPDATE fault_t SET v = v WHERE k = " + keyLocal);
      s.executeUpdate("UPDATE fault_t SET v = v WHERE k = " + keyProxied);
      c.commit();
      c.setAutoCommit(true);
      // The next test starts from zeros, written by a multi-shard two-phase UPDATE.
      assertEquals(100, s.executeUpdate("UPDATE fault_t SET v = 0"));
    }
    assertEquals(0, countOnWorkers("v <> 0"));
  }

  // ------------------------------------------------------------------ the faults

  @Test
  void connectionRefused() throws Exception {
    proxy.refuse();
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.executeUpdate("UPDATE fault_t SET v = 11 WHERE k = " + keyLocal);
      SQLException e = assertThrows(SQLException.class,
          () -> s.executeUpdate("UPDATE fault_t SET v = 11 WHERE k = " + keyProxied));
      assertConnectionError(e);
      c.rollback();
      c.setAutoCommit(true);
      // A multi-shard write outside a block fails as a whole.
      assertConnectionError(assertThrows(SQLException.class,
          () -> s.executeUpdate("UPDATE fault_t SET v = 12")));
      // The same session goes on with the nodes it can reach.
      assertEquals(0, value(s, keyLocal));
    }
    assertEquals(Map.of(keyLocal, 0, keyProxied, 0), onWorkers(keyLocal, keyProxied));
    assertEquals(0, countOnWorkers("v = 12"));
  }

  /**
   * A node that accepts connections and never answers: opening one gives up after
   * citus.node_connection_timeout with a connection error, instead of hanging the statement.
   */
  @Test
  void aNodeThatNeverAnswersTimesOutAfterNodeConnectionTimeout() throws Exception {
    proxy.ignore();
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      s.execute("SET citus.node_connection_timeout = '1s'");
      SQLException e = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(
          SQLException.class,
          () -> s.executeUpdate("UPDATE fault_t SET v = 13 WHERE k = " + keyProxied)));
      assertConnectionError(e);
      assertEquals(0, value(s, keyLocal), "the session goes on with the nodes it can reach");
    }
    assertEquals(0, countOnWorkers("v = 13"));
  }

  @Test
  void connectionCutMidQuery() throws Exception {
    // A row lock held directly on the proxied node keeps the multi-shard UPDATE running there.
    try (Connection holder = extraDirect(); Statement h = holder.createStatement();
        Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      holder.setAutoCommit(false);
      h.executeQuery("SELECT * FROM " + shardOf(keyProxied) + " WHERE k = " + keyProxied
          + " FOR UPDATE").close();
      CompletableFuture<Integer> update = async(() -> s.executeUpdate("UPDATE fault_t SET v = 21"));
      awaitLockWaitOnExtra("fault_t");
      proxy.cutAll();
      holder.rollback();
      assertConnectionError(failureOf(update));
      assertOtherSessionsServed();
    }
    recover();
    assertEquals(0, countOnWorkers("v = 21"), "part of a failed UPDATE committed");
  }

  @Test
  void connectionCutRightAfterPrepare() throws Exception {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.executeUpdate("UPDATE fault_t SET v = 31 WHERE k = " + keyLocal);
      s.executeUpdate("UPDATE fault_t SET v = 31 WHERE k = " + keyProxied);
      FaultProxy.Rule rule = proxy.on("PREPARE TRANSACTION", FaultProxy.Action.CUT_AFTER_REPLY);
      assertConnectionError(assertThrows(SQLException.class, c::commit));
      assertTrue(rule.wasHit());
      // The proxied node did prepare: that transaction waits for recovery, which rolls it back.
      assertEquals("1", extra.server().psqlOutput("postgres",
          "SELECT count(*) FROM pg_prepared_xacts WHERE gid LIKE 'citus\\_%'"));
      c.setAutoCommit(true);
      assertEquals(0, value(s, keyLocal));
    }
    recover();
    assertEquals(Map.of(keyLocal, 0, keyProxied, 0), onWorkers(keyLocal, keyProxied));
  }

  @Test
  void connectionCutBeforeCommitPrepared() throws Exception {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.executeUpdate("UPDATE fault_t SET v = 41 WHERE k = " + keyProxied);
      s.executeUpdate("UPDATE fault_t SET v = 41 WHERE k = " + keyLocal);
      FaultProxy.Rule rule = proxy.on("COMMIT PREPARED", FaultProxy.Action.STALL_BEFORE);
      CompletableFuture<Void> commit = async(() -> {
        c.commit();
        return null;
      });
      assertTrue(rule.awaitHit(WAIT), "COMMIT PREPARED never came");
      // The decision is made and the commit hangs on the proxied node: others are served.
      assertOtherSessionsServed();
      proxy.cutAll();
      // Decided: the client is told it committed, whatever the worker's link did.
      commit.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      c.setAutoCommit(true);
      assertEquals(41, value(s, keyLocal));
    }
    recover();
    assertEquals(Map.of(keyLocal, 41, keyProxied, 41), onWorkers(keyLocal, keyProxied));
  }

  /**
   * Recovery running beside a commit whose COMMIT PREPARED is cut: recovery has read the commit
   * records and the proxied node's prepared list (the answer held) before the transaction
   * decides; the decision is then made, the COMMIT PREPARED lost, and only then does recovery
   * go on. It must commit that transaction on the node, not take it for undecided.
   */
  @Test
  void recoveryBesideACommitWhoseCommitPreparedIsCut() throws Exception {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.executeUpdate("UPDATE fault_t SET v = 61 WHERE k = " + keyLocal);
      s.executeUpdate("UPDATE fault_t SET v = 61 WHERE k = " + keyProxied);
      FaultProxy.Rule prepare = proxy.on("PREPARE TRANSACTION", FaultProxy.Action.STALL_REPLY);
      CompletableFuture<Void> commit = async(() -> {
        c.commit();
        return null;
      });
      assertTrue(prepare.awaitHit(WAIT), "PREPARE TRANSACTION never came");
      FaultProxy.Rule list = proxy.on("pg_prepared_xacts", FaultProxy.Action.STALL_REPLY);
      CompletableFuture<Void> recovery = async(() -> {
        recover();
        return null;
      });
      assertTrue(list.awaitHit(WAIT), "recovery never listed the proxied node's transactions");
      FaultProxy.Rule commitPrepared = proxy.on("COMMIT PREPARED", FaultProxy.Action.CUT_BEFORE);
      prepare.release();
      commit.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertTrue(commitPrepared.wasHit());
      list.release();
      recovery.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
    assertEquals(Map.of(keyLocal, 61, keyProxied, 61), onWorkers(keyLocal, keyProxied));
  }

  @Test
  void slowWorker() throws Exception {
    proxy.delay(Duration.ofMillis(30));
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.executeUpdate("UPDATE fault_t SET v = 51 WHERE k = " + keyLocal);
      s.executeUpdate("UPDATE fault_t SET v = 51 WHERE k = " + keyProxied);
      c.commit();
      c.setAutoCommit(true);
      assertEquals(100, s.executeUpdate("UPDATE fault_t SET v = v + 1"));
      assertEquals(52, value(s, keyProxied));
      assertEquals(98 + 2 * 52, longValue(s, "SELECT sum(v) FROM fault_t"));
      s.executeUpdate("UPDATE fault_t SET v = 0");
    }
    assertEquals(Map.of(keyLocal, 0, keyProxied, 0), onWorkers(keyLocal, keyProxied));
  }

  // ------------------------------------------------------------------ bank transfers

  /**
   * Transfers between accounts on all three nodes (most of them two-phase), from several client
   * threads that retry every failed transfer under the same transfer id, while the proxied
   * node's link is cut after PREPARE, before COMMIT PREPARED and in the middle of statements. A
   * stand-in for the periodic recovery runs recover_prepared_transactions() meanwhile. In the
   * end the money is all there, every account's balance is its opening balance plus what the
   * log says it received minus what it sent (no transfer applied twice or half), and every
   * error a client saw was a broken connection or the duplicate transfer id of a retry.
   */
  @Test
  void bankTransfersKeepTheirTotalUnderFaults() throws Exception {
    int accounts = 40;
    int threads = 4;
    int transfersPerThread = 25;
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE bank_accounts (id int PRIMARY KEY, balance bigint NOT NULL)");
      s.execute("SELECT create_distributed_table('bank_accounts', 'id',"
          + " colocate_with => 'fault_t')");
      s.execute("INSERT INTO bank_accounts SELECT g, 1000 FROM generate_series(1, "
          + accounts + ") g");
      s.execute("CREATE TABLE bank_log (id int PRIMARY KEY, src int, dst int, amount int)");
      s.execute("SELECT create_distributed_table('bank_log', 'id', colocate_with => 'fault_t')");
      assertTrue(longValue(s, "SELECT count(*) FROM citus_shards WHERE table_name ="
          + " 'bank_accounts'::regclass AND nodeport = " + proxy.port()) > 0,
          "no account on the proxied node");
    }
    Set<String> errorStates = ConcurrentHashMap.newKeySet();
    AtomicBoolean done = new AtomicBoolean();
    AtomicLong retries = new AtomicLong();
    List<String> faultsHit = java.util.Collections.synchronizedList(new ArrayList<>());
    // Threads of their own: the common pool may be too small to run clients and faults at once.
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newCachedThreadPool();
    try {
      List<java.util.concurrent.Future<?>> clients = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        clients.add(pool.submit(() -> {
          java.util.Random random = new java.util.Random(thread);
          for (int n = 0; n < transfersPerThread; n++) {
            long id = thread * 1000L + n;
            int a = 1 + random.nextInt(accounts);
            int b = 1 + (a + random.nextInt(accounts - 1)) % accounts;
            transfer(id, a, b, 1 + random.nextInt(50), errorStates, retries);
          }
        }));
      }
      java.util.concurrent.Future<?> recovery = pool.submit(() -> {
        while (!done.get()) {
          try {
            recover();
          } catch (SQLException e) {
            // Its own link to the proxied node was cut (a rule matched its COMMIT PREPARED).
            assertConnectionError(e);
          }
          Thread.sleep(100);
        }
        return null;
      });
      java.util.concurrent.Future<?> faults = pool.submit(() -> {
        Object[][] kinds = {
            {"PREPARE TRANSACTION", FaultProxy.Action.CUT_AFTER_REPLY},
            {"COMMIT PREPARED", FaultProxy.Action.CUT_BEFORE},
            {"bank_accounts", FaultProxy.Action.CUT_BEFORE},
            {"bank_log", FaultProxy.Action.CUT_AFTER_REPLY}};
        for (int i = 0; !done.get(); i++) {
          Object[] kind = kinds[i % kinds.length];
          FaultProxy.Rule r = proxy.on((String) kind[0], (FaultProxy.Action) kind[1]);
          while (!r.awaitHit(Duration.ofMillis(100)) && !done.get()) {
            // Wait for the next matching statement.
          }
          r.release();
          if (r.wasHit()) {
            faultsHit.add(kind[0] + " " + kind[1]);
          }
          // Some transfers in between go through untouched.
          Thread.sleep(150);
        }
        return null;
      });
      try {
        for (var f : clients) {
          f.get(150, TimeUnit.SECONDS);
        }
      } finally {
        done.set(true);
        faults.get(30, TimeUnit.SECONDS);
        recovery.get(30, TimeUnit.SECONDS);
        proxy.clearFaults();
      }
    } finally {
      pool.shutdownNow();
    }
    recover();
    for (String state : errorStates) {
      assertTrue(state.startsWith("08") || state.equals("23505"),
          "a client saw " + state + "; all: " + errorStates);
    }
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      assertEquals(accounts, longValue(s, "SELECT count(*) FROM bank_accounts"));
      assertEquals(accounts, longValue(s, "SELECT count(DISTINCT id) FROM bank_accounts"));
      assertEquals(accounts * 1000L, longValue(s, "SELECT sum(balance) FROM bank_accounts"));
      assertEquals((long) threads * transfersPerThread,
          longValue(s, "SELECT count(*) FROM bank_log"), "transfers lost");
      // Each balance is explained by the log: nothing applied without its log row or twice.
      assertEquals(0, longValue(s, "SELECT count(*) FROM bank_accounts a"
          + " WHERE a.balance <> 1000"
          + " - coalesce((SELECT sum(amount) FROM bank_log WHERE src = a.id), 0)"
          + " + coalesce((SELECT sum(amount) FROM bank_log WHERE dst = a.id), 0)"));
      s.execute("DROP TABLE bank_accounts, bank_log");
    }
    assertTrue(faultsHit.size() >= 4, "too few faults met a transfer: " + faultsHit);
    assertTrue(retries.get() > 0, "no transfer failed: " + faultsHit);
  }

  /** One transfer, retried under the same id until it committed once. */
  private static void transfer(long id, int from, int to, int amount, Set<String> errorStates,
      AtomicLong retries) {
    // Rows are locked in id order: without distributed deadlock detection, two transfers
    // locking in opposite orders on two nodes would wait for each other for ever.
    int first = Math.min(from, to);
    int second = Math.max(from, to);
    for (int attempt = 0; attempt < 50; attempt++) {
      try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
        c.setAutoCommit(false);
        try {
          s.executeUpdate(move(first, first == from ? -amount : amount));
          s.executeUpdate(move(second, second == from ? -amount : amount));
          s.executeUpdate("INSERT INTO bank_log VALUES (" + id + ", " + from + ", " + to + ", "
              + amount + ")");
          c.commit();
          return;
        } catch (SQLException e) {
          errorStates.add(String.valueOf(e.getSQLState()));
          if ("23505".equals(e.getSQLState())) {
            return; // an earlier attempt committed after all
          }
          retries.incrementAndGet();
        }
      } catch (SQLException e) {
        errorStates.add(String.valueOf(e.getSQLState()));
        retries.incrementAndGet();
      }
    }
    throw new IllegalStateException("transfer " + id + " never committed: " + errorStates);
  }

  private static String move(int account, int delta) {
    return "UPDATE bank_accounts SET balance = balance + (" + delta + ") WHERE id = " + account;
  }

  // ------------------------------------------------------------------ helpers

  private interface SqlCall<T> {
    T call() throws Exception;
  }

  /**
   * Runs {@code call} on a thread of its own: the common pool can have a single worker (two
   * cores), and a call blocked on a held message would hold back the next one.
   */
  private static <T> CompletableFuture<T> async(SqlCall<T> call) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return call.call();
      } catch (Exception e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    }, r -> Thread.ofPlatform().daemon().name("fault-it-call").start(r));
  }

  private static SQLException failureOf(CompletableFuture<?> f) throws Exception {
    try {
      f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SQLException se) {
        return se;
      }
      throw e;
    }
    return fail("the statement succeeded");
  }

  private static void assertConnectionError(SQLException e) {
    assertTrue(e.getSQLState() != null && e.getSQLState().startsWith("08"),
        "expected a connection error (class 08), got " + e.getSQLState() + ": " + e);
  }

  /** Another session reads every node and writes on an embedded worker. */
  private static void assertOtherSessionsServed() throws SQLException {
    try (Connection other = TestBasalt.connect(); Statement s = other.createStatement()) {
      assertEquals(100, longValue(s, "SELECT count(*) FROM fault_t"));
      assertEquals(1, s.executeUpdate("UPDATE fault_t SET v = v WHERE k = " + keyLocal));
    }
  }

  private static void recover() throws SQLException {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      s.execute("SELECT recover_prepared_transactions()");
    }
  }

  private static List<PostgresServer> nodes() {
    List<PostgresServer> all = new ArrayList<>(TestBasalt.server().cluster().workers());
    all.add(extra.server());
    return all;
  }

  private static void assertNoPreparedTransactions() {
    for (PostgresServer node : nodes()) {
      assertEquals("", node.psqlOutput("postgres",
          "SELECT gid FROM pg_prepared_xacts WHERE gid LIKE 'citus\\_%'"),
          "prepared transactions left on " + node);
    }
  }

  private static Connection extraDirect() throws SQLException {
    // Not extra.jdbcLogin(): that would give the superuser a password the coordinator lacks.
    java.util.Properties p = new java.util.Properties();
    p.setProperty("user", "postgres");
    p.setProperty("password", TestBasalt.password());
    return java.sql.DriverManager.getConnection(extra.jdbcUrl(), p);
  }

  private static void awaitLockWaitOnExtra(String table) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      String n = extra.server().psqlOutput("postgres", "SELECT count(*) FROM pg_stat_activity"
          + " WHERE wait_event_type = 'Lock' AND query LIKE '%" + table + "%'");
      if (!"0".equals(n)) {
        return;
      }
      Thread.sleep(20);
    }
    fail("the UPDATE never waited on the proxied node");
  }

  private static String shardOf(int k) throws SQLException {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      return "fault_t_" + longValue(s, "SELECT get_shard_id_for_distribution_column('fault_t', "
          + k + ")");
    }
  }

  /** fault_t's shards as (shard table, the node holding it). */
  private static Map<String, PostgresServer> shards() throws SQLException {
    Map<String, PostgresServer> out = new TreeMap<>();
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT shardid, nodeport FROM citus_shards"
            + " WHERE table_name = 'fault_t'::regclass")) {
      while (rs.next()) {
        int port = rs.getInt(2);
        PostgresServer node = port == proxy.port() ? extra.server()
            : nodes().stream().filter(n -> n.port() == port).findFirst().orElseThrow();
        out.put("fault_t_" + rs.getLong(1), node);
      }
    }
    return out;
  }

  /** The rows' values read on each worker directly, not through the coordinator. */
  private static Map<Integer, Integer> onWorkers(int... keys) throws SQLException {
    String in = java.util.Arrays.toString(keys).replace("[", "(").replace("]", ")");
    Map<Integer, Integer> values = new HashMap<>();
    for (var shard : shards().entrySet()) {
      String out = shard.getValue().psqlOutput("postgres", "SELECT k, v FROM " + shard.getKey()
          + " WHERE k IN " + in);
      for (String line : out.lines().toList()) {
        String[] kv = line.split("\\|");
        assertEquals(null, values.put(Integer.parseInt(kv[0]), Integer.parseInt(kv[1])),
            "row " + kv[0] + " on two shards");
      }
    }
    return values;
  }

  /** How many fault_t rows match {@code where}, counted on each worker directly. */
  private static long countOnWorkers(String where) throws SQLException {
    long n = 0;
    for (var shard : shards().entrySet()) {
      n += Long.parseLong(shard.getValue().psqlOutput("postgres", "SELECT count(*) FROM "
          + shard.getKey() + " WHERE " + where));
    }
    return n;
  }

  private static int value(Statement s, int k) throws SQLException {
    return (int) longValue(s, "SELECT v FROM fault_t WHERE k = " + k);
  }

  private static long longValue(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next(), sql);
      return rs.getLong(1);
    }
  }
}
