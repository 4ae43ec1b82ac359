package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TRUNCATE of several distributed and reference tables in one statement, as on PostgreSQL:
 * tables tied by foreign keys go together (or PostgreSQL's error), its options apply, and a
 * rolled-back block gives every row back on every worker.
 */
class TruncateIT {
  @BeforeAll
  static void setUp() throws SQLException {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE tr_ref (id int PRIMARY KEY)");
      s.execute("SELECT create_reference_table('tr_ref')");
      s.execute("CREATE TABLE tr_parent (k int PRIMARY KEY, r int REFERENCES tr_ref (id))");
      s.execute("SELECT create_distributed_table('tr_parent', 'k', shard_count => 4)");
      s.execute("CREATE TABLE tr_child (k int, c int, PRIMARY KEY (k, c),"
          + " FOREIGN KEY (k) REFERENCES tr_parent (k))");
      s.execute("SELECT create_distributed_table('tr_child', 'k', colocate_with => 'tr_parent')");
      s.execute("CREATE TABLE tr_other (id bigserial, k int)");
      s.execute("SELECT create_distributed_table('tr_other', 'k', shard_count => 3,"
          + " colocate_with => 'none')");
    }
  }

  /** Other tests (the golden files) expect a cluster without distributed tables of ours. */
  @AfterAll
  static void tearDown() throws SQLException {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS tr_child, tr_parent, tr_ref, tr_other");
    }
  }

  @BeforeEach
  void fill() throws SQLException {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      s.execute("DELETE FROM tr_child");
      s.execute("DELETE FROM tr_parent");
      s.execute("DELETE FROM tr_other");
      s.execute("DELETE FROM tr_ref");
      s.execute("INSERT INTO tr_ref VALUES (1), (2)");
      s.execute("INSERT INTO tr_parent SELECT g, 1 + g % 2 FROM generate_series(1, 20) g");
      s.execute("INSERT INTO tr_child SELECT g, 7 FROM generate_series(1, 20) g");
      s.execute("INSERT INTO tr_other (k) SELECT g FROM generate_series(1, 20) g");
    }
  }

  private static List<Long> counts(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM tr_ref),"
        + " (SELECT count(*) FROM tr_parent), (SELECT count(*) FROM tr_child),"
        + " (SELECT count(*) FROM tr_other)")) {
      rs.next();
      return List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
    }
  }

  @Test
  void tablesTiedByForeignKeysAreTruncatedTogether() throws SQLException {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      SQLException e = assertThrows(SQLException.class, () -> s.execute("TRUNCATE tr_parent"));
      assertEquals("0A000", e.getSQLState());
      assertTrue(e.getMessage().contains("cannot truncate a table referenced in a foreign key"),
          e.getMessage());
      s.execute("TRUNCATE tr_parent, tr_child");
      assertEquals(List.of(2L, 0L, 0L, 20L), counts(s));
      s.execute("TRUNCATE TABLE tr_ref, ONLY tr_parent, tr_child, tr_other RESTART IDENTITY");
      assertEquals(List.of(0L, 0L, 0L, 0L), counts(s));
      // RESTART IDENTITY restarted the sequence behind tr_other.id.
      s.execute("INSERT INTO tr_other (k) VALUES (5)");
      try (ResultSet rs = s.executeQuery("SELECT id FROM tr_other")) {
        rs.next();
        assertEquals(1, rs.getLong(1));
      }
    }
  }

  @Test
  void aRolledBackBlockKeepsEveryRow() throws SQLException {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      s.execute("BEGIN");
      s.execute("TRUNCATE tr_child, tr_parent, tr_other");
      assertEquals(List.of(2L, 0L, 0L, 0L), counts(s));
      s.execute("ROLLBACK");
      assertEquals(List.of(2L, 20L, 20L, 20L), counts(s));
      s.execute("BEGIN");
      s.execute("TRUNCATE tr_ref CASCADE");
      assertEquals(List.of(0L, 0L, 0L, 20L), counts(s));
      s.execute("COMMIT");
      assertEquals(List.of(0L, 0L, 0L, 20L), counts(s));
    }
  }

  @Test
  void aLocalTableCannotBeMixedIn() throws SQLException {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TEMPORARY TABLE tr_local (a int)");
      SQLException e = assertThrows(SQLException.class,
          () -> s.execute("TRUNCATE tr_other, tr_local"));
      assertEquals("0A000", e.getSQLState());
      assertEquals(List.of(2L, 20L, 20L, 20L), counts(s));
    }
  }
}
