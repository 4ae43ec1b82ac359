package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Writes on distributed tables, differentially: every statement runs through Basalt (tables
 * distributed) and on a plain PostgreSQL (the coordinator database, in schema {@code dw_plain}
 * holding the same rows), and both must answer the same and leave the same rows; or Basalt
 * refuses with 0A000.
 */
class DistributedWritesIT {
  private static final String SCHEMA = """
      CREATE TABLE dw_items (k int NOT NULL, id int NOT NULL, v text, n int, PRIMARY KEY (k, id));
      CREATE TABLE dw_other (k int NOT NULL, w text, m int);
      CREATE TABLE dw_ref (n int PRIMARY KEY, label text);
      CREATE TABLE dw_far (id int NOT NULL, k int, x int);
      """;
  private static final String DATA = """
      INSERT INTO dw_items SELECT g % 10, g, 'v' || g, g % 7 FROM generate_series(1, 60) g;
      INSERT INTO dw_other SELECT g, 'w' || g, g * 3 FROM generate_series(0, 9) g;
      INSERT INTO dw_ref SELECT g, 'label ' || g FROM generate_series(0, 6) g;
      INSERT INTO dw_far SELECT g, g % 10, g FROM generate_series(1, 20) g;
      """;
  private static final String DISTRIBUTE = """
      SELECT create_distributed_table('dw_items', 'k', shard_count => 4);
      SELECT create_distributed_table('dw_other', 'k', colocate_with => 'dw_items');
      SELECT create_reference_table('dw_ref');
      SELECT create_distributed_table('dw_far', 'id', colocate_with => 'none', shard_count => 3);
      """;
  private static final String DROP = "DROP TABLE IF EXISTS dw_items, dw_other, dw_ref, dw_far";

  private static TwinTables twins;
  private static Connection basalt;
  private static Connection plain;

  @BeforeAll
  static void connect() throws SQLException {
    twins = TwinTables.open("dw_plain", DROP);
    basalt = twins.basalt;
    plain = twins.plain;
  }

  @AfterAll
  static void dropAll() throws SQLException {
    twins.close();
  }

  @BeforeEach
  void load() throws SQLException {
    twins.load(SCHEMA + DATA, List.of(DISTRIBUTE.strip().split("\n")));
  }

  // ------------------------------------------------------------------ multi-row INSERT

  /** pgjdbc with untyped string parameters: the rows go to different shards. */
  @Test
  void multiRowInsertWithUntypedParameters() throws SQLException {
    Properties p = new Properties();
    p.setProperty("stringtype", "unspecified");
    p.setProperty("prepareThreshold", "1");
    String sql = "INSERT INTO dw_items (k, id, v, n) VALUES (?, ?, ?, ?), (?, ?, ?, ?), (?, ?, ?, ?)"
        + " RETURNING k, id, v, n + 1";
    try (Connection b = TestBasalt.connect(p); Connection d = twins.plain(p)) {
      for (int run = 0; run < 3; run++) {
        List<String> expected = insertUntyped(d, sql, run);
        assertEquals(expected, insertUntyped(b, sql, run), "run " + run);
      }
    }
    assertSameRows("SELECT * FROM dw_items ORDER BY k, id");
  }

  private static List<String> insertUntyped(Connection c, String sql, int run)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int param = 1;
      for (int row = 0; row < 3; row++) {
        ps.setString(param++, Integer.toString(row * 3 + run));   // k: shards differ per row
        ps.setString(param++, Integer.toString(100 + run * 10 + row));
        ps.setObject(param++, "new " + row, Types.OTHER);
        ps.setString(param++, Integer.toString(row));
      }
      try (ResultSet rs = ps.executeQuery()) {
        return TwinTables.rows(rs);
      }
    }
  }

  /** A raw Parse with parameter type 0, as libpq's PQprepare with no types sends it. */
  @Test
  void multiRowInsertParsedWithTypeZero() throws Exception {
    try (WireClient c = WireClient.connect(TestBasalt.port(), "postgres", TestBasalt.password())) {
      c.parse("ins", "INSERT INTO dw_items (k, id, v) VALUES ($1, $2, $3), ($4, $5, $6)",
          0, 0, 0, 0, 0, 0);
      c.bind("", "ins", "1", "201", "a", "2", "202", null);
      c.execute("");
      c.sync();
      List<WireClient.Message> out = c.readUntil('Z');
      for (WireClient.Message m : out) {
        assertTrue(m.tag() != 'E', "error: " + m.fields());
      }
      assertTrue(out.stream().anyMatch(m -> m.tag() == 'C'
          && new String(m.body(), java.nio.charset.StandardCharsets.UTF_8).startsWith("INSERT 0 2")),
          "command tag INSERT 0 2");
    }
    try (Statement s = plain.createStatement()) {
      s.execute("INSERT INTO dw_items (k, id, v) VALUES (1, 201, 'a'), (2, 202, NULL)");
    }
    assertSameRows("SELECT * FROM dw_items ORDER BY k, id");
  }

  // ------------------------------------------------------------------ FOR UPDATE

  @Test
  void forUpdateOverSeveralShardsIsRefused() throws SQLException {
    for (String sql : List.of("SELECT * FROM dw_items WHERE n = 3 FOR UPDATE",
        "SELECT * FROM dw_items FOR SHARE", "SELECT k FROM dw_items WHERE k > 2 FOR NO KEY UPDATE",
        "SELECT * FROM dw_items i JOIN dw_other o USING (k) FOR UPDATE")) {
      SQLException e = assertThrows(SQLException.class, () -> answer(basalt, sql), sql);
      assertEquals("0A000", e.getSQLState(), sql);
      assertTrue(e.getMessage().contains(
          "could not run distributed query with FOR UPDATE/SHARE commands"), e.getMessage());
    }
  }

  @Test
  void routerForUpdateLocks() throws SQLException {
    assertSame("SELECT * FROM dw_items WHERE k = 3 ORDER BY id FOR UPDATE");
    basalt.setAutoCommit(false);
    try (Connection other = TestBasalt.connect()) {
      answer(basalt, "SELECT * FROM dw_items WHERE k = 3 AND id = 13 FOR UPDATE");
      try (Statement s = other.createStatement()) {
        // The row is locked on its worker: another session cannot take it.
        SQLException e = assertThrows(SQLException.class, () -> s.executeQuery(
            "SELECT * FROM dw_items WHERE k = 3 AND id = 13 FOR UPDATE NOWAIT"));
        assertEquals("55P03", e.getSQLState());
      }
    } finally {
      basalt.rollback();
      basalt.setAutoCommit(true);
    }
  }

  // ------------------------------------------------------------------ UPDATE ... FROM

  /** Joined modifications that run per shard group or on one shard give PostgreSQL's answer. */
  @Test
  void updateFromAndDeleteUsingOnCoLocatedTables() throws SQLException {
    for (String sql : List.of(
        "UPDATE dw_items SET v = o.w || '/' || dw_items.v FROM dw_other o WHERE dw_items.k = o.k",
        "UPDATE dw_items i SET n = i.n + o.m FROM dw_other o, dw_ref r"
            + " WHERE o.k = i.k AND r.n = i.n AND r.label <> 'label 2' RETURNING i.k, i.id, i.n",
        "UPDATE dw_items i SET v = 'pinned' FROM dw_other o WHERE i.k = o.k AND i.k = 4"
            + " RETURNING i.id, o.w",
        "DELETE FROM dw_items i USING dw_other o WHERE o.k = i.k AND o.m > 20 AND i.n < 3"
            + " RETURNING i.*",
        "DELETE FROM dw_items WHERE k IN (SELECT k FROM dw_other WHERE m = 3) AND id > 30",
        "UPDATE dw_items i SET n = (SELECT max(m) FROM dw_other o WHERE o.k = i.k) WHERE i.id < 9",
        "DELETE FROM dw_items i WHERE NOT EXISTS (SELECT 1 FROM dw_other o WHERE o.k = i.k"
            + " AND o.m < 24) RETURNING k, id",
        "UPDATE dw_items i SET v = r.label FROM dw_other o JOIN dw_ref r ON r.n = o.m % 7"
            + " WHERE o.k = i.k AND i.k = 2",
        "DELETE FROM dw_items WHERE n IN (SELECT n FROM dw_ref WHERE label LIKE '%5')",
        "UPDATE dw_ref SET label = r2.label || '!' FROM dw_ref r2 WHERE r2.n = dw_ref.n + 1",
        "UPDATE dw_other o SET m = o.m + 1 FROM dw_items i WHERE i.k = o.k AND i.id = 7")) {
      assertSame(sql);
    }
  }

  @Test
  void joinedModificationsInBlocksAndWithParameters() throws SQLException {
    String sql = "UPDATE dw_items i SET n = o.m FROM dw_other o WHERE i.k = o.k AND o.k = ?"
        + " RETURNING i.id, i.n";
    basalt.setAutoCommit(false);
    plain.setAutoCommit(false);
    try {
      for (int key : new int[] {1, 5, 1}) {
        assertEquals(bound(plain, sql, key), bound(basalt, sql, key));
      }
      assertSame("DELETE FROM dw_items i USING dw_other o WHERE o.k = i.k AND o.m = 15");
      basalt.rollback();
      plain.rollback();
      assertSame("SELECT count(*) FROM dw_items");
    } finally {
      basalt.setAutoCommit(true);
      plain.setAutoCommit(true);
    }
  }

  private static List<String> bound(Connection c, String sql, int key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setInt(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return sorted(TwinTables.rows(rs));
      }
    }
  }

  @Test
  void joinedModificationsThatCannotBePushedDownAreRefused() throws SQLException {
    for (String sql : List.of(
        "UPDATE dw_items i SET v = o.w FROM dw_other o WHERE i.id = o.m",
        "UPDATE dw_items i SET v = 'x' FROM dw_far f WHERE f.id = i.k",
        "DELETE FROM dw_items i WHERE i.id IN (SELECT m FROM dw_other o WHERE o.k = i.n)",
        "UPDATE dw_items i SET k = o.k FROM dw_other o WHERE o.k = i.k",
        "DELETE FROM dw_items i USING dw_other o WHERE i.k = o.k OR o.m = 3")) {
      SQLException e = assertThrows(SQLException.class, () -> answer(basalt, sql), sql);
      assertEquals("0A000", e.getSQLState(), sql + ": " + e.getMessage());
    }
    for (String table : List.of("dw_items", "dw_other")) {
      assertSameRows("SELECT * FROM " + table + " ORDER BY 1, 2");
    }
  }

  // ------------------------------------------------------------------ helpers

  /** The statement gives the same answer on both, and leaves the same rows. */
  static void assertSame(String sql) throws SQLException {
    List<String> expected = answer(plain, sql);
    List<String> actual = answer(basalt, sql);
    if (!sql.toUpperCase().contains("ORDER BY")) {
      expected = sorted(expected);
      actual = sorted(actual);
    }
    assertEquals(expected, actual, sql);
    for (String table : List.of("dw_items", "dw_other", "dw_ref", "dw_far")) {
      assertSameRows("SELECT * FROM " + table + " ORDER BY 1, 2");
    }
  }

  static void assertSameRows(String query) throws SQLException {
    assertEquals(answer(plain, query), answer(basalt, query), query);
  }

  /** Rows as text (a header line of labels first), or the update count. */
  static List<String> answer(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      if (s.execute(sql)) {
        try (ResultSet rs = s.getResultSet()) {
          return TwinTables.rows(rs);
        }
      }
      return List.of("count " + s.getUpdateCount());
    }
  }

  private static List<String> sorted(List<String> rows) {
    if (rows.isEmpty()) {
      return rows;
    }
    List<String> body = new ArrayList<>(rows.subList(1, rows.size()));
    java.util.Collections.sort(body);
    List<String> out = new ArrayList<>();
    out.add(rows.get(0));
    out.addAll(body);
    return out;
  }
}
