package io.basalt.coordinator.it;

import static io.basalt.coordinator.it.TestBasalt.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.agent.PostgresServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a client's session leaves on the workers: nothing open after it goes away or times out,
 * its statement_timeout bounding its distributed statements, its settings reaching its own
 * worker statements and no one else's, and its writes visible to itself first.
 */
class SessionLifecycleIT {
  private static int[] key;

  @BeforeAll
  static void setUp() throws SQLException {
    WorkerStatements.setUp();
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE sl (k int PRIMARY KEY, v text)");
      s.execute("INSERT INTO sl SELECT i, 'v' || i FROM generate_series(1, 100) i");
      s.execute("SELECT create_distributed_table('sl', 'k', shard_count => 4)");
      key = WorkerStatements.keyPerWorker(c, "sl");
    }
  }
  /** Other tests (the golden files) expect a cluster without distributed tables of ours. */
  @AfterAll
  static void tearDown() throws SQLException {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS sl");
    }
  }

  /** Backends of the observer role idle in a transaction, on every worker. */
  private static int openWorkerTransactions() {
    int open = 0;
    for (PostgresServer w : WorkerStatements.workers()) {
      open += Integer.parseInt(w.psqlOutput("postgres", "SELECT count(*) FROM pg_stat_activity"
          + " WHERE usename = '" + WorkerStatements.ROLE + "'"
          + " AND state LIKE 'idle in transaction%'"));
    }
    return open;
  }

  private static void awaitNoOpenWorkerTransactions() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    int open;
    while ((open = openWorkerTransactions()) > 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertEquals(0, open, "worker transactions still open");
  }

  private static int rowsAbove(int k) throws SQLException {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      return Integer.parseInt(one(s, "SELECT count(*) FROM sl WHERE k > " + k));
    }
  }

  @Test
  void aClientGoneMidBlockLeavesNothingOpenOrCommitted() throws Exception {
    Connection c = WorkerStatements.connect();
    Statement s = c.createStatement();
    s.execute("BEGIN");
    s.execute("INSERT INTO sl VALUES (" + (1000 + key[0]) + ", 'gone')");
    s.execute("UPDATE sl SET v = 'gone' WHERE k = " + key[0]);
    s.execute("UPDATE sl SET v = 'gone' WHERE k = " + key[1]);
    assertEquals(2, openWorkerTransactions(), "the block should be open on both workers");
    // No Terminate: the socket just closes.
    c.abort(Runnable::run);
    awaitNoOpenWorkerTransactions();
    try (Connection check = TestBasalt.connect(); Statement cs = check.createStatement()) {
      assertEquals("0", one(cs, "SELECT count(*) FROM sl WHERE v = 'gone'"));
    }
  }

  /** The statement fails with PostgreSQL's statement-timeout error, and quickly. */
  private static void timesOut(Statement s, String sql) throws SQLException {
    long t0 = System.nanoTime();
    SQLException e = assertThrows(SQLException.class, () -> s.execute(sql), sql);
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertEquals("57014", e.getSQLState(), e::toString);
    assertTrue(e.getMessage().startsWith("ERROR: canceling statement due to statement timeout"),
        e::toString);
    assertTrue(ms < 3000, sql + " took " + ms + " ms");
  }

  @Test
  void statementTimeoutBoundsDistributedStatements() throws SQLException {
    try (Connection c = WorkerStatements.connect(); Statement s = c.createStatement()) {
      s.execute("SET statement_timeout = '200ms'");
      timesOut(s, "SELECT pg_sleep(5) FROM sl WHERE k = " + key[0]);
      timesOut(s, "SELECT count(*) FROM sl WHERE pg_sleep(0.1) IS NOT NULL");
      timesOut(s, "SELECT pg_sleep(5) FROM sl ORDER BY k LIMIT 1");
      timesOut(s, "UPDATE sl SET v = v || pg_sleep(0.1)::text");
      timesOut(s, "UPDATE sl SET v = v || pg_sleep(5)::text WHERE k = " + key[1]);
      s.execute("BEGIN");
      s.execute("UPDATE sl SET v = 'in block' WHERE k = " + key[0]);
      timesOut(s, "SELECT pg_sleep(5) FROM sl WHERE k = " + key[1]);
      s.execute("ROLLBACK");
      // The session goes on, and RESET reaches the workers too.
      s.execute("RESET statement_timeout");
      assertEquals("0", one(s, "SELECT current_setting('statement_timeout') FROM sl WHERE k = "
          + key[0]));
      assertEquals("0", one(s, "SELECT count(*) FROM sl WHERE v <> 'v' || k"));
    }
  }

  @Test
  void idleInTransactionTimeoutEndsTheSessionAndItsWorkerTransactions() throws Exception {
    SQLException expected;
    try (Connection direct = TestBasalt.connectDirect(new Properties());
        Statement s = direct.createStatement()) {
      s.execute("SET idle_in_transaction_session_timeout = '300ms'");
      s.execute("BEGIN");
      s.execute("SELECT 1");
      Thread.sleep(1000);
      expected = assertThrows(SQLException.class, () -> s.execute("SELECT 1"));
    }
    try (Connection c = WorkerStatements.connect(); Statement s = c.createStatement()) {
      s.execute("SET idle_in_transaction_session_timeout = '300ms'");
      s.execute("BEGIN");
      s.execute("UPDATE sl SET v = 'idle' WHERE k = " + key[0]);
      s.execute("UPDATE sl SET v = 'idle' WHERE k = " + key[1]);
      assertEquals(2, openWorkerTransactions());
      // The session ends by itself, its worker transactions with it: the client sends nothing.
      awaitNoOpenWorkerTransactions();
      SQLException e = assertThrows(SQLException.class, () -> s.execute("SELECT 1"));
      assertEquals(expected.getSQLState(), e.getSQLState(), e + " vs PostgreSQL's " + expected);
      assertTrue(c.isClosed());
    }
    try (Connection check = TestBasalt.connect(); Statement cs = check.createStatement()) {
      assertEquals("0", one(cs, "SELECT count(*) FROM sl WHERE v = 'idle'"));
    }
  }

  @Test
  void aSessionsSettingsNeverReachAnotherSessionsWorkerStatements() throws SQLException {
    String settings = "SELECT current_setting('TimeZone') || '|'"
        + " || current_setting('search_path') || '|' || current_setting('statement_timeout')"
        + " FROM sl WHERE k = ";
    try (Connection a = TestBasalt.connect(); Statement sa = a.createStatement();
        Connection b = TestBasalt.connect(); Statement sb = b.createStatement()) {
      String bDefault = one(sb, settings + key[0]);
      sa.execute("SET TimeZone = 'Asia/Tokyo'");
      sa.execute("SET search_path = public, pg_temp");
      sa.execute("SET statement_timeout = '4321ms'");
      for (int k : key) {
        assertEquals("Asia/Tokyo|public, pg_temp|4321ms", one(sa, settings + k));
        assertEquals(bDefault, one(sb, settings + k));
      }
      assertNotEquals(bDefault, "Asia/Tokyo|public, pg_temp|4321ms");
      assertEquals(one(sb, "SELECT current_setting('TimeZone') || '|'"
          + " || current_setting('search_path') || '|' || current_setting('statement_timeout')"),
          bDefault, "the worker's values are the session's own");
      // SET LOCAL lasts until the end of the block, on the workers too.
      sb.execute("BEGIN");
      sb.execute("SET LOCAL statement_timeout = '999ms'");
      assertTrue(one(sb, settings + key[0]).endsWith("|999ms"));
      sb.execute("COMMIT");
      assertEquals(bDefault, one(sb, settings + key[0]));
      sa.execute("RESET ALL");
      assertEquals(bDefault, one(sa, settings + key[1]));
    }
  }

  @Test
  void aBlockReadsItsOwnWritesBeforeAnyoneElse() throws SQLException {
    try (Connection a = TestBasalt.connect(); Statement sa = a.createStatement();
        Connection b = TestBasalt.connect(); Statement sb = b.createStatement()) {
      sa.execute("BEGIN");
      sa.execute("INSERT INTO sl VALUES (5001, 'mine'), (5002, 'mine'), (5003, 'mine')");
      sa.execute("UPDATE sl SET v = 'mine' WHERE k = " + key[0]);
      assertEquals("mine", one(sa, "SELECT v FROM sl WHERE k = 5001"));
      assertEquals("4", one(sa, "SELECT count(*) FROM sl WHERE v = 'mine'"));
      assertEquals("mine", one(sa, "SELECT string_agg(DISTINCT v, ',') FROM sl WHERE k > 5000"));
      assertEquals("0", one(sb, "SELECT count(*) FROM sl WHERE v = 'mine'"));
      sa.execute("ROLLBACK");
      assertEquals("0", one(sa, "SELECT count(*) FROM sl WHERE v = 'mine'"));
      assertEquals(0, rowsAbove(5000));
    }
  }
}
