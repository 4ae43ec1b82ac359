package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * SQL-level PREPARE / EXECUTE / DEALLOCATE on distributed tables, differentially: the same
 * script runs through Basalt (tables distributed) and on a plain PostgreSQL (schema
 * {@code sp_plain} of the coordinator database), over the simple protocol and over pgjdbc's
 * extended protocol; every answer, error (SQLSTATE, message, detail, position) and the rows
 * left behind must be the same.
 */
class SqlPreparedIT {
  private static final String SCHEMA = """
      CREATE TABLE sp_items (k int NOT NULL, id int NOT NULL, v text, n int, PRIMARY KEY (k, id));
      CREATE TABLE sp_other (k int NOT NULL, w text, m int);
      CREATE TABLE sp_ref (n int PRIMARY KEY, label text);
      CREATE TABLE sp_local (a int, b text);
      """;
  private static final String DATA = """
      INSERT INTO sp_items SELECT g % 10, g, 'v' || g, g % 7 FROM generate_series(1, 60) g;
      INSERT INTO sp_other SELECT g, 'w' || g, g * 3 FROM generate_series(0, 9) g;
      INSERT INTO sp_ref SELECT g, 'label ' || g FROM generate_series(0, 6) g;
      INSERT INTO sp_local VALUES (1, 'one'), (2, 'two');
      """;
  private static final List<String> DISTRIBUTE = List.of(
      "SELECT create_distributed_table('sp_items', 'k', shard_count => 4)",
      "SELECT create_distributed_table('sp_other', 'k', colocate_with => 'sp_items')",
      "SELECT create_reference_table('sp_ref')");
  private static final String DROP = "DROP TABLE IF EXISTS sp_items, sp_other, sp_ref, sp_local";

  /** Each line one statement; both servers must answer each the same. */
  private static final List<String> SCRIPT = List.of(
      "PREPARE q1(int) AS SELECT k, id, v FROM sp_items WHERE k = $1 ORDER BY id",
      "EXECUTE q1(3)",
      "EXECUTE q1('4')",
      "EXECUTE q1(2.6)",
      "EXECUTE q1(NULL)",
      "PREPARE q2 AS SELECT count(*), sum(n) FROM sp_items WHERE n > $1",
      "EXECUTE q2(2)",
      "EXECUTE q2(1 + 1 * 3)",
      "EXECUTE q2(true)",
      "EXECUTE q2(1, 2)",
      "EXECUTE q2",
      "PREPARE q2 AS SELECT 1",
      "PREPARE ins(int, int, text) AS INSERT INTO sp_items (k, id, v) VALUES ($1, $2, $3),"
          + " ($4, $2 + 1, $3 || '+') RETURNING *",
      "EXECUTE ins(1, 500, 'x', 2)",
      "EXECUTE ins(7, 510, NULL, '8')",
      "EXECUTE ins(7, 520, NULL, 7)",
      "PREPARE ins2 AS INSERT INTO sp_items (k, id, v) VALUES ($1, $2, $3), ($4, $5, $3)",
      "EXECUTE ins2(2, 600, 'u', 5, 601)",
      "PREPARE upd AS UPDATE sp_items SET v = v || $2 WHERE k = $1 RETURNING k, id, v",
      "EXECUTE upd(2, '!')",
      "EXECUTE upd(8, 'more')",
      "PREPARE del(int) AS DELETE FROM sp_items WHERE id > $1",
      "EXECUTE del(58)",
      "PREPARE j AS SELECT i.k, count(*) FROM sp_items i JOIN sp_other o ON o.k = i.k"
          + " WHERE o.m > $1 GROUP BY i.k ORDER BY 1",
      "EXECUTE j(12)",
      "PREPARE r AS SELECT i.id, r.label FROM sp_items i JOIN sp_ref r ON r.n = i.n"
          + " WHERE i.k = $1 ORDER BY 1",
      "EXECUTE r(5)",
      "PREPARE uf AS UPDATE sp_items i SET n = o.m FROM sp_other o WHERE o.k = i.k AND o.k = $1",
      "EXECUTE uf(4)",
      "PREPARE loc AS SELECT b FROM sp_local WHERE a = $1",
      "EXECUTE loc(2)",
      "PREPARE bad AS SELECT nope FROM sp_items",
      "PREPARE bad2 AS SELECT * FROM sp_items WHERE k = $1 AND $2 IS NULL",
      "SELECT name, statement, parameter_types::text, from_sql FROM pg_prepared_statements WHERE from_sql"
          + " ORDER BY name",
      "DEALLOCATE q1",
      "EXECUTE q1(3)",
      "DEALLOCATE PREPARE q2",
      "DEALLOCATE nothing",
      "SELECT name FROM pg_prepared_statements WHERE from_sql ORDER BY name",
      "BEGIN",
      "EXECUTE upd(3, '?')",
      "EXECUTE q2(1)",
      "EXECUTE upd(3, '?')",
      "ROLLBACK",
      "BEGIN",
      "EXECUTE upd(6, 'kept')",
      "EXECUTE del(50)",
      "COMMIT",
      "DEALLOCATE ALL",
      "EXECUTE upd(2, 'x')",
      "SELECT count(*) FROM pg_prepared_statements WHERE from_sql");

  private static TwinTables twins;
  private static Connection basalt;
  private static Connection plain;

  @BeforeAll
  static void connect() throws SQLException {
    twins = TwinTables.open("sp_plain", DROP);
    basalt = twins.basalt;
    plain = twins.plain;
  }

  @AfterAll
  static void dropAll() throws SQLException {
    twins.close();
  }

  @BeforeEach
  void load() throws SQLException {
    twins.load(SCHEMA + DATA, DISTRIBUTE);
  }

  @Test
  void simpleProtocol() throws SQLException {
    sameScript("simple");
  }

  @Test
  void extendedProtocol() throws SQLException {
    sameScript("extended");
  }

  private static void sameScript(String mode) throws SQLException {
    Properties p = queryMode(mode);
    try (Connection b = TestBasalt.connect(p); Connection d = twins.plain(p)) {
      for (String sql : SCRIPT) {
        assertEquals(answer(d, sql), answer(b, sql), mode + ": " + sql);
      }
    }
    for (String table : List.of("sp_items", "sp_other", "sp_ref", "sp_local")) {
      String q = "SELECT * FROM " + table + " ORDER BY 1, 2";
      assertEquals(answer(plain, q), answer(basalt, q), q);
    }
  }

  /** Several EXECUTEs in one simple-protocol string run one by one on the shards. */
  @Test
  void multiStatementString() throws SQLException {
    try (Connection b = TestBasalt.connect(queryMode("simple"));
        Statement s = b.createStatement()) {
      s.execute("PREPARE m(int) AS UPDATE sp_items SET n = -1 WHERE k = $1");
      s.execute("EXECUTE m(1); EXECUTE m(2)");
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM sp_items WHERE n = -1")) {
        rs.next();
        assertEquals(12, rs.getInt(1));
      }
      s.execute("DEALLOCATE m");
    }
  }

  /**
   * A statement prepared while its table was local keeps its answer once the table is
   * distributed: it runs on the shards, not on the emptied shell.
   */
  @Test
  void preparedBeforeTheTableWasDistributed() throws SQLException {
    for (String mode : List.of("simple", "extended")) {
      try (Connection b = TestBasalt.connect(queryMode(mode)); Statement s = b.createStatement()) {
        s.execute("DROP TABLE IF EXISTS sp_late");
        s.execute("CREATE TABLE sp_late (k int, v text)");
        s.execute("INSERT INTO sp_late SELECT g, 'v' || g FROM generate_series(1, 20) g");
        s.execute("PREPARE late(int) AS SELECT v FROM sp_late WHERE k = $1");
        // In a string of several statements (one call to the coordinator database).
        s.execute("PREPARE late_all AS SELECT count(*) FROM sp_late; SELECT 1");
        s.execute("PREPARE late_gone AS SELECT count(*) FROM sp_late; DEALLOCATE late_gone");
        List<String> before = answer(b, "EXECUTE late(3)");
        assertEquals(List.of("v ", "v3|"), before, mode);
        s.execute("SELECT create_distributed_table('sp_late', 'k', shard_count => 4)");
        assertEquals(before, answer(b, "EXECUTE late(3)"), mode);
        assertEquals(List.of("count ", "20|"), answer(b, "EXECUTE late_all"), mode);
        assertEquals("26000", assertThrows(SQLException.class,
            () -> s.execute("EXECUTE late_gone")).getSQLState(), mode);
        assertTrue(answer(b, "EXPLAIN (COSTS OFF) EXECUTE late(1)").toString()
            .contains("Basalt Router"), mode);
        s.execute("DEALLOCATE ALL");
        s.execute("DROP TABLE sp_late");
      }
    }
  }

  /** The same for a protocol-level prepared statement (pgjdbc, server-prepared at once). */
  @Test
  void protocolStatementPreparedBeforeTheTableWasDistributed() throws SQLException {
    Properties p = new Properties();
    p.setProperty("prepareThreshold", "1");
    try (Connection b = TestBasalt.connect(p); Statement s = b.createStatement()) {
      s.execute("DROP TABLE IF EXISTS sp_late2");
      s.execute("CREATE TABLE sp_late2 (k int, v text)");
      s.execute("INSERT INTO sp_late2 SELECT g, 'v' || g FROM generate_series(1, 20) g");
      try (java.sql.PreparedStatement ps = b.prepareStatement(
          "SELECT v FROM sp_late2 WHERE k = ? OR k = 11 ORDER BY v")) {
        for (int run = 0; run < 3; run++) {
          ps.setInt(1, 4);
          try (ResultSet rs = ps.executeQuery()) {
            List<String> got = new ArrayList<>();
            while (rs.next()) {
              got.add(rs.getString(1));
            }
            assertEquals(List.of("v11", "v4"), got, "run " + run);
          }
          if (run == 0) {
            s.execute("SELECT create_distributed_table('sp_late2', 'k', shard_count => 4)");
          }
        }
      }
      s.execute("DROP TABLE sp_late2");
    }
  }

  /** EXPLAIN EXECUTE shows the distributed plan of the statement with the arguments' values. */
  @Test
  void explainExecute() throws SQLException {
    for (String mode : List.of("simple", "extended")) {
      try (Connection b = TestBasalt.connect(queryMode(mode)); Statement s = b.createStatement()) {
        s.execute("PREPARE ex(int) AS SELECT * FROM sp_items WHERE k = $1");
        s.execute("PREPARE exu AS UPDATE sp_items SET n = n + 1 WHERE k = $1");
        String router = String.join("\n", answer(b, "EXPLAIN (COSTS OFF) EXECUTE ex(3)"));
        assertTrue(router.contains("Custom Scan (Basalt Router)"), router);
        assertTrue(router.contains("Task Count: 1"), router);
        assertTrue(router.contains("(k = 3)") || router.contains("(k = $1)"), router);
        String all = String.join("\n", answer(b, "EXPLAIN (COSTS OFF) EXECUTE ex(NULL::int)"));
        assertTrue(all.contains("Basalt"), all);
        List<String> before = answer(b, "SELECT sum(n) FROM sp_items WHERE k = 5");
        // ANALYZE runs the update, as PostgreSQL's EXPLAIN ANALYZE EXECUTE does.
        String analyzed = String.join("\n",
            answer(b, "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) EXECUTE exu(5)"));
        assertTrue(analyzed.contains("Update on"), analyzed);
        List<String> after = answer(b, "SELECT sum(n) FROM sp_items WHERE k = 5");
        assertEquals(Integer.parseInt(before.get(1).replace("|", "")) + 6,
            Integer.parseInt(after.get(1).replace("|", "")), mode);
        assertEquals(List.of("error 42601 wrong number of parameters for prepared statement"
            + " \"ex\" / Expected 1 parameters but got 2. / null @0"),
            answer(b, "EXPLAIN EXECUTE ex(1, 2)"), mode);
        s.execute("DEALLOCATE ALL");
      }
    }
  }

  @Test
  void refusedShapes() throws SQLException {
    try (Connection b = TestBasalt.connect(queryMode("simple"));
        Statement s = b.createStatement()) {
      s.execute("PREPARE e(int) AS SELECT * FROM sp_items WHERE k = $1");
      SQLException e = assertThrows(SQLException.class,
          () -> s.execute("CREATE TEMP TABLE sp_copy AS EXECUTE e(1)"));
      assertEquals("0A000", e.getSQLState());
      e = assertThrows(SQLException.class,
          () -> s.execute("EXECUTE e((SELECT max(k) FROM sp_items))"));
      assertEquals("0A000", e.getSQLState());
      SQLException refused = assertThrows(SQLException.class, () -> s.execute(
          "PREPARE fu AS SELECT * FROM sp_items FOR UPDATE"));
      assertEquals("0A000", refused.getSQLState());
      // A refused PREPARE leaves nothing prepared.
      try (ResultSet rs = s.executeQuery(
          "SELECT count(*) FROM pg_prepared_statements WHERE name = 'fu'")) {
        assertTrue(rs.next());
        assertEquals(0, rs.getInt(1));
      }
      s.execute("DEALLOCATE e");
    }
  }

  /** pgjdbc's properties for one query mode: "simple" or "extended". */
  private static Properties queryMode(String mode) {
    Properties p = new Properties();
    p.setProperty("preferQueryMode", mode);
    return p;
  }

  /** Rows as text, the update count, or the error's fields. */
  private static List<String> answer(Connection c, String sql) {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement()) {
      if (s.execute(sql)) {
        try (ResultSet rs = s.getResultSet()) {
          out.addAll(TwinTables.rows(rs));
        }
      } else {
        out.add("count " + s.getUpdateCount());
      }
    } catch (PSQLException e) {
      ServerErrorMessage m = e.getServerErrorMessage();
      out.add(m == null ? "error " + e.getSQLState() : "error " + m.getSQLState() + " "
          + m.getMessage() + " / " + m.getDetail() + " / " + m.getHint() + " @" + m.getPosition());
    } catch (SQLException e) {
      out.add("error " + e.getSQLState() + " " + e.getMessage());
    }
    return out;
  }
}
