package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.agent.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The adaptive executor seen from the workers. A table of 32 shards holds one row per shard, so
 * a multi-shard statement is 32 tasks, 16 per worker, each as long as the pg_sleep in its
 * filter. Every task reports the worker backend that ran it (pg_backend_pid, grouped by the
 * worker's port), and a dedicated login role makes the workers' pg_stat_activity show exactly
 * this test's connections. Nothing here measures time: the assertions count connections.
 */
class AdaptiveExecutorIT {
  private static final String ROLE = "pool_user";
  private static final String PASSWORD = "pool-pw";
  private static final int SHARDS = 32;
  private static final ExecutorService POOL = Executors.newCachedThreadPool();

  @BeforeAll
  static void setUp() throws SQLException {
    TestBasalt.server().cluster().coordinatorDb().psql("postgres",
        "CREATE ROLE " + ROLE + " SUPERUSER LOGIN PASSWORD '" + PASSWORD + "'");
    for (PostgresServer w : TestBasalt.server().cluster().workers()) {
      w.psqlOutput("postgres", "CREATE ROLE " + ROLE + " SUPERUSER LOGIN");
    }
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE ae (k int PRIMARY KEY, v int NOT NULL)");
      s.execute("SELECT create_distributed_table('ae', 'k', shard_count => " + SHARDS + ")");
      // The first key of each shard, chosen by the catalog's own hashing.
      List<Integer> keys = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT min(k) FROM generate_series(1, 2000) k"
          + " GROUP BY pg_catalog.get_shard_id_for_distribution_column('ae', k) ORDER BY 1")) {
        while (rs.next()) {
          keys.add(rs.getInt(1));
        }
      }
      assertEquals(SHARDS, keys.size());
      StringBuilder insert = new StringBuilder("INSERT INTO ae VALUES ");
      for (int i = 0; i < keys.size(); i++) {
        insert.append(i == 0 ? "" : ", ").append('(').append(keys.get(i)).append(", 0)");
      }
      s.execute(insert.toString());
    }
  }

  @AfterAll
  static void tearDown() throws Exception {
    POOL.shutdownNow();
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS ae");
    }
    setSharedPoolSize(null);
  }

  private static Connection connect() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", ROLE);
    p.setProperty("password", PASSWORD);
    return DriverManager.getConnection(TestBasalt.url(), p);
  }

  /** Runs {@code sql}, whose first two columns are a worker's port and a backend pid. */
  private static Map<String, Set<String>> backendsPerWorker(Statement s, String sql)
      throws SQLException {
    Map<String, Set<String>> backends = new HashMap<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        backends.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getString(2));
      }
    }
    return backends;
  }

  /** A read of every shard, each task sleeping {@code seconds}; the backends that ran them. */
  private static Map<String, Set<String>> read(Statement s, double seconds) throws SQLException {
    Map<String, Set<String>> b = backendsPerWorker(s, "SELECT current_setting('port'),"
        + " pg_backend_pid(), count(*) FROM ae WHERE pg_sleep(" + seconds + ") IS NOT NULL"
        + " GROUP BY 1, 2");
    assertEquals(2, b.size(), "both workers ran tasks: " + b);
    return b;
  }

  /** This role's connections on each worker now. */
  private static List<Integer> connectionsNow() {
    List<Integer> counts = new ArrayList<>();
    for (PostgresServer w : TestBasalt.server().cluster().workers()) {
      counts.add(Integer.parseInt(w.psqlOutput("postgres", "SELECT count(*) FROM"
          + " pg_stat_activity WHERE usename = '" + ROLE + "'").trim()));
    }
    return counts;
  }

  /** Waits until no worker has more than {@code most} of this role's connections. */
  private static List<Integer> settlesAtMost(int most) throws InterruptedException {
    List<Integer> now = connectionsNow();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (now.stream().anyMatch(n -> n > most) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      now = connectionsNow();
    }
    return now;
  }

  /** Sets the server's citus.max_shared_pool_size; null resets it. */
  private static void setSharedPoolSize(String value)
      throws SQLException, InterruptedException {
    try (Connection d = TestBasalt.connectDirect(new Properties());
        Statement s = d.createStatement()) {
      // PostgreSQL 15 only lets ALTER SYSTEM name a placeholder setting the session knows.
      s.execute("SET citus.max_shared_pool_size = 0");
      s.execute(value == null ? "ALTER SYSTEM RESET citus.max_shared_pool_size"
          : "ALTER SYSTEM SET citus.max_shared_pool_size = " + value);
      s.execute("SELECT pg_reload_conf()");
    }
    // Basalt reads the server's value every second; a reload reaches it within that, and the
    // next test must not run under the old value.
    Thread.sleep(2500);
  }

  @Test
  void quickTasksStayOnOneOrTwoConnectionsPerWorker() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      read(s, 0); // warms the session's cached connections
      // A one-millisecond task: on Linux, PostgreSQL's pg_sleep waits about a millisecond more
      // than asked (its latch wait rounds up to whole milliseconds, and the kernel adds slack),
      // so pg_sleep(0.0005) takes about 1.1 ms and pg_sleep(0.001) about 2.1 ms.
      // On a loaded machine a round can run late and open a third connection; most stay on
      // one or two, and none comes near the 16 that long tasks get.
      int calm = 0;
      for (int round = 0; round < 5; round++) {
        Map<String, Set<String>> b = read(s, 0.0005);
        int most = b.values().stream().mapToInt(Set::size).max().orElseThrow();
        assertTrue(most <= 4, "short tasks do not fan out: " + b);
        calm += most <= 2 ? 1 : 0;
      }
      assertTrue(calm >= 3, "most rounds use one or two connections per worker: " + calm);
      // Afterwards the session keeps max_cached_conns_per_worker (1) per worker.
      List<Integer> after = settlesAtMost(1);
      assertEquals(List.of(1, 1), after);
    }
  }

  @Test
  void longTasksSpreadOverManyConnections() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      AtomicBoolean done = new AtomicBoolean();
      Future<Integer> peak = POOL.submit(() -> {
        int most = 0;
        while (!done.get()) {
          for (int n : connectionsNow()) {
            most = Math.max(most, n);
          }
          Thread.sleep(20);
        }
        return most;
      });
      Map<String, Set<String>> b;
      try {
        b = read(s, 0.5);
      } finally {
        done.set(true);
      }
      for (Set<String> pids : b.values()) {
        assertTrue(pids.size() >= 4 && pids.size() <= 16,
            "slow start grows the pool up to max_adaptive_executor_pool_size: " + b);
      }
      assertTrue(peak.get() >= 4, "workers saw the pool grow: peak " + peak.get());
      assertEquals(List.of(1, 1), settlesAtMost(1), "extra connections are closed afterwards");
    }
  }

  @Test
  void poolSizeSettingCapsEachWorkersPool() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("SET citus.max_adaptive_executor_pool_size = 3");
      Map<String, Set<String>> b = read(s, 0.2);
      for (Set<String> pids : b.values()) {
        assertTrue(pids.size() >= 2 && pids.size() <= 3, "at most 3 per worker: " + b);
      }
      s.execute("SET citus.executor_slow_start_interval = 0");
      b = read(s, 0.2);
      for (Set<String> pids : b.values()) {
        assertEquals(3, pids.size(), "slow start interval 0 opens the whole pool at once: " + b);
      }
      s.execute("RESET citus.executor_slow_start_interval");
      s.execute("SET citus.max_adaptive_executor_pool_size = 2");
      s.execute("SET citus.force_max_query_parallelization = on");
      b = read(s, 0.3);
      for (Set<String> pids : b.values()) {
        assertTrue(pids.size() > 2, "force_max_query_parallelization ignores the cap: " + b);
      }
      SQLException bad = assertThrows(SQLException.class,
          () -> s.execute("SET citus.multi_shard_modify_mode = 'sideways'"));
      assertEquals("22023", bad.getSQLState());
    }
  }

  @Test
  void cachedConnectionsLiveForTheirLifetimeOnly() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("SET citus.max_adaptive_executor_pool_size = 1");
      Map<String, Set<String>> first = read(s, 0);
      assertEquals(first, read(s, 0), "the session's cached connections are used again");
      s.execute("SET citus.max_cached_connection_lifetime = '1ms'");
      assertEquals(first, read(s, 0), "still cached when the lifetime was shortened");
      Map<String, Set<String>> second = read(s, 0);
      Map<String, Set<String>> third = read(s, 0);
      for (String worker : first.keySet()) {
        assertFalse(first.get(worker).equals(second.get(worker)), "closed after its use");
        assertFalse(second.get(worker).equals(third.get(worker)), "none is kept any more");
      }
      s.execute("RESET citus.max_cached_connection_lifetime");
      Map<String, Set<String>> kept = read(s, 0);
      assertEquals(kept, read(s, 0), "kept again with the default lifetime");
    }
  }

  @Test
  void sharedPoolSizeCapsConnectionsPerWorker() throws Exception {
    setSharedPoolSize("2");
    try (Connection c = connect(); Statement s = c.createStatement()) {
      // A session's SET of it changes nothing (the server's value counts, as in Citus).
      s.execute("SET citus.max_shared_pool_size = -1");
      Map<String, Set<String>> b = read(s, 0.2);
      for (Set<String> pids : b.values()) {
        assertTrue(pids.size() <= 2, "max_shared_pool_size 2: " + b);
      }
    } finally {
      setSharedPoolSize(null);
    }
  }

  @Test
  void parallelWritesCommitTogetherAndSequentialModeKeepsOneConnection() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      Map<String, Set<String>> b = backendsPerWorker(s, "UPDATE ae SET v = v + 1"
          + " WHERE pg_sleep(0.2) IS NOT NULL RETURNING current_setting('port'),"
          + " pg_backend_pid()");
      assertEquals(2, b.size());
      for (Set<String> pids : b.values()) {
        assertTrue(pids.size() > 1, "a multi-shard write spreads outside blocks: " + b);
      }
      assertEquals("32 1 1", sumMinMax(s));
      assertNoPreparedLeft();

      s.execute("SET citus.multi_shard_modify_mode TO 'sequential'");
      b = backendsPerWorker(s, "UPDATE ae SET v = v + 1 WHERE pg_sleep(0.05) IS NOT NULL"
          + " RETURNING current_setting('port'), pg_backend_pid()");
      for (Set<String> pids : b.values()) {
        assertEquals(1, pids.size(), "sequential mode: one connection per worker: " + b);
      }
      assertEquals("64 2 2", sumMinMax(s));
      s.execute("RESET citus.multi_shard_modify_mode");

      // A failing task on one shard while the others run on many connections: nothing stays.
      int victim;
      try (ResultSet rs = s.executeQuery("SELECT max(k) FROM ae")) {
        rs.next();
        victim = rs.getInt(1);
      }
      SQLException e = assertThrows(SQLException.class, () -> s.execute("UPDATE ae"
          + " SET v = v + 1 / (k - " + victim + ") + 1 WHERE pg_sleep(0.2) IS NOT NULL"));
      assertEquals("22012", e.getSQLState());
      assertEquals("64 2 2", sumMinMax(s), "the failed write left nothing behind");
      assertNoPreparedLeft();
      assertFalse(s.executeQuery("SELECT 1 FROM ae WHERE v <> 2").next());
      s.execute("UPDATE ae SET v = 0");
    }
  }

  private static String sumMinMax(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT sum(v), min(v), max(v) FROM ae")) {
      rs.next();
      return rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3);
    }
  }

  private static void assertNoPreparedLeft() {
    for (PostgresServer w : TestBasalt.server().cluster().workers()) {
      assertEquals("0", w.psqlOutput("postgres",
          "SELECT count(*) FROM pg_prepared_xacts").trim());
    }
  }
}
