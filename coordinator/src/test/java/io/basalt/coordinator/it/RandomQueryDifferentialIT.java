package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Random queries, compared with a plain PostgreSQL: a seeded generator writes SELECTs over
 * distributed tables (t1, t2 co-located with it, t3 not co-located), a reference table (r) and a
 * local table (loc): projections, joins of every kind, WHERE trees with subqueries, GROUP BY /
 * HAVING, aggregates, DISTINCT [ON], set operations, CTEs, window functions, ORDER BY / LIMIT,
 * routed (key = constant) and multi-shard. Each query runs on Basalt (tables distributed) and on a
 * separate PostgreSQL holding the same rows.
 *
 * <p>Each generated shape runs twice, on one session, with the same structure and other constants
 * (the second run meets the session's cached plan of the shape). Shapes take turns between three
 * ways of reaching both servers: pgjdbc's extended protocol, the simple protocol, and
 * server-prepared statements with binary results in which some constants are bind parameters.
 * A Basalt connection that broke (an internal XX error, a lost connection) is reopened.
 *
 * <p>Compared: the SQLSTATE when either fails; otherwise column labels and types and the rows as
 * text, in order when the query's ORDER BY makes the order total (the generator then orders by
 * every output column after its own keys), else as multisets. A 0A000 from Basalt where
 * PostgreSQL answers counts as a refusal (listed by message), not as a mismatch. The generator
 * avoids answers PostgreSQL itself leaves open (float sums, ties under LIMIT, aggregates and
 * windows over an order with ties, numeric values equal but of different scales), so any other
 * difference is Basalt's. The log has every query with its outcome, the refusals, and the plans
 * Basalt chose (EXPLAIN of the extended-protocol shapes).
 *
 * <p>{@code -Dbasalt.fuzz.seed=N} and {@code -Dbasalt.fuzz.shapes=N} choose another run (the rows
 * too come from the seed); {@code -Dbasalt.fuzz.schemaQualified=0} leaves out schema.table.column
 * references.
 */
class RandomQueryDifferentialIT {
  private static final long SEED = Long.getLong("basalt.fuzz.seed", 12);
  private static final int SHAPES = Integer.getInteger("basalt.fuzz.shapes", 1000);
  /** Generation stops (reported) past this, so the suite's time stays bounded. */
  private static final long BUDGET_NANOS = TimeUnit.SECONDS.toNanos(170);
  private static final int TIMEOUT_SECONDS = 30;
  /** How often a table named without an alias has its columns written schema.table.column. */
  static final double SCHEMA_QUALIFIED =
      Double.parseDouble(System.getProperty("basalt.fuzz.schemaQualified", "0.02"));

  private static final String DROP = "DROP TABLE IF EXISTS t1, t2, t3, r, loc CASCADE";
  private static final List<String> DISTRIBUTE = List.of(
      "SELECT create_distributed_table('t1', 'k', shard_count => 8)",
      "SELECT create_distributed_table('t2', 'k', colocate_with => 't1')",
      "SELECT create_distributed_table('t3', 'id', shard_count => 6, colocate_with => 'none')",
      "SELECT create_reference_table('r')");

  private static TwinServers twin;
  private static Connection basaltSimple;
  private static Connection basaltBinary;
  private static Connection postgresBinary;

  @BeforeAll
  static void setUp() throws SQLException {
    twin = TwinServers.open(DROP, Data.setup(SEED), DISTRIBUTE);
    basaltSimple = simpleConnection();
    basaltBinary = TestBasalt.connect(binary());
    postgresBinary = twin.connectPostgres(binary());
  }

  /** pgjdbc properties for server-prepared statements with binary results from the start. */
  private static Properties binary() {
    Properties p = new Properties();
    p.setProperty("prepareThreshold", "-1");
    p.setProperty("binaryTransfer", "true");
    return p;
  }

  @AfterAll
  static void tearDown() throws SQLException {
    try {
      for (Connection c : new Connection[] {basaltSimple, basaltBinary, postgresBinary}) {
        if (c != null) {
          c.close();
        }
      }
    } finally {
      if (twin != null) {
        twin.close();
      }
    }
  }

  private static Connection simpleConnection() throws SQLException {
    Properties p = new Properties();
    p.setProperty("preferQueryMode", "simple");
    return TestBasalt.connect(p);
  }

  @Test
  void randomQueriesGiveTheSameAnswers() throws SQLException {
    System.out.println("RandomQueryDifferentialIT: seed " + SEED + ", " + SHAPES + " shapes"
        + " (rerun with -Dbasalt.fuzz.seed=" + SEED + ")");
    long start = System.nanoTime();
    int executed = 0;
    int matched = 0;
    int refused = 0;
    boolean stopped = false;
    Map<String, Integer> refusals = new TreeMap<>();
    Map<String, Integer> bothFailed = new TreeMap<>();
    Map<String, Integer> plans = new TreeMap<>();
    int empty = 0;
    List<String> mismatches = new ArrayList<>();
    // Basalt's connection per mode; reopened when it broke (an internal error, a lost
    // connection), so that one failure does not turn every later query into a mismatch.
    // (twin.basalt itself stays for the setup and the final DROP.)
    Connection[] basaltConnections = {TestBasalt.connect(), basaltSimple, basaltBinary};
    for (int i = 0; i < SHAPES; i++) {
      if (System.nanoTime() - start > BUDGET_NANOS) {
        stopped = true;
        break;
      }
      String previous = null;
      for (int variant = 0; variant < 2; variant++) {
        int mode = i % 3;
        Gen gen = new Gen(new Random(FuzzText.mix(SEED, i, -1)), new Random(FuzzText.mix(SEED, i, variant)));
        if (mode == 2) {
          gen.withParameters();
        }
        Query q = gen.query();
        if (q.toString().equals(previous)) {
          continue;
        }
        previous = q.toString();
        if (!usable(basaltConnections[mode])) {
          basaltConnections[mode] = reconnect(basaltConnections[mode], mode);
        }
        Connection basalt = basaltConnections[mode];
        String label = "#" + i + "." + variant + " " + MODES[mode];
        executed++;
        Outcome expected = run(mode == 2 ? postgresBinary : twin.postgres, q, mode == 2);
        Outcome actual = run(basalt, q, mode == 2);
        if (variant == 0 && mode == 0) {
          plans.merge(planKind(basalt, q.sql()), 1, Integer::sum);
        }
        if (expected.equals(actual)) {
          matched++;
          if (expected.state() != null) {
            bothFailed.merge(expected.state(), 1, Integer::sum);
          } else if (expected.rows().isEmpty()) {
            empty++;
          }
          System.out.println(label + " same: " + expected.brief() + "\n    " + q);
        } else if ("0A000".equals(actual.state()) && !"0A000".equals(expected.state())) {
          refused++;
          refusals.merge(FuzzText.firstLine(actual.message()), 1, Integer::sum);
          System.out.println(label + " refused: " + FuzzText.firstLine(actual.message()) + "\n    "
              + q);
        } else {
          String report = label + (q.ordered() ? " (ordered)" : " (unordered)") + "\n    "
              + q + "\n    PostgreSQL: " + expected.brief() + "\n    Basalt:     "
              + actual.brief() + difference(expected, actual);
          mismatches.add(report);
          System.out.println("MISMATCH " + report);
          if (actual.state() != null
              && (actual.state().startsWith("XX") || actual.state().startsWith("08"))) {
            basaltConnections[mode] = reconnect(basaltConnections[mode], mode);
          }
        }
      }
    }
    basaltConnections[0].close();
    basaltSimple = basaltConnections[1];
    basaltBinary = basaltConnections[2];
    System.out.printf("RandomQueryDifferentialIT: seed %d, %d queries (%d shapes%s),"
        + " %d matched, %d refused by Basalt (0A000), %d mismatches, %.1f s%n", SEED, executed,
        SHAPES, stopped ? ", stopped early by the time budget" : "", matched, refused,
        mismatches.size(), (System.nanoTime() - start) / 1e9);
    System.out.println("  matched with no rows: " + empty + "; matched with the same error: "
        + bothFailed);
    System.out.println("  plans of the extended-protocol shapes (EXPLAIN): " + plans);
    refusals.forEach((m, n) -> System.out.println("  refusal x" + n + ": " + m));
    mismatches.forEach(m -> System.out.println("MISMATCH " + m));
    assertEquals(List.of(), mismatches, "seed " + SEED + ":\n" + String.join("\n", mismatches));
  }

  // --------------------------------------------------------------------------------- running

  /** Basalt's plan for a query, from the custom scan EXPLAIN names, for the statistics. */
  private static String planKind(Connection c, String sql) {
    try (Statement s = c.createStatement()) {
      s.setEscapeProcessing(false);
      s.setQueryTimeout(TIMEOUT_SECONDS);
      try (ResultSet rs = s.executeQuery("EXPLAIN " + sql)) {
        String first = rs.next() ? rs.getString(1) : "";
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Basalt (\\w+)")
            .matcher(first);
        String kind = m.find() ? m.group(1) : "local";
        // (A join or subquery routed to one shard group, told apart for the summary.)
        return kind.equals("Router") && (sql.contains(" JOIN ") || sql.contains("(SELECT"))
            ? "Router, several tables" : kind;
      }
    } catch (SQLException e) {
      return "EXPLAIN failed (" + e.getSQLState() + ")";
    }
  }

  /** A new Basalt connection for a mode, the old one closed (it may be broken). */
  private static Connection reconnect(Connection old, int mode) throws SQLException {
    try {
      old.close();
    } catch (SQLException e) {
      // Broken already.
    }
    System.out.println("  (Basalt connection " + MODES[mode] + " reopened)");
    return switch (mode) {
      case 0 -> TestBasalt.connect();
      case 1 -> simpleConnection();
      default -> TestBasalt.connect(binary());
    };
  }

  private static boolean usable(Connection c) {
    try {
      return !c.isClosed() && c.isValid(5);
    } catch (SQLException e) {
      return false;
    }
  }

  /** A query's outcome: an error's SQLSTATE (message shown, not compared), or labels and rows. */
  record Outcome(String state, String message, List<String> labels, List<String> rows) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Outcome x && Objects.equals(state, x.state)
          && Objects.equals(labels, x.labels) && Objects.equals(rows, x.rows);
    }

    @Override
    public int hashCode() {
      return Objects.hash(state, labels, rows);
    }

    String brief() {
      if (state != null) {
        return "error " + state + " " + FuzzText.firstLine(message);
      }
      List<String> shown = rows.size() <= 4 ? rows : rows.subList(0, 4);
      return labels + " " + rows.size() + " rows " + shown + (rows.size() > 4 ? "..." : "");
    }
  }

  /** Per shape, in turn: how the query reaches both servers. */
  private static final String[] MODES = {"[extended]", "[simple]",
      "[prepared, binary, parameters]"};

  private static Outcome run(Connection c, Query q, boolean prepared) {
    try (Statement s = prepared ? c.prepareStatement(q.sql()) : c.createStatement()) {
      s.setEscapeProcessing(false);
      s.setQueryTimeout(TIMEOUT_SECONDS);
      for (int i = 0; i < q.params().size(); i++) {
        java.sql.PreparedStatement ps = (java.sql.PreparedStatement) s;
        switch (q.params().get(i)) {
          case Integer n -> ps.setInt(i + 1, n);
          case BigDecimal n -> ps.setBigDecimal(i + 1, n);
          case String t -> ps.setString(i + 1, t);
          default -> throw new IllegalStateException("parameter " + q.params().get(i));
        }
      }
      try (ResultSet rs = prepared ? ((java.sql.PreparedStatement) s).executeQuery()
          : s.executeQuery(q.sql())) {
        ResultSetMetaData md = rs.getMetaData();
        List<String> labels = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          labels.add(md.getColumnLabel(i) + ":" + md.getColumnTypeName(i));
        }
        List<String> rows = TwinServers.rows(rs, new ArrayList<>());
        if (!q.ordered()) {
          Collections.sort(rows);
        }
        return new Outcome(null, null, labels, rows);
      }
    } catch (SQLException e) {
      return new Outcome(Objects.requireNonNullElse(e.getSQLState(), "?????"), e.getMessage(),
          null, null);
    }
  }

  private static String difference(Outcome expected, Outcome actual) {
    return FuzzText.difference(expected.labels(), expected.rows(), actual.labels(),
        actual.rows(), 5);
  }


  // ------------------------------------------------------------------------------------ data

  /** The tables and their rows, the same on both sides (written before distribution). */
  static final class Data {
    static final String[] TEXTS = {"", "a", "A", "b", "B", "ab", "abc", "Abc", "a_c", "a%c",
        "x y", " lead", "trail ", "O'Brien", "back\\slash", "tab\tx", "line\nbreak", "\\N",
        "NULL", "ümlaut", "Ölfass", "zeta", "Zeta", "日本語", "10", "9", "-1"};
    static final String[] DATES = {"2024-02-29", "2023-12-31", "2024-01-01", "2000-01-01",
        "1999-12-31", "1970-01-01", "2024-06-15", "2024-06-16", "2010-10-10", "infinity",
        "-infinity", "0044-03-15 BC", "2099-12-31", "2024-01-02"};
    static final String[] NUMERIC_TIES = {"0.00", "1.50", "-1.50", "100.00", "-0.01",
        "999.99"};

    private Data() {}

    static List<String> setup(long seed) {
      Random d = new Random(seed ^ 0x7AB1E5L);
      List<String> sql = new ArrayList<>(List.of(
          "CREATE TABLE t1 (k int, a int, b numeric(10,2), c text, d date, e boolean)",
          "CREATE TABLE t2 (k int, x int, y text)",
          "CREATE TABLE t3 (id int, k int, z int)",
          "CREATE TABLE r (a int, label text)",
          "CREATE TABLE loc (a int, note text)"));
      List<String> rows = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        int k = d.nextInt(8) == 0 ? 7 : d.nextInt(80) - 10;
        rows.add("(" + k + ", " + (d.nextInt(10) == 0 ? "NULL" : d.nextInt(101) - 50) + ", "
            + (d.nextInt(10) == 0 ? "NULL" : d.nextInt(4) == 0
                ? NUMERIC_TIES[d.nextInt(NUMERIC_TIES.length)]
                : BigDecimal.valueOf(d.nextInt(200_001) - 100_000, 2).toPlainString()) + ", "
            + (d.nextInt(10) == 0 ? "NULL" : FuzzText.lit(TEXTS[d.nextInt(TEXTS.length)])) + ", "
            + (d.nextInt(12) == 0 ? "NULL" : FuzzText.lit(DATES[d.nextInt(DATES.length)])) + ", "
            + (d.nextInt(3) == 0 ? "NULL" : d.nextBoolean()) + ")");
      }
      sql.add("INSERT INTO t1 VALUES " + String.join(", ", rows));
      rows.clear();
      for (int i = 0; i < 300; i++) {
        rows.add("(" + (d.nextInt(90) - 10) + ", "
            + (d.nextInt(10) == 0 ? "NULL" : d.nextInt(61) - 30) + ", "
            + (d.nextInt(10) == 0 ? "NULL" : FuzzText.lit(TEXTS[d.nextInt(TEXTS.length)])) + ")");
      }
      sql.add("INSERT INTO t2 VALUES " + String.join(", ", rows));
      rows.clear();
      for (int i = 0; i < 200; i++) {
        String z = switch (d.nextInt(40)) {
          case 0 -> "2147483647";
          case 1 -> "-2147483648";
          case 2, 3, 4 -> "NULL";
          default -> Integer.toString(d.nextInt(2001) - 1000);
        };
        rows.add("(" + (d.nextInt(150) + 1) + ", "
            + (d.nextInt(10) == 0 ? "NULL" : d.nextInt(80) - 10) + ", " + z + ")");
      }
      sql.add("INSERT INTO t3 VALUES " + String.join(", ", rows));
      rows.clear();
      for (int i = 0; i < 20; i++) {
        rows.add("(" + (d.nextInt(10) == 0 ? "NULL" : d.nextInt(21) - 5) + ", "
            + (d.nextInt(8) == 0 ? "NULL" : FuzzText.lit(TEXTS[d.nextInt(TEXTS.length)])) + ")");
      }
      sql.add("INSERT INTO r VALUES " + String.join(", ", rows));
      sql.add("INSERT INTO loc VALUES (1, 'one'), (2, 'two'), (3, NULL), (NULL, 'none'),"
          + " (2, 'deux')");
      return sql;
    }
  }

  // ------------------------------------------------------------------------------- generator

  /**
   * One generated query; ordered: its ORDER BY makes the order of its rows total; params: the
   * values of its ? placeholders (Integer, BigDecimal or String), in order.
   */
  record Query(String sql, boolean ordered, List<Object> params) {
    Query(String sql, boolean ordered) {
      this(sql, ordered, List.of());
    }

    @Override
    public String toString() {
      return params.isEmpty() ? sql : sql + "  -- parameters " + params;
    }
  }

  /** A column as a query may refer to it. arith: safe under arithmetic (no extreme values). */
  record Col(String qual, String name, char type, boolean arith) {}

  /** A FROM item: its text and its columns. */
  record Rel(String from, List<Col> cols) {}

  /** The relations a query level sees; bare: a lone top-level table, names need no qualifier. */
  static final class Scope {
    final List<Rel> rels = new ArrayList<>();
    final Scope outer;
    boolean bare;
    boolean noStar;

    Scope(Scope outer) {
      this.outer = outer;
    }

    List<Col> cols() {
      List<Col> all = new ArrayList<>();
      rels.forEach(r -> all.addAll(r.cols()));
      return all;
    }

    List<Col> cols(char type, boolean arith) {
      List<Col> out = new ArrayList<>();
      for (Col c : cols()) {
        if (c.type() == type && (!arith || c.arith())) {
          out.add(c);
        }
      }
      return out;
    }
  }

  /** A FROM clause with its scope; where: join conditions of a comma-separated FROM. */
  record From(Scope scope, String sql, String where) {}

  /** A SELECT's text and output column types (i int, n numeric(·,2), v avg, t, d, b, a array). */
  record Sel(String sql, List<Character> types) {}

  enum Kind { PLAIN, AGG, DISTINCT, DISTINCT_ON, WINDOW }

  /**
   * The grammar. Structure comes from {@code s}, constants from {@code v}: two generators with
   * the same {@code s} seed write the same statement shape with other constants.
   */
  static final class Gen {
    static final String[][] T1 = {{"k", "i"}, {"a", "i"}, {"b", "n"}, {"c", "t"}, {"d", "d"},
        {"e", "b"}};
    static final String[][] T2 = {{"k", "i"}, {"x", "i"}, {"y", "t"}};
    static final String[][] T3 = {{"id", "i"}, {"k", "i"}, {"z", "i"}};
    static final String[][] R = {{"a", "i"}, {"label", "t"}};
    static final String[][] LOC = {{"a", "i"}, {"note", "t"}};
    static final String[] ALIASES = {"k", "a", "b", "c", "x", "id", "n", "total", "grp", "v",
        "cnt", "label", "t1", "r", "t2"};
    /** Table aliases, sometimes the name of another table of the schema. */
    static final String[] TABLE_ALIASES = {"t1", "t2", "t3", "r", "loc"};
    static final String[] PATTERNS = {"a%", "%b%", "_", "%", "A_c", "%c", "a\\%c", "", "%e",
        "_b%", "Z%"};

    final Random s;
    final Random v;
    int names;
    final List<Rel> ctes = new ArrayList<>();
    final java.util.Set<String> usedAliases = new java.util.HashSet<>();
    int subDepth;

    /** Placeholder markers to values, when constants may become bind parameters. */
    Map<String, Object> parameters;

    Gen(Random s, Random v) {
      this.s = s;
      this.v = v;
    }

    /** A generator that writes some constants as bind parameters. */
    Gen withParameters() {
      parameters = new java.util.HashMap<>();
      return this;
    }

    /** A constant's text, or (now and then, with parameters on) a placeholder for it. */
    String value(Object value, String literal) {
      if (parameters == null || !p(0.6)) {
        return literal;
      }
      String marker = "\u0001" + parameters.size() + "\u0001";
      parameters.put(marker, value);
      return marker;
    }

    /** The query with placeholders as ? and their values in the order they appear. */
    Query finish(Query q) {
      if (parameters == null || parameters.isEmpty()) {
        return q;
      }
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("\u0001[0-9]+\u0001")
          .matcher(q.sql());
      StringBuilder sql = new StringBuilder();
      List<Object> values = new ArrayList<>();
      while (m.find()) {
        values.add(parameters.get(m.group()));
        m.appendReplacement(sql, "?");
      }
      m.appendTail(sql);
      return new Query(sql.toString(), q.ordered(), values);
    }

    boolean p(double probability) {
      return s.nextDouble() < probability;
    }

    int ri(int lo, int hi) {
      return lo + s.nextInt(hi - lo + 1);
    }

    <T> T pick(List<T> list) {
      return list.get(s.nextInt(list.size()));
    }

    String pick(String... options) {
      return options[s.nextInt(options.length)];
    }

    String fresh(String prefix) {
      return prefix + (++names);
    }

    // ------------------------------------------------------------------ top level

    Query query() {
      return finish(shape());
    }

    Query shape() {
      int w = s.nextInt(100);
      if (w < 15) {
        return single(Kind.PLAIN);
      } else if (w < 43) {
        return single(Kind.AGG);
      } else if (w < 49) {
        return single(p(0.5) ? Kind.DISTINCT : Kind.DISTINCT_ON);
      } else if (w < 55) {
        return single(Kind.WINDOW);
      } else if (w < 69) {
        return joined();
      } else if (w < 77) {
        return setOperation();
      } else if (w < 86) {
        return withQuery();
      } else if (w < 92) {
        return derived();
      } else {
        return subqueries();
      }
    }

    /** One table, perhaps pinned to a shard by key = constant. */
    Query single(Kind kind) {
      String table = pickTable(kind == Kind.AGG ? new int[] {50, 20, 18, 8, 4}
          : new int[] {45, 22, 18, 10, 5});
      Scope sc = new Scope(null);
      sc.bare = true;
      sc.rels.add(baseRel(table, true));
      String pin = null;
      if (!table.equals("loc") && !table.equals("r") && p(0.35)) {
        pin = keyPredicate(sc, pick(sc.cols()).qual(), table.equals("t3") ? "id" : "k");
      }
      subDepth = kind == Kind.AGG && p(0.85) ? 9 : 0;
      Sel sel = select(new From(sc, sc.rels.get(0).from(), pin), kind, false, true);
      return new Query(sel.sql(), ordered);
    }

    Query joined() {
      subDepth = p(0.7) ? 9 : 0;
      From f = p(0.4) ? colocatedFrom() : joinFrom(null);
      Kind kind = pick(List.of(Kind.PLAIN, Kind.PLAIN, Kind.AGG, Kind.AGG, Kind.DISTINCT,
          Kind.WINDOW, Kind.DISTINCT_ON));
      Sel sel = select(f, kind, false, true);
      return new Query(sel.sql(), ordered);
    }

    Query subqueries() {
      subDepth = 0;
      Scope sc = new Scope(null);
      String table = pickTable(new int[] {50, 25, 15, 10, 0});
      sc.bare = true;
      sc.rels.add(baseRel(table, true));
      StringBuilder where = new StringBuilder(subqueryPredicate(sc));
      if (p(0.4)) {
        where.append(p(0.5) ? " AND " : " OR ").append(subqueryPredicate(sc));
      }
      Sel sel = select(new From(sc, sc.rels.get(0).from(), where.toString()),
          p(0.8) ? Kind.PLAIN : Kind.AGG, false, true);
      return new Query(sel.sql(), ordered);
    }

    Query derived() {
      subDepth = p(0.6) ? 9 : 0;
      Scope sc = new Scope(null);
      Rel d = derivedRel();
      sc.rels.add(d);
      String from = d.from();
      String where = null;
      if (p(0.5)) {
        Rel other = baseRel(pickTable(new int[] {40, 25, 15, 15, 5}), false);
        String type = pick("JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN");
        from += " " + type + " " + other.from() + " ON " + joinCondition(sc.rels, other, type);
        sc.rels.add(other);
      }
      Sel sel = select(new From(sc, from, where), p(0.6) ? Kind.PLAIN : Kind.AGG, false, true);
      return new Query(sel.sql(), ordered);
    }

    Query withQuery() {
      subDepth = p(0.6) ? 9 : 0;
      int n = p(0.7) ? 1 : 2;
      StringBuilder with = new StringBuilder("WITH ");
      for (int i = 0; i < n; i++) {
        String name = fresh("w");
        From f = p(0.7) || ctes.isEmpty() ? (p(0.75) ? singleFrom() : joinFrom(null))
            : cteFrom();
        Sel body = select(f, pick(List.of(Kind.PLAIN, Kind.AGG, Kind.AGG, Kind.DISTINCT)), true,
            false);
        with.append(i == 0 ? "" : ", ").append(name).append(" AS ")
            .append(p(0.15) ? pick("MATERIALIZED ", "NOT MATERIALIZED ") : "")
            .append("(").append(body.sql()).append(")");
        List<Col> cols = new ArrayList<>();
        for (int c = 0; c < body.types().size(); c++) {
          cols.add(new Col(name, "c" + (c + 1), body.types().get(c), false));
        }
        ctes.add(new Rel(name, cols));
      }
      From main = p(0.6) ? cteFrom() : joinFrom(null);
      Sel sel = select(main, pick(List.of(Kind.PLAIN, Kind.AGG, Kind.WINDOW, Kind.DISTINCT)),
          false, true);
      return new Query(with + " " + sel.sql(), ordered);
    }

    Query setOperation() {
      subDepth = p(0.7) ? 9 : 0;
      int n = ri(1, 3);
      List<Character> types = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        types.add(pick(List.of('i', 'i', 'i', 't', 't', 'd', 'n', 'b')));
      }
      int arms = p(0.8) ? 2 : 3;
      StringBuilder sql = new StringBuilder();
      for (int i = 0; i < arms; i++) {
        if (i > 0) {
          sql.append(" ").append(pick("UNION", "UNION ALL", "INTERSECT", "INTERSECT ALL",
              "EXCEPT", "EXCEPT ALL")).append(" ");
        }
        boolean limited = p(0.12);
        String arm = arm(types, limited);
        sql.append(limited || p(0.1) ? "(" + arm + ")" : arm);
      }
      ordered = false;
      if (p(0.6)) {
        sql.append(" ORDER BY ").append(ordinals(types.size()));
        ordered = true;
        if (p(0.5)) {
          sql.append(limit());
        }
      }
      if (p(0.15)) {
        // The set operation as a derived table, aggregated over.
        String alias = fresh("u");
        String body = sql.toString();
        ordered = false;
        StringBuilder outer = new StringBuilder("SELECT count(*)");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
          names.add("c" + (i + 1));
        }
        outer.append(", ").append(types.get(0) == 'i' ? "sum(" + alias + ".c1)"
            : "count(DISTINCT " + alias + ".c1)");
        outer.append(" FROM (").append(body).append(") AS ").append(alias).append("(")
            .append(String.join(", ", names)).append(")");
        return new Query(outer.toString(), false);
      }
      return new Query(sql.toString(), ordered);
    }

    /** One arm of a set operation, with columns of the given types. */
    String arm(List<Character> types, boolean limited) {
      From f = p(0.75) ? singleFrom() : joinFrom(null);
      Scope sc = f.scope();
      List<String> items = new ArrayList<>();
      boolean agg = p(0.2);
      for (int i = 0; i < types.size(); i++) {
        char t = types.get(i);
        if (agg && i > 0) {
          items.add(aggregateOf(t, sc));
        } else {
          items.add(typed(t, sc));
        }
      }
      StringBuilder sql = new StringBuilder("SELECT ");
      if (p(0.1)) {
        sql.append("DISTINCT ");
      }
      sql.append(String.join(", ", items)).append(" FROM ").append(f.sql());
      String where = f.where();
      if (p(0.6)) {
        where = and(where, bool(sc, 0));
      }
      if (where != null) {
        sql.append(" WHERE ").append(where);
      }
      if (agg) {
        sql.append(" GROUP BY 1");
      }
      if (limited) {
        sql.append(" ORDER BY ").append(ordinals(types.size())).append(limit());
      }
      return sql.toString();
    }

    /** An expression of type t over the scope, converting from an int column if need be. */
    String typed(char t, Scope sc) {
      if (!sc.cols(t, false).isEmpty() && p(0.8)) {
        return expr(t, sc, 1);
      }
      List<Col> ints = sc.cols('i', true);
      String i = ints.isEmpty() ? constant('i') : ref(sc, pick(ints));
      return switch (t) {
        case 'n' -> "(" + i + ")::numeric(10,2)";
        case 't' -> "(" + i + ")::text";
        case 'd' -> "DATE '2020-01-01' + " + i;
        case 'b' -> i + " > 0";
        default -> ints.isEmpty() ? constant('i') : i;
      };
    }

    // ------------------------------------------------------------------ FROM

    String pickTable(int[] weights) {
      String[] tables = {"t1", "t2", "t3", "r", "loc"};
      int total = 0;
      for (int w : weights) {
        total += w;
      }
      int x = s.nextInt(total);
      for (int i = 0; i < weights.length; i++) {
        x -= weights[i];
        if (x < 0) {
          return tables[i];
        }
      }
      return "t1";
    }

    static String[][] columnsOf(String table) {
      return switch (table) {
        case "t1" -> T1;
        case "t2" -> T2;
        case "t3" -> T3;
        case "r" -> R;
        default -> LOC;
      };
    }

    Rel baseRel(String table, boolean mayKeepName) {
      String qual;
      String from;
      if (mayKeepName && p(0.55)) {
        from = p(0.08) ? "public." + table : table;
        // PostgreSQL accepts schema.table.column for a table named without an alias.
        qual = p(SCHEMA_QUALIFIED) ? "public." + table : table;
        usedAliases.add(table);
      } else {
        qual = fresh("q");
        if (p(0.06)) {
          // Now and then an alias that is the name of another table of the schema.
          String other = pick(TABLE_ALIASES);
          if (!other.equals(table) && !usedAliases.contains(other)) {
            qual = other;
          }
        }
        usedAliases.add(qual);
        from = table + (p(0.5) ? " AS " : " ") + qual;
      }
      List<Col> cols = new ArrayList<>();
      for (String[] c : columnsOf(table)) {
        cols.add(new Col(qual, c[0], c[1].charAt(0),
            !(table.equals("t3") && c[0].equals("z"))));
      }
      return new Rel(from, cols);
    }

    From singleFrom() {
      Scope sc = new Scope(null);
      sc.rels.add(baseRel(pickTable(new int[] {45, 25, 15, 10, 5}), false));
      return new From(sc, sc.rels.get(0).from(), null);
    }

    From cteFrom() {
      Scope sc = new Scope(null);
      Rel cte = pick(ctes);
      String alias = p(0.5) ? fresh("q") : null;
      Rel rel = cte;
      if (alias != null) {
        List<Col> cols = new ArrayList<>();
        cte.cols().forEach(c -> cols.add(new Col(alias, c.name(), c.type(), false)));
        rel = new Rel(cte.from() + " " + alias, cols);
      }
      sc.rels.add(rel);
      String from = rel.from();
      if (p(0.4)) {
        Rel other = baseRel(pickTable(new int[] {40, 25, 15, 15, 5}), false);
        String type = pick("JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN");
        from += " " + type + " " + other.from() + " ON " + joinCondition(sc.rels, other, type);
        sc.rels.add(other);
      }
      return new From(sc, from, null);
    }

    From joinFrom(Scope outer) {
      Scope sc = new Scope(outer);
      int n = p(0.75) ? 2 : 3;
      boolean comma = p(0.15);
      Rel first = baseRel(pickTable(new int[] {45, 25, 20, 7, 3}), true);
      sc.rels.add(first);
      StringBuilder from = new StringBuilder(first.from());
      String where = null;
      for (int i = 1; i < n; i++) {
        int kind = s.nextInt(100);
        Rel next;
        if (kind < 8 && !comma) {
          next = lateralRel(sc);
          from.append(p(0.5) ? " CROSS JOIN LATERAL " + next.from()
              : " LEFT JOIN LATERAL " + next.from() + " ON true");
          sc.rels.add(next);
          continue;
        }
        if (kind < 16) {
          next = derivedRel();
        } else {
          next = baseRel(pickTable(new int[] {35, 30, 20, 10, 5}), false);
        }
        if (comma) {
          from.append(", ").append(next.from());
          where = and(where, joinCondition(sc.rels, next, "JOIN"));
        } else if (p(0.06) && sameNamedInt(sc.rels, next) != null) {
          String type = pick("JOIN", "LEFT JOIN", "FULL JOIN");
          from.append(" ").append(type).append(" ").append(next.from()).append(" USING (")
              .append(sameNamedInt(sc.rels, next)).append(")");
          sc.noStar = true;
        } else if (p(0.05) && (next.from().startsWith("loc") || next.from().startsWith("r "))) {
          from.append(" CROSS JOIN ").append(next.from());
        } else {
          String type = pick("JOIN", "JOIN", "INNER JOIN", "LEFT JOIN", "LEFT JOIN",
              "LEFT OUTER JOIN", "RIGHT JOIN", "FULL JOIN", "FULL OUTER JOIN");
          from.append(" ").append(type).append(" ").append(next.from()).append(" ON ")
              .append(joinCondition(sc.rels, next, type));
        }
        sc.rels.add(next);
      }
      if (p(0.45)) {
        // A key pinned: tables tied to it on their keys make a router query of the join.
        List<Col> keys = new ArrayList<>();
        for (Rel r : sc.rels) {
          for (Col c : r.cols()) {
            if (c.name().equals("k") || c.name().equals("id")) {
              keys.add(c);
            }
          }
        }
        if (!keys.isEmpty()) {
          Col key = pick(keys);
          where = and(where, keyPredicate(sc, key.qual(), key.name()));
        }
      }
      return new From(sc, from.toString(), where);
    }

    /**
     * Joins of the co-located t1 and t2 tied on their keys, with the reference table r, mostly
     * pinned to one key value: router queries over several tables (and their unpinned kin).
     */
    From colocatedFrom() {
      Scope sc = new Scope(null);
      int n = p(0.6) ? 2 : 3;
      boolean comma = p(0.15);
      Rel first = baseRel(p(0.5) ? "t1" : "t2", true);
      sc.rels.add(first);
      StringBuilder from = new StringBuilder(first.from());
      String where = null;
      List<Col> keys = new ArrayList<>(List.of(first.cols().get(0)));
      for (int i = 1; i < n; i++) {
        String table = pickTable(new int[] {40, 40, 0, 20, 0});
        Rel next = baseRel(table, false);
        String cond;
        if (table.equals("r")) {
          cond = joinCondition(sc.rels, next, "JOIN");
        } else {
          Col key = pick(keys);
          cond = p(0.5) ? key.qual() + ".k = " + next.cols().get(0).qual() + ".k"
              : next.cols().get(0).qual() + ".k = " + key.qual() + ".k";
          if (p(0.2)) {
            Scope both = new Scope(null);
            both.rels.add(next);
            cond = cond + " AND " + bool(both, 1);
          }
          keys.add(next.cols().get(0));
        }
        if (comma) {
          from.append(", ").append(next.from());
          where = and(where, cond);
        } else {
          String type = pick("JOIN", "JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN");
          if (table.equals("r") && type.equals("FULL JOIN")) {
            type = "LEFT JOIN";
          }
          from.append(" ").append(type).append(" ").append(next.from()).append(" ON ")
              .append(cond);
        }
        sc.rels.add(next);
      }
      if (p(0.8)) {
        Col key = pick(keys);
        where = and(where, keyPredicate(sc, key.qual(), "k"));
      }
      return new From(sc, from.toString(), where);
    }

    /** The name of an int column both the last relation and next have, if any. */
    static String sameNamedInt(List<Rel> rels, Rel next) {
      Rel last = rels.get(rels.size() - 1);
      if (rels.size() != 1) {
        return null;
      }
      for (Col a : last.cols()) {
        for (Col b : next.cols()) {
          if (a.name().equals(b.name()) && a.type() == 'i' && b.type() == 'i'
              && !a.name().startsWith("c")) {
            return a.name();
          }
        }
      }
      return null;
    }

    /** An ON condition between next and one of the relations before it. */
    String joinCondition(List<Rel> rels, Rel next, String joinType) {
      Rel left = pick(rels);
      List<String> keyPairs = new ArrayList<>();
      List<String> anyPairs = new ArrayList<>();
      for (Col a : left.cols()) {
        for (Col b : next.cols()) {
          if (a.type() != b.type() || a.type() == 'a' || a.type() == 'v') {
            continue;
          }
          String eq = a.qual() + "." + a.name() + " = " + b.qual() + "." + b.name();
          boolean keyish = (a.name().equals("k") || a.name().equals("id"))
              && (b.name().equals("k") || b.name().equals("id"));
          (keyish ? keyPairs : anyPairs).add(eq);
        }
      }
      String cond;
      if (!keyPairs.isEmpty() && p(0.6)) {
        cond = pick(keyPairs);
      } else if (!anyPairs.isEmpty()) {
        cond = pick(anyPairs);
      } else if (!keyPairs.isEmpty()) {
        cond = pick(keyPairs);
      } else {
        cond = "true";
      }
      if (p(0.25)) {
        Scope both = new Scope(null);
        both.rels.add(left);
        both.rels.add(next);
        int saved = subDepth;
        subDepth = 9;
        boolean full = joinType.startsWith("FULL");
        // FULL JOIN needs merge- or hash-joinable conditions: add only equalities there.
        String extra = full ? equality(both) : bool(both, 1);
        subDepth = saved;
        if (extra != null) {
          cond = cond + " AND " + extra;
        }
      }
      return cond;
    }

    String equality(Scope sc) {
      List<Col> cols = sc.cols();
      Col c = pick(cols);
      if (c.type() == 'a' || c.type() == 'v') {
        return null;
      }
      return ref(sc, c) + " = " + constant(c.type());
    }

    /** A lateral subquery correlated with the relations before it. */
    Rel lateralRel(Scope sc) {
      String table = pickTable(new int[] {30, 40, 30, 0, 0});
      Scope inner = new Scope(sc);
      Rel in = baseRel(table, false);
      inner.rels.add(in);
      Col innerInt = pick(in.cols().stream().filter(c -> c.type() == 'i').toList());
      String alias = fresh("l");
      List<Col> cols = new ArrayList<>();
      String body = "SELECT count(*) AS lc, max(" + ref(inner, innerInt) + ") AS lm FROM "
          + in.from() + " WHERE " + ref(inner, innerInt) + " = " + outerRef(sc);
      cols.add(new Col(alias, "lc", 'i', false));
      cols.add(new Col(alias, "lm", 'i', false));
      return new Rel("(" + body + ") " + alias, cols);
    }

    /** A qualified int column of the scope, or a constant. */
    String outerRef(Scope sc) {
      List<Col> o = sc.cols('i', false);
      if (o.isEmpty()) {
        return constant('i');
      }
      Col c = pick(o);
      return c.qual() + "." + c.name();
    }

    /** A derived table: a SELECT with named output columns c1.. . */
    Rel derivedRel() {
      int saved = subDepth;
      From f = p(0.7) ? singleFrom() : joinFrom(null);
      boolean savedOrdered = ordered;
      Sel body = select(f, pick(List.of(Kind.PLAIN, Kind.AGG, Kind.AGG, Kind.DISTINCT)), true,
          false);
      ordered = savedOrdered;
      subDepth = saved;
      String alias = fresh("d");
      List<Col> cols = new ArrayList<>();
      for (int c = 0; c < body.types().size(); c++) {
        cols.add(new Col(alias, "c" + (c + 1), body.types().get(c), false));
      }
      return new Rel("(" + body.sql() + ") AS " + alias, cols);
    }

    // ------------------------------------------------------------------ SELECT

    /** Set by select(): whether the last top-level SELECT's order is total. */
    boolean ordered;

    Sel select(From f, Kind kind, boolean named, boolean top) {
      Scope sc = f.scope();
      List<String> items = new ArrayList<>();
      List<Character> types = new ArrayList<>();
      List<String> aliases = new ArrayList<>();
      List<String> prefixChoices = new ArrayList<>();
      String where = f.where();
      if (p(0.55)) {
        where = p(0.5) ? and(where, bool(sc, 0)) : and(bool(sc, 0), where);
      }
      String head = "SELECT ";
      String groupBy = null;
      String having = null;
      String distinctOn = null;
      switch (kind) {
        case PLAIN, WINDOW, DISTINCT -> {
          if (kind == Kind.DISTINCT) {
            head = "SELECT DISTINCT ";
          }
          if (!named && !sc.noStar && kind == Kind.PLAIN && p(0.12)) {
            Rel rel = pick(sc.rels);
            items.add(sc.rels.size() == 1 && p(0.5) ? "*" : rel.cols().get(0).qual() + ".*");
            aliases.add(null);
            for (Rel each : items.get(0).equals("*") ? sc.rels : List.of(rel)) {
              for (Col c : each.cols()) {
                types.add(c.type());
              }
            }
          }
          int n = items.isEmpty() ? ri(1, 4) : ri(0, 1);
          for (int i = 0; i < n; i++) {
            char t = anyType(sc);
            String e = p(0.6) ? refOf(sc, t) : expr(t, sc, 0);
            addItem(items, types, aliases, e, t, named);
          }
          if (kind == Kind.PLAIN && subDepth < 2 && p(0.15)) {
            String sub = scalarSubquery(sc);
            addItem(items, types, aliases, sub, 'i', named);
          }
          if (kind == Kind.WINDOW) {
            int w = ri(1, 2);
            for (int i = 0; i < w; i++) {
              char[] type = new char[1];
              String e = window(sc, type);
              addItem(items, types, aliases, e, type[0], named);
            }
          }
        }
        case DISTINCT_ON -> {
          char t = anyType(sc);
          distinctOn = p(0.7) ? refOf(sc, t) : expr(t, sc, 1);
          head = "SELECT DISTINCT ON (" + distinctOn + ") ";
          addItem(items, types, aliases, distinctOn, t, named);
          int n = ri(1, 3);
          for (int i = 0; i < n; i++) {
            char u = anyType(sc);
            addItem(items, types, aliases, refOf(sc, u), u, named);
          }
        }
        case AGG -> {
          int nk = pick(List.of(0, 1, 1, 1, 2, 2, 3));
          List<String> keys = new ArrayList<>();
          List<Character> keyTypes = new ArrayList<>();
          for (int i = 0; i < nk; i++) {
            if (p(0.04)) {
              // A row or array value as a grouping key.
              boolean row = p(0.5);
              keys.add((row ? "(" : "ARRAY[") + refOf(sc, 'i') + ", " + refOf(sc, 'i')
                  + (row ? ")" : "]"));
              keyTypes.add('a');
              continue;
            }
            char t = anyType(sc);
            String key = t == 't' && p(0.3) ? collated(refOf(sc, t))
                : p(0.6) ? refOf(sc, t) : keyExpression(t, sc);
            keys.add(key);
            keyTypes.add(t);
          }
          // Items: keys (most), aggregates, in a random order.
          List<int[]> order = new ArrayList<>();
          for (int i = 0; i < nk; i++) {
            if (p(0.85)) {
              order.add(new int[] {0, i});
            }
          }
          int na = ri(1, 3);
          for (int i = 0; i < na; i++) {
            order.add(new int[] {1, i});
          }
          Collections.shuffle(order, s);
          int[] keyPosition = new int[nk];
          java.util.Arrays.fill(keyPosition, -1);
          for (int[] o : order) {
            if (o[0] == 0) {
              char t = keyTypes.get(o[1]);
              String key = keys.get(o[1]);
              String item = key;
              if (p(0.12)) {
                item = switch (t) {
                  case 'i' -> "(" + key + ") * 2";
                  case 't' -> "upper(" + key + ")";
                  case 'n' -> "-(" + key + ")";
                  default -> key;
                };
              }
              addItem(items, types, aliases, item, t, named);
              if (item.equals(key)) {
                keyPosition[o[1]] = items.size() - 1;
              }
            } else {
              char[] type = new char[1];
              String item = aggregateItem(sc, type);
              addItem(items, types, aliases, item, type[0], named);
              prefixChoices.add(item);
            }
          }
          if (p(0.06)) {
            addItem(items, types, aliases, pick("sum(count(*)) OVER ()",
                "rank() OVER (ORDER BY count(*) DESC)", "count(*) * 100 / sum(count(*)) OVER ()"),
                pick(List.of('i')), named);
            types.set(types.size() - 1, 'v');
          }
          if (nk > 0) {
            List<String> group = new ArrayList<>();
            for (int i = 0; i < nk; i++) {
              int pos = keyPosition[i];
              int how = s.nextInt(4);
              if (pos >= 0 && how == 1) {
                group.add(Integer.toString(pos + 1));
              } else if (pos >= 0 && how == 2 && aliases.get(pos) != null) {
                group.add(aliases.get(pos));
              } else {
                group.add(keys.get(i));
              }
              prefixChoices.add(keys.get(i));
            }
            groupBy = String.join(", ", group);
          }
          if (p(0.3)) {
            having = havingCondition(sc, keys, keyTypes);
          }
          if (p(0.08)) {
            head = "SELECT DISTINCT ";
            prefixChoices.clear();
          }
        }
        default -> throw new IllegalStateException();
      }
      List<String> renderedItems = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        renderedItems.add(aliases.get(i) == null ? items.get(i)
            : items.get(i) + (p(0.8) ? " AS " : " ") + aliases.get(i));
      }
      StringBuilder sql = new StringBuilder(head).append(String.join(", ", renderedItems))
          .append(" FROM ").append(f.sql());
      if (where != null) {
        sql.append(" WHERE ").append(where);
      }
      if (groupBy != null) {
        sql.append(" GROUP BY ").append(groupBy);
      }
      if (having != null) {
        sql.append(" HAVING ").append(having);
      }
      boolean total = false;
      if (kind == Kind.DISTINCT_ON) {
        sql.append(" ORDER BY ").append(distinctOn).append(direction()).append(", ")
            .append(totalOrder(sc));
        total = true;
      } else if (p(top ? 0.6 : 0.2)) {
        List<String> order = new ArrayList<>();
        int prefix = ri(0, 2);
        for (int i = 0; i < prefix; i++) {
          String key = orderKey(kind, head.contains("DISTINCT"), sc, aliases, prefixChoices,
              types.size());
          if (key != null) {
            order.add(key + direction());
          }
        }
        if (p(0.88)) {
          order.add(ordinals(types.size()));
          total = true;
        }
        if (order.isEmpty()) {
          order.add("1");
        }
        sql.append(" ORDER BY ").append(String.join(", ", order));
      }
      if (total && p(top ? 0.5 : 0.6)) {
        sql.append(limit());
      }
      if (top) {
        ordered = total;
      }
      return new Sel(sql.toString(), types);
    }

    /** A prefix ORDER BY key fitting the query kind, or null. */
    String orderKey(Kind kind, boolean distinct, Scope sc, List<String> aliases,
        List<String> choices, int width) {
      int how = s.nextInt(3);
      if (how == 0) {
        return Integer.toString(ri(1, width));
      }
      if (how == 1) {
        List<String> named = aliases.stream().filter(Objects::nonNull).toList();
        if (!named.isEmpty()) {
          return pick(named);
        }
      }
      if (distinct) {
        return Integer.toString(ri(1, width));
      }
      if (kind == Kind.AGG) {
        if (!choices.isEmpty() && p(0.6)) {
          return pick(choices);
        }
        return aggregateOf(pick(List.of('i', 'n', 't', 'd')), sc);
      }
      char t = anyType(sc);
      List<Col> cols = sc.cols(t, false);
      if (cols.isEmpty()) {
        return Integer.toString(ri(1, width));
      }
      String c = ref(sc, pick(cols));
      return switch (t) {
        case 'i' -> pick(c, "abs(" + c + ")", c + " % 3", "-" + c);
        case 't' -> pick(c, "lower(" + c + ")", collated(c), "length(" + c + ")");
        case 'n' -> pick(c, "abs(" + c + ")");
        default -> c;
      };
    }

    String direction() {
      return pick("", "", " ASC", " DESC", " DESC", " NULLS FIRST", " NULLS LAST",
          " DESC NULLS LAST", " ASC NULLS FIRST");
    }

    /** ORDER BY 1..n, each in some direction: a total order of the output rows. */
    String ordinals(int n) {
      List<String> out = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        out.add(i + direction());
      }
      return String.join(", ", out);
    }

    /** Every column of the scope, each in some direction: a total order of its rows. */
    String totalOrder(Scope sc) {
      List<String> out = new ArrayList<>();
      for (Col c : sc.cols()) {
        out.add(ref(sc, c) + direction());
      }
      return String.join(", ", out);
    }

    String limit() {
      StringBuilder out = new StringBuilder(" LIMIT ").append(v.nextInt(15) + 1);
      if (p(0.35)) {
        out.append(" OFFSET ").append(v.nextInt(8));
      }
      return out.toString();
    }

    void addItem(List<String> items, List<Character> types, List<String> aliases, String e,
        char t, boolean named) {
      items.add(e);
      types.add(t);
      aliases.add(named ? "c" + types.size() : p(0.25) ? pick(ALIASES) : null);
    }

    char anyType(Scope sc) {
      List<Col> cols = sc.cols().stream().filter(c -> c.type() != 'a' && c.type() != 'v')
          .toList();
      return cols.isEmpty() ? 'i' : pick(cols).type();
    }

    String keyExpression(char t, Scope sc) {
      List<Col> cols = sc.cols(t, true);
      if (cols.isEmpty()) {
        return refOf(sc, t);
      }
      String c = ref(sc, pick(cols));
      return switch (t) {
        case 'i' -> pick(c + " % " + ri(2, 5), "coalesce(" + c + ", -1)", c + " / 10",
            "abs(" + c + ")", "CASE WHEN " + c + " > 0 THEN 1 ELSE 0 END");
        case 't' -> pick("lower(" + c + ")", "left(" + c + ", 1)", "coalesce(" + c
            + ", '?')", "CASE WHEN " + c + " LIKE 'a%' THEN 'A' ELSE " + c + " END",
            collated(c), collated("lower(" + c + ")"));
        case 'd' -> pick("coalesce(" + c + ", DATE '2000-01-01')", c + " + 1");
        case 'b' -> pick("NOT " + c, c + " IS NULL", "coalesce(" + c + ", false)");
        case 'n' -> pick("-" + c, "abs(" + c + ")", "coalesce(" + c + ", 0.00)");
        default -> c;
      };
    }

    String havingCondition(Scope sc, List<String> keys, List<Character> keyTypes) {
      List<String> parts = new ArrayList<>();
      int n = ri(1, 2);
      for (int i = 0; i < n; i++) {
        int how = s.nextInt(5);
        if (how == 0 && !keys.isEmpty()) {
          int k = s.nextInt(keys.size());
          char t = keyTypes.get(k);
          String key = keys.get(k);
          parts.add(p(0.3) ? key + " IS NOT NULL" : t == 'b' ? key : key + " "
              + pick("<", ">", "<>", ">=") + " " + constant(t));
        } else if (how == 1) {
          parts.add("count(*) " + pick(">", ">=", "<", "=") + " " + (v.nextInt(6) + 1));
        } else if (how == 2) {
          List<Col> b = sc.cols('b', false);
          parts.add(b.isEmpty() ? "bool_or(" + ref(sc, pick(sc.cols())) + " IS NULL)"
              : pick("bool_or(", "bool_and(", "every(") + ref(sc, pick(b)) + ")");
        } else {
          char t = pick(List.of('i', 'n', 't', 'd'));
          String agg = aggregateOf(t, sc);
          if (agg.startsWith("string_agg") || agg.startsWith("array_agg")) {
            agg = "count(*)";
            t = 'i';
          }
          parts.add(agg + " " + pick("<", ">", "<=", ">=", "<>", "=") + " " + constant(
              agg.startsWith("count") ? 'i' : t));
        }
      }
      return String.join(p(0.7) ? " AND " : " OR ", parts);
    }

    /** An aggregate-bearing select item; type[0] gets its output type. */
    String aggregateItem(Scope sc, char[] type) {
      int how = s.nextInt(100);
      char t = pick(List.of('i', 'i', 'i', 'n', 'n', 'v', 't', 't', 'd', 'b', 'a'));
      if (sc.cols(t, false).isEmpty() && t != 'i' && t != 'a' && t != 'v') {
        t = 'i';
      }
      String agg = aggregateOf(t, sc);
      type[0] = t;
      if (how < 55 || t == 'a') {
        return agg;
      }
      if (how < 62) {
        type[0] = 't';
        return agg + "::text";
      }
      if (how < 66) {
        type[0] = 't';
        return "CAST(" + agg + " AS text)";
      }
      if (how < 70) {
        return "(" + agg + ")";
      }
      // Wrappers, each with its output type.
      String[][] choices = switch (t) {
        case 'i' -> new String[][] {{"coalesce(" + agg + ", 0)", "i"}, {agg + " + 1", "i"},
            {"-" + agg, "i"}, {"nullif(" + agg + ", 0)", "i"}, {agg + " - count(*)", "i"},
            {"count(*) * 2", "i"}, {"CASE WHEN " + agg + " > 2 THEN 'many' ELSE 'few' END", "t"},
            {agg + "::numeric(12,2)", "n"}, {"greatest(" + agg + ", 3)", "i"},
            {agg + " % 7", "i"}, {agg + " * 2 + 1", "i"}, {"1", "i"}, {"'x'::text", "t"},
            {"1::int", "i"}, {"CAST(" + agg + " AS bigint)", "i"}, {"NULL", "t"},
            {"'lit'", "t"}};
        case 'n' -> new String[][] {{"coalesce(" + agg + ", 0.00)", "n"},
            {agg + " + 0.50", "n"}, {"abs(" + agg + ")", "n"}, {"round(" + agg + ", 1)", "v"},
            {agg + " - min(" + numericArgument(sc) + ")", "n"}, {"trunc(" + agg + ")", "v"}};
        case 'v' -> new String[][] {{"round(" + agg + ", 2)", "n"},
            {"trunc(" + agg + ", 3)", "v"}, {"coalesce(round(" + agg + ", 2), 0.00)", "n"},
            {agg + " * count(*)", "v"}};
        case 't' -> new String[][] {{"upper(" + agg + ")", "t"}, {"length(" + agg + ")", "i"},
            {"trim(" + agg + ")", "t"}, {"coalesce(" + agg + ", 'none')", "t"},
            {agg + " || '!'", "t"}, {"substring(" + agg + " from 1 for 2)", "t"},
            {"left(" + agg + ", 2)", "t"},
            {"CASE WHEN " + agg + " IS NULL THEN 'n' ELSE " + agg + " END", "t"}};
        case 'd' -> new String[][] {{"extract(year from " + agg + ")", "v"},
            {"coalesce(" + agg + ", DATE '1900-01-01')", "d"},
            {agg + " = DATE '2024-01-01'", "b"}, {"date_part('month', " + agg + ")", "v"},
            {agg + " + 1", "d"}};
        default -> new String[][] {{"NOT " + agg, "b"}, {"coalesce(" + agg + ", true)", "b"},
            {agg + " IS NULL", "b"}};
      };
      String[] choice = choices[s.nextInt(choices.length)];
      type[0] = choice[1].charAt(0);
      return choice[0];
    }

    /**
     * A text expression under an explicit collation: ICU's root locale orders otherwise than the
     * servers' default (C.UTF-8 in the embedded cluster). Where ICU is missing, both sides fail
     * alike.
     */
    String collated(String text) {
      return "(" + text + ") COLLATE " + pick("\"und-x-icu\"", "\"und-x-icu\"", "\"C\"",
          "\"default\"");
    }

    /** A column of type t, or a constant of it when the scope has none. */
    String refOf(Scope sc, char t) {
      List<Col> cols = sc.cols(t, false);
      return cols.isEmpty() ? constant(t) : ref(sc, pick(cols));
    }

    /** An int column (arith: without extreme values), or a constant. */
    String intRef(Scope sc, boolean arith) {
      List<Col> cols = sc.cols('i', arith);
      return cols.isEmpty() ? constant('i') : ref(sc, pick(cols));
    }

    String numericArgument(Scope sc) {
      List<Col> n = sc.cols('n', true);
      return n.isEmpty() ? "(" + intRef(sc, true) + ")::numeric(10,2)" : ref(sc, pick(n));
    }

    /** An aggregate call with output type t (v: numeric average, a: int array). */
    String aggregateOf(char t, Scope sc) {
      String call;
      switch (t) {
        case 'i' -> {
          List<Col> ints = sc.cols('i', false);
          String arg = ints.isEmpty() ? "1" : p(0.7) ? ref(sc, pick(ints)) : expr('i', sc, 1);
          call = switch (s.nextInt(9)) {
            case 0, 1 -> "count(*)";
            case 2 -> "count(" + ref(sc, pick(sc.cols())) + ")";
            case 3 -> "count(DISTINCT " + arg + ")";
            case 4, 5 -> "sum(" + arg + ")";
            case 6 -> "min(" + arg + ")";
            case 7 -> "max(" + arg + ")";
            default -> "bit_or(" + arg + ")";
          };
        }
        case 'n' -> {
          List<Col> n = sc.cols('n', false);
          String arg = n.isEmpty() ? numericArgument(sc)
              : p(0.7) ? ref(sc, pick(n)) : expr('n', sc, 1);
          call = pick("sum(", "sum(", "min(", "max(") + arg + ")";
        }
        case 'v' -> {
          List<Col> n = sc.cols('n', false);
          String arg = !n.isEmpty() && p(0.5) ? (p(0.7) ? ref(sc, pick(n)) : expr('n', sc, 1))
              : p(0.7) ? intRef(sc, false) : expr('i', sc, 1);
          call = "avg(" + arg + ")";
        }
        case 't' -> {
          List<Col> tx = sc.cols('t', false);
          String arg = tx.isEmpty() ? "(" + intRef(sc, false) + ")::text"
              : p(0.7) ? ref(sc, pick(tx)) : expr('t', sc, 1);
          call = switch (s.nextInt(5)) {
            case 0 -> "min(" + (p(0.25) ? collated(arg) : p(0.15) ? arg + "::char(3)" : arg) + ")";
            case 1 -> "max(" + (p(0.25) ? collated(arg) : p(0.15) ? arg + "::char(3)" : arg) + ")";
            case 2 -> "string_agg(" + arg + ", ',' ORDER BY " + arg + direction() + ")";
            case 3 -> "string_agg(DISTINCT " + arg + ", '|' ORDER BY " + arg + ")";
            default -> "max(" + arg + ")";
          };
        }
        case 'd' -> {
          List<Col> d = sc.cols('d', false);
          String arg = d.isEmpty() ? "DATE '2020-01-01' + " + intRef(sc, true)
              : ref(sc, pick(d));
          call = pick("min(", "max(") + arg + ")";
        }
        case 'b' -> {
          List<Col> b = sc.cols('b', false);
          String arg = b.isEmpty() || p(0.3) ? bool(sc, 1) : ref(sc, pick(b));
          call = pick("bool_and(", "bool_or(", "every(") + arg + ")";
        }
        default -> {
          String arg = intRef(sc, false);
          call = "array_agg(" + arg + " ORDER BY " + arg + direction() + ")";
        }
      }
      if (!call.startsWith("string_agg(DISTINCT") && p(0.15)) {
        int saved = subDepth;
        subDepth = 9;
        call += " FILTER (WHERE " + bool(sc, 1) + ")";
        subDepth = saved;
      }
      return call;
    }

    /** A window function call; type[0] gets its output type. */
    String window(Scope sc, char[] type) {
      String partition = "";
      if (p(0.6)) {
        partition = "PARTITION BY " + ref(sc, pick(sc.cols()))
            + (p(0.2) ? ", " + ref(sc, pick(sc.cols())) : "") + " ";
      }
      String total = "ORDER BY " + totalOrder(sc);
      String some = "ORDER BY " + expr(anyType(sc), sc, 1) + direction();
      String intArg = intRef(sc, false);
      type[0] = 'i';
      switch (s.nextInt(10)) {
        case 0:
          return "row_number() OVER (" + partition + total + ")";
        case 1:
          return "rank() OVER (" + partition + some + ")";
        case 2:
          return "dense_rank() OVER (" + partition + some + ")";
        case 3:
          return "sum(" + intArg + ") OVER (" + partition + (p(0.5) ? some : "") + ")";
        case 4:
          return "count(*) OVER (" + partition.strip() + ")";
        case 5: {
          List<Col> tx = sc.cols('t', false);
          type[0] = tx.isEmpty() ? 'i' : 't';
          return "max(" + (tx.isEmpty() ? intArg : ref(sc, pick(tx))) + ") OVER ("
              + partition.strip() + ")";
        }
        case 6:
          type[0] = 'v';
          return "avg(" + intArg + ") OVER (" + partition.strip() + ")";
        case 7: {
          Col c = pick(sc.cols());
          type[0] = c.type();
          return "lag(" + ref(sc, c) + ") OVER (" + partition + total + ")";
        }
        case 8: {
          Col c = pick(sc.cols());
          type[0] = c.type();
          return "first_value(" + ref(sc, c) + ") OVER (" + partition + total + ")";
        }
        default:
          return "sum(" + intArg + ") OVER (" + partition + total
              + " ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)";
      }
    }

    // ------------------------------------------------------------------ expressions

    String ref(Scope sc, Col c) {
      String name = p(0.03) ? "\"" + c.name() + "\"" : c.name();
      return sc.bare && p(0.5) ? name : c.qual() + "." + name;
    }

    String constant(char t) {
      return switch (t) {
        case 'i', 'v' -> {
          int x = v.nextInt(20);
          int value = x == 0 ? 0 : x == 1 ? 100_000 : v.nextInt(131) - 60;
          yield value(value, Integer.toString(value));
        }
        case 'n' -> {
          String n = v.nextInt(3) == 0
              ? Data.NUMERIC_TIES[v.nextInt(Data.NUMERIC_TIES.length)]
              : BigDecimal.valueOf(v.nextInt(200_001) - 100_000, 2).toPlainString();
          yield value(new BigDecimal(n), n);
        }
        case 't' -> {
          String text = Data.TEXTS[v.nextInt(Data.TEXTS.length)];
          yield value(text, FuzzText.lit(text));
        }
        case 'd' -> dateLiteral(Data.DATES[v.nextInt(Data.DATES.length)]);
        case 'b' -> v.nextBoolean() ? "true" : "false";
        default -> "NULL";
      };
    }

    String dateLiteral(String d) {
      return switch (s.nextInt(3)) {
        case 0 -> "DATE " + FuzzText.lit(d);
        case 1 -> FuzzText.lit(d) + "::date";
        default -> FuzzText.lit(d);
      };
    }

    /** key = constant in one of many spellings (pins a shard, or must not). */
    String keyPredicate(Scope sc, String qual, String column) {
      int value = v.nextInt(10) == 0 ? 200 + v.nextInt(50) : v.nextInt(80) - 10;
      String col = sc.bare && p(0.5) ? column : qual + "." + column;
      String constant = switch (s.nextInt(14)) {
        case 0 -> FuzzText.lit(Integer.toString(value));
        case 1 -> value + "::int";
        case 2 -> "CAST(" + value + " AS integer)";
        case 3 -> value + "::bigint";
        case 4 -> "(" + value + ")";
        case 5 -> value + ".0";
        case 6 -> FuzzText.lit(Integer.toString(value)) + "::int";
        case 7 -> value + "::smallint";
        default -> value(value, Integer.toString(value));
      };
      return switch (s.nextInt(10)) {
        case 0 -> constant + " = " + col;
        case 1 -> col + " IN (" + constant + ")";
        case 2 -> col + " = " + constant + " AND " + col + " = " + constant;
        case 3 -> col + " = " + constant + " AND " + col + " = " + (v.nextInt(80) - 10);
        case 4 -> col + " = ANY ('{" + value + "}')";
        default -> col + " = " + constant;
      };
    }

    String and(String a, String b) {
      if (a == null) {
        return b;
      }
      if (b == null) {
        return a;
      }
      return a + " AND " + b;
    }

    String expr(char t, Scope sc, int depth) {
      return expr(t, sc, depth, false);
    }

    /** An expression of type t; arith: columns with extreme values are left out. */
    String expr(char t, Scope sc, int depth, boolean arith) {
      List<Col> cols = sc.cols(t, arith);
      if (depth >= 2 || p(0.45)) {
        return !cols.isEmpty() && p(0.85) ? ref(sc, pick(cols)) : constant(t);
      }
      int d = depth + 1;
      switch (t) {
        case 'i': {
          switch (s.nextInt(15)) {
            case 0: return expr('i', sc, d, true) + " + " + constant('i');
            case 1: return expr('i', sc, d, true) + " - " + expr('i', sc, d, true);
            case 2: return expr('i', sc, d, true) + " * " + ri(2, 3);
            case 3: return "-(" + expr('i', sc, d, true) + ")";
            case 4: return "abs(" + expr('i', sc, d, true) + ")";
            case 5: return expr('i', sc, d, false) + " % " + ri(2, 7);
            case 6: return "coalesce(" + expr('i', sc, d, arith) + ", " + constant('i') + ")";
            case 7: return "nullif(" + expr('i', sc, d, arith) + ", " + constant('i') + ")";
            case 8: return pick("greatest(", "least(") + expr('i', sc, d, arith) + ", "
                + constant('i') + ")";
            case 9: return "CASE WHEN " + bool(sc, d) + " THEN " + expr('i', sc, d, arith)
                + (p(0.7) ? " ELSE " + expr('i', sc, d, arith) : "") + " END";
            case 10: return "length(" + expr('t', sc, d) + ")";
            case 11: return sc.cols('n', true).isEmpty() ? constant('i')
                : "(" + expr('n', sc, d, true) + ")::int";
            case 12: return expr('i', sc, d, false) + " / " + ri(2, 9);
            case 13: return subDepth < 2 ? scalarSubquery(sc) : constant('i');
            default: return "position('a' in " + expr('t', sc, d) + ")";
          }
        }
        case 'n': {
          switch (s.nextInt(9)) {
            case 0: return expr('n', sc, d, true) + " + " + constant('n');
            case 1: return expr('n', sc, d, true) + " - " + expr('i', sc, d, true);
            case 2: return expr('n', sc, d, true) + " * 2";
            case 3: return "-(" + expr('n', sc, d, true) + ")";
            case 4: return "abs(" + expr('n', sc, d, true) + ")";
            case 5: return "coalesce(" + expr('n', sc, d, arith) + ", " + constant('n') + ")";
            case 6: return pick("greatest(", "least(") + expr('n', sc, d, arith) + ", "
                + constant('n') + ")";
            case 7: return "CASE WHEN " + bool(sc, d) + " THEN " + expr('n', sc, d, arith)
                + " ELSE " + constant('n') + " END";
            default: return "(" + expr('i', sc, d, true) + ")::numeric(10,2)";
          }
        }
        case 't': {
          switch (s.nextInt(15)) {
            case 0: return "lower(" + expr('t', sc, d) + ")";
            case 1: return "upper(" + expr('t', sc, d) + ")";
            case 2: return expr('t', sc, d) + " || " + constant('t');
            case 3: return "coalesce(" + expr('t', sc, d) + ", " + constant('t') + ")";
            case 4: return "substr(" + expr('t', sc, d) + ", " + ri(1, 3) + ", " + ri(0, 3) + ")";
            case 5: return "left(" + expr('t', sc, d) + ", " + ri(-1, 3) + ")";
            case 6: return "trim(" + expr('t', sc, d) + ")";
            case 7: return "replace(" + expr('t', sc, d) + ", 'a', 'A')";
            case 8: return "(" + expr('i', sc, d) + ")::text";
            case 9: return "concat(" + expr('t', sc, d) + ", '-', " + expr('i', sc, d) + ")";
            case 10: return "CASE WHEN " + bool(sc, d) + " THEN " + expr('t', sc, d)
                + " ELSE " + constant('t') + " END";
            case 11: return "nullif(" + expr('t', sc, d) + ", '')";
            case 12: return "(" + expr('t', sc, d) + ")::" + pick("char(3)", "varchar(2)",
                "character(4)");
            default: return collated(expr('t', sc, d));
          }
        }
        case 'd': {
          switch (s.nextInt(4)) {
            case 0: return "coalesce(" + expr('d', sc, d) + ", DATE '2000-01-01')";
            case 1: return expr('d', sc, d) + " + " + ri(1, 30);
            case 2: return expr('d', sc, d) + " - " + ri(1, 30);
            default: return "CASE WHEN " + bool(sc, d) + " THEN " + expr('d', sc, d)
                + " END";
          }
        }
        case 'b':
          return bool(sc, d);
        default:
          return constant(t);
      }
    }

    /** A boolean condition over the scope; subqueries while subDepth allows. */
    String bool(Scope sc, int depth) {
      int choice = s.nextInt(depth >= 2 ? 12 : 18);
      char t = anyType(sc);
      List<Col> cols = sc.cols(t, false);
      String lhs = cols.isEmpty() ? constant(t) : p(0.7) ? ref(sc, pick(cols))
          : expr(t, sc, depth + 1);
      switch (choice) {
        case 0, 1, 2: {
          String rhs = p(0.65) ? constant(t) : expr(t, sc, depth + 1);
          if (t == 'b') {
            return lhs + " " + pick("=", "<>", "IS DISTINCT FROM") + " " + rhs;
          }
          return lhs + " " + pick("=", "<>", "<", "<=", ">", ">=", "!=") + " " + rhs;
        }
        case 3: {
          int n = ri(1, 4);
          List<String> list = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            list.add(p(0.1) ? "NULL" : constant(t));
          }
          return lhs + (p(0.3) ? " NOT IN (" : " IN (") + String.join(", ", list) + ")";
        }
        case 4:
          return lhs + (p(0.5) ? " IS NULL" : " IS NOT NULL");
        case 5:
          if (t == 'b') {
            return lhs + pick(" IS TRUE", " IS NOT FALSE", " IS UNKNOWN", " IS NOT TRUE");
          }
          return lhs + (p(0.25) ? " NOT BETWEEN " : " BETWEEN ") + (p(0.15) ? "SYMMETRIC " : "")
              + constant(t) + " AND " + constant(t);
        case 6: {
          List<Col> tx = sc.cols('t', false);
          if (tx.isEmpty()) {
            return lhs + " IS NOT NULL";
          }
          String x = p(0.8) ? ref(sc, pick(tx)) : expr('t', sc, depth + 1);
          return x + " " + pick("LIKE", "LIKE", "NOT LIKE", "ILIKE") + " "
              + FuzzText.lit(PATTERNS[v.nextInt(PATTERNS.length)]);
        }
        case 7: {
          List<Col> b = sc.cols('b', false);
          if (b.isEmpty()) {
            return lhs + " IS DISTINCT FROM " + constant(t);
          }
          String x = ref(sc, pick(b));
          return pick(x, "NOT " + x, x + " IS TRUE", x + " IS NOT FALSE", x + " IS UNKNOWN",
              x + " = " + constant('b'));
        }
        case 8:
          return lhs + (p(0.5) ? " IS DISTINCT FROM " : " IS NOT DISTINCT FROM ") + constant(t);
        case 9: {
          if (t == 'b') {
            return lhs + " IS NOT NULL";
          }
          List<String> list = new ArrayList<>();
          for (int i = ri(1, 3); i > 0; i--) {
            list.add(constant(t));
          }
          String arrayType = switch (t) {
            case 'i' -> "int[]";
            case 'n' -> "numeric[]";
            case 't' -> "text[]";
            default -> "date[]";
          };
          return lhs + " " + pick("=", "<>", "<") + " " + pick("ANY", "ALL") + " (ARRAY["
              + String.join(", ", list) + "]::" + arrayType + ")";
        }
        case 10: {
          List<Col> keys = sc.cols().stream()
              .filter(c -> c.name().equals("k") || c.name().equals("id")).toList();
          if (keys.isEmpty()) {
            return lhs + " IS NOT NULL";
          }
          Col key = pick(keys);
          return keyPredicate(sc, key.qual(), key.name());
        }
        case 11:
          return "NOT (" + lhs + " " + pick("=", "<", ">") + " " + constant(t) + ")";
        case 12, 13:
          return "(" + bool(sc, depth + 1) + (p(0.5) ? " AND " : " OR ") + bool(sc, depth + 1)
              + ")";
        case 14:
          return "NOT (" + bool(sc, depth + 1) + ")";
        default:
          return subDepth < 2 ? subqueryPredicate(sc) : lhs + " IS NOT NULL";
      }
    }

    /** IN / NOT IN / EXISTS / comparison with a subquery, correlated or not. */
    String subqueryPredicate(Scope sc) {
      subDepth++;
      try {
        String table = pickTable(new int[] {30, 30, 20, 15, 5});
        Scope inner = new Scope(sc);
        Rel in = baseRel(table, false);
        inner.rels.add(in);
        String corr = p(0.5) ? correlation(sc, inner) : null;
        String where = corr;
        if (p(0.5)) {
          where = and(where, bool(inner, 1));
        }
        String whereSql = where == null ? "" : " WHERE " + where;
        switch (s.nextInt(6)) {
          case 0, 1: {
            // [NOT] IN: a column of a type both sides have.
            char t = commonType(sc, inner);
            String lhs = refOf(sc, t);
            String col = refOf(inner, t);
            return lhs + (p(0.3) ? " NOT IN " : " IN ") + "(SELECT " + col + " FROM "
                + in.from() + whereSql + ")";
          }
          case 2, 3:
            return (p(0.3) ? "NOT " : "") + "EXISTS (SELECT " + pick("1", "*", "NULL")
                + " FROM " + in.from() + whereSql + ")";
          case 4: {
            char t = commonType(sc, inner);
            String lhs = refOf(sc, t);
            String col = refOf(inner, t);
            return lhs + " " + pick("=", "<", ">=", "<>") + " " + pick("ANY", "ALL", "SOME")
                + " (SELECT " + col + " FROM " + in.from() + whereSql + ")";
          }
          default: {
            char t = commonType(sc, inner);
            String lhs = refOf(sc, t);
            String col = refOf(inner, t);
            String agg = t == 'i' || t == 'n' ? pick("max(", "min(", "sum(")
                : t == 'b' ? pick("bool_or(", "bool_and(") : pick("max(", "min(");
            return lhs + " " + pick("=", "<", ">", "<=") + " (SELECT " + agg + col + ") FROM "
                + in.from() + whereSql + ")";
          }
        }
      } finally {
        subDepth--;
      }
    }

    /** A type some column of both scopes has (int always does). */
    char commonType(Scope a, Scope b) {
      List<Character> common = new ArrayList<>();
      for (Col c : a.cols()) {
        if (c.type() != 'a' && c.type() != 'v' && !b.cols(c.type(), false).isEmpty()) {
          common.add(c.type());
        }
      }
      return common.isEmpty() ? 'i' : pick(common);
    }

    /** inner.int = outer.int, both qualified. */
    String correlation(Scope outer, Scope inner) {
      List<Col> o = outer.cols('i', false);
      List<Col> i = inner.cols('i', false);
      if (o.isEmpty() || i.isEmpty()) {
        return null;
      }
      Col oc = p(0.6) ? o.stream().filter(c -> c.name().equals("k")).findFirst()
          .orElse(pick(o)) : pick(o);
      Col ic = p(0.6) ? i.stream().filter(c -> c.name().equals("k") || c.name().equals("id"))
          .findFirst().orElse(pick(i)) : pick(i);
      return ic.qual() + "." + ic.name() + " " + (p(0.85) ? "=" : "<") + " " + oc.qual() + "."
          + oc.name();
    }

    /** A scalar subquery of type int: an aggregate, or a first row in a total order. */
    String scalarSubquery(Scope sc) {
      subDepth++;
      try {
        String table = pickTable(new int[] {30, 30, 20, 15, 5});
        Scope inner = new Scope(sc);
        Rel in = baseRel(table, false);
        inner.rels.add(in);
        String where = p(0.6) ? correlation(sc, inner) : null;
        if (p(0.3)) {
          where = and(where, bool(inner, 1));
        }
        String whereSql = where == null ? "" : " WHERE " + where;
        Col c = pick(inner.cols('i', false));
        if (p(0.75)) {
          return "(SELECT " + pick("count(*)", "max(" + ref(inner, c) + ")",
              "min(" + ref(inner, c) + ")", "sum(" + ref(inner, c) + ")", "count(DISTINCT "
                  + ref(inner, c) + ")") + " FROM " + in.from() + whereSql + ")";
        }
        return "(SELECT " + ref(inner, c) + " FROM " + in.from() + whereSql + " ORDER BY "
            + ref(inner, c) + direction() + ", " + totalOrder(inner) + " LIMIT 1)";
      } finally {
        subDepth--;
      }
    }
  }
}
