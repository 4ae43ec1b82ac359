package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** pgjdbc through Basalt: batches, multiple results, cursors, metadata, errors, transactions. */
class JdbcProtocolIT {

  @Test
  void batchIsAllOrNothingInAutocommit() throws SQLException {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS batch_t; CREATE TABLE batch_t (id int PRIMARY KEY)");
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO batch_t VALUES (?)")) {
        for (int id : new int[] {1, 2, 3}) {
          ps.setInt(1, id);
          ps.addBatch();
        }
        assertEquals(3, ps.executeBatch().length);
        for (int id : new int[] {4, 5, 1, 6}) {   // 1 is a duplicate: the whole batch fails
          ps.setInt(1, id);
          ps.addBatch();
        }
        BatchUpdateException e = assertThrows(BatchUpdateException.class, ps::executeBatch);
        assertEquals("23505", e.getNextException() != null
            ? e.getNextException().getSQLState() : e.getSQLState());
      }
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM batch_t")) {
        rs.next();
        assertEquals(3, rs.getInt(1), "PostgreSQL runs a batch in one implicit transaction");
      }
    }
  }

  /**
   * A statement prepared with binary results keeps them after DDL on the session's coordinator
   * connection (a gathered query's temporary table is one): pgjdbc there parses its statements
   * anew after a DDL and forgot the formats Basalt chose, so the client got text where it had
   * asked for binary (an int4 of two bytes: ArrayIndexOutOfBoundsException in the driver).
   */
  @Test
  void binaryResultsSurviveDdlOnTheSession() throws SQLException {
    Properties p = new Properties();
    p.setProperty("prepareThreshold", "-1");
    p.setProperty("binaryTransfer", "true");
    try (Connection c = TestBasalt.connect(p); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS jp_local, jp_dist, jp_other");
      s.execute("CREATE TABLE jp_local (a int, b bigint)");
      s.execute("INSERT INTO jp_local VALUES (10, 20000000000), (11, 1)");
      s.execute("CREATE TABLE jp_dist (k int, v int)");
      s.execute("SELECT create_distributed_table('jp_dist', 'k')");
      s.execute("INSERT INTO jp_dist VALUES (1, 1), (2, 2)");
      for (String between : List.of(
          "SELECT count(*) FROM jp_dist d JOIN jp_dist e ON e.v = d.v",
          "CREATE TABLE jp_other (x int)", "DROP TABLE jp_other")) {
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT a, b FROM jp_local ORDER BY a")) {
          for (int round = 0; round < 2; round++) {
            try (ResultSet rs = ps.executeQuery()) {
              assertTrue(rs.next());
              assertEquals(10, rs.getInt(1));
              assertEquals(20000000000L, rs.getLong(2));
            }
            if (round == 0) {
              s.execute(between);
            }
          }
        }
      }
      s.execute("DROP TABLE jp_local, jp_dist");
    }
  }

  @Test
  void multipleResultSetsFromOneString() throws SQLException {
    Properties p = new Properties();
    p.setProperty("preferQueryMode", "simple");
    try (Connection c = TestBasalt.connect(p); Statement s = c.createStatement()) {
      assertTrue(s.execute("SELECT 1 AS a; SELECT 'x' AS b, 'y' AS c; CREATE TEMP TABLE mr(i int)"));
      try (ResultSet rs = s.getResultSet()) {
        rs.next();
        assertEquals(1, rs.getInt(1));
      }
      assertTrue(s.getMoreResults());
      try (ResultSet rs = s.getResultSet()) {
        rs.next();
        assertEquals("y", rs.getString("c"));
      }
      assertFalse(s.getMoreResults());
      assertEquals(0, s.getUpdateCount());
    }
  }

  @Test
  void cursorFetchesInPiecesInsideTransaction() throws SQLException {
    try (Connection c = TestBasalt.connect()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.setFetchSize(7);
        List<Integer> seen = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT g FROM generate_series(1, 100) g")) {
          while (rs.next()) {
            seen.add(rs.getInt(1));
          }
        }
        assertEquals(100, seen.size());
        assertEquals(100, seen.get(99));
      }
      c.commit();
    }
  }

  @Test
  void databaseMetaDataSeesTables() throws SQLException {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS meta_t; CREATE TABLE meta_t (id bigint, name text NOT NULL)");
      DatabaseMetaData md = c.getMetaData();
      try (ResultSet rs = md.getTables(null, "public", "meta_t", new String[] {"TABLE"})) {
        assertTrue(rs.next());
        assertEquals("meta_t", rs.getString("TABLE_NAME"));
      }
      List<String> cols = new ArrayList<>();
      try (ResultSet rs = md.getColumns(null, "public", "meta_t", null)) {
        while (rs.next()) {
          cols.add(rs.getString("COLUMN_NAME") + ":" + rs.getString("TYPE_NAME") + ":"
              + rs.getString("IS_NULLABLE"));
        }
      }
      assertEquals(List.of("id:int8:YES", "name:text:NO"), cols);
      assertTrue(md.getDatabaseProductVersion().startsWith("1"));
    }
  }

  @Test
  void errorKeepsSqlStateAndFieldsAndTransactionRecovers() throws SQLException {
    try (Connection c = TestBasalt.connect()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TEMP TABLE err_t (i int CHECK (i > 0))");
        SQLException e = assertThrows(SQLException.class,
            () -> s.execute("INSERT INTO err_t VALUES (-1)"));
        assertEquals("23514", e.getSQLState());
        var sem = ((org.postgresql.util.PSQLException) e).getServerErrorMessage();
        assertEquals("err_t_i_check", sem.getConstraint());
        assertEquals("err_t", sem.getTable());
        SQLException aborted = assertThrows(SQLException.class, () -> s.execute("SELECT 1"));
        assertEquals("25P02", aborted.getSQLState());
        c.rollback();
        try (ResultSet rs = s.executeQuery("SELECT 2")) {
          rs.next();
          assertEquals(2, rs.getInt(1));
        }
      }
    }
  }

  @Test
  void syntaxErrorHasPosition() throws SQLException {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      SQLException e = assertThrows(SQLException.class, () -> s.execute("SELECT 1 FROMM t"));
      assertEquals("42601", e.getSQLState());
      var sem = ((org.postgresql.util.PSQLException) e).getServerErrorMessage();
      assertTrue(sem.getPosition() > 0);
    }
  }

  @Test
  void noticesAreRelayed() throws SQLException {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      s.execute("DO $$ BEGIN RAISE NOTICE 'hello %', 42; END $$");
      assertEquals("hello 42", s.getWarnings().getMessage());
    }
  }

  @Test
  void settingsAreReportedAndApplied() throws SQLException {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      s.execute("SET TimeZone = 'Asia/Tokyo'");
      var pgc = c.unwrap(org.postgresql.PGConnection.class);
      assertEquals("Asia/Tokyo", pgc.getParameterStatus("TimeZone"));
      s.execute("SET application_name = 'basalt-test'");
      assertEquals("basalt-test", pgc.getParameterStatus("application_name"));
      s.execute("SET IntervalStyle = 'iso_8601'");
      try (ResultSet rs = s.executeQuery("SELECT '1 day'::interval::text")) {
        rs.next();
        assertEquals("P1D", rs.getString(1));
      }
    }
  }

  @Test
  void runsAsTheClientsRole() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "app_user");
    p.setProperty("password", TestBasalt.USER_PASSWORD);
    try (Connection c = java.sql.DriverManager.getConnection(TestBasalt.url(), p);
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT current_user, session_user")) {
      rs.next();
      assertEquals("app_user", rs.getString(1));
      assertEquals("app_user", rs.getString(2));
      SQLException e = assertThrows(SQLException.class,
          () -> s.execute("SELECT * FROM pg_authid"));
      assertEquals("42501", e.getSQLState());
    }
  }
}
