package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * Which commit protocol reaches the workers, read from their statement logs
 * ({@link WorkerStatements}): one worker that wrote commits with a plain COMMIT and leaves no
 * record in pg_dist_transaction; two that wrote are prepared and committed with COMMIT
 * PREPARED; a worker that only read is never prepared. A failed commit leaves nothing anywhere.
 */
class CommitProtocolIT {
  private static int[] key;

  @BeforeAll
  static void setUp() throws SQLException {
    WorkerStatements.setUp();
    try (Connection c = WorkerStatements.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE cp (k int PRIMARY KEY, v text)");
      s.execute("INSERT INTO cp SELECT i, 'v' || i FROM generate_series(1, 100) i");
      s.execute("SELECT create_distributed_table('cp', 'k', shard_count => 4)");
      s.execute("CREATE TABLE cp_deferred (k int, v int,"
          + " UNIQUE (k) DEFERRABLE INITIALLY DEFERRED)");
      s.execute("INSERT INTO cp_deferred SELECT i, i FROM generate_series(1, 100) i");
      s.execute("SELECT create_distributed_table('cp_deferred', 'k', shard_count => 4)");
      key = WorkerStatements.keyPerWorker(c, "cp");
    }
  }
  /** Other tests (the golden files) expect a cluster without distributed tables of ours. */
  @AfterAll
  static void tearDown() throws SQLException {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS cp, cp_deferred");
    }
  }


  private static int recordsOf(Connection c) throws SQLException {
    int pid = c.unwrap(PGConnection.class).getBackendPID();
    try (Connection admin = TestBasalt.connect(); Statement s = admin.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_dist_transaction"
            + " WHERE gid LIKE 'citus\\_0\\_" + pid + "\\_%'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static String valueOf(int k) throws SQLException {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT v FROM cp WHERE k = " + k)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static boolean prepared(List<String> log) {
    return log.stream().anyMatch(l -> l.startsWith("PREPARE TRANSACTION"));
  }

  @Test
  void recoveryRemovesTheRecordsOfFinishedTransactions() throws SQLException {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      // Records whose transactions finished (nothing is prepared under these gids on any
      // worker), more than one DELETE batch per worker.
      s.execute("INSERT INTO pg_dist_transaction (groupid, gid)"
          + " SELECT n.groupid, 'citus_0_999999_' || i || '_1'"
          + " FROM pg_dist_node n, generate_series(1, 2500) i WHERE n.groupid > 0");
      s.execute("SELECT recover_prepared_transactions()");
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_dist_transaction"
          + " WHERE gid LIKE 'citus\\_0\\_999999\\_%'")) {
        rs.next();
        assertEquals(0, rs.getInt(1));
      }
    }
  }

  @Test
  void singleShardWriteInABlockCommitsInOnePhase() throws SQLException {
    try (Connection c = WorkerStatements.connect(); Statement s = c.createStatement()) {
      long[] marks = WorkerStatements.marks();
      c.setAutoCommit(false);
      s.executeUpdate("UPDATE cp SET v = 'one-phase' WHERE k = " + key[0]);
      c.commit();
      List<String> w1 = WorkerStatements.since(marks, 0);
      assertTrue(w1.get(0).startsWith("BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE"), "" + w1);
      assertTrue(w1.stream().anyMatch(l -> l.startsWith("UPDATE")), "" + w1);
      assertFalse(prepared(w1), "a lone writer was prepared: " + w1);
      assertEquals("COMMIT", w1.get(w1.size() - 1), "" + w1);
      assertEquals(List.of(), WorkerStatements.since(marks, 1));
      assertEquals(0, recordsOf(c), "a commit record was written");
      assertEquals("one-phase", valueOf(key[0]));
    }
  }

  /**
   * In the simple protocol the worker's BEGIN goes in one Query message with the block's first
   * statement there (one log line), and the commit statements go as simple queries too.
   */
  @Test
  void theWorkersBeginTravelsWithTheFirstStatement() throws SQLException {
    java.util.Properties simple = new java.util.Properties();
    simple.setProperty("preferQueryMode", "simple");
    try (Connection c = WorkerStatements.connect(simple); Statement s = c.createStatement()) {
      // The session's first statement on a worker connection gives it the session's settings.
      s.executeQuery("SELECT v FROM cp WHERE k = " + key[0]).close();
      s.executeQuery("SELECT v FROM cp WHERE k = " + key[1]).close();
      long[] marks = WorkerStatements.marks();
      s.execute("BEGIN");
      s.executeUpdate("UPDATE cp SET v = 'merged' WHERE k = " + key[0]);
      s.executeUpdate("UPDATE cp SET v = 'merged' WHERE k = " + key[1]);
      s.execute("COMMIT");
      for (int w = 0; w < 2; w++) {
        List<String> log = WorkerStatements.since(marks, w);
        assertTrue(log.get(0).startsWith("BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE"
            + " NOT DEFERRABLE; UPDATE "), "" + log);
        assertEquals(3, log.size(), "" + log);
        assertTrue(log.get(1).startsWith("PREPARE TRANSACTION"), "" + log);
        assertTrue(log.get(2).startsWith("COMMIT PREPARED"), "" + log);
      }
      assertEquals("merged", valueOf(key[0]));
      assertEquals("merged", valueOf(key[1]));
    }
  }

  /**
   * After a simple-protocol BEGIN, Basalt knows whether anything ran in the coordinator
   * database since, and asks it whether it wrote only if something did: a local write before or
   * after the one worker's write still makes the commit two-phase, and a block with nothing local
   * commits in one phase.
   */
  @Test
  void oneWorkerWriteAndALocalWriteCommitInTwoPhases() throws SQLException {
    java.util.Properties simple = new java.util.Properties();
    simple.setProperty("preferQueryMode", "simple");
    try (Connection c = WorkerStatements.connect(simple); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS cp_local (v text)");
      String[][] blocks = {
          {"INSERT INTO cp_local VALUES ('before')", "UPDATE cp SET v = 'before' WHERE k = "},
          {"UPDATE cp SET v = 'after' WHERE k = ", "INSERT INTO cp_local VALUES ('after')"},
          {"UPDATE cp SET v = 'alone' WHERE k = "}};
      for (String[] block : blocks) {
        long[] marks = WorkerStatements.marks();
        s.execute("BEGIN");
        for (String statement : block) {
          s.execute(statement.endsWith("= ") ? statement + key[0] : statement);
        }
        s.execute("COMMIT");
        List<String> log = WorkerStatements.since(marks, 0);
        String expected = block.length == 2 ? block[0].contains("'before'") ? "before" : "after"
            : "alone";
        assertEquals(block.length == 2, prepared(log), expected + ": " + log);
        assertEquals(expected, valueOf(key[0]));
      }
      try (ResultSet rs = s.executeQuery("SELECT string_agg(v, ',' ORDER BY v) FROM cp_local")) {
        rs.next();
        assertEquals("after,before", rs.getString(1));
      }
      s.execute("DROP TABLE cp_local");
    }
  }

  @Test
  void writesOnTwoWorkersCommitInTwoPhases() throws SQLException {
    try (Connection c = WorkerStatements.connect(); Statement s = c.createStatement()) {
      long[] marks = WorkerStatements.marks();
      c.setAutoCommit(false);
      s.executeUpdate("UPDATE cp SET v = 'two-phase' WHERE k = " + key[0]);
      s.executeUpdate("UPDATE cp SET v = 'two-phase' WHERE k = " + key[1]);
      c.commit();
      int pid = c.unwrap(PGConnection.class).getBackendPID();
      for (int w = 0; w < 2; w++) {
        List<String> log = WorkerStatements.since(marks, w);
        assertTrue(log.stream().anyMatch(l -> l.startsWith("PREPARE TRANSACTION 'citus_0_" + pid
            + "_")), "worker " + (w + 1) + ": " + log);
        assertTrue(log.get(log.size() - 1).startsWith("COMMIT PREPARED 'citus_0_" + pid + "_"),
            "worker " + (w + 1) + ": " + log);
      }
      assertEquals("two-phase", valueOf(key[0]));
      assertEquals("two-phase", valueOf(key[1]));
    }
  }

  @Test
  void aReaderAndOneWriterCommitInOnePhase() throws SQLException {
    try (Connection c = WorkerStatements.connect(); Statement s = c.createStatement()) {
      long[] marks = WorkerStatements.marks();
      c.setAutoCommit(false);
      try (ResultSet rs = s.executeQuery("SELECT v FROM cp WHERE k = " + key[0])) {
        assertTrue(rs.next());
      }
      s.executeUpdate("UPDATE cp SET v = 'read-then-write' WHERE k = " + key[1]);
      c.commit();
      List<String> reader = WorkerStatements.since(marks, 0);
      List<String> writer = WorkerStatements.since(marks, 1);
      assertFalse(prepared(reader), "" + reader);
      assertFalse(prepared(writer), "" + writer);
      assertEquals("COMMIT", reader.get(reader.size() - 1), "" + reader);
      assertEquals("COMMIT", writer.get(writer.size() - 1), "" + writer);
      assertEquals(0, recordsOf(c));
      assertEquals("read-then-write", valueOf(key[1]));
    }
  }

  @Test
  void aReadThatLockedRowsCountsAsAWrite() throws SQLException {
    // SELECT ... FOR UPDATE is routed as a read, but it gave its worker transaction an xid:
    // asked at commit, that worker is prepared with the writer.
    try (Connection c = WorkerStatements.connect(); Statement s = c.createStatement()) {
      long[] marks = WorkerStatements.marks();
      c.setAutoCommit(false);
      try (ResultSet rs = s.executeQuery("SELECT v FROM cp WHERE k = " + key[0]
          + " FOR UPDATE")) {
        assertTrue(rs.next());
      }
      s.executeUpdate("UPDATE cp SET v = 'locked' WHERE k = " + key[1]);
      c.commit();
      assertTrue(prepared(WorkerStatements.since(marks, 0)));
      assertTrue(prepared(WorkerStatements.since(marks, 1)));
    }
  }

  @Test
  void aMultiShardWriteOutsideABlockCommitsInTwoPhases() throws SQLException {
    try (Connection c = WorkerStatements.connect(); Statement s = c.createStatement()) {
      long[] marks = WorkerStatements.marks();
      assertEquals(100, s.executeUpdate("UPDATE cp SET v = v"));
      assertTrue(prepared(WorkerStatements.since(marks, 0)));
      assertTrue(prepared(WorkerStatements.since(marks, 1)));
    }
  }

  @Test
  void aOnePhaseCommitTheWorkerRefusesRollsBackWithTheWorkersError() throws SQLException {
    try (Connection c = WorkerStatements.connect(); Statement s = c.createStatement()) {
      long[] marks = WorkerStatements.marks();
      c.setAutoCommit(false);
      // The deferred unique check runs at the worker's COMMIT.
      s.executeUpdate("INSERT INTO cp_deferred VALUES (" + key[0] + ", -1)");
      SQLException e = assertThrows(SQLException.class, c::commit);
      assertEquals("23505", e.getSQLState(), e::toString);
      assertFalse(prepared(WorkerStatements.since(marks, 0)));
      c.setAutoCommit(true);
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM cp_deferred WHERE k = "
          + key[0])) {
        rs.next();
        assertEquals(1, rs.getInt(1));
      }
    }
  }

  @Test
  void aFailedPrepareRollsBackTheOtherWorkerToo() throws SQLException {
    try (Connection c = WorkerStatements.connect(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.executeUpdate("UPDATE cp_deferred SET v = -2 WHERE k = " + key[1]);
      s.executeUpdate("INSERT INTO cp_deferred VALUES (" + key[0] + ", -1)");
      SQLException e = assertThrows(SQLException.class, c::commit);
      assertEquals("23505", e.getSQLState(), e::toString);
      c.setAutoCommit(true);
      try (ResultSet rs = s.executeQuery("SELECT v FROM cp_deferred WHERE k = " + key[1])) {
        rs.next();
        assertEquals(key[1], rs.getInt(1), "the other worker's update was committed");
      }
    }
    for (var w : WorkerStatements.workers()) {
      assertEquals("0", w.psqlOutput("postgres", "SELECT count(*) FROM pg_prepared_xacts"));
    }
  }
}
