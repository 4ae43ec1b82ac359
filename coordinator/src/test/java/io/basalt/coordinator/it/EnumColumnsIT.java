package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A distributed table with an enum column answers like a plain table with the same rows (here a
 * local table of the coordinator database, read through Basalt). An enum has its own OID on every
 * server, so aggregates over it cannot be combined from the workers' partial rows by type OID
 * (they are gathered instead), and rows that come straight from a worker are described with the
 * coordinator's OID of the type, which pgjdbc looks up to read them.
 */
class EnumColumnsIT {
  private static final String ROWS = "SELECT g, (ARRAY['sad', 'ok', 'happy'])[1 + g % 3]::ec_mood,"
      + " g % 7 FROM generate_series(1, 200) g";

  @BeforeAll
  static void setUp() throws SQLException {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TYPE ec_mood AS ENUM ('sad', 'ok', 'happy')");
      s.execute("CREATE TABLE ec_dist (k int PRIMARY KEY, m ec_mood, n int)");
      s.execute("SELECT create_distributed_table('ec_dist', 'k', shard_count => 4)");
      s.execute("CREATE TABLE ec_local (k int PRIMARY KEY, m ec_mood, n int)");
      s.execute("INSERT INTO ec_dist " + ROWS);
      s.execute("INSERT INTO ec_local " + ROWS);
    }
  }

  @AfterAll
  static void tearDown() throws SQLException {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS ec_dist, ec_local");
      s.execute("DROP TYPE IF EXISTS ec_mood");
    }
  }

  private static List<String> rows(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      return TwinServers.rows(rs, new ArrayList<>());
    }
  }

  @Test
  void aggregatesOverAnEnumColumnAnswerAsOnePostgresql() throws SQLException {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      for (String q : List.of(
          "SELECT m, count(*), sum(n) FROM %s GROUP BY m ORDER BY m",
          "SELECT min(m)::text, max(m)::text, count(DISTINCT m) FROM %s",
          "SELECT count(*) FROM %s WHERE m > 'sad'",
          "SELECT m, n FROM %s WHERE k IN (1, 2, 3) ORDER BY m, n")) {
        List<String> expected = rows(s, String.format(q, "ec_local"));
        assertEquals(expected, rows(s, String.format(q, "ec_dist")), q);
      }
    }
  }

  /** The column's type name and its values as pgjdbc's getObject gives them. */
  private static List<String> typed(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      out.add(rs.getMetaData().getColumnTypeName(1));
      while (rs.next()) {
        out.add(String.valueOf(rs.getObject(1)));
      }
      return out;
    }
  }

  @Test
  void rowsStraightFromAWorkerNameTheCoordinatorsType() throws SQLException {
    for (boolean simple : new boolean[] {true, false}) {
      java.util.Properties props = new java.util.Properties();
      if (simple) {
        props.setProperty("preferQueryMode", "simple");
      }
      try (Connection c = TestBasalt.connect(props); Statement s = c.createStatement()) {
        for (String q : List.of("SELECT m FROM %s WHERE k = 1",
            "UPDATE %s SET m = 'happy' WHERE k = 2 RETURNING m",
            "UPDATE %s SET m = 'sad' WHERE k = 2 RETURNING m",
            "SELECT m FROM %s WHERE k IN (4, 5) ORDER BY k")) {
          assertEquals(typed(s, String.format(q, "ec_local")), typed(s, String.format(q, "ec_dist")),
              (simple ? "simple: " : "extended: ") + q);
        }
      }
    }
  }

  /**
   * ALTER TYPE reaches the workers' copies of the enum: a value added (BEFORE another, so the
   * order matters) can be stored and sorts as on PostgreSQL, a renamed value reads back under its
   * new name, and the type renamed or moved to another schema still works in casts the workers
   * see. A block that is rolled back leaves the workers' copies as they were.
   */
  @Test
  void alterTypeReachesTheWorkers() throws SQLException {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TYPE ec_level AS ENUM ('low', 'high')");
      s.execute("CREATE TABLE ec_alter (k int PRIMARY KEY, l ec_level)");
      s.execute("SELECT create_distributed_table('ec_alter', 'k', shard_count => 4)");
      s.execute("CREATE TABLE ec_alter_local (k int PRIMARY KEY, l ec_level)");
      try {
        s.execute("ALTER TYPE ec_level ADD VALUE 'mid' BEFORE 'high'");
        s.execute("ALTER TYPE ec_level ADD VALUE IF NOT EXISTS 'mid'");
        s.execute("BEGIN");
        s.execute("ALTER TYPE ec_level ADD VALUE 'never'");
        s.execute("ROLLBACK");
        for (String t : List.of("ec_alter", "ec_alter_local")) {
          s.execute("INSERT INTO " + t + " SELECT g, (ARRAY['low', 'mid', 'high'])[1 + g % 3]"
              + "::ec_level FROM generate_series(1, 30) g");
        }
        String q = "SELECT l::text, count(*) FROM %s GROUP BY l ORDER BY l";
        assertEquals(rows(s, String.format(q, "ec_alter_local")),
            rows(s, String.format(q, "ec_alter")));
        q = "SELECT k, l FROM %s ORDER BY l DESC, k LIMIT 5";
        assertEquals(rows(s, String.format(q, "ec_alter_local")),
            rows(s, String.format(q, "ec_alter")));

        s.execute("ALTER TYPE ec_level RENAME VALUE 'mid' TO 'medium'");
        q = "SELECT l FROM %s WHERE k = 1";
        assertEquals(List.of("('medium')"), rows(s, String.format(q, "ec_alter")));
        assertEquals(rows(s, String.format(q, "ec_alter_local")),
            rows(s, String.format(q, "ec_alter")));
        q = "SELECT count(*) FROM %s WHERE l = 'medium'::ec_level";
        assertEquals(rows(s, String.format(q, "ec_alter_local")),
            rows(s, String.format(q, "ec_alter")));

        s.execute("CREATE SCHEMA ec_other");
        s.execute("ALTER TYPE ec_level RENAME TO ec_grade");
        s.execute("ALTER TYPE ec_grade SET SCHEMA ec_other");
        q = "SELECT k FROM %s WHERE l = 'high'::ec_other.ec_grade AND k < 10 ORDER BY k";
        assertEquals(rows(s, String.format(q, "ec_alter_local")),
            rows(s, String.format(q, "ec_alter")));
        s.execute("INSERT INTO ec_alter VALUES (100, 'medium'::ec_other.ec_grade)");
        assertEquals(List.of("('medium')"), rows(s, "SELECT l FROM ec_alter WHERE k = 100"));

        SQLException e = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
            () -> s.execute("DROP TYPE ec_other.ec_grade CASCADE"));
        assertEquals("0A000", e.getSQLState());
      } finally {
        s.execute("DROP TABLE IF EXISTS ec_alter, ec_alter_local");
        s.execute("DROP TYPE IF EXISTS ec_level, ec_other.ec_grade");
        s.execute("DROP SCHEMA IF EXISTS ec_other");
      }
    }
  }
}
