package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.basalt.agent.testing.TestPostgres;
import io.basalt.coordinator.it.TwinServers.Outcome;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Differential test of schema changes interleaved with queries and long-lived prepared
 * statements: sc_items (distributed by id, 4 shards), sc_notes (co-located) and sc_ref (reference
 * table) on Basalt, the same tables plain on a separate PostgreSQL. Each side has two sessions,
 * A and B. A scripted list of steps (each naming its session) runs in order; every step runs on
 * PostgreSQL, then on Basalt, and the outcomes are compared: the SQLSTATE on error, update counts,
 * column labels, rows as text (in order when the SQL has a top-level ORDER BY, otherwise sorted).
 *
 * <p>Session A prepares its statements once at the start (pgjdbc PreparedStatement, default
 * prepareThreshold 5) and runs each more than five times before the first schema change, so they
 * are named server statements; they are run again after every change. PostgreSQL's answer is the
 * expected one, including its cached plan errors (0A000 "cached plan must not change result
 * type" when a named statement's result shape changed and pgjdbc cannot retry because a
 * transaction block is open).
 *
 * <p>A step marked as a documented refusal (docs/catalog.md: "Refused with 0A000") runs on Basalt
 * only, which must refuse it with 0A000; PostgreSQL does not run it, so both keep one schema. At
 * the end the full contents of the tables are compared. All mismatches are reported at once.
 */
class SchemaChangeDifferentialIT {
  private static final int TIMEOUT_SECONDS = 60;
  private static final int ROWS = 40;

  private static final String DROP =
      "DROP TABLE IF EXISTS sc_items, sc_items2, sc_notes, sc_ref CASCADE";
  private static final List<String> DISTRIBUTE = List.of(
      "SELECT create_distributed_table('sc_items', 'id', shard_count => 4)",
      "SELECT create_distributed_table('sc_notes', 'id', colocate_with => 'sc_items')",
      "SELECT create_reference_table('sc_ref')");
  private static final List<String> TABLES = List.of(
      "SELECT * FROM sc_items ORDER BY id",
      "SELECT * FROM sc_notes ORDER BY id, n",
      "SELECT * FROM sc_ref ORDER BY grp");

  /** Session A's long-lived prepared statements, by name. */
  private static final Map<String, String> PREPARED = new LinkedHashMap<>();

  static {
    PREPARED.put("p_router", "SELECT * FROM sc_items WHERE id = ?");
    PREPARED.put("p_all", "SELECT * FROM sc_items ORDER BY id");
    PREPARED.put("p_agg",
        "SELECT grp, count(*) AS n, sum(id) AS ids FROM sc_items GROUP BY grp ORDER BY grp");
    PREPARED.put("p_insert", "INSERT INTO sc_items VALUES (?, ?, ?)");
    PREPARED.put("p_update", "UPDATE sc_items SET name = ? WHERE id = ?");
    PREPARED.put("p_join", "SELECT i.id, i.name, n.n, n.body FROM sc_items i"
        + " JOIN sc_notes n ON n.id = i.id WHERE i.id = ? ORDER BY n.n");
    PREPARED.put("p_ref", "SELECT r.label, count(*) AS n FROM sc_items i"
        + " JOIN sc_ref r ON r.grp = i.grp GROUP BY r.label ORDER BY r.label");
  }

  private static TestPostgres reference;
  private static Side pg;
  private static Side bs;

  /** One side's two sessions and session A's prepared statements. */
  static final class Side {
    final String name;
    Connection a;
    Connection b;
    final Map<String, PreparedStatement> prepared = new LinkedHashMap<>();

    Side(String name) {
      this.name = name;
    }

    Connection session(String s) {
      return s.equals("A") ? a : b;
    }

    void prepareAll() throws SQLException {
      prepared.clear();
      for (Map.Entry<String, String> e : PREPARED.entrySet()) {
        prepared.put(e.getKey(), a.prepareStatement(e.getValue()));
      }
    }
  }

  @BeforeAll
  static void setUp() throws SQLException {
    TestBasalt.server();
    reference = TestPostgres.start();
    pg = new Side("PostgreSQL");
    bs = new Side("Basalt");
    pg.a = DriverManager.getConnection(reference.jdbcUrl(), reference.jdbcLogin());
    pg.b = DriverManager.getConnection(reference.jdbcUrl(), reference.jdbcLogin());
    bs.a = TestBasalt.connect();
    bs.b = TestBasalt.connect();
    for (Side side : List.of(pg, bs)) {
      try (Statement s = side.b.createStatement()) {
        s.execute(DROP);
        s.execute("CREATE TABLE sc_items (id int PRIMARY KEY, grp int, name text)");
        s.execute("CREATE TABLE sc_notes (id int, n int, body text, PRIMARY KEY (id, n))");
        s.execute("CREATE TABLE sc_ref (grp int PRIMARY KEY, label text)");
        for (String sql : fill()) {
          s.execute(sql);
        }
      }
    }
    try (Statement s = bs.b.createStatement()) {
      for (String sql : DISTRIBUTE) {
        s.execute(sql);
      }
    }
    pg.prepareAll();
    bs.prepareAll();
  }

  private static List<String> fill() {
    List<String> items = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (int id = 1; id <= ROWS; id++) {
      items.add("(" + id + ", " + (id % 5) + ", 'item_" + id + "')");
      for (int n = 1; n <= id % 3; n++) {
        notes.add("(" + id + ", " + n + ", 'note_" + id + "_" + n + "')");
      }
    }
    return List.of(
        "INSERT INTO sc_items VALUES " + String.join(", ", items),
        "INSERT INTO sc_notes VALUES " + String.join(", ", notes),
        "INSERT INTO sc_ref VALUES (0, 'zero'), (1, 'one'), (2, 'two'), (3, 'three'),"
            + " (4, 'four')");
  }

  @AfterAll
  static void tearDown() throws SQLException {
    try {
      for (Side side : new Side[] {bs, pg}) {
        if (side == null) {
          continue;
        }
        for (PreparedStatement p : side.prepared.values()) {
          closeQuietly(p);
        }
        for (Connection c : new Connection[] {side.a, side.b}) {
          if (c == null) {
            continue;
          }
          try (Statement s = c.createStatement()) {
            s.execute("ROLLBACK");
          } catch (SQLException e) {
            // No block open or connection broken.
          }
        }
        try (Statement s = side.b.createStatement()) {
          s.execute(DROP);
        } finally {
          closeQuietly(side.a);
          closeQuietly(side.b);
        }
      }
    } finally {
      if (reference != null) {
        reference.close();
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The script

  enum Kind { SQL, EXEC, ONCE }

  /**
   * A step: SQL runs text as a plain Statement; EXEC runs session A's prepared statement named
   * text with params; ONCE prepares text in the session, runs it once with params and closes it.
   * refusal: a documented refusal (Basalt must answer 0A000; PostgreSQL does not run it).
   */
  record Step(String session, Kind kind, String text, List<Object> params, boolean refusal) {
    String describe() {
      return switch (kind) {
        case SQL -> text;
        case EXEC -> "prepared " + text + " " + params + " (" + PREPARED.get(text) + ")";
        case ONCE -> "fresh prepared " + params + " (" + text + ")";
      };
    }
  }

  /** Builds the script with concrete values, so both sides get exactly the same steps. */
  static final class Script {
    final List<Step> steps = new ArrayList<>();
    int nextId = 1001;
    int counter = 0;

    void sql(String session, String sql) {
      steps.add(new Step(session, Kind.SQL, sql, List.of(), false));
    }

    void refusal(String session, String sql) {
      steps.add(new Step(session, Kind.SQL, sql, List.of(), true));
    }

    void exec(String name, Object... params) {
      steps.add(new Step("A", Kind.EXEC, name, List.of(params), false));
    }

    void once(String session, String sql, Object... params) {
      steps.add(new Step(session, Kind.ONCE, sql, List.of(params), false));
    }

    /** Replaces {id} with a new id and {grp} with id % 5. */
    String fillIn(String template) {
      int id = nextId++;
      return template.replace("{id}", Integer.toString(id))
          .replace("{grp}", Integer.toString(id % 5));
    }

    /** Session A runs every prepared statement once. */
    void execAll() {
      counter++;
      int id = nextId++;
      exec("p_router", 1 + counter % ROWS);
      exec("p_all");
      exec("p_agg");
      exec("p_insert", id, id % 5, "p_" + id);
      exec("p_update", "upd_" + counter, 1 + (counter * 7) % ROWS);
      exec("p_join", 1 + (counter * 5) % ROWS);
      exec("p_ref");
    }

    /** The checks after a schema change. */
    void checks(String insertWithoutColumnList, String insertOmittingNewColumn) {
      int first = nextId;
      sql("A", "SELECT * FROM sc_items ORDER BY id");
      sql("B", fillIn(insertWithoutColumnList));
      sql("B", fillIn(insertOmittingNewColumn));
      exec("p_router", first);
      execAll();
      sql("B", "SELECT * FROM sc_items WHERE id >= " + first + " ORDER BY id");
      once("B", "SELECT * FROM sc_items WHERE grp = ? AND id >= 1000 ORDER BY id", counter % 5);
    }
  }

  static List<Step> script() {
    Script s = new Script();
    // Warm-up: every prepared statement six times (named server statements from the 5th on).
    for (int i = 0; i < 6; i++) {
      s.execAll();
    }
    s.sql("B", "SELECT * FROM sc_items WHERE id <= 5 ORDER BY id");
    s.once("B", "SELECT name FROM sc_items WHERE id = ?", 7);

    // 1. ADD COLUMN without default, from B; A's first executions in a transaction block.
    s.sql("B", "ALTER TABLE sc_items ADD COLUMN c1 int");
    s.sql("A", "BEGIN");
    s.exec("p_all");
    s.exec("p_router", 2);
    s.sql("A", "ROLLBACK");
    s.checks("INSERT INTO sc_items VALUES ({id}, {grp}, 'v{id}', {id})",
        "INSERT INTO sc_items (id, grp, name) VALUES ({id}, {grp}, 'w{id}')");

    // 2. ADD COLUMN ... DEFAULT 7, from B.
    s.sql("B", "ALTER TABLE sc_items ADD COLUMN c2 int DEFAULT 7");
    s.checks("INSERT INTO sc_items VALUES ({id}, {grp}, 'v{id}', 1, 2)",
        "INSERT INTO sc_items (id, grp, name, c1) VALUES ({id}, {grp}, 'w{id}', 3)");

    // 3. ADD COLUMN NOT NULL with a default, from A itself.
    s.sql("A", "ALTER TABLE sc_items ADD COLUMN c3 text NOT NULL DEFAULT 'dflt'");
    s.checks("INSERT INTO sc_items VALUES ({id}, {grp}, 'v{id}', 1, 2, 'c3_{id}')",
        "INSERT INTO sc_items (id, grp, name, c1, c2) VALUES ({id}, {grp}, 'w{id}', 4, 5)");
    s.sql("B", "INSERT INTO sc_items (id, grp, name, c3) VALUES (" + (s.nextId++)
        + ", 1, 'nullc3', NULL)");

    // 4. ADD COLUMN in a transaction block in A, rolled back.
    s.sql("A", "BEGIN");
    s.sql("A", "ALTER TABLE sc_items ADD COLUMN tmp int DEFAULT 5");
    s.sql("A", "SELECT * FROM sc_items WHERE id <= 3 ORDER BY id");
    s.sql("A", s.fillIn("INSERT INTO sc_items VALUES ({id}, {grp}, 'tx{id}', 1, 2, 'x', 3)"));
    s.exec("p_router", 1);
    s.sql("A", "ROLLBACK");
    s.checks("INSERT INTO sc_items VALUES ({id}, {grp}, 'v{id}', 1, 2, 'c3_{id}')",
        "INSERT INTO sc_items (id, grp, name) VALUES ({id}, {grp}, 'w{id}')");

    // 5. DROP COLUMN, from B.
    s.sql("B", "ALTER TABLE sc_items DROP COLUMN c1");
    s.checks("INSERT INTO sc_items VALUES ({id}, {grp}, 'v{id}', 8, 'c3_{id}')",
        "INSERT INTO sc_items (id, grp, name) VALUES ({id}, {grp}, 'w{id}')");
    s.sql("B", s.fillIn("INSERT INTO sc_items (id, grp, name, c1) VALUES ({id}, {grp}, 'x', 1)"));

    // 6. RENAME COLUMN and back, from B.
    s.sql("B", "ALTER TABLE sc_items RENAME COLUMN name TO title");
    s.checks("INSERT INTO sc_items VALUES ({id}, {grp}, 'v{id}', 8, 'c3_{id}')",
        "INSERT INTO sc_items (id, grp, title) VALUES ({id}, {grp}, 'w{id}')");
    s.sql("B", "SELECT id, title FROM sc_items WHERE id <= 3 ORDER BY id");
    s.sql("B", "ALTER TABLE sc_items RENAME COLUMN title TO name");
    s.checks("INSERT INTO sc_items VALUES ({id}, {grp}, 'v{id}', 8, 'c3_{id}')",
        "INSERT INTO sc_items (id, grp, name, c3) VALUES ({id}, {grp}, 'w{id}', 'z')");

    // 7. ALTER COLUMN TYPE int -> bigint (not the distribution column), from B.
    s.sql("B", "ALTER TABLE sc_items ALTER COLUMN grp TYPE bigint");
    s.sql("A", "BEGIN");
    s.exec("p_agg");
    s.sql("A", "ROLLBACK");
    s.checks("INSERT INTO sc_items VALUES ({id}, 5000000000, 'v{id}', 8, 'c3_{id}')",
        "INSERT INTO sc_items (id, grp, name) VALUES ({id}, {grp}, 'w{id}')");
    s.sql("B", "SELECT pg_typeof(grp)::text, count(*) FROM sc_items GROUP BY 1");

    // 8. ALTER COLUMN TYPE text -> varchar(50), from B.
    s.sql("B", "ALTER TABLE sc_items ALTER COLUMN name TYPE varchar(50)");
    s.checks("INSERT INTO sc_items VALUES ({id}, {grp}, 'v{id}', 8, 'c3_{id}')",
        "INSERT INTO sc_items (id, grp, name) VALUES ({id}, {grp}, 'w{id}')");
    s.sql("B", s.fillIn("INSERT INTO sc_items (id, grp, name) VALUES ({id}, 1, '"
        + "x".repeat(60) + "')"));
    s.exec("p_update", "y".repeat(60), 3);
    s.exec("p_update", "short", 3);

    // 9. SET DEFAULT / DROP DEFAULT (from B, then from A).
    s.sql("B", "ALTER TABLE sc_items ALTER COLUMN c2 SET DEFAULT 9");
    s.checks("INSERT INTO sc_items VALUES ({id}, {grp}, 'v{id}', DEFAULT, 'c3_{id}')",
        "INSERT INTO sc_items (id, grp, name) VALUES ({id}, {grp}, 'w{id}')");
    s.sql("A", "ALTER TABLE sc_items ALTER COLUMN c2 DROP DEFAULT");
    s.checks("INSERT INTO sc_items VALUES ({id}, {grp}, 'v{id}', DEFAULT, DEFAULT)",
        "INSERT INTO sc_items (id, grp, name) VALUES ({id}, {grp}, 'w{id}')");

    // 10. ADD CONSTRAINT ... CHECK, from B; one that existing rows violate.
    s.sql("B", "ALTER TABLE sc_items ADD CONSTRAINT sc_items_grp_check CHECK (grp >= 0)");
    s.checks("INSERT INTO sc_items VALUES ({id}, {grp}, 'v{id}', 1, 'c3_{id}')",
        "INSERT INTO sc_items (id, grp, name) VALUES ({id}, {grp}, 'w{id}')");
    s.sql("B", s.fillIn("INSERT INTO sc_items VALUES ({id}, -1, 'neg')"));
    s.exec("p_insert", s.nextId++, -2, "neg_prepared");
    s.sql("B", "ALTER TABLE sc_items ADD CONSTRAINT sc_items_id_small CHECK (id < 100)");
    s.sql("B", "SELECT count(*) FROM sc_items");

    // 11. CREATE INDEX / DROP INDEX, from A and B.
    s.sql("A", "CREATE INDEX sc_items_name_idx ON sc_items (name)");
    s.checks("INSERT INTO sc_items VALUES ({id}, {grp}, 'v{id}', 1, 'c3_{id}')",
        "INSERT INTO sc_items (id, grp, name) VALUES ({id}, {grp}, 'w{id}')");
    s.sql("B", "SELECT id, name FROM sc_items WHERE name = 'item_9' ORDER BY id");
    s.sql("B", "CREATE UNIQUE INDEX sc_items_id_name_idx ON sc_items (id, name)");
    s.sql("B", "DROP INDEX sc_items_name_idx");
    s.sql("B", "DROP INDEX sc_items_id_name_idx");
    s.sql("B", "SELECT id, name FROM sc_items WHERE name = 'item_9' ORDER BY id");

    // 12. ADD COLUMN in a transaction block in B, committed.
    s.sql("B", "BEGIN");
    s.sql("B", "ALTER TABLE sc_items ADD COLUMN c4 numeric DEFAULT 1.5");
    s.sql("B", s.fillIn("INSERT INTO sc_items VALUES ({id}, {grp}, 'tx{id}', 1, 'c', 2.25)"));
    s.sql("B", "SELECT * FROM sc_items WHERE id <= 3 OR id >= " + (s.nextId - 1)
        + " ORDER BY id");
    s.sql("B", "COMMIT");
    s.checks("INSERT INTO sc_items VALUES ({id}, {grp}, 'v{id}', 1, 'c3_{id}', 3.75)",
        "INSERT INTO sc_items (id, grp, name, c2, c3) VALUES ({id}, {grp}, 'w{id}', 2, 'c')");

    // 13. RENAME TABLE and back, from B.
    s.sql("B", "ALTER TABLE sc_items RENAME TO sc_items2");
    s.execAll();
    s.sql("B", "SELECT * FROM sc_items2 WHERE id <= 5 ORDER BY id");
    s.sql("B", s.fillIn("INSERT INTO sc_items2 VALUES ({id}, {grp}, 'r{id}')"));
    s.sql("B", "SELECT * FROM sc_items WHERE id = 1");
    s.sql("B", "ALTER TABLE sc_items2 RENAME TO sc_items");
    s.checks("INSERT INTO sc_items VALUES ({id}, {grp}, 'v{id}', 1, 'c3_{id}', 3.75)",
        "INSERT INTO sc_items (id, grp, name) VALUES ({id}, {grp}, 'w{id}')");

    // 14. ALTER TABLE on the reference table.
    s.sql("B", "ALTER TABLE sc_ref ADD COLUMN note text DEFAULT 'r'");
    s.sql("B", "SELECT * FROM sc_ref ORDER BY grp");
    s.sql("B", "INSERT INTO sc_ref VALUES (5, 'five', 'x')");
    s.sql("B", "INSERT INTO sc_ref (grp, label) VALUES (6, 'six')");
    s.execAll();
    s.sql("A", "ALTER TABLE sc_ref ALTER COLUMN label TYPE varchar(20)");
    s.sql("B", "ALTER TABLE sc_ref RENAME COLUMN label TO title");
    s.execAll();
    s.sql("B", "ALTER TABLE sc_ref RENAME COLUMN title TO label");
    s.sql("B", "ALTER TABLE sc_ref DROP COLUMN note");
    s.sql("B", "SELECT * FROM sc_ref ORDER BY grp");
    s.execAll();

    // 15. ALTER TABLE on the co-located table.
    s.sql("B", "ALTER TABLE sc_notes ADD COLUMN flag boolean DEFAULT true");
    s.sql("B", "ALTER TABLE sc_notes ALTER COLUMN n TYPE bigint");
    s.sql("B", "INSERT INTO sc_notes VALUES (1, 10, 'ten', false)");
    s.sql("B", "INSERT INTO sc_notes (id, n, body) VALUES (2, 10, 'ten')");
    s.sql("B", "SELECT * FROM sc_notes WHERE id <= 3 ORDER BY id, n");
    s.exec("p_join", 1);
    s.exec("p_join", 2);

    // 16. Documented refusals (docs/catalog.md): serial / identity columns on a distributed table.
    s.refusal("B", "ALTER TABLE sc_items ADD COLUMN seq serial");
    s.refusal("A", "ALTER TABLE sc_items ADD COLUMN ident int GENERATED BY DEFAULT AS IDENTITY");
    s.checks("INSERT INTO sc_items VALUES ({id}, {grp}, 'v{id}', 1, 'c3_{id}', 3.75)",
        "INSERT INTO sc_items (id, grp, name) VALUES ({id}, {grp}, 'w{id}')");

    // 17. TRUNCATE: rolled back on sc_items, committed on sc_notes, then refilled.
    s.sql("B", "BEGIN");
    s.sql("B", "TRUNCATE sc_items");
    s.sql("B", "SELECT count(*) FROM sc_items");
    s.sql("B", "ROLLBACK");
    s.sql("B", "SELECT count(*) FROM sc_items");
    s.sql("B", "TRUNCATE sc_notes");
    s.exec("p_join", 1);
    s.sql("B", "SELECT count(*) FROM sc_notes");
    s.sql("B", "INSERT INTO sc_notes VALUES (1, 1, 'again', false), (2, 1, 'again', true),"
        + " (3, 1, 'again', NULL)");
    s.sql("A", "TRUNCATE sc_items, sc_notes");
    s.checks("INSERT INTO sc_items VALUES ({id}, {grp}, 'v{id}', 1, 'c3_{id}', 3.75)",
        "INSERT INTO sc_items (id, grp, name) VALUES ({id}, {grp}, 'w{id}')");
    s.sql("B", "INSERT INTO sc_notes VALUES (" + (s.nextId - 5) + ", 1, 'last', true)");
    s.execAll();
    return s.steps;
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  void schemaChangesGiveTheSameAnswers() {
    List<Step> steps = script();
    List<String> mismatches = new ArrayList<>();
    int matched = 0;
    int refusals = 0;
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      String label = "#" + (i + 1) + " [" + step.session() + "] " + step.describe();
      Outcome expected;
      Outcome actual;
      if (step.refusal()) {
        actual = run(bs, step);
        if ("0A000".equals(actual.sqlState())) {
          refusals++;
          System.out.println(label + "\n    documented refusal: Basalt error 0A000"
              + " (not run on PostgreSQL)");
          continue;
        }
        expected = run(pg, step);
      } else {
        expected = run(pg, step);
        actual = run(bs, step);
      }
      boolean same = expected.equals(actual);
      System.out.println(label + "\n    " + (same ? "same" : "DIFFERENT") + ": PostgreSQL "
          + expected.brief() + (same ? "" : "; Basalt " + actual.brief()));
      if (same) {
        matched++;
      } else {
        mismatches.add(label + (step.refusal() ? " (documented refusal expected)" : "")
            + "\n    expected (PostgreSQL): " + expected + "\n    actual (Basalt):       " + actual);
      }
      if (actual.sqlState() != null
          && (actual.sqlState().startsWith("client ") || actual.sqlState().startsWith("08"))) {
        reconnect(step.session());
      }
    }
    for (String query : TABLES) {
      List<String> want = contents(pg.b, query);
      List<String> got = contents(bs.b, query);
      boolean same = want.equals(got);
      System.out.println("table check: " + query + ": " + (same ? "same" : "DIFFERENT") + " ("
          + want.size() + " rows on PostgreSQL, " + got.size() + " on Basalt)");
      if (!same) {
        List<String> missing = new ArrayList<>(want);
        got.forEach(missing::remove);
        List<String> extra = new ArrayList<>(got);
        want.forEach(extra::remove);
        mismatches.add("table contents at the end (" + query + "): Basalt has " + got.size()
            + " rows, PostgreSQL " + want.size() + "; missing on Basalt " + missing
            + "; unexpected on Basalt " + extra);
      }
    }
    System.out.printf("SchemaChangeDifferentialIT: %d steps, %d matched, %d documented refusals,"
        + " %d differed; %d mismatches in all%n", steps.size(), matched, refusals,
        steps.size() - matched - refusals, mismatches.size());
    mismatches.forEach(System.out::println);
    assertEquals(List.of(), mismatches, "\n" + String.join("\n", mismatches));
  }

  /** A Basalt session pgjdbc gave up on: a new one (and new prepared statements for A). */
  private static void reconnect(String session) {
    System.out.println("    (Basalt session " + session + " broken: new session)");
    try {
      if (session.equals("A")) {
        for (PreparedStatement p : bs.prepared.values()) {
          closeQuietly(p);
        }
        closeQuietly(bs.a);
        bs.a = TestBasalt.connect();
        bs.prepareAll();
      } else {
        closeQuietly(bs.b);
        bs.b = TestBasalt.connect();
      }
    } catch (SQLException e) {
      System.out.println("    (reconnect failed: " + e.getSQLState() + ")");
    }
  }

  private static Outcome run(Side side, Step step) {
    Connection c = side.session(step.session());
    try {
      switch (step.kind()) {
        case SQL -> {
          try (Statement s = c.createStatement()) {
            s.setEscapeProcessing(false);
            s.setQueryTimeout(TIMEOUT_SECONDS);
            boolean ordered = DifferentialCorpus.hasTopLevelOrderBy(step.text());
            return outcome(s, s.execute(step.text()), ordered);
          }
        }
        case EXEC -> {
          PreparedStatement p = side.prepared.get(step.text());
          return execute(p, step.params(),
              DifferentialCorpus.hasTopLevelOrderBy(PREPARED.get(step.text())));
        }
        case ONCE -> {
          try (PreparedStatement p = c.prepareStatement(step.text())) {
            return execute(p, step.params(), DifferentialCorpus.hasTopLevelOrderBy(step.text()));
          }
        }
        default -> throw new IllegalStateException(step.kind().toString());
      }
    } catch (SQLException e) {
      String m = e.getMessage() == null ? null : e.getMessage().lines().findFirst().orElse("");
      return new Outcome(Objects.requireNonNullElse(e.getSQLState(), "?????"), -1, null, null, m);
    } catch (RuntimeException e) {
      return new Outcome("client " + e.getClass().getSimpleName() + ": " + e.getMessage(), -1,
          null, null);
    }
  }

  private static Outcome execute(PreparedStatement p, List<Object> params, boolean ordered)
      throws SQLException {
    p.setQueryTimeout(TIMEOUT_SECONDS);
    p.clearParameters();
    for (int i = 0; i < params.size(); i++) {
      Object v = params.get(i);
      if (v instanceof Integer n) {
        p.setInt(i + 1, n);
      } else {
        p.setString(i + 1, (String) v);
      }
    }
    return outcome(p, p.execute(), ordered);
  }

  private static Outcome outcome(Statement s, boolean hasRows, boolean ordered)
      throws SQLException {
    if (hasRows) {
      try (ResultSet rs = s.getResultSet()) {
        List<String> labels = new ArrayList<>();
        List<String> rows = TwinServers.rows(rs, labels);
        if (!ordered) {
          Collections.sort(rows);
        }
        return new Outcome(null, -1, labels, rows);
      }
    }
    return new Outcome(null, s.getLargeUpdateCount(), null, null);
  }

  private static List<String> contents(Connection c, String query) {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
      return TwinServers.rows(rs, new ArrayList<>());
    } catch (SQLException e) {
      return List.of("error " + e.getSQLState() + " " + e.getMessage());
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      // Already broken: nothing more to do.
    }
  }
}
