package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Random writes, compared with a plain PostgreSQL: a seeded generator writes INSERT (single and
 * multi-row, column lists or none, DEFAULT, NULL keys, ON CONFLICT DO NOTHING / DO UPDATE with
 * EXCLUDED and WHERE), INSERT ... SELECT (co-located, not co-located, reference, local sources,
 * WHERE, ORDER BY ... LIMIT, GROUP BY, ON CONFLICT), UPDATE and DELETE (routed, multi-shard, IN
 * lists, subqueries of every kind over every kind of table, UPDATE ... FROM / DELETE ... USING),
 * RETURNING, writes of the reference and the local table that read distributed tables,
 * data-modifying CTEs, and transaction blocks (several writes and reads, SAVEPOINT / ROLLBACK TO
 * SAVEPOINT, COMMIT or ROLLBACK). Tables: wf_a and wf_b (co-located, 8 shards), wf_c (5 shards,
 * not co-located, a bigint key and a bigserial column), wf_ref (reference), wf_loc (local).
 *
 * <p>Each statement runs on Basalt (tables distributed) and on a separate PostgreSQL holding the
 * same rows. A statement outside a block runs twice with the same shape and other constants (the
 * second run meets the session's cached plan of the shape). Units take turns between three ways
 * of reaching both servers: pgjdbc's extended protocol, the simple protocol, and
 * server-prepared statements with binary results in which some constants are bind parameters.
 *
 * <p>Compared per statement: success or error (SQLSTATE; messages shown, not compared), update
 * count, result / RETURNING column labels and types and rows as a multiset. After every block,
 * every {@code basalt.wfuzz.checkEvery} statements, after a mismatch and at the end, the full
 * contents of every table (ordered by all columns); a table that differs is reported and
 * Basalt's copy reset to PostgreSQL's rows. A 0A000 from Basalt where PostgreSQL does not answer
 * 0A000 counts as a refusal (listed by message), not as a mismatch; a statement outside a block
 * runs on PostgreSQL inside BEGIN ... and is rolled back there when Basalt failed, so both sides
 * keep the same rows. In a block, when one side fails and the other does not, both roll back and
 * the block's remaining statements are skipped.
 *
 * <p>Left open by PostgreSQL, so not generated or not compared: wf_c.s (bigserial) is never read
 * (left out of RETURNING and of table contents; the two sides' sequences need not agree, since a
 * refused statement consumes no values on Basalt); UPDATE ... FROM / DELETE ... USING joins that
 * may match several rows read only the target's columns; LIMIT only under an ORDER BY of every
 * column of the source; no float, random() or now().
 *
 * <p>{@code -Dbasalt.wfuzz.seed=N}, {@code -Dbasalt.wfuzz.statements=N},
 * {@code -Dbasalt.wfuzz.budgetSeconds=N} and {@code -Dbasalt.wfuzz.checkEvery=N} choose another
 * run.
 */
class RandomWriteDifferentialIT {
  private static final long SEED = Long.getLong("basalt.wfuzz.seed", 3);
  private static final int STATEMENTS = Integer.getInteger("basalt.wfuzz.statements", 2000);
  /** Generation stops (reported) past this, so the suite's time stays bounded. */
  private static final long BUDGET_NANOS =
      TimeUnit.SECONDS.toNanos(Long.getLong("basalt.wfuzz.budgetSeconds", 40));
  private static final int CHECK_EVERY = Integer.getInteger("basalt.wfuzz.checkEvery", 8);
  private static final int TIMEOUT_SECONDS = 30;

  private static final String DROP = "DROP TABLE IF EXISTS wf_a, wf_b, wf_c, wf_ref, wf_loc"
      + " CASCADE";
  private static final List<String> DISTRIBUTE = List.of(
      "SELECT create_distributed_table('wf_a', 'k', shard_count => 8)",
      "SELECT create_distributed_table('wf_b', 'k', colocate_with => 'wf_a')",
      "SELECT create_distributed_table('wf_c', 'id', shard_count => 5, colocate_with => 'none')",
      "SELECT create_reference_table('wf_ref')");

  private static TwinServers twin;
  private static final Connection[] BASALT = new Connection[3];
  private static final Connection[] POSTGRES = new Connection[3];

  /** Per unit, in turn: how the statements reach both servers. */
  private static final String[] MODES = {"[extended]", "[simple]",
      "[prepared, binary, parameters]"};

  @BeforeAll
  static void setUp() throws SQLException {
    twin = TwinServers.open(DROP, Schema.setup(SEED), DISTRIBUTE);
    for (int mode = 0; mode < 3; mode++) {
      BASALT[mode] = TestBasalt.connect(properties(mode));
      POSTGRES[mode] = twin.connectPostgres(properties(mode));
    }
  }

  private static Properties properties(int mode) {
    Properties p = new Properties();
    if (mode == 1) {
      p.setProperty("preferQueryMode", "simple");
    } else if (mode == 2) {
      p.setProperty("prepareThreshold", "-1");
      p.setProperty("binaryTransfer", "true");
    }
    return p;
  }

  @AfterAll
  static void tearDown() throws SQLException {
    try {
      for (Connection[] side : new Connection[][] {BASALT, POSTGRES}) {
        for (Connection c : side) {
          if (c != null) {
            try {
              c.close();
            } catch (SQLException e) {
              // Broken already.
            }
          }
        }
      }
    } finally {
      if (twin != null) {
        twin.close();
      }
    }
  }

  // ------------------------------------------------------------------------------------ run

  private int executed;
  private int matched;
  private int refused;
  private int sinceCheck;
  private int abandonedBlocks;
  private int nonEmpty;
  private int differentErrors;
  /** Multi-row INSERTs that failed on a NULL distribution value first (a known difference). */
  private int nullKeyFirst;
  private boolean reconnected;
  private final Map<String, Integer> refusals = new TreeMap<>();
  private final Map<String, Integer> bothFailed = new TreeMap<>();
  private final Map<String, Integer> kinds = new TreeMap<>();
  private final List<String> mismatches = new ArrayList<>();
  private String lastCheck = "the start";

  @Test
  void randomWritesGiveTheSameAnswersAndRows() throws SQLException {
    System.out.println("RandomWriteDifferentialIT: seed " + SEED + ", " + STATEMENTS
        + " statements (rerun with -Dbasalt.wfuzz.seed=" + SEED + ")");
    long start = System.nanoTime();
    boolean stopped = false;
    int units = 0;
    for (int unit = 0; executed < STATEMENTS; unit++) {
      if (System.nanoTime() - start > BUDGET_NANOS) {
        stopped = true;
        break;
      }
      units++;
      int mode = unit % 3;
      boolean block = new Random(FuzzText.mix(SEED, unit, -2)).nextInt(100) < 14;
      if (block) {
        Gen gen = new Gen(new Random(FuzzText.mix(SEED, unit, -1)), new Random(FuzzText.mix(SEED, unit, 0)),
            mode == 2);
        runBlock("#" + unit + " " + MODES[mode], mode, gen.block());
        compareTables("after block #" + unit);
        continue;
      }
      String previous = null;
      for (int variant = 0; variant < 2; variant++) {
        Gen gen = new Gen(new Random(FuzzText.mix(SEED, unit, -1)), new Random(FuzzText.mix(SEED, unit, variant)),
            mode == 2);
        Stmt q = gen.statement();
        if (q.toString().equals(previous)) {
          continue;
        }
        previous = q.toString();
        String label = "#" + unit + "." + variant + " " + MODES[mode] + " " + q.kind();
        kinds.merge(q.kind(), 1, Integer::sum);
        if (!runSingle(label, mode, q) || ++sinceCheck >= CHECK_EVERY) {
          compareTables("after " + label);
        }
      }
    }
    compareTables("at the end");
    System.out.printf("RandomWriteDifferentialIT: seed %d, %d statements in %d units%s,"
        + " %d matched, %d refused by Basalt (0A000), %d blocks abandoned after one side"
        + " failed, %d failed on both with other data errors over an unordered scan,"
        + " %d mismatches, %.1f s%n", SEED, executed, units,
        stopped ? " (stopped early by the time budget)" : "", matched, refused, abandonedBlocks,
        differentErrors, mismatches.size(), (System.nanoTime() - start) / 1e9);
    System.out.printf("  %d multi-row INSERTs failed on a NULL distribution value before"
        + " another row's error (known difference)%n", nullKeyFirst);
    System.out.println("  statement kinds (outside blocks): " + kinds);
    System.out.println("  matched with rows written or returned: " + nonEmpty
        + "; matched with the same error: " + bothFailed);
    refusals.forEach((m, n) -> System.out.println("  refusal x" + n + ": " + m));
    mismatches.forEach(m -> System.out.println("MISMATCH " + m));
    assertEquals(List.of(), mismatches, "seed " + SEED + ":\n" + String.join("\n", mismatches));
  }

  /**
   * One statement outside a block: PostgreSQL runs it inside BEGIN, then Basalt runs it (its
   * own autocommit); PostgreSQL commits unless Basalt failed where PostgreSQL did not. Returns
   * false after a mismatch that may have left the tables apart.
   */
  private boolean runSingle(String label, int mode, Stmt q) throws SQLException {
    executed++;
    exec(POSTGRES[mode], "BEGIN");
    Outcome expected = run(POSTGRES[mode], q, mode == 2);
    Outcome actual = run(BASALT[mode], q, mode == 2);
    boolean undo = actual.state() != null && expected.state() == null;
    exec(POSTGRES[mode], undo ? "ROLLBACK" : "COMMIT");
    boolean same = judge(label, q, expected, actual, mode);
    return same || actual.state() != null;
  }

  /** A block: BEGIN, its statements, COMMIT or ROLLBACK, on one connection per side. */
  private void runBlock(String label, int mode, List<Stmt> items) throws SQLException {
    System.out.println(label + " block of " + items.size() + " statements");
    for (int i = 0; i < items.size(); i++) {
      Stmt q = items.get(i);
      executed++;
      String itemLabel = label + " block item " + i + " " + q.kind();
      Outcome expected = run(POSTGRES[mode], q, mode == 2);
      Outcome actual = run(BASALT[mode], q, mode == 2);
      reconnected = false;
      judge(itemLabel, q, expected, actual, mode);
      if (reconnected) {
        abandonedBlocks++;
        exec(POSTGRES[mode], "ROLLBACK");
        System.out.println("    (block abandoned: Basalt's connection reopened)");
        return;
      }
      if (actual.state() != null && i < items.size() - 1
          && !aborted(itemLabel, q, actual, mode)) {
        // Basalt's block goes on after an error: whatever PostgreSQL's state, stop here.
        abandonedBlocks++;
        exec(POSTGRES[mode], "ROLLBACK");
        exec(BASALT[mode], "ROLLBACK");
        System.out.println("    (block abandoned: both sides rolled back)");
        return;
      }
      if ((expected.state() == null) != (actual.state() == null)) {
        // One side's block is aborted and the other's not: both roll back, the rest skipped.
        abandonedBlocks++;
        exec(POSTGRES[mode], "ROLLBACK");
        exec(BASALT[mode], "ROLLBACK");
        System.out.println("    (block abandoned: both sides rolled back)");
        return;
      }
    }
  }

  /**
   * After an error inside a block PostgreSQL's block is aborted: every statement but ROLLBACK
   * fails with 25P02 until the block ends. Checks Basalt's with a read of a distributed table;
   * a block that goes on is a mismatch. (PostgreSQL's block, when it did not fail, is not
   * probed: it is rolled back by the caller.)
   */
  private boolean aborted(String label, Stmt q, Outcome actual, int mode) {
    if (q.kind().equals("end") || q.kind().equals("begin")) {
      return true;
    }
    Stmt probe = new Stmt("SELECT count(*) FROM wf_a WHERE k = 1", List.of(), "probe", false);
    Outcome after = run(BASALT[mode], probe, false);
    if ("25P02".equals(after.state())) {
      return true;
    }
    String report = label + " (block not aborted by an error)\n    " + q
        + "\n    Basalt failed with " + actual.brief() + ", then inside the same block answered "
        + probe.sql() + " with " + after.brief() + " (PostgreSQL: error 25P02)";
    mismatches.add(report);
    System.out.println("MISMATCH " + report);
    return false;
  }

  /** Compares and records; true when both outcomes are the same. */
  private boolean judge(String label, Stmt q, Outcome expected, Outcome actual, int mode)
      throws SQLException {
    if (expected.equals(actual)) {
      matched++;
      if (expected.state() != null) {
        bothFailed.merge(expected.state(), 1, Integer::sum);
      } else if (expected.count() > 0 || expected.rows() != null && !expected.rows().isEmpty()) {
        nonEmpty++;
      }
      System.out.println(label + " same: " + expected.brief() + "\n    " + q);
      return true;
    }
    if ("0A000".equals(actual.state()) && !"0A000".equals(expected.state())) {
      refused++;
      refusals.merge(FuzzText.firstLine(actual.message()) + "  [PostgreSQL: "
          + (expected.state() == null ? "success" : "error " + expected.state()) + "]", 1,
          Integer::sum);
      System.out.println(label + " refused: " + FuzzText.firstLine(actual.message()) + "\n    " + q
          + "\n    PostgreSQL: " + expected.brief());
      return true;
    }
    if (expected.state() != null && actual.state() != null && !q.kind().equals("insert-values")
        && !q.kind().equals("begin") && dataError(expected.state())
        && dataError(actual.state())) {
      // Both failed on the data: which row fails first over an unordered scan (INSERT ...
      // SELECT, UPDATE, DELETE) depends on the physical order, which differs.
      differentErrors++;
      System.out.println(label + " both failed, other errors (row order undefined): PostgreSQL "
          + expected.brief() + "; Basalt " + actual.brief() + "\n    " + q);
      return true;
    }
    if (q.kind().equals("insert-values") && "23502".equals(actual.state())
        && expected.state() != null && dataError(expected.state())) {
      // A known difference (docs/distributed-queries.md): a multi-row INSERT with a NULL or
      // DEFAULT distribution value fails with that row's 23502 before any row is written, as in
      // Citus, where PostgreSQL may first stop at another row's error.
      nullKeyFirst++;
      System.out.println(label + " both failed, Basalt on the NULL distribution value first:"
          + " PostgreSQL " + expected.brief() + "; Basalt " + actual.brief() + "\n    " + q);
      return true;
    }
    if ("client".equals(actual.state())) {
      try (Connection fresh = TestBasalt.connect(properties(mode))) {
        System.out.println("    (the same statement on a fresh connection, outside a block: "
            + run(fresh, q, mode == 2).brief() + ")");
      }
    }
    String report = label + "\n    " + q + "\n    PostgreSQL: " + expected.brief()
        + "\n    Basalt:     " + actual.brief() + difference(expected, actual);
    mismatches.add(report);
    System.out.println("MISMATCH " + report);
    if (actual.state() != null
        && (actual.state().startsWith("XX") || actual.state().startsWith("08")
        || actual.state().equals("client") || !usable(BASALT[mode]))) {
      reconnect(mode);
      reconnected = true;
    }
    return false;
  }

  /** An error about the rows' values: data exceptions and integrity violations. */
  private static boolean dataError(String state) {
    return state.startsWith("22") || state.startsWith("23");
  }

  private static void reconnect(int mode) throws SQLException {
    try {
      BASALT[mode].close();
    } catch (SQLException e) {
      // Broken already.
    }
    BASALT[mode] = TestBasalt.connect(properties(mode));
    System.out.println("  (Basalt connection " + MODES[mode] + " reopened)");
  }

  private static boolean usable(Connection c) {
    try {
      return !c.isClosed() && c.isValid(5);
    } catch (SQLException e) {
      return false;
    }
  }

  private static void exec(Connection c, String sql) {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      System.out.println("    (" + sql + " failed: " + e.getSQLState() + " "
          + FuzzText.firstLine(e.getMessage()) + ")");
    }
  }

  /** A statement's outcome: an error's SQLSTATE (message shown, not compared), or results. */
  record Outcome(String state, String message, long count, List<String> labels,
      List<String> rows) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Outcome x && Objects.equals(state, x.state) && count == x.count
          && Objects.equals(labels, x.labels) && Objects.equals(rows, x.rows);
    }

    @Override
    public int hashCode() {
      return Objects.hash(state, count, labels, rows);
    }

    String brief() {
      if (state != null) {
        return "error " + state + " " + FuzzText.firstLine(message);
      }
      if (labels == null) {
        return "update count " + count;
      }
      List<String> shown = rows.size() <= 4 ? rows : rows.subList(0, 4);
      return labels + " " + rows.size() + " rows " + shown + (rows.size() > 4 ? "..." : "");
    }
  }

  private static Outcome run(Connection c, Stmt q, boolean prepared) {
    boolean withParams = prepared && !q.params().isEmpty() || prepared && q.preparable();
    try (Statement s = withParams ? c.prepareStatement(q.sql()) : c.createStatement()) {
      s.setEscapeProcessing(false);
      s.setQueryTimeout(TIMEOUT_SECONDS);
      for (int i = 0; i < q.params().size(); i++) {
        PreparedStatement ps = (PreparedStatement) s;
        switch (q.params().get(i)) {
          case Integer n -> ps.setInt(i + 1, n);
          case Long n -> ps.setLong(i + 1, n);
          case BigDecimal n -> ps.setBigDecimal(i + 1, n);
          case String t -> ps.setString(i + 1, t);
          case Boolean b -> ps.setBoolean(i + 1, b);
          default -> throw new IllegalStateException("parameter " + q.params().get(i));
        }
      }
      boolean results = withParams ? ((PreparedStatement) s).execute() : s.execute(q.sql());
      if (!results) {
        return new Outcome(null, null, s.getLargeUpdateCount(), null, null);
      }
      try (ResultSet rs = s.getResultSet()) {
        ResultSetMetaData md = rs.getMetaData();
        List<String> labels = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          labels.add(md.getColumnLabel(i) + ":" + md.getColumnTypeName(i));
        }
        List<String> rows = TwinServers.rows(rs, new ArrayList<>());
        Collections.sort(rows);
        return new Outcome(null, null, -1, labels, rows);
      }
    } catch (SQLException e) {
      return new Outcome(Objects.requireNonNullElse(e.getSQLState(), "?????"), e.getMessage(),
          -1, null, null);
    } catch (RuntimeException e) {
      // The driver could not read what the server sent (a value of the wrong length...).
      return new Outcome("client", e.toString(), -1, null, null);
    }
  }

  private static String difference(Outcome expected, Outcome actual) {
    return FuzzText.difference(expected.labels(), expected.rows(), actual.labels(),
        actual.rows(), 6);
  }


  // ------------------------------------------------------------------------ table contents

  /** Compares every table in full; a differing table on Basalt is reset to PostgreSQL's rows. */
  private void compareTables(String when) {
    sinceCheck = 0;
    for (Table t : Schema.TABLES) {
      String query = "SELECT " + t.visibleList() + " FROM " + t.name();
      List<String> want = contents(twin.postgres, query);
      List<String> got = contents(twin.basalt, query);
      if (want.equals(got)) {
        continue;
      }
      List<String> missing = new ArrayList<>(want);
      got.forEach(missing::remove);
      List<String> extra = new ArrayList<>(got);
      want.forEach(extra::remove);
      String reset = resync(t);
      String report = "table " + t.name() + " " + when + " (last equal " + lastCheck
          + "): Basalt has " + got.size() + " rows, PostgreSQL " + want.size()
          + "; missing on Basalt " + missing + "; unexpected on Basalt " + extra + " (" + reset
          + ")";
      mismatches.add(report);
      System.out.println("MISMATCH " + report);
    }
    lastCheck = when;
  }

  private static List<String> contents(Connection c, String query) {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
      List<String> rows = TwinServers.rows(rs, new ArrayList<>());
      Collections.sort(rows);
      return rows;
    } catch (SQLException e) {
      return List.of("error " + e.getSQLState() + " " + FuzzText.firstLine(e.getMessage()));
    }
  }

  /** Rewrites Basalt's copy of a table with PostgreSQL's rows (every column, serial too). */
  private static String resync(Table t) {
    String query = "SELECT " + t.allList() + " FROM " + t.name();
    try (Statement ps = twin.postgres.createStatement(); ResultSet rs = ps.executeQuery(query);
        Statement bs = twin.basalt.createStatement()) {
      int n = rs.getMetaData().getColumnCount();
      List<String> values = new ArrayList<>();
      while (rs.next()) {
        StringBuilder row = new StringBuilder("(");
        for (int i = 1; i <= n; i++) {
          String v = rs.getString(i);
          row.append(i == 1 ? "" : ", ")
              .append(v == null ? "NULL" : "'" + v.replace("'", "''") + "'");
        }
        values.add(row.append(')').toString());
      }
      bs.execute("DELETE FROM " + t.name());
      if (!values.isEmpty()) {
        bs.execute("INSERT INTO " + t.name() + " (" + t.allList() + ") VALUES "
            + String.join(", ", values));
      }
      return "Basalt's copy reset to PostgreSQL's rows";
    } catch (SQLException e) {
      return "reset failed: " + e.getSQLState() + " " + FuzzText.firstLine(e.getMessage());
    }
  }

  // --------------------------------------------------------------------------------- schema

  /**
   * A column: i int, g bigint, n numeric(·,2), t text, b boolean, z timestamptz, j jsonb, a int[];
   * serial: a sequence default, never read.
   */
  record Col(String name, char type, boolean notNull, boolean serial) {}

  /** kind: d distributed, r reference, l local; unique: the conflict target. */
  record Table(String name, char kind, String dist, List<Col> cols, List<String> unique) {
    List<Col> visible() {
      return cols.stream().filter(c -> !c.serial()).toList();
    }

    String visibleList() {
      return String.join(", ", visible().stream().map(Col::name).toList());
    }

    String allList() {
      return String.join(", ", cols.stream().map(Col::name).toList());
    }

    Col col(String n) {
      return cols.stream().filter(c -> c.name().equals(n)).findFirst().orElseThrow();
    }

    boolean hasSerial() {
      return cols.stream().anyMatch(Col::serial);
    }

    /** The column the generator uses as "the" integer of the table (RETURNING of a CTE). */
    String intCol() {
      return switch (name) {
        case "wf_ref" -> "code";
        case "wf_loc" -> "a";
        default -> "k";
      };
    }
  }

  static final class Schema {
    static final Table A = new Table("wf_a", 'd', "k", List.of(new Col("k", 'i', true, false),
        new Col("id", 'i', true, false), new Col("n", 'n', false, false),
        new Col("t", 't', false, false), new Col("b", 'b', false, false),
        new Col("z", 'z', false, false), new Col("j", 'j', false, false),
        new Col("a", 'a', false, false), new Col("v", 'g', true, false)), List.of("k", "id"));
    static final Table B = new Table("wf_b", 'd', "k", List.of(new Col("k", 'i', true, false),
        new Col("id", 'i', false, false), new Col("n", 'n', false, false),
        new Col("t", 't', false, false), new Col("b", 'b', false, false),
        new Col("j", 'j', false, false)), List.of("k", "id"));
    static final Table C = new Table("wf_c", 'd', "id", List.of(
        new Col("id", 'g', true, false), new Col("k", 'i', false, false),
        new Col("n", 'n', false, false), new Col("t", 't', false, false),
        new Col("s", 'g', true, true), new Col("z", 'z', false, false)), List.of("id"));
    static final Table REF = new Table("wf_ref", 'r', null, List.of(
        new Col("code", 'i', true, false), new Col("label", 't', true, false),
        new Col("w", 'n', false, false), new Col("flag", 'b', false, false)), List.of("code"));
    static final Table LOC = new Table("wf_loc", 'l', null, List.of(
        new Col("a", 'i', true, false), new Col("note", 't', false, false),
        new Col("cnt", 'i', true, false)), List.of("a"));
    static final List<Table> TABLES = List.of(A, B, C, REF, LOC);

    static final String[] TEXTS = {"", "a", "A", "b", "ab", "abc", "Abc", "a_c", "a%c", "x y",
        " lead", "trail ", "O'Brien", "back\\slash", "tab\tx", "line\nbreak", "\\N", "NULL",
        "ümlaut", "Ölfass", "zeta", "日本語", "10", "-1", "skip", "dflt"};
    static final String[] TIMES = {"2024-01-01 10:00:00+00", "2023-06-15 12:30:00+02",
        "1999-12-31 23:59:59.5+00", "2024-02-29 00:00:00-05", "infinity", "-infinity",
        "2000-01-01 00:00:00+00", "2030-07-04 18:00:00.123456+00"};
    static final String[] JSONS = {"{\"a\": 1}", "{\"a\": 2, \"b\": [1, 2]}", "[]", "null",
        "{\"k\": \"x'y\"}", "{\"a\": null}", "{}", "[1, \"two\", {\"three\": 3}]", "7"};
    static final String[] ARRAYS = {"'{1,2,3}'", "'{}'", "'{NULL,5}'", "ARRAY[4, 5]",
        "'{7}'", "ARRAY[1, 1, 2]"};

    private Schema() {}

    static List<String> setup(long seed) {
      Random d = new Random(seed ^ 0x3E1F1A7EL);
      List<String> sql = new ArrayList<>(List.of(
          "CREATE TABLE wf_a (k int NOT NULL, id int NOT NULL, n numeric(12,2),"
              + " t text DEFAULT 'dflt', b boolean,"
              + " z timestamptz DEFAULT '2000-01-01 00:00:00+00', j jsonb, a int[],"
              + " v bigint NOT NULL DEFAULT 0 CHECK (v BETWEEN -1000 AND 100000),"
              + " PRIMARY KEY (k, id))",
          "CREATE TABLE wf_b (k int NOT NULL, id int, n numeric(12,2), t text, b boolean,"
              + " j jsonb, UNIQUE (k, id))",
          "CREATE TABLE wf_c (id bigint PRIMARY KEY, k int, n numeric(12,2), t text,"
              + " s bigserial, z timestamptz DEFAULT '2020-02-02 02:02:02+00')",
          "CREATE TABLE wf_ref (code int PRIMARY KEY, label text NOT NULL, w numeric(8,2),"
              + " flag boolean DEFAULT true)",
          "CREATE TABLE wf_loc (a int PRIMARY KEY, note text, cnt int NOT NULL DEFAULT 0)"));
      List<String> rows = new ArrayList<>();
      Set<String> keys = new HashSet<>();
      while (rows.size() < 70) {
        int k = d.nextInt(28) - 3;
        int id = d.nextInt(8);
        if (!keys.add(k + "/" + id)) {
          continue;
        }
        rows.add("(" + k + ", " + id + ", " + numeric(d) + ", " + text(d) + ", "
            + (d.nextInt(4) == 0 ? "NULL" : d.nextBoolean()) + ", "
            + (d.nextInt(5) == 0 ? "NULL" : FuzzText.lit(TIMES[d.nextInt(TIMES.length)])) + ", "
            + (d.nextInt(5) == 0 ? "NULL" : FuzzText.lit(JSONS[d.nextInt(JSONS.length)])) + ", "
            + (d.nextInt(5) == 0 ? "NULL" : ARRAYS[d.nextInt(ARRAYS.length)]) + ", "
            + (d.nextInt(500) - 20) + ")");
      }
      sql.add("INSERT INTO wf_a VALUES " + String.join(", ", rows));
      rows.clear();
      keys.clear();
      while (rows.size() < 60) {
        int k = d.nextInt(28) - 3;
        String id = d.nextInt(8) == 0 ? "NULL" : Integer.toString(d.nextInt(8));
        if (!id.equals("NULL") && !keys.add(k + "/" + id)) {
          continue;
        }
        rows.add("(" + k + ", " + id + ", " + numeric(d) + ", " + text(d) + ", "
            + (d.nextInt(4) == 0 ? "NULL" : d.nextBoolean()) + ", "
            + (d.nextInt(5) == 0 ? "NULL" : FuzzText.lit(JSONS[d.nextInt(JSONS.length)])) + ")");
      }
      sql.add("INSERT INTO wf_b VALUES " + String.join(", ", rows));
      rows.clear();
      keys.clear();
      while (rows.size() < 30) {
        long id = d.nextInt(20) == 0 ? 3_000_000_000L + d.nextInt(10) : d.nextInt(40) + 1;
        if (!keys.add(Long.toString(id))) {
          continue;
        }
        rows.add("(" + id + ", " + (d.nextInt(8) == 0 ? "NULL" : d.nextInt(28) - 3) + ", "
            + numeric(d) + ", " + text(d) + ")");
      }
      sql.add("INSERT INTO wf_c (id, k, n, t) VALUES " + String.join(", ", rows));
      rows.clear();
      for (int code = 0; code < 16; code++) {
        if (d.nextInt(4) == 0) {
          continue;
        }
        rows.add("(" + code + ", " + FuzzText.lit(TEXTS[d.nextInt(TEXTS.length)]) + ", " + numeric(d)
            + ", " + (d.nextInt(4) == 0 ? "NULL" : d.nextBoolean()) + ")");
      }
      sql.add("INSERT INTO wf_ref VALUES " + String.join(", ", rows));
      rows.clear();
      for (int a = 0; a < 12; a++) {
        if (d.nextInt(3) == 0) {
          continue;
        }
        rows.add("(" + a + ", " + text(d) + ", " + d.nextInt(20) + ")");
      }
      sql.add("INSERT INTO wf_loc VALUES " + String.join(", ", rows));
      return sql;
    }

    private static String numeric(Random d) {
      return d.nextInt(8) == 0 ? "NULL"
          : BigDecimal.valueOf(d.nextInt(200_001) - 100_000, 2).toPlainString();
    }

    private static String text(Random d) {
      return d.nextInt(8) == 0 ? "NULL" : FuzzText.lit(TEXTS[d.nextInt(TEXTS.length)]);
    }
  }

  // ------------------------------------------------------------------------------ generator

  /**
   * A generated statement; params: the values of its ? placeholders in order; preparable: runs
   * as a PreparedStatement in the prepared mode even without parameters.
   */
  record Stmt(String sql, List<Object> params, String kind, boolean preparable) {
    @Override
    public String toString() {
      return params.isEmpty() ? sql : sql + "  -- parameters " + params;
    }
  }

  /** A table as a statement refers to it: alias (or name) and table. */
  record Ref(String q, Table t) {}

  /**
   * The grammar. Structure comes from {@code s}, constants from {@code v}: two generators with
   * the same {@code s} seed write the same statement shape with other constants.
   */
  static final class Gen {
    final Random s;
    final Random v;
    final Map<String, Object> parameters;
    int names;

    Gen(Random s, Random v, boolean withParameters) {
      this.s = s;
      this.v = v;
      this.parameters = withParameters ? new HashMap<>() : null;
    }

    boolean p(double probability) {
      return s.nextDouble() < probability;
    }

    int ri(int lo, int hi) {
      return lo + s.nextInt(hi - lo + 1);
    }

    int vi(int lo, int hi) {
      return lo + v.nextInt(hi - lo + 1);
    }

    <T> T pick(List<T> list) {
      return list.get(s.nextInt(list.size()));
    }

    String pick(String... options) {
      return options[s.nextInt(options.length)];
    }

    String alias(String prefix) {
      return prefix + (++names);
    }

    /** A constant's text, or (now and then, with parameters on) a placeholder for it. */
    String value(Object value, String literal) {
      if (parameters == null || !p(0.5)) {
        return literal;
      }
      String marker = "\u0001" + parameters.size() + "\u0001";
      parameters.put(marker, value);
      return marker;
    }

    Stmt finish(String sql, String kind) {
      boolean control = sql.matches("(?i)(BEGIN|START|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\\b.*");
      if (parameters == null || parameters.isEmpty()) {
        return new Stmt(sql, List.of(), kind, parameters != null && !control);
      }
      Matcher m = Pattern.compile("\u0001[0-9]+\u0001").matcher(sql);
      StringBuilder out = new StringBuilder();
      List<Object> values = new ArrayList<>();
      while (m.find()) {
        values.add(parameters.get(m.group()));
        m.appendReplacement(out, "?");
      }
      m.appendTail(out);
      parameters.clear();
      return new Stmt(out.toString(), values, kind, true);
    }

    Table pickTable(int a, int b, int c, int ref, int loc) {
      int w = s.nextInt(a + b + c + ref + loc);
      if (w < a) {
        return Schema.A;
      } else if (w < a + b) {
        return Schema.B;
      } else if (w < a + b + c) {
        return Schema.C;
      } else if (w < a + b + c + ref) {
        return Schema.REF;
      }
      return Schema.LOC;
    }

    // ------------------------------------------------------------ constants

    /** An integer constant in a column's usual range (so keys collide now and then). */
    String intConst(String column) {
      int n = switch (column) {
        case "k" -> vi(-3, 30);
        case "id" -> vi(0, 8);
        case "code" -> vi(0, 18);
        case "a" -> vi(0, 14);
        case "cnt" -> vi(0, 40);
        default -> vi(-100, 100);
      };
      return value(n, Integer.toString(n));
    }

    String bigConst(String column) {
      long n = column.equals("v") ? (v.nextInt(60) == 0 ? 200_000 : vi(-50, 1500))
          : column.equals("id") ? (v.nextInt(15) == 0 ? 3_000_000_000L + vi(0, 9) : vi(1, 45))
          : vi(1000, 1100);
      return value(n, Long.toString(n));
    }

    String numConst() {
      BigDecimal n = v.nextInt(6) == 0
          ? new BigDecimal(pickV("0.00", "1.50", "-1.50", "100.00", "999.99"))
          : BigDecimal.valueOf(v.nextInt(200_001) - 100_000, 2);
      return value(n, n.toPlainString());
    }

    String pickV(String... options) {
      return options[v.nextInt(options.length)];
    }

    String textConst() {
      String t = Schema.TEXTS[v.nextInt(Schema.TEXTS.length)];
      return value(t, FuzzText.lit(t));
    }

    String boolConst() {
      boolean b = v.nextBoolean();
      return value(b, Boolean.toString(b));
    }

    /** A constant of a column (NULL is the caller's choice). */
    String constant(Col c) {
      return switch (c.type()) {
        case 'i' -> intConst(c.name());
        case 'g' -> bigConst(c.name());
        case 'n' -> numConst();
        case 't' -> textConst();
        case 'b' -> boolConst();
        case 'z' -> FuzzText.lit(Schema.TIMES[v.nextInt(Schema.TIMES.length)]);
        case 'j' -> FuzzText.lit(Schema.JSONS[v.nextInt(Schema.JSONS.length)]);
        case 'a' -> Schema.ARRAYS[v.nextInt(Schema.ARRAYS.length)];
        default -> throw new IllegalStateException();
      };
    }

    /**
     * A distribution column's constant, now and then spelled otherwise (quoted, cast, a
     * numeric with a fraction the column rounds away, an expression): which shard such a value
     * picks, and whether it picks one at all, is Basalt's to get right.
     */
    String keyConst(Col c) {
      String plain = constant(c);
      if (plain.startsWith("\u0001") || !p(0.3)) {
        return plain;
      }
      String frac = pickV(".0", ".4", ".5", ".49", ".5000001");
      return switch (s.nextInt(9)) {
        case 0 -> "'" + plain + "'";
        case 1 -> "(" + plain + ")";
        case 2 -> plain + "::bigint";
        case 3 -> plain + "::numeric";
        case 4 -> plain + frac;
        case 5 -> "CAST('" + plain + "' AS " + (c.type() == 'g' ? "bigint" : "int") + ")";
        case 6 -> "0 + " + plain;
        case 7 -> "abs(" + plain + ")";
        default -> plain + "::" + (c.type() == 'g' ? "int8" : "int4");
      };
    }

    String constant(char type) {
      return constant(new Col("x", type, false, false));
    }

    // ---------------------------------------------------------- expressions

    /** Visible columns of a type among the refs ("q.col"). */
    List<String> cols(List<Ref> refs, char type) {
      List<String> out = new ArrayList<>();
      for (Ref r : refs) {
        for (Col c : r.t().visible()) {
          if (c.type() == type || (type == 'g' && c.type() == 'i')) {
            out.add(r.q() + "." + c.name());
          }
        }
      }
      return out;
    }

    /** An expression of a type over the refs' columns and constants. */
    String expr(char type, List<Ref> refs) {
      List<String> cs = cols(refs, type);
      if (cs.isEmpty() || p(0.2)) {
        return constant(type);
      }
      String c = pick(cs);
      return switch (type) {
        case 'i' -> switch (s.nextInt(8)) {
          case 0 -> c + " + " + intConst("x");
          case 1 -> "coalesce(" + c + ", " + intConst("x") + ")";
          case 2 -> c + " * 2";
          case 3 -> "abs(" + c + ")";
          case 4 -> cols(refs, 'b').isEmpty() ? c
              : "CASE WHEN " + pick(cols(refs, 'b')) + " THEN " + intConst("x") + " ELSE " + c
                  + " END";
          case 5 -> cols(refs, 't').isEmpty() ? c : "length(" + pick(cols(refs, 't')) + ")";
          default -> c;
        };
        case 'g' -> switch (s.nextInt(5)) {
          case 0 -> c + " + " + intConst("x");
          case 1 -> "coalesce(" + c + ", 0) * 3";
          case 2 -> c + " - 1";
          default -> c;
        };
        case 'n' -> switch (s.nextInt(7)) {
          case 0 -> c + " + " + numConst();
          case 1 -> "round(" + c + " * 1.5, 2)";
          case 2 -> "coalesce(" + c + ", 0) - " + numConst();
          case 3 -> c + " / 4";
          case 4 -> cols(refs, 'i').isEmpty() ? c : c + " + " + pick(cols(refs, 'i'));
          default -> c;
        };
        case 't' -> switch (s.nextInt(7)) {
          case 0 -> c + " || " + textConst();
          case 1 -> "upper(" + c + ")";
          case 2 -> "substr(" + c + ", 1, 2)";
          case 3 -> cols(refs, 'i').isEmpty() ? c
              : c + " || '-' || " + pick(cols(refs, 'i')) + "::text";
          case 4 -> "coalesce(" + c + ", 'was null')";
          default -> c;
        };
        case 'b' -> switch (s.nextInt(4)) {
          case 0 -> "NOT " + c;
          case 1 -> c + " IS NULL";
          case 2 -> cols(refs, 'i').isEmpty() ? c : "(" + pick(cols(refs, 'i')) + " > "
              + intConst("x") + ")";
          default -> c;
        };
        case 'z' -> switch (s.nextInt(3)) {
          case 0 -> c + " + interval '1 day 2 hours'";
          default -> c;
        };
        case 'j' -> switch (s.nextInt(5)) {
          case 0 -> "coalesce(" + c + ", '{}') || '{\"u\": 1}'";
          case 1 -> cols(refs, 'i').isEmpty() ? c
              : "jsonb_build_object('k', " + pick(cols(refs, 'i')) + ")";
          case 2 -> c + " - 'a'";
          default -> c;
        };
        case 'a' -> switch (s.nextInt(5)) {
          case 0 -> "array_append(" + c + ", " + intConst("x") + ")";
          case 1 -> cols(refs, 'i').isEmpty() ? c : c + " || ARRAY[" + pick(cols(refs, 'i'))
              + "]";
          case 2 -> "array_remove(" + c + ", " + intConst("x") + ")";
          default -> c;
        };
        default -> throw new IllegalStateException();
      };
    }

    // ----------------------------------------------------------- predicates

    /** A simple predicate over one ref. */
    String simplePred(Ref r) {
      Table t = r.t();
      String q = r.q() + ".";
      if (t.dist() != null && p(0.3)) {
        String d = q + t.dist();
        Col dc = t.col(t.dist());
        return switch (s.nextInt(5)) {
          case 0, 1 -> d + " = " + keyConst(dc);
          case 2 -> d + " IN (" + keyConst(dc) + ", " + keyConst(dc) + ", " + keyConst(dc) + ")";
          case 3 -> d + " = ANY (ARRAY[" + keyConst(dc) + ", " + keyConst(dc) + "])";
          default -> d + " BETWEEN " + constant(dc) + " AND " + constant(dc);
        };
      }
      Col c = pick(t.visible());
      String col = q + c.name();
      if (p(0.12)) {
        return col + (p(0.5) ? " IS NULL" : " IS NOT NULL");
      }
      return switch (c.type()) {
        case 'i', 'g', 'n' -> col + " " + pick("<", ">", "<=", ">=", "=", "<>") + " "
            + constant(c);
        case 't' -> p(0.5) ? col + " LIKE " + FuzzText.lit(pick("a%", "%b%", "_", "%", "A_c", ""))
            : col + " " + pick("<", ">", "=") + " " + textConst();
        case 'b' -> pick(col, "NOT " + col, col + " IS NOT TRUE");
        case 'z' -> col + " " + pick("<", ">=") + " " + constant(c);
        case 'j' -> p(0.5) ? col + " @> '{\"a\": 1}'" : col + " ->> 'a' IS NOT NULL";
        case 'a' -> intConst("x") + " = ANY (" + col + ")";
        default -> throw new IllegalStateException();
      };
    }

    /** A subquery predicate about the target ref x: every kind of table, correlated or not. */
    String subPred(Ref x) {
      Table t = x.t();
      String key = x.q() + "." + keyIntCol(t);
      String y = alias("s");
      Table src = pickTable(30, 30, 15, 15, 10);
      Ref ry = new Ref(y, src);
      String where = p(0.6) ? " WHERE " + simplePred(ry) : "";
      String sk = y + "." + keyIntCol(src);
      switch (s.nextInt(9)) {
        case 0: {
          // IN over the source's key (co-located when both are wf_a / wf_b on k).
          return key + (p(0.2) ? " NOT IN" : " IN") + " (SELECT " + sk + " FROM " + src.name()
              + " " + y + where + ")";
        }
        case 1: {
          // Correlated EXISTS on the keys.
          String corr = y + "." + keyIntCol(src) + " = " + key;
          if (src.unique().size() == 2 && t.unique().size() == 2 && p(0.5)) {
            corr += " AND " + y + ".id = " + x.q() + ".id";
          }
          return (p(0.25) ? "NOT " : "") + "EXISTS (SELECT 1 FROM " + src.name() + " " + y
              + " WHERE " + corr + (where.isEmpty() ? "" : " AND " + simplePred(ry)) + ")";
        }
        case 2: {
          // Uncorrelated scalar aggregate.
          String agg = cols(List.of(ry), 'n').isEmpty() ? "count(*)"
              : pick("max", "min", "sum") + "(" + pick(cols(List.of(ry), 'n')) + ")";
          String target = agg.equals("count(*)") ? key : pick(cols(List.of(x), 'n').isEmpty()
              ? List.of(key) : cols(List.of(x), 'n'));
          return target + " " + pick("<", ">", ">=") + " (SELECT " + agg + " FROM "
              + src.name() + " " + y + where + ")";
        }
        case 3: {
          // Correlated scalar count.
          return "(SELECT count(*) FROM " + src.name() + " " + y + " WHERE " + sk + " = " + key
              + ") " + pick("= 0", "> 0", ">= 2");
        }
        case 4: {
          // A non-key column IN (uncorrelated).
          List<String> xs = cols(List.of(x), 'i');
          return pick(xs) + " IN (SELECT " + pick(cols(List.of(ry), 'i')) + " FROM "
              + src.name() + " " + y + where + ")";
        }
        case 5: {
          // Row constructor IN over co-located keys.
          if (t.unique().size() == 2 && src.unique().size() == 2) {
            return "(" + x.q() + ".k, " + x.q() + ".id) IN (SELECT " + y + ".k, " + y + ".id FROM "
                + src.name() + " " + y + where + ")";
          }
          return key + " = ANY (SELECT " + sk + " FROM " + src.name() + " " + y + where + ")";
        }
        case 6: {
          // Reference table lookup.
          String r = alias("r");
          return key + " IN (SELECT " + r + ".code FROM wf_ref " + r + " WHERE "
              + simplePred(new Ref(r, Schema.REF)) + ")";
        }
        case 7: {
          String l = alias("l");
          return key + " IN (SELECT " + l + ".a FROM wf_loc " + l
              + (p(0.5) ? " WHERE " + simplePred(new Ref(l, Schema.LOC)) : "") + ")";
        }
        default: {
          // Correlated scalar on the co-located table, compared with a column.
          List<String> ns = cols(List.of(ry), 'n');
          String agg = ns.isEmpty() ? "count(*)" : pick("max", "min", "sum") + "(" + pick(ns)
              + ")";
          String lhs = agg.equals("count(*)") || cols(List.of(x), 'n').isEmpty() ? key
              : pick(cols(List.of(x), 'n'));
          return lhs + " " + pick("<", ">=") + " (SELECT " + agg + " FROM " + src.name() + " "
              + y + " WHERE " + sk + " = " + key + ")";
        }
      }
    }

    /** The table's integer key column to correlate or compare on. */
    static String keyIntCol(Table t) {
      return switch (t.name()) {
        case "wf_c" -> "k";
        case "wf_ref" -> "code";
        case "wf_loc" -> "a";
        default -> "k";
      };
    }

    /** A WHERE over the target ref: simple predicates, subqueries, AND / OR / NOT. */
    String where(Ref x, double subqueries) {
      String w = p(subqueries) ? subPred(x) : simplePred(x);
      int more = p(0.5) ? 0 : ri(1, 2);
      for (int i = 0; i < more; i++) {
        String other = p(subqueries / 2) ? subPred(x) : simplePred(x);
        w = p(0.7) ? w + " AND " + other : "(" + w + " OR " + other + ")";
      }
      return p(0.08) ? "NOT (" + w + ")" : w;
    }

    String returning(List<Ref> refs, boolean allowStar) {
      Ref x = refs.get(0);
      int w = s.nextInt(4);
      if (w == 0 && allowStar && !x.t().hasSerial()) {
        return " RETURNING " + (p(0.5) ? "*" : x.q() + ".*");
      }
      List<String> items = new ArrayList<>();
      int n = ri(1, 3);
      for (int i = 0; i < n; i++) {
        if (p(0.6)) {
          Ref r = pick(refs);
          items.add(r.q() + "." + pick(r.t().visible()).name());
        } else {
          char type = pick(List.of('i', 'n', 't', 'b', 'j'));
          items.add(expr(type, refs) + " AS " + alias("e"));
        }
      }
      return " RETURNING " + String.join(", ", items);
    }

    // ----------------------------------------------------------- statements

    Stmt statement() {
      int w = s.nextInt(100);
      if (w < 24) {
        return insertValues(pickTable(35, 25, 20, 12, 8));
      } else if (w < 38) {
        return insertSelect();
      } else if (w < 60) {
        return update(pickTable(30, 25, 20, 13, 12));
      } else if (w < 78) {
        return delete(pickTable(30, 25, 20, 13, 12));
      } else if (w < 86) {
        return upsertAggregate();
      } else if (w < 93) {
        return cte();
      } else {
        return read();
      }
    }

    Stmt insertValues(Table t) {
      return finish(insertValuesSql(t, null), "insert-values");
    }

    /** INSERT ... VALUES; cteReturning: a forced RETURNING (for a CTE) or null. */
    String insertValuesSql(Table t, String cteReturning) {
      String target = t.name();
      boolean colList = t.hasSerial() ? p(0.85) : p(0.7);
      List<Col> cols = new ArrayList<>();
      if (colList) {
        for (Col c : t.cols()) {
          boolean keyCol = t.unique().contains(c.name()) || c.name().equals(t.dist());
          if (keyCol ? p(0.96) : c.serial() ? p(0.25) : p(0.55)) {
            cols.add(c);
          }
        }
        if (cols.isEmpty()) {
          cols.add(t.cols().get(0));
        }
        if (p(0.2)) {
          Collections.shuffle(cols, s);
        }
      } else {
        cols.addAll(t.cols());
      }
      StringBuilder sql = new StringBuilder("INSERT INTO ").append(target);
      boolean upsertAlias = p(0.5);
      String x = upsertAlias ? "x" : target;
      if (upsertAlias) {
        sql.append(" AS x");
      }
      if (!colList && p(0.04)) {
        sql.append(" DEFAULT VALUES");
      } else {
        if (colList) {
          sql.append(" (").append(String.join(", ", cols.stream().map(Col::name).toList()))
              .append(")");
        }
        int rows = p(0.5) ? 1 : ri(2, 5);
        sql.append(" VALUES ");
        for (int r = 0; r < rows; r++) {
          sql.append(r == 0 ? "(" : ", (");
          for (int i = 0; i < cols.size(); i++) {
            Col c = cols.get(i);
            int d = s.nextInt(100);
            String value = d < 4 ? "NULL" : d < 10 || (c.serial() && d < 60) ? "DEFAULT"
                : c.name().equals(t.dist()) ? keyConst(c) : constant(c);
            sql.append(i == 0 ? "" : ", ").append(value);
          }
          sql.append(")");
        }
      }
      if (cteReturning == null && p(0.4)) {
        sql.append(onConflict(t, x));
      }
      if (cteReturning != null) {
        sql.append(cteReturning.replace("@", x));
      } else if (p(0.4)) {
        sql.append(returning(List.of(new Ref(x, t)), true));
      }
      return sql.toString();
    }

    String onConflict(Table t, String x) {
      if (p(0.35)) {
        return " ON CONFLICT " + (p(0.5) ? "(" + String.join(", ", t.unique()) + ") " : "")
            + "DO NOTHING";
      }
      StringBuilder sb = new StringBuilder(" ON CONFLICT (" + String.join(", ", t.unique())
          + ") DO UPDATE SET ");
      List<Col> settable = new ArrayList<>();
      for (Col c : t.visible()) {
        if (!t.unique().contains(c.name()) && !c.name().equals(t.dist())) {
          settable.add(c);
        }
      }
      if (p(0.03) || settable.isEmpty()) {
        settable.add(t.col(t.unique().get(0)));
      }
      Collections.shuffle(settable, s);
      int n = Math.min(settable.size(), ri(1, 3));
      Ref self = new Ref(x, t);
      Ref excluded = new Ref("EXCLUDED", t);
      for (int i = 0; i < n; i++) {
        Col c = settable.get(i);
        String value = p(0.4) ? "EXCLUDED." + c.name()
            : p(0.15) ? "DEFAULT" : expr(c.type(), List.of(self, excluded));
        sb.append(i == 0 ? "" : ", ").append(c.name()).append(" = ").append(value);
      }
      if (p(0.35)) {
        sb.append(" WHERE ").append(p(0.5) ? simplePred(self) : simplePred(excluded));
      }
      return sb.toString();
    }

    /** INSERT ... SELECT from any table into any table. */
    Stmt insertSelect() {
      Table t = pickTable(35, 30, 15, 10, 10);
      Table src = pickTable(30, 30, 15, 15, 10);
      String y = alias("y");
      Ref ry = new Ref(y, src);
      List<Col> cols = new ArrayList<>();
      for (Col c : t.visible()) {
        boolean keyCol = t.unique().contains(c.name()) || c.name().equals(t.dist())
            || c.name().equals("label");
        if (keyCol ? p(0.97) : p(0.5)) {
          cols.add(c);
        }
      }
      if (cols.isEmpty()) {
        cols.add(t.cols().get(0));
      }
      StringBuilder sql = new StringBuilder("INSERT INTO " + t.name());
      boolean colList = !(cols.size() == t.visible().size() && !t.hasSerial() && p(0.5));
      if (colList) {
        sql.append(" (").append(String.join(", ", cols.stream().map(Col::name).toList()))
            .append(")");
      }
      List<String> items = new ArrayList<>();
      for (Col c : cols) {
        boolean keyCol = t.unique().contains(c.name()) || c.name().equals(t.dist());
        if (keyCol) {
          items.add(keyExpr(c, ry));
        } else if (c.notNull() && p(0.9) || p(0.8)) {
          items.add(expr(c.type(), List.of(ry)));
        } else {
          items.add("NULL");
        }
      }
      sql.append(" SELECT ").append(String.join(", ", items)).append(" FROM ")
          .append(src.name()).append(" ").append(y);
      List<String> conds = new ArrayList<>();
      if (p(0.6)) {
        conds.add(simplePred(ry));
      }
      if (p(0.35) && t.kind() != 'l') {
        // Keep clear of rows already there.
        String z = alias("z");
        String keyItem = items.get(cols.indexOf(t.col(t.unique().get(0))) >= 0
            ? cols.indexOf(t.col(t.unique().get(0))) : 0);
        conds.add("NOT EXISTS (SELECT 1 FROM " + t.name() + " " + z + " WHERE " + z + "."
            + t.unique().get(0) + " = " + keyItem + ")");
      }
      if (p(0.15)) {
        conds.add(subPred(ry));
      }
      if (!conds.isEmpty()) {
        sql.append(" WHERE ").append(String.join(" AND ", conds));
      }
      // ON CONFLICT DO NOTHING keeps the first of source rows with the same key: in the order
      // of an unordered scan, which PostgreSQL leaves open; so then in a total order.
      boolean conflict = p(0.3);
      if (p(0.3) || conflict) {
        List<String> order = new ArrayList<>();
        for (Col c : src.visible()) {
          order.add(y + "." + c.name() + (p(0.3) ? " DESC" : "")
              + (p(0.2) ? " NULLS FIRST" : ""));
        }
        Collections.shuffle(order, s);
        int n = vi(0, 12);
        sql.append(" ORDER BY ").append(String.join(", ", order));
        if (!conflict || p(0.5)) {
          sql.append(" LIMIT ").append(value(n, Integer.toString(n)));
        }
      }
      if (conflict) {
        sql.append(onConflict(t, t.name()));
      }
      if (p(0.35)) {
        sql.append(returning(List.of(new Ref(t.name(), t)), true));
      }
      return finish(sql.toString(), "insert-select");
    }

    /** A key column's value from a source row: the source's keys, shifted now and then. */
    String keyExpr(Col c, Ref y) {
      Table src = y.t();
      String base;
      if (c.name().equals("id") && src.unique().contains("id") && p(0.6)) {
        base = y.q() + ".id";
      } else if (src == Schema.C && c.type() == 'i') {
        base = p(0.5) ? "coalesce(" + y.q() + ".k, 0)" : "(" + y.q() + ".id % 50)::int";
      } else {
        base = "coalesce(" + y.q() + "." + keyIntCol(src) + ", 0)";
        if (src == Schema.B && c.name().equals("id") && p(0.5)) {
          base = "coalesce(" + y.q() + ".id, -1)";
        }
      }
      int shift = vi(20, 60);
      return switch (s.nextInt(4)) {
        case 0 -> base + " + " + value(shift, Integer.toString(shift));
        case 1 -> base + " + 1";
        default -> base;
      };
    }

    /** INSERT ... SELECT with GROUP BY into the local or reference table, or a distributed one. */
    Stmt upsertAggregate() {
      String y = alias("y");
      Table src = pickTable(40, 30, 20, 0, 10);
      String key = y + "." + keyIntCol(src);
      String where = p(0.5) ? " WHERE " + simplePred(new Ref(y, src)) + " AND " + key
          + " IS NOT NULL" : " WHERE " + key + " IS NOT NULL";
      String sum = cols(List.of(new Ref(y, src)), 'n').isEmpty() ? "count(*)"
          : "sum(" + pick(cols(List.of(new Ref(y, src)), 'n')) + ")";
      switch (s.nextInt(3)) {
        case 0: {
          String sql = "INSERT INTO wf_loc AS l (a, note, cnt) SELECT " + key + ", min("
              + y + "." + (src.name().equals("wf_loc") ? "note" : src == Schema.REF ? "label"
                  : "t") + "), count(*)::int FROM " + src.name() + " " + y + where
              + " GROUP BY " + key
              + pick(" ON CONFLICT (a) DO UPDATE SET cnt = l.cnt + EXCLUDED.cnt",
                  " ON CONFLICT (a) DO UPDATE SET note = EXCLUDED.note WHERE l.cnt < "
                      + intConst("cnt"),
                  " ON CONFLICT DO NOTHING")
              + (p(0.4) ? " RETURNING l.a, l.cnt" : "");
          return finish(sql, "local-upsert-from-distributed");
        }
        case 1: {
          String sql = "INSERT INTO wf_ref AS r (code, label, w) SELECT " + key + " + "
              + pick("0", "20") + ", 'agg', " + sum + " FROM " + src.name() + " " + y + where
              + " GROUP BY " + key + " HAVING count(*) < 1000"
              + pick(" ON CONFLICT (code) DO UPDATE SET w = EXCLUDED.w, label = r.label || '+'",
                  " ON CONFLICT (code) DO NOTHING", "")
              + (p(0.4) ? " RETURNING r.code, r.label" : "");
          return finish(sql, "reference-insert-from-distributed");
        }
        default: {
          String sql = "INSERT INTO wf_b (k, id, n) SELECT " + key + ", " + pick("100", "101")
              + " + count(*)::int, " + sum + " FROM " + src.name() + " " + y + where
              + " GROUP BY " + key + (p(0.4) ? " RETURNING k, id, n" : "");
          return finish(sql, "insert-select-aggregate");
        }
      }
    }

    /** UPDATE, routed or not, with subqueries, FROM joins, RETURNING. */
    Stmt update(Table t) {
      String x = p(0.8) ? "x" : t.name();
      Ref rx = new Ref(x, t);
      StringBuilder sql = new StringBuilder("UPDATE " + t.name() + (x.equals("x") ? " x" : ""));
      List<Ref> setRefs = new ArrayList<>(List.of(rx));
      List<Ref> returnRefs = new ArrayList<>(List.of(rx));
      String join = null;
      String from = null;
      if (p(0.3) && x.equals("x")) {
        String[] f = fromJoin(t, rx);
        from = f[0];
        join = f[1];
        if (f[2] != null) {
          Ref other = new Ref(f[2], table(f[3]));
          setRefs.add(other);
          returnRefs.add(other);
        }
      }
      List<Col> settable = new ArrayList<>();
      for (Col c : t.visible()) {
        if (!c.name().equals(t.dist())) {
          settable.add(c);
        }
      }
      Collections.shuffle(settable, s);
      int n = Math.min(settable.size(), ri(1, 3));
      List<String> sets = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Col c = settable.get(i);
        String value;
        int w = s.nextInt(100);
        boolean unique = t.unique().contains(c.name());
        if (w < 8 && !c.notNull()) {
          value = "NULL";
        } else if (w < 14) {
          value = "DEFAULT";
        } else if (unique) {
          // A unique column set from its own value may collide with a row not updated yet:
          // whether PostgreSQL fails then depends on the physical order, so constants only.
          value = constant(c);
        } else if (w < 22 && (c.type() == 'n' || c.type() == 'i')) {
          value = scalarSubquery(c, rx);
        } else {
          value = expr(c.type(), setRefs);
        }
        sets.add(c.name() + " = " + value);
      }
      if (t.dist() != null && p(0.04)) {
        sets.add(t.dist() + " = " + (p(0.5) ? x + "." + t.dist() : constant(t.col(t.dist()))));
      }
      sql.append(" SET ").append(String.join(", ", sets));
      if (from != null) {
        sql.append(" FROM ").append(from);
      }
      List<String> conds = new ArrayList<>();
      if (join != null) {
        conds.add(join);
      }
      if (p(0.9)) {
        conds.add(where(rx, 0.3));
      }
      if (!conds.isEmpty()) {
        sql.append(" WHERE ").append(String.join(" AND ", conds));
      }
      if (p(0.4)) {
        sql.append(returning(returnRefs, from == null));
      }
      return finish(sql.toString(), from == null ? "update" : "update-from");
    }

    static Table table(String name) {
      return Schema.TABLES.stream().filter(t -> t.name().equals(name)).findFirst()
          .orElseThrow();
    }

    /**
     * A FROM / USING item for a target: {text, join condition, alias whose columns may be read
     * (the join matches at most one row) or null, its table name}.
     */
    String[] fromJoin(Table t, Ref x) {
      String y = alias("j");
      int w = s.nextInt(6);
      String xk = x.q() + "." + keyIntCol(t);
      if (w <= 1 && (t == Schema.A || t == Schema.B)) {
        Table other = t == Schema.A ? Schema.B : Schema.A;
        if (w == 0) {
          // Unique on both keys when the other is wf_a; wf_b may have duplicate NULL ids only.
          return new String[] {other.name() + " " + y, y + ".k = " + x.q() + ".k AND " + y
              + ".id = " + x.q() + ".id", y, other.name()};
        }
        return new String[] {other.name() + " " + y, y + ".k = " + x.q() + ".k", null, null};
      }
      if (w == 2) {
        String col = t.visible().stream().anyMatch(c -> c.name().equals("id") && c.type() == 'i')
            ? x.q() + ".id" : xk;
        return new String[] {"wf_ref " + y, y + ".code = " + col, y, "wf_ref"};
      }
      if (w == 3) {
        // Not co-located (or a local table): distributed targets refuse it.
        return new String[] {"wf_c " + y, y + ".id = " + xk, y, "wf_c"};
      }
      if (w == 4) {
        return new String[] {"wf_loc " + y, y + ".a = " + xk, y, "wf_loc"};
      }
      return new String[] {"wf_a " + y, y + ".k = " + xk + " AND " + y + ".id = "
          + intConst("id"), y, "wf_a"};
    }

    /** A scalar subquery for an int or numeric SET value, correlated or not. */
    String scalarSubquery(Col c, Ref x) {
      String y = alias("q");
      Table src = pickTable(35, 35, 15, 10, 5);
      Ref ry = new Ref(y, src);
      String agg;
      if (c.type() == 'n') {
        agg = cols(List.of(ry), 'n').isEmpty() ? "count(*)"
            : pick("max", "min", "sum") + "(" + pick(cols(List.of(ry), 'n')) + ")";
      } else {
        agg = c.name().equals("v") || c.name().equals("cnt") ? "count(*)" : "max(" + y + "."
            + keyIntCol(src) + ")";
      }
      String where = p(0.6) ? y + "." + keyIntCol(src) + " = " + x.q() + "." + keyIntCol(x.t())
          : simplePred(ry);
      String sub = "(SELECT " + agg + " FROM " + src.name() + " " + y + " WHERE " + where + ")";
      if (c.type() == 'i' && agg.equals("count(*)")) {
        sub = sub + "::int";
      }
      return c.notNull() ? "coalesce(" + sub + ", 0)" : sub;
    }

    /** DELETE, routed or not, with subqueries, USING joins, RETURNING. */
    Stmt delete(Table t) {
      String x = p(0.8) ? "x" : t.name();
      Ref rx = new Ref(x, t);
      StringBuilder sql = new StringBuilder("DELETE FROM " + t.name()
          + (x.equals("x") ? " x" : ""));
      List<Ref> returnRefs = new ArrayList<>(List.of(rx));
      String join = null;
      if (p(0.25) && x.equals("x")) {
        String[] f = fromJoin(t, rx);
        sql.append(" USING ").append(f[0]);
        join = f[1];
        if (f[2] != null) {
          returnRefs.add(new Ref(f[2], table(f[3])));
        }
      }
      List<String> conds = new ArrayList<>();
      if (join != null) {
        conds.add(join);
      }
      if (p(0.95)) {
        conds.add(where(rx, 0.35));
      }
      if (!conds.isEmpty()) {
        sql.append(" WHERE ").append(String.join(" AND ", conds));
      }
      if (p(0.4)) {
        sql.append(returning(returnRefs, join == null));
      }
      return finish(sql.toString(), join == null ? "delete" : "delete-using");
    }

    /** A data-modifying CTE, or a reading CTE in front of an INSERT ... SELECT. */
    Stmt cte() {
      Table t = pickTable(30, 20, 15, 10, 25);
      String ret = " RETURNING @." + t.intCol() + " AS ri";
      String inner;
      int w = s.nextInt(4);
      if (w == 0) {
        inner = insertValuesSql(t, ret);
      } else if (w == 1) {
        Ref rx = new Ref("x", t);
        Col c = pick(t.visible().stream().filter(cc -> !cc.name().equals(t.dist())
            && !t.unique().contains(cc.name())).toList());
        inner = "UPDATE " + t.name() + " x SET " + c.name() + " = " + expr(c.type(), List.of(rx))
            + " WHERE " + where(rx, 0.2) + ret.replace("@", "x");
      } else if (w == 2) {
        Ref rx = new Ref("x", t);
        inner = "DELETE FROM " + t.name() + " x WHERE " + where(rx, 0.2)
            + ret.replace("@", "x");
      } else {
        Table src = pickTable(40, 30, 20, 10, 0);
        String y = alias("y");
        inner = "SELECT " + y + "." + keyIntCol(src) + " AS ri FROM " + src.name() + " " + y
            + " WHERE " + simplePred(new Ref(y, src)) + " AND " + y + "." + keyIntCol(src)
            + " IS NOT NULL";
      }
      // Parameters in the inner statement are already markers; finish() replaces them in order.
      String outer = switch (s.nextInt(4)) {
        case 0 -> "SELECT count(*), sum(ri) FROM w";
        case 1 -> "SELECT ri FROM w";
        case 2 -> "INSERT INTO wf_loc (a, note) SELECT DISTINCT ri + 200, 'cte' FROM w"
            + " ON CONFLICT (a) DO NOTHING";
        default -> "INSERT INTO wf_b (k, id, t) SELECT DISTINCT ri, 200, 'cte' FROM w"
            + " WHERE ri IS NOT NULL ON CONFLICT DO NOTHING";
      };
      return finish("WITH w AS (" + inner + ") " + outer, w == 3 ? "cte-read-write"
          : "cte-modifying");
    }

    /** A read, to see a block's own writes. */
    Stmt read() {
      Table t = pickTable(35, 25, 20, 10, 10);
      String x = alias("x");
      Ref rx = new Ref(x, t);
      String sql;
      switch (s.nextInt(4)) {
        case 0:
          sql = "SELECT " + t.visible().stream().map(c -> x + "." + c.name()).reduce(
              (a, b) -> a + ", " + b).orElseThrow() + " FROM " + t.name() + " " + x + " WHERE "
              + simplePred(rx);
          break;
        case 1: {
          String n = cols(List.of(rx), 'n').isEmpty() ? "0" : "sum(" + cols(List.of(rx), 'n')
              .get(0) + ")";
          sql = "SELECT count(*), " + n + ", count(DISTINCT " + x + "." + keyIntCol(t)
              + "), max(" + x + "." + keyIntCol(t) + ") FROM " + t.name() + " " + x
              + (p(0.5) ? " WHERE " + simplePred(rx) : "");
          break;
        }
        case 2:
          sql = "SELECT " + x + "." + keyIntCol(t) + ", count(*) FROM " + t.name() + " " + x
              + " GROUP BY " + x + "." + keyIntCol(t);
          break;
        default:
          sql = "SELECT a.k, a.id, a.n, b.n, b.t FROM wf_a a JOIN wf_b b ON a.k = b.k AND"
              + " a.id = b.id WHERE " + simplePred(new Ref("a", Schema.A));
      }
      return finish(sql, "read");
    }

    /** A transaction block: BEGIN, writes and reads, maybe a savepoint, COMMIT or ROLLBACK. */
    List<Stmt> block() {
      List<Stmt> items = new ArrayList<>();
      items.add(finish(pick("BEGIN", "START TRANSACTION", "BEGIN ISOLATION LEVEL REPEATABLE READ"),
          "begin"));
      int n = ri(2, 7);
      int savepointAt = p(0.5) ? ri(0, n - 1) : -1;
      int rollbackTo = savepointAt >= 0 && p(0.7) ? ri(savepointAt + 1, n) : -1;
      for (int i = 0; i < n; i++) {
        if (i == savepointAt) {
          items.add(finish("SAVEPOINT sp1", "savepoint"));
        }
        if (i == rollbackTo) {
          items.add(finish(p(0.8) ? "ROLLBACK TO SAVEPOINT sp1" : "RELEASE SAVEPOINT sp1",
              "rollback-to"));
        }
        int w = s.nextInt(100);
        Stmt q;
        if (w < 30) {
          q = read();
        } else if (w < 50) {
          q = insertValues(pickTable(35, 25, 20, 12, 8));
        } else if (w < 60) {
          q = insertSelect();
        } else if (w < 80) {
          q = update(pickTable(30, 25, 20, 13, 12));
        } else {
          q = delete(pickTable(30, 25, 20, 13, 12));
        }
        items.add(q);
      }
      if (rollbackTo == n) {
        items.add(finish("ROLLBACK TO SAVEPOINT sp1", "rollback-to"));
        items.add(read());
      }
      items.add(finish(p(0.7) ? "COMMIT" : "ROLLBACK", "end"));
      return items;
    }
  }
}
