package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SQL cursors (DECLARE ... CURSOR, FETCH, MOVE, CLOSE) over distributed and reference tables,
 * compared statement by statement with a plain PostgreSQL holding the same rows, in both of
 * pgjdbc's protocol modes: the SQLSTATE on error, the rows of every FETCH in order. Covered:
 * ordered and unordered queries, joins with a co-located and a reference table, aggregates, a
 * router query, SCROLL cursors moving back, the block's own writes, a cursor in a savepoint that
 * is rolled back, WITH HOLD cursors after COMMIT and outside a block, DECLARE outside a block
 * (PostgreSQL's 25P01), and parameters bound to the DECLARE. FOR UPDATE cursors are refused with
 * 0A000 on Basalt (documented) and not run on PostgreSQL.
 */
class CursorsIT {
  private static final String DROP = "DROP TABLE IF EXISTS cu_items, cu_notes, cu_ref";
  private static final String REFUSED = "-- refused 0A000";

  private static TwinServers twin;

  @BeforeAll
  static void setUp() throws SQLException {
    twin = TwinServers.open(DROP, List.of(
        "CREATE TABLE cu_items (id int PRIMARY KEY, grp int, name text)",
        "CREATE TABLE cu_notes (id int, n int, body text)",
        "CREATE TABLE cu_ref (grp int PRIMARY KEY, label text)",
        "INSERT INTO cu_items SELECT g, g % 5, 'item ' || g FROM generate_series(1, 300) g",
        "INSERT INTO cu_notes SELECT g % 300 + 1, g, 'note ' || g FROM generate_series(1, 500) g",
        "INSERT INTO cu_ref SELECT g, 'group ' || g FROM generate_series(0, 4) g"), List.of(
        "SELECT create_distributed_table('cu_items', 'id', shard_count => 4)",
        "SELECT create_distributed_table('cu_notes', 'id', colocate_with => 'cu_items')",
        "SELECT create_reference_table('cu_ref')"));
  }

  @AfterAll
  static void tearDown() throws SQLException {
    if (twin != null) {
      twin.close();
    }
  }

  private static final List<String> SCRIPT = List.of(
      "BEGIN",
      "DECLARE c1 CURSOR FOR SELECT id, name FROM cu_items ORDER BY id",
      "FETCH 5 FROM c1",
      "MOVE FORWARD 100 IN c1",
      "FETCH 3 FROM c1",
      "FETCH NEXT FROM c1",
      "CLOSE c1",
      "DECLARE c2 SCROLL CURSOR FOR SELECT i.id, r.label FROM cu_items i"
          + " JOIN cu_ref r ON r.grp = i.grp WHERE i.id BETWEEN 10 AND 30 ORDER BY i.id DESC",
      "FETCH LAST FROM c2",
      "FETCH PRIOR FROM c2",
      "FETCH ABSOLUTE 4 FROM c2",
      "FETCH BACKWARD 2 FROM c2",
      "FETCH RELATIVE 5 FROM c2",
      "DECLARE c3 NO SCROLL CURSOR WITHOUT HOLD FOR SELECT grp, count(*), sum(id), min(name)"
          + " FROM cu_items GROUP BY grp ORDER BY grp",
      "FETCH ALL FROM c3",
      "FETCH 1 FROM c3",
      "DECLARE c4 CURSOR FOR SELECT i.id, count(n.n) FROM cu_items i JOIN cu_notes n"
          + " ON n.id = i.id GROUP BY i.id ORDER BY count(n.n) DESC, i.id LIMIT 10",
      "FETCH FORWARD 4 FROM c4",
      "FETCH ALL IN c4",
      "DECLARE c5 CURSOR FOR SELECT * FROM cu_items WHERE id = 42",
      "FETCH ALL FROM c5",
      "INSERT INTO cu_items VALUES (1000, 1, 'new in block'), (1001, 2, 'also new')",
      "UPDATE cu_items SET name = 'changed' WHERE id = 3",
      "DECLARE c6 CURSOR FOR SELECT id, name FROM cu_items WHERE id > 999 OR id = 3 ORDER BY id",
      "FETCH ALL FROM c6",
      "SAVEPOINT s1",
      "DECLARE c7 CURSOR FOR SELECT count(*) FROM cu_items",
      "FETCH ALL FROM c7",
      "ROLLBACK TO SAVEPOINT s1",
      "FETCH ALL FROM c7",
      "ROLLBACK",
      "BEGIN",
      "DECLARE h1 CURSOR WITH HOLD FOR SELECT id, name FROM cu_items WHERE id % 50 = 0"
          + " ORDER BY id",
      "FETCH 2 FROM h1",
      "COMMIT",
      "FETCH ALL FROM h1",
      "CLOSE h1",
      "DECLARE h2 CURSOR WITH HOLD FOR SELECT grp, count(*) FROM cu_items GROUP BY grp"
          + " ORDER BY grp",
      "FETCH 2 FROM h2",
      "MOVE LAST IN h2",
      "FETCH ALL FROM h2",
      "CLOSE h2",
      "DECLARE outside CURSOR FOR SELECT * FROM cu_items",
      "BEGIN",
      "DECLARE e1 CURSOR FOR SELECT * FROM cu_items WHERE id = 1 FOR UPDATE " + REFUSED,
      "ROLLBACK",
      "BEGIN",
      "DECLARE empty CURSOR FOR SELECT * FROM cu_items WHERE id < 0",
      "FETCH ALL FROM empty",
      "DECLARE u CURSOR FOR SELECT id FROM cu_items WHERE grp = 3 AND id < 40"
          + " UNION ALL SELECT grp FROM cu_ref ORDER BY 1",
      "FETCH ALL FROM u",
      "COMMIT",
      // Router cursors (only the key's shard group is read) and filtered ones (the WHERE runs
      // on the shards), over the block's own writes.
      "BEGIN",
      "INSERT INTO cu_notes VALUES (77, 9001, 'written in the block')",
      "UPDATE cu_items SET name = 'renamed in the block' WHERE id = 77",
      "DECLARE r1 SCROLL CURSOR FOR SELECT i.id, i.name, n.n, r.label FROM cu_items i"
          + " JOIN cu_notes n ON n.id = i.id JOIN cu_ref r ON r.grp = i.grp WHERE i.id = 77"
          + " ORDER BY n.n",
      "FETCH ALL FROM r1",
      "FETCH BACKWARD 2 FROM r1",
      "DECLARE r2 CURSOR FOR SELECT grp, count(*) FROM cu_items WHERE id IN (5, 77, 250)"
          + " AND id = 77 GROUP BY grp",
      "FETCH ALL FROM r2",
      "DECLARE r3 CURSOR FOR SELECT id, upper(name) FROM cu_items WHERE id = 999999",
      "FETCH ALL FROM r3",
      "DECLARE f1 CURSOR FOR SELECT id, name FROM cu_items WHERE grp = 4 AND name LIKE '%9'"
          + " ORDER BY id DESC",
      "FETCH 3 FROM f1",
      "FETCH ALL FROM f1",
      "DECLARE f2 CURSOR FOR SELECT grp, count(*), max(id) FROM cu_items WHERE id <= 150"
          + " GROUP BY grp HAVING count(*) > 29 ORDER BY grp",
      "FETCH ALL FROM f2",
      "DECLARE f3 CURSOR FOR SELECT DISTINCT ON (id % 7) id % 7, id FROM cu_notes"
          + " WHERE n BETWEEN 100 AND 200 ORDER BY id % 7, id DESC",
      "FETCH ALL FROM f3",
      "COMMIT",
      "BEGIN",
      "DECLARE h3 CURSOR WITH HOLD FOR SELECT id, name FROM cu_items WHERE id = 77",
      "COMMIT",
      "FETCH ALL FROM h3",
      "CLOSE h3",
      "SELECT count(*) FROM cu_items");

  @Test
  void cursorsAnswerAsOnePostgresql() throws SQLException {
    List<String> mismatches = new ArrayList<>();
    for (boolean simple : new boolean[] {true, false}) {
      Properties props = new Properties();
      if (simple) {
        props.setProperty("preferQueryMode", "simple");
      }
      try (Connection b = TestBasalt.connect(props); Connection p = twin.connectPostgres(props);
          Statement sb = b.createStatement(); Statement sp = p.createStatement()) {
        for (String step : SCRIPT) {
          String sql = step.replace(" " + REFUSED, "");
          TwinServers.Outcome basalt = run(sb, sql);
          if (step.endsWith(REFUSED)) {
            if (!"0A000".equals(basalt.sqlState())) {
              mismatches.add((simple ? "simple: " : "extended: ") + sql + "\n  expected 0A000,"
                  + " Basalt: " + basalt);
            }
            // PostgreSQL's block fails the same way, so both go on alike.
            run(sp, "SELECT 1/0");
            continue;
          }
          TwinServers.Outcome postgres = run(sp, sql);
          if (!postgres.equals(basalt)) {
            mismatches.add((simple ? "simple: " : "extended: ") + sql + "\n  PostgreSQL: "
                + postgres + "\n  Basalt:     " + basalt);
          }
        }
      }
    }
    assertEquals("", String.join("\n", mismatches));
  }

  /** A DECLARE with a parameter bound by pgjdbc (extended protocol). */
  @Test
  void declareTakesBoundParameters() throws SQLException {
    List<List<String>> answers = new ArrayList<>();
    for (Connection c : List.of(TestBasalt.connect(), twin.connectPostgres(new Properties()))) {
      try (c) {
        c.setAutoCommit(false);
        try (java.sql.PreparedStatement ps = c.prepareStatement(
            "DECLARE pc CURSOR FOR SELECT id, name FROM cu_items WHERE grp = ? AND id < ?"
                + " ORDER BY id")) {
          ps.setInt(1, 2);
          ps.setInt(2, 60);
          ps.execute();
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("FETCH 20 FROM pc")) {
          answers.add(TwinServers.rows(rs, new ArrayList<>()));
        }
        c.rollback();
      }
    }
    assertEquals(12, answers.get(1).size());
    assertEquals(answers.get(1), answers.get(0));
  }

  /**
   * A router cursor reads only its key's shard group from the workers, and a single-table
   * cursor's WHERE runs on the shards: the reads the workers log, not just the answers.
   */
  @Test
  void cursorsReadOnlyWhatTheirQueryUses() throws SQLException {
    WorkerStatements.setUp();
    try (Connection c = WorkerStatements.connect(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      long[] marks = WorkerStatements.marks();
      s.execute("DECLARE r CURSOR FOR SELECT i.id, n.n FROM cu_items i JOIN cu_notes n"
          + " ON n.id = i.id WHERE i.id = 42 ORDER BY n.n");
      List<String> reads = gatherReads(marks);
      assertEquals(2, reads.size(), String.join("\n", reads));
      assertEquals(1, reads.stream().filter(r -> r.contains("cu_items_")).count());
      assertEquals(1, reads.stream().filter(r -> r.contains("cu_notes_")).count());
      try (ResultSet rs = s.executeQuery("FETCH ALL FROM r")) {
        assertEquals(List.of("('42', '41')", "('42', '341')"),
            TwinServers.rows(rs, new ArrayList<>()));
      }

      marks = WorkerStatements.marks();
      s.execute("DECLARE f CURSOR FOR SELECT id FROM cu_items WHERE grp = 3 ORDER BY id");
      reads = gatherReads(marks);
      assertEquals(4, reads.size(), String.join("\n", reads));
      for (String read : reads) {
        assertEquals(true, read.contains("WHERE grp = 3"), read);
      }
      try (ResultSet rs = s.executeQuery("FETCH 3 FROM f")) {
        assertEquals(List.of("('3')", "('8')", "('13')"), TwinServers.rows(rs, new ArrayList<>()));
      }
      c.rollback();
    }
  }

  /** The shard reads (COPY ... TO STDOUT) the workers logged since {@code marks}. */
  private static List<String> gatherReads(long[] marks) {
    List<String> reads = new ArrayList<>();
    for (int w = 0; w < marks.length; w++) {
      for (String statement : WorkerStatements.since(marks, w)) {
        if (statement.startsWith("COPY (SELECT")) {
          reads.add(statement);
        }
      }
    }
    return reads;
  }

  private static TwinServers.Outcome run(Statement s, String sql) {
    try {
      if (s.execute(sql)) {
        try (ResultSet rs = s.getResultSet()) {
          List<String> labels = new ArrayList<>();
          List<String> rows = TwinServers.rows(rs, labels);
          return new TwinServers.Outcome(null, -1, labels, rows);
        }
      }
      return new TwinServers.Outcome(null, s.getUpdateCount(), null, null);
    } catch (SQLException e) {
      return new TwinServers.Outcome(e.getSQLState(), -1, null, null, e.getMessage());
    }
  }
}
