package io.basalt.coordinator.it;

import static io.basalt.coordinator.it.TestBasalt.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client's isolation level, access mode and deferrability reach every worker transaction
 * its block opens, however they were set; a REPEATABLE READ block keeps its snapshot on the
 * workers; a READ ONLY one refuses writes with PostgreSQL's own error.
 */
class TransactionCharacteristicsIT {
  /** Evaluated on the worker holding row k (the router sends the whole statement there). */
  private static final String ON_WORKER = "SELECT current_setting('transaction_isolation')"
      + " || '/' || current_setting('transaction_read_only')"
      + " || '/' || current_setting('transaction_deferrable') FROM tc WHERE k = ";
  private static final String ON_COORDINATOR = "SELECT current_setting('transaction_isolation')"
      + " || '/' || current_setting('transaction_read_only')"
      + " || '/' || current_setting('transaction_deferrable')";
  private static int[] key;

  @BeforeAll
  static void setUp() throws SQLException {
    WorkerStatements.setUp();
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE tc (k int PRIMARY KEY, v text)");
      s.execute("INSERT INTO tc SELECT i, 'v' || i FROM generate_series(1, 100) i");
      s.execute("SELECT create_distributed_table('tc', 'k', shard_count => 4)");
      key = WorkerStatements.keyPerWorker(c, "tc");
    }
  }
  /** Other tests (the golden files) expect a cluster without distributed tables of ours. */
  @AfterAll
  static void tearDown() throws SQLException {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS tc, tc_local");
    }
  }

  /**
   * Runs {@code setup} (statements that open a block), then reads the characteristics on the
   * coordinator (SHOW's view) and on both workers; ends the block with ROLLBACK.
   */
  private static void check(String expected, String... setup) throws SQLException {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      for (String sql : setup) {
        s.execute(sql);
      }
      String label = String.join("; ", setup);
      assertEquals(expected, one(s, ON_COORDINATOR), label);
      assertEquals(expected, one(s, ON_WORKER + key[0]), label + " (worker 1)");
      assertEquals(expected, one(s, ON_WORKER + key[1]), label + " (worker 2)");
      assertEquals(expected.substring(0, expected.indexOf('/')),
          one(s, "SHOW transaction_isolation"), label);
      s.execute("ROLLBACK");
    }
  }

  /**
   * Like {@link #check}, but the workers are asked first, so that nothing but the setup has run
   * in the coordinator database when the block's first worker transaction begins (a plain BEGIN
   * then takes the session's defaults without reading them there); also in the simple protocol,
   * where the worker's BEGIN travels in one message with the first statement.
   */
  private static void checkWorkersFirst(String expected, String... setup) throws SQLException {
    for (boolean simple : new boolean[] {false, true}) {
      java.util.Properties props = new java.util.Properties();
      if (simple) {
        props.setProperty("preferQueryMode", "simple");
      }
      try (Connection c = TestBasalt.connect(props); Statement s = c.createStatement()) {
        for (String sql : setup) {
          s.execute(sql);
        }
        String label = String.join("; ", setup) + (simple ? " (simple protocol)" : "");
        assertEquals(expected, one(s, ON_WORKER + key[0]), label + " (worker 1)");
        assertEquals(expected, one(s, ON_WORKER + key[1]), label + " (worker 2)");
        assertEquals(expected, one(s, ON_COORDINATOR), label);
        s.execute("ROLLBACK");
      }
    }
  }

  @Test
  void aPlainBeginGivesTheWorkersTheSessionsDefaults() throws SQLException {
    // A routed read outside a block has the session's settings read, so that a plain BEGIN
    // after it knows the defaults without a query.
    String read = "SELECT v FROM tc WHERE k = 1";
    checkWorkersFirst("read committed/off/off", read, "BEGIN");
    checkWorkersFirst("read committed/off/off", read, "START TRANSACTION");
    checkWorkersFirst("repeatable read/off/off",
        "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL REPEATABLE READ", read,
        "BEGIN");
    checkWorkersFirst("serializable/on/on", "SET default_transaction_isolation = 'serializable'",
        "SET default_transaction_read_only = on", "SET default_transaction_deferrable = on",
        read, "BEGIN WORK");
    checkWorkersFirst("read committed/on/off", "SET default_transaction_read_only = on", read,
        "START TRANSACTION");
    // Settings changed since the last read: the BEGIN's characteristics are read when needed.
    checkWorkersFirst("serializable/off/off", read,
        "SET default_transaction_isolation = 'serializable'", "BEGIN");
    // What ran in the coordinator database after the BEGIN counts, whatever it was.
    checkWorkersFirst("read committed/on/off", read, "BEGIN",
        "SELECT set_config('transaction_read_only', 'on', true)");
    checkWorkersFirst("repeatable read/off/off", read, "BEGIN",
        "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    // A default changed inside the block is for the next transaction, as in PostgreSQL.
    checkWorkersFirst("read committed/off/off", read, "BEGIN",
        "SET default_transaction_isolation = 'serializable'");
    // A BEGIN inside the block only warns: the block keeps what it was opened with.
    checkWorkersFirst("repeatable read/off/off", read, "BEGIN ISOLATION LEVEL REPEATABLE READ",
        "BEGIN");
  }

  @Test
  void everyWayOfSettingThemReachesTheWorkers() throws SQLException {
    check("read committed/off/off", "BEGIN");
    check("repeatable read/off/off", "BEGIN ISOLATION LEVEL REPEATABLE READ");
    check("serializable/on/on", "BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY DEFERRABLE");
    check("read committed/on/off", "START TRANSACTION READ ONLY");
    check("serializable/off/off", "BEGIN", "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE");
    check("repeatable read/on/off", "BEGIN",
        "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    check("repeatable read/off/off",
        "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL REPEATABLE READ", "BEGIN");
    check("serializable/off/off", "SET default_transaction_isolation = 'serializable'", "BEGIN");
    check("read committed/on/off", "SET default_transaction_read_only = on", "BEGIN");
    check("read committed/off/off", "SET default_transaction_read_only = on",
        "BEGIN READ WRITE");
  }

  @Test
  void repeatableReadKeepsItsSnapshotOnTheWorkers() throws SQLException {
    try (Connection a = TestBasalt.connect(); Statement s = a.createStatement();
        Connection b = TestBasalt.connect(); Statement other = b.createStatement()) {
      other.execute("UPDATE tc SET v = 'before' WHERE k = " + key[0]);
      s.execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
      assertEquals("before", one(s, "SELECT v FROM tc WHERE k = " + key[0]));
      assertEquals("100", one(s, "SELECT count(*) FROM tc"));
      other.execute("UPDATE tc SET v = 'after' WHERE k = " + key[0]);
      other.execute("INSERT INTO tc VALUES (1001, 'new'), (1002, 'new'), (1003, 'new')");
      assertEquals("before", one(s, "SELECT v FROM tc WHERE k = " + key[0]));
      assertEquals("100", one(s, "SELECT count(*) FROM tc"));
      assertEquals("before|0", one(s, "SELECT string_agg(v, ',') || '|'"
          + " || (SELECT count(*) FROM tc t2 WHERE t2.k > 1000) FROM tc WHERE k = " + key[0]));
      s.execute("COMMIT");
      assertEquals("after", one(s, "SELECT v FROM tc WHERE k = " + key[0]));
      assertEquals("103", one(s, "SELECT count(*) FROM tc"));
      other.execute("DELETE FROM tc WHERE k > 1000");
    }
  }

  @Test
  void readCommittedSeesOtherCommitsStatementByStatement() throws SQLException {
    // The contrast that shows the test above is meaningful.
    try (Connection a = TestBasalt.connect(); Statement s = a.createStatement();
        Connection b = TestBasalt.connect(); Statement other = b.createStatement()) {
      other.execute("UPDATE tc SET v = 'before' WHERE k = " + key[0]);
      s.execute("BEGIN");
      assertEquals("before", one(s, "SELECT v FROM tc WHERE k = " + key[0]));
      assertEquals("100", one(s, "SELECT count(*) FROM tc"));
      other.execute("UPDATE tc SET v = 'after' WHERE k = " + key[0]);
      other.execute("INSERT INTO tc VALUES (1001, 'new')");
      assertEquals("after", one(s, "SELECT v FROM tc WHERE k = " + key[0]));
      assertEquals("101", one(s, "SELECT count(*) FROM tc"));
      s.execute("COMMIT");
      other.execute("DELETE FROM tc WHERE k > 1000");
    }
  }

  /**
   * PostgreSQL's own answer to a write in a read-only transaction, on a table of the
   * coordinator database reached directly (not a temporary table: those accept writes).
   */
  private static SQLException postgresRefusal(String verb) throws SQLException {
    try (Connection direct = TestBasalt.connectDirect(new java.util.Properties());
        Statement s = direct.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS tc_local (k int, v text)");
      s.execute("BEGIN READ ONLY");
      SQLException e = assertThrows(SQLException.class, () -> s.execute(switch (verb) {
        case "INSERT" -> "INSERT INTO tc_local VALUES (1, 'x')";
        case "UPDATE" -> "UPDATE tc_local SET v = 'x'";
        default -> throw new IllegalArgumentException(verb);
      }));
      s.execute("ROLLBACK");
      return e;
    }
  }

  private static void refusedLikePostgres(Statement s, String sql, String verb)
      throws SQLException {
    SQLException expected = postgresRefusal(verb);
    SQLException e = assertThrows(SQLException.class, () -> s.execute(sql), sql);
    assertEquals("25006", e.getSQLState(), e::toString);
    assertEquals(expected.getMessage(), e.getMessage());
  }

  @Test
  void readOnlyBlocksRefuseWritesLikePostgres() throws SQLException {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      for (List<String> block : List.of(List.of("BEGIN READ ONLY"),
          List.of("BEGIN", "SET TRANSACTION READ ONLY"),
          List.of("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", "BEGIN"))) {
        for (String sql : block) {
          s.execute(sql);
        }
        refusedLikePostgres(s, "INSERT INTO tc VALUES (2001, 'x')", "INSERT");
        s.execute("ROLLBACK");
        for (String sql : block) {
          s.execute(sql);
        }
        refusedLikePostgres(s, "UPDATE tc SET v = 'x'", "UPDATE");
        s.execute("ROLLBACK");
        s.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE");
      }
      assertEquals("0", one(s, "SELECT count(*) FROM tc WHERE v = 'x'"));
    }
  }

  @Test
  void becomingReadOnlyAfterAReadReachesTheWorkersAlreadyIn() throws SQLException {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      s.execute("BEGIN");
      one(s, "SELECT v FROM tc WHERE k = " + key[0]);
      s.execute("SET TRANSACTION READ ONLY");
      refusedLikePostgres(s, "UPDATE tc SET v = 'x' WHERE k = " + key[0], "UPDATE");
      s.execute("ROLLBACK");
    }
  }

  @Test
  void defaultReadOnlyRefusesWritesOutsideABlock() throws SQLException {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      s.execute("SET default_transaction_read_only = on");
      refusedLikePostgres(s, "INSERT INTO tc VALUES (2001, 'x')", "INSERT");
      refusedLikePostgres(s, "UPDATE tc SET v = 'x'", "UPDATE");
      assertEquals("100", one(s, "SELECT count(*) FROM tc"));
      s.execute("RESET default_transaction_read_only");
      s.execute("INSERT INTO tc VALUES (2001, 'x')");
      s.execute("DELETE FROM tc WHERE k = 2001");
    }
  }
}
