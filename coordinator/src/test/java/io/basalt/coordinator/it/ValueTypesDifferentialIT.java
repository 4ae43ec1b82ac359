package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.basalt.coordinator.it.TwinServers.Outcome;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Differential test of the types of ordinary (non-key) columns through Basalt's read paths: a
 * table vt (k integer, distribution column, and one column of every type below, with NULLs and
 * edge values) distributed by k, a reference table vt_ref holding half of its rows, and the same
 * plain tables on a separate PostgreSQL. For every column, queries of many shapes run on both
 * servers and their outcomes are compared: routed and multi-shard plain reads, ORDER BY with
 * LIMIT/OFFSET, DISTINCT [ON], GROUP BY / HAVING, aggregates (pushed down or gathered), casts and
 * comparisons, set operations, joins with the reference table, and INSERT ... SELECT between
 * tables that are not co-located (the values must survive the trip exactly).
 *
 * <p>Each query runs through up to three clients: pgjdbc with text results (extended protocol),
 * pgjdbc with server-prepared statements and binary results ({@code prepareThreshold=-1}), and a
 * raw protocol client asking for every column in binary. Compared: the SQLSTATE when either
 * fails; otherwise the column labels with their types and type modifiers (pgjdbc's type name,
 * precision and scale; for the raw client format_type(oid, typmod) on each server's own catalog,
 * so that a type created on each server compares by name) and the values (text exactly, bytea
 * and raw binary values in hex; the element type OID of a binary array and the field OIDs of a
 * binary record are shown by name, resolved on the server that sent them), in order when the
 * query's ORDER BY makes the order total (the key as the last tiebreaker), else as multisets.
 *
 * <p>Answers PostgreSQL itself leaves open are avoided: a column never holds two values that are
 * equal but print differently (0 and -0, 1.0 and 1.00, '1 day' and '24 hours'), so DISTINCT,
 * GROUP BY keys, min and max print one way; float sums and averages run over values whose sums
 * are exact (halves and quarters) or that end in NaN or Infinity whatever the order; float
 * stddev/variance are rounded; sums that could overflow depending on order are filtered.
 *
 * <p>A 0A000 from Basalt where PostgreSQL answers is a refusal (counted, listed by message at the
 * end), not a mismatch. Every other difference is a mismatch; all are collected and the test
 * fails at the end listing each (query, client, both outcomes).
 */
class ValueTypesDifferentialIT {
  private static final int SHARDS = 4;
  private static final int ROWS = 26;
  /** Rows 1..REF_ROWS are also in the reference table. */
  private static final int REF_ROWS = 13;
  private static final int TIMEOUT_SECONDS = 60;
  private static final String ZONE = "America/New_York";

  /** How a query reaches both servers. */
  enum Mode {
    TEXT("[text]"), BINARY("[pgjdbc binary]"), WIRE("[wire binary]");

    final String label;

    Mode(String label) {
      this.label = label;
    }
  }

  /**
   * {@code -Dbasalt.valueTypes.full=true} runs every query through pgjdbc's binary results too
   * (about twice as long); by default binary results are checked through the raw client only,
   * whose RowDescription and values are the wire's own.
   */
  private static final boolean FULL = Boolean.getBoolean("basalt.valueTypes.full");
  private static final Mode[] ALL = FULL ? new Mode[] {Mode.TEXT, Mode.BINARY, Mode.WIRE}
      : new Mode[] {Mode.TEXT, Mode.WIRE};
  private static final Mode[] JDBC = FULL ? new Mode[] {Mode.TEXT, Mode.BINARY}
      : new Mode[] {Mode.TEXT};
  private static final Mode BIN = FULL ? Mode.BINARY : Mode.WIRE;

  /** One value column: its type, the values rows take in turn, and what PostgreSQL allows. */
  static final class Col {
    final String name;
    final String type;
    final List<String> values;
    /** The table it lives in (vt, or a table of its own for types Basalt may not distribute). */
    String table = "vt";
    /** An equality operator (DISTINCT, GROUP BY, IN, joins, UNION). */
    boolean eq = true;
    /** A btree ordering (ORDER BY, min/max, range comparisons, DISTINCT ON, mode). */
    boolean ord = true;
    /** sum (and avg when {@link #avg}), over the rows {@link #sumFilter} keeps (null: all). */
    boolean sum;
    boolean avg;
    String sumFilter;
    /** Further WHERE conditions for sums whose answer does not depend on the order. */
    List<String> extraSumFilters = List.of();
    /** stddev/variance: "exact" (numeric arithmetic) or "round" (floats, rounded). */
    String stddev;
    boolean bits;
    boolean bools;
    /** percentile_cont (a type castable to double precision, or interval). */
    boolean percentileCont;
    /** Queries of the type's own operators and functions ({@code %s} is the column). */
    List<String> extra = List.of();
    /** Literals compared with the column (default: its first two non-NULL values). */
    List<String> probes;

    Col(String name, String type, String... values) {
      this.name = name;
      this.type = type;
      this.values = List.of(values);
    }

    String valueAt(int k) {
      return values.get((k - 1) % values.size());
    }

    List<String> probes() {
      if (probes != null) {
        return probes;
      }
      return values.stream().filter(v -> !v.equals("NULL")).limit(2).toList();
    }

    Col noEq() {
      eq = false;
      ord = false;
      return this;
    }

    Col noOrd() {
      ord = false;
      return this;
    }

    Col sum(boolean withAvg, String filter, String... more) {
      sum = true;
      avg = withAvg;
      sumFilter = filter;
      extraSumFilters = List.of(more);
      return this;
    }

    Col stddev(String how) {
      stddev = how;
      return this;
    }

    Col bits() {
      bits = true;
      return this;
    }

    Col bools() {
      bools = true;
      return this;
    }

    Col pct() {
      percentileCont = true;
      return this;
    }

    Col extra(String... queries) {
      extra = List.of(queries);
      return this;
    }

    Col probes(String... p) {
      probes = List.of(p);
      return this;
    }

    Col in(String t) {
      table = t;
      return this;
    }
  }

  private static final List<Col> COLS = columns();

  private static TwinServers twin;
  /** Per mode: Basalt's and PostgreSQL's connection (index 0 Basalt, 1 PostgreSQL). */
  private static Connection basaltText;
  private static Connection basaltBinary;
  private static Connection postgresBinary;
  private static WireClient basaltWire;
  private static WireClient postgresWire;
  /** Tables Basalt would not distribute, with its error. */
  private static final Map<String, String> NOT_DISTRIBUTED = new LinkedHashMap<>();
  private static String collations = "";

  private final List<String> mismatches = new ArrayList<>();
  /** Refusal message to the queries (with client) refused with it. */
  private final Map<String, List<String>> refusals = new TreeMap<>();
  /** Per side (each used by one thread only): type OID and modifier to format_type. */
  private final Map<String, Map<Long, String>> typeNames = Map.of("basalt", new HashMap<>(),
      "postgres", new HashMap<>());
  /** Per side: type OID to typtype ('c' for a composite). */
  private final Map<String, Map<Integer, String>> typeKinds = Map.of("basalt", new HashMap<>(),
      "postgres", new HashMap<>());
  private int steps;
  private long basaltNanos;
  private long postgresNanos;
  private int same;
  /** Steps that differed only by the xml declaration Basalt's copies drop (documented). */
  private int knownXml;
  private int bothFailed;

  @BeforeAll
  static void setUp() throws SQLException, IOException {
    List<String> setup = new ArrayList<>();
    setup.add("CREATE TYPE vt_mood AS ENUM ('sad', 'ok', 'happy')");
    setup.add("CREATE TYPE vt_pair AS (a integer, b text)");
    setup.add("CREATE DOMAIN vt_posint AS integer CHECK (VALUE > 0)");
    for (String table : tables()) {
      List<Col> cols = COLS.stream().filter(c -> c.table.equals(table)).toList();
      StringBuilder create = new StringBuilder("CREATE TABLE " + table + " (k integer");
      cols.forEach(c -> create.append(", ").append(c.name).append(' ').append(c.type));
      setup.add(create.append(")").toString());
      if (table.equals("vt")) {
        for (String t : List.of("vt_ref", "vt_copy", "vt_back", "vt_ref2", "vt_pre")) {
          setup.add("CREATE TABLE " + t + " (LIKE vt)");
        }
        // vt_pre has its rows before it is distributed (moved into the shards then).
        for (int k = 1; k <= ROWS; k++) {
          setup.add(insert("vt_pre", cols, k));
        }
      }
    }
    // Column names PostgreSQL reads as unreserved key words.
    setup.add("CREATE TABLE vt_words (k integer, by bytea, value text, year integer)");
    twin = TwinServers.open(drop(), setup, List.of());
    try (Statement s = twin.basalt.createStatement()) {
      for (String table : tables()) {
        distribute(s, table, "SELECT create_distributed_table('" + table + "', 'k', shard_count => "
            + SHARDS + ")");
      }
      distribute(s, "vt_ref", "SELECT create_reference_table('vt_ref')");
      distribute(s, "vt_ref2", "SELECT create_reference_table('vt_ref2')");
      distribute(s, "vt_copy", "SELECT create_distributed_table('vt_copy', 'k', shard_count => 3,"
          + " colocate_with => 'none')");
      distribute(s, "vt_back", "SELECT create_distributed_table('vt_back', 'k', colocate_with =>"
          + " 'vt')");
      distribute(s, "vt_words", "SELECT create_distributed_table('vt_words', 'k')");
      distribute(s, "vt_pre", "SELECT create_distributed_table('vt_pre', 'k', shard_count => 5,"
          + " colocate_with => 'none')");
    }
    // The rows, written on both servers once the tables are distributed: single-row INSERTs,
    // routed to a shard with the client's text.
    for (Connection c : List.of(twin.basalt, twin.postgres)) {
      try (Statement s = c.createStatement()) {
        for (String table : tables()) {
          List<Col> cols = COLS.stream().filter(col -> col.table.equals(table)).toList();
          for (int k = 1; k <= ROWS; k++) {
            s.execute(insert(table, cols, k));
          }
          if (table.equals("vt")) {
            for (int k = 1; k <= REF_ROWS; k++) {
              s.execute(insert("vt_ref", cols, k));
            }
          }
        }
      }
    }
    basaltText = twin.basalt;
    basaltBinary = TestBasalt.connect(binary());
    postgresBinary = twin.connectPostgres(binary());
    for (Connection c : List.of(basaltText, twin.postgres, basaltBinary, postgresBinary)) {
      try (Statement s = c.createStatement()) {
        s.execute("SET TimeZone = '" + ZONE + "'");
      }
    }
    basaltWire = wire(true);
    postgresWire = wire(false);
    collations = "database collation: Basalt " + collation(basaltText) + ", PostgreSQL "
        + collation(twin.postgres);
  }

  private static void distribute(Statement s, String table, String sql) {
    try {
      s.execute(sql);
    } catch (SQLException e) {
      NOT_DISTRIBUTED.put(table, e.getSQLState() + " " + oneLine(e.getMessage()));
    }
  }

  private static String collation(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT datcollate || '/' || datctype FROM pg_database WHERE datname = 'postgres'")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static List<String> tables() {
    return COLS.stream().map(c -> c.table).distinct().toList();
  }

  private static String insert(String table, List<Col> cols, int k) {
    StringBuilder names = new StringBuilder("k");
    StringBuilder values = new StringBuilder(Integer.toString(k));
    for (Col c : cols) {
      names.append(", ").append(c.name);
      values.append(", ").append(c.valueAt(k));
    }
    return "INSERT INTO " + table + " (" + names + ") VALUES (" + values + ")";
  }

  private static String drop() {
    List<String> all = new ArrayList<>(List.of("vt_ref", "vt_copy", "vt_back", "vt_ref2",
        "vt_pre", "vt_words"));
    all.addAll(tables());
    return "DROP TABLE IF EXISTS " + String.join(", ", all) + " CASCADE;"
        + " DROP DOMAIN IF EXISTS vt_posint CASCADE; DROP TYPE IF EXISTS vt_pair CASCADE;"
        + " DROP TYPE IF EXISTS vt_mood CASCADE";
  }

  private static Properties binary() {
    Properties p = new Properties();
    p.setProperty("prepareThreshold", "-1");
    p.setProperty("binaryTransfer", "true");
    return p;
  }

  private static WireClient wire(boolean basalt) throws IOException {
    WireClient c;
    if (basalt) {
      c = WireClient.connect(TestBasalt.port(), "postgres", TestBasalt.password());
    } else {
      Properties login = twin.reference.jdbcLogin();
      c = WireClient.connect(twin.reference.server().port(), login.getProperty("user"),
          login.getProperty("password"));
    }
    c.query("SET TimeZone = '" + ZONE + "'");
    c.readUntil('Z');
    return c;
  }

  @AfterAll
  static void tearDown() throws SQLException, IOException {
    try {
      for (WireClient w : new WireClient[] {basaltWire, postgresWire}) {
        if (w != null) {
          w.close();
        }
      }
      for (Connection c : new Connection[] {basaltBinary, postgresBinary}) {
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

  // ------------------------------------------------------------------------------ the test

  @Test
  void valueTypesGivePostgresAnswers() {
    long start = System.nanoTime();
    System.out.println("ValueTypesDifferentialIT: " + collations);
    for (Col c : COLS) {
      if (NOT_DISTRIBUTED.containsKey(c.table)) {
        System.out.println("== " + c.name + " (" + c.type + "): table " + c.table
            + " not distributed: " + NOT_DISTRIBUTED.get(c.table));
        continue;
      }
      int before = mismatches.size();
      int stepsBefore = steps;
      long began = System.nanoTime();
      System.out.println("== " + c.name + " (" + c.type + ")");
      exercise(c);
      System.out.printf("== %s: %d mismatches (%d steps, %.1f s)%n", c.name,
          mismatches.size() - before, steps - stepsBefore, (System.nanoTime() - began) / 1e9);
    }
    if (!NOT_DISTRIBUTED.containsKey("vt")) {
      System.out.println("== whole rows");
      wholeRows();
      System.out.println("== extra_float_digits = 0");
      floatDigits();
      System.out.println("== INSERT ... SELECT round trip");
      roundTrip();
    }
    System.out.println("\nTables Basalt would not distribute:");
    NOT_DISTRIBUTED.forEach((t, e) -> System.out.println("  " + t + ": " + e));
    int refused = refusals.values().stream().mapToInt(List::size).sum();
    System.out.println("\nRefused by Basalt with 0A000 where PostgreSQL answers:");
    refusals.forEach((m, qs) -> {
      System.out.println("  x" + qs.size() + ": " + m);
      qs.forEach(q -> System.out.println("      " + q));
    });
    System.out.printf("%nValueTypesDifferentialIT: %d known xml-declaration differences%n",
        knownXml);
    System.out.printf("%nValueTypesDifferentialIT: %d steps, %d same (%d of them the same error),"
        + " %d refused (0A000), %d mismatches, %.1f s%n", steps, same, bothFailed, refused,
        mismatches.size(), (System.nanoTime() - start) / 1e9);
    System.out.printf("  time in queries: Basalt %.1f s, PostgreSQL %.1f s%s%n", basaltNanos / 1e9,
        postgresNanos / 1e9, FULL ? " (full run)" : "");
    mismatches.forEach(m -> System.out.println("MISMATCH " + m));
    assertEquals(List.of(), mismatches, "\n" + String.join("\n", mismatches));
  }

  private void exercise(Col c) {
    String col = c.name;
    String t = c.table;
    boolean withRef = t.equals("vt");
    // Plain reads: multi-shard (gathered), routed (every value), reference.
    check("SELECT k, " + col + " FROM " + t + " ORDER BY k", true, ALL);
    check("SELECT " + col + ", k FROM " + t + " WHERE k < 8", false, Mode.TEXT);
    for (int k = 1; k <= 4; k++) {
      check("SELECT " + col + " FROM " + t + " WHERE k = " + k, true,
          k == 1 ? ALL : new Mode[] {Mode.TEXT, Mode.WIRE});
    }
    if (withRef) {
      check("SELECT k, " + col + " FROM vt_ref ORDER BY k", true, ALL);
      check("SELECT " + col + " FROM vt_ref WHERE k = 3", true, ALL);
    }
    check("SELECT k, " + col + "::text FROM " + t + " ORDER BY k", true, Mode.TEXT);
    check("SELECT " + col + "::text FROM " + t + " WHERE k = 3", true, Mode.TEXT);
    check("SELECT k, ROW(k, " + col + ") FROM " + t + " WHERE k = 3", true, ALL);
    check("SELECT k, ROW(k, " + col + ") FROM " + t + " WHERE k < 6 ORDER BY k", true, ALL);
    check("SELECT k, ARRAY[" + col + ", NULL] FROM " + t + " WHERE k = 4", true, ALL);
    check("SELECT k, ARRAY[" + col + ", NULL] FROM " + t + " WHERE k < 6 ORDER BY k", true,
        Mode.WIRE);
    check("SELECT k, " + col + ", lag(" + col + ") OVER (ORDER BY k) FROM " + t + " ORDER BY k",
        true, Mode.TEXT);

    // ORDER BY, merged across shards, the key as the last tiebreaker.
    if (c.ord) {
      for (String dir : List.of("ASC NULLS LAST", "DESC NULLS FIRST", "ASC NULLS FIRST",
          "DESC NULLS LAST")) {
        String order = " ORDER BY " + col + " " + dir + ", k";
        check("SELECT k, " + col + " FROM " + t + order, true, Mode.TEXT);
        check("SELECT k, " + col + " FROM " + t + order + " LIMIT 4 OFFSET 3", true,
            Mode.TEXT);
      }
      check("SELECT " + col + ", k FROM " + t + " ORDER BY " + col + ", k LIMIT 6", true, ALL);
      check("SELECT " + col + " FROM " + t + " ORDER BY " + col + " DESC, k DESC LIMIT 3", true,
          BIN);
      check("SELECT k, " + col + " FROM " + t + " ORDER BY " + col + " NULLS FIRST, k OFFSET 20",
          true, Mode.TEXT);
      check("SELECT DISTINCT ON (" + col + ") " + col + ", k FROM " + t + " ORDER BY " + col
          + ", k DESC", true, Mode.TEXT);
    }

    // DISTINCT, GROUP BY, HAVING.
    if (c.eq) {
      check("SELECT DISTINCT " + col + " FROM " + t, false, ALL);
      check("SELECT " + col + ", count(*) FROM " + t + " GROUP BY " + col, false, ALL);
      check("SELECT " + col + ", count(*), min(k), max(k) FROM " + t + " GROUP BY " + col
          + " HAVING count(*) > 1", false, Mode.TEXT);
      check("SELECT " + col + ", count(*) FROM " + t + " GROUP BY " + col
          + " HAVING min(k) > 3 AND " + col + " IS NOT NULL", false, BIN);
      check("SELECT count(DISTINCT " + col + "), count(" + col + "), count(*) FROM " + t, true,
          Mode.TEXT);
      if (c.ord) {
        check("SELECT " + col + ", count(*) FROM " + t + " GROUP BY " + col + " ORDER BY "
            + col + " DESC NULLS LAST", true, Mode.TEXT);
        check("SELECT DISTINCT " + col + " FROM " + t + " ORDER BY " + col + " LIMIT 3", true,
            Mode.TEXT);
      }
    }

    // Aggregates.
    check("SELECT count(" + col + "), count(*) FILTER (WHERE " + col + " IS NULL) FROM " + t,
        true, Mode.TEXT);
    check("SELECT min(" + col + "), max(" + col + ") FROM " + t, true, ALL);
    check("SELECT k % 3 AS g, min(" + col + "), max(" + col + "), count(" + col + ") FROM " + t
        + " GROUP BY g", false, ALL);
    check("SELECT min(" + col + ") FILTER (WHERE k > 10), max(" + col + ") FILTER (WHERE k <= 10)"
        + " FROM " + t, true, Mode.TEXT);
    check("SELECT min(" + col + "), max(" + col + ") FROM " + t + " WHERE k = 5", true,
        Mode.WIRE);
    if (c.sum) {
      List<String> filters = new ArrayList<>();
      filters.add(c.sumFilter == null ? "" : " WHERE (" + c.sumFilter + ")");
      c.extraSumFilters.forEach(f -> filters.add(" WHERE (" + f + ")"));
      for (int i = 0; i < filters.size(); i++) {
        String where = filters.get(i);
        String aggs = "sum(" + col + ")" + (c.avg ? ", avg(" + col + ")" : "");
        check("SELECT " + aggs + " FROM " + t + where, true, i == 0 ? ALL : JDBC);
        check("SELECT k % 2 AS g, " + aggs + ", count(*) FROM " + t + where + " GROUP BY g",
            false, i == 0 ? ALL : new Mode[] {Mode.TEXT});
      }
      check("SELECT " + "sum(" + col + ")" + (c.avg ? ", avg(" + col + ")" : "") + " FROM " + t
          + " WHERE k = 7", true, Mode.TEXT);
    }
    if (c.stddev != null) {
      String where = c.sumFilter == null ? "" : " WHERE " + c.sumFilter;
      String[] fns = {"stddev", "stddev_pop", "variance", "var_samp"};
      StringBuilder select = new StringBuilder();
      for (String f : fns) {
        String call = f + "(" + col + ")";
        if (c.stddev.equals("round")) {
          call = "round(" + call + "::numeric, 8)";
        }
        select.append(select.isEmpty() ? "" : ", ").append(call);
      }
      check("SELECT " + select + " FROM " + t + where, true, Mode.TEXT);
    }
    if (c.bools) {
      check("SELECT bool_and(" + col + "), bool_or(" + col + "), every(" + col + ") FROM " + t,
          true, ALL);
      check("SELECT k % 4 AS g, bool_and(" + col + "), bool_or(" + col + ") FROM " + t
          + " GROUP BY g", false, Mode.TEXT);
    }
    if (c.bits) {
      check("SELECT bit_and(" + col + "), bit_or(" + col + "), bit_xor(" + col + ") FROM " + t,
          true, ALL);
      check("SELECT k % 4 AS g, bit_and(" + col + "), bit_or(" + col + ") FROM " + t
          + " GROUP BY g", false, Mode.TEXT);
    }
    if (c.percentileCont) {
      check("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY " + col + "),"
          + " percentile_cont(0.25) WITHIN GROUP (ORDER BY " + col + ") FROM " + t, true,
          Mode.TEXT);
    }
    if (c.ord) {
      check("SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY " + col + "), mode() WITHIN"
          + " GROUP (ORDER BY " + col + ") FROM " + t, true, Mode.TEXT);
    }
    check("SELECT array_agg(" + col + " ORDER BY k), string_agg(" + col + "::text, '|' ORDER BY"
        + " k) FROM " + t, true, ALL);
    check("SELECT jsonb_agg(" + col + " ORDER BY k), json_agg(" + col + " ORDER BY k) FROM " + t,
        true, Mode.TEXT);
    check("SELECT jsonb_object_agg(k, " + col + "), json_object_agg(k, " + col + " ORDER BY k)"
        + " FROM " + t, true, Mode.TEXT);
    check("SELECT array_agg(" + col + ") FROM " + t + " WHERE k = 6", true, ALL);
    check("SELECT k % 2 AS g, array_agg(" + col + " ORDER BY k) FROM " + t + " GROUP BY g", false,
        Mode.TEXT);

    // Expressions and comparisons with constants.
    List<String> probes = c.probes();
    if (c.eq && !probes.isEmpty()) {
      String p0 = probes.get(0);
      String p1 = probes.size() > 1 ? probes.get(1) : p0;
      check("SELECT k FROM " + t + " WHERE " + col + " = " + p0, false, Mode.TEXT);
      check("SELECT k, " + col + " FROM " + t + " WHERE " + col + " IN (" + p0 + ", " + p1
          + ")", false, JDBC);
      check("SELECT k FROM " + t + " WHERE " + col + " NOT IN (" + p0 + ", " + p1 + ")", false,
          Mode.TEXT);
      check("SELECT k FROM " + t + " WHERE " + col + " IS DISTINCT FROM " + p0, false,
          Mode.TEXT);
      check("SELECT k, " + col + " = " + p0 + ", " + col + " IS NOT DISTINCT FROM " + p1
          + " FROM " + t, false, Mode.TEXT);
      check("SELECT k, " + col + " FROM " + t + " WHERE " + col + " = " + p0 + " AND k = "
          + firstKeyOf(c, p0), true, Mode.TEXT);
      if (c.ord) {
        check("SELECT k FROM " + t + " WHERE " + col + " > " + p0, false, Mode.TEXT);
        check("SELECT count(*), min(k) FROM " + t + " WHERE " + col + " <= " + p1, true,
            Mode.TEXT);
      }
    }

    // Set operations, joins with the reference table.
    check("SELECT " + col + " FROM " + t + " WHERE k = 1 UNION ALL SELECT " + col + " FROM " + t
        + " WHERE k = 2", false, Mode.TEXT);
    check("SELECT k, " + col + " FROM " + t + " WHERE k < 5 UNION ALL SELECT k, " + col + " FROM "
        + t + " WHERE k > 20", false, ALL);
    if (c.eq) {
      check("SELECT " + col + " FROM " + t + " WHERE k < 14 UNION SELECT " + col + " FROM " + t
          + " WHERE k >= 14", false, JDBC);
      check("SELECT " + col + " FROM " + t + " WHERE k < 14 INTERSECT SELECT " + col + " FROM "
          + t + " WHERE k >= 14", false, Mode.TEXT);
      if (withRef) {
        check("SELECT v.k, r.k FROM vt v JOIN vt_ref r ON v." + col + " = r." + col, false,
            Mode.TEXT);
        check("SELECT v.k, v." + col + ", r." + col + " FROM vt v LEFT JOIN vt_ref r ON v." + col
            + " = r." + col + " AND r.k < 4", false, BIN);
        check("SELECT k FROM vt WHERE " + col + " IN (SELECT " + col + " FROM vt_ref WHERE k < 5)",
            false, Mode.TEXT);
      }
    }
    if (withRef) {
      check("SELECT v.k, v." + col + ", r." + col + " FROM vt v JOIN vt_ref r ON v.k = r.k"
          + " ORDER BY v.k", true, Mode.TEXT);
    }
    for (String q : c.extra) {
      String sql = q.replace("%t", t).replace("%s", col);
      check(sql, sql.contains("ORDER BY"), JDBC);
    }
  }

  private static int firstKeyOf(Col c, String value) {
    for (int k = 1; k <= ROWS; k++) {
      if (c.valueAt(k).equals(value)) {
        return k;
      }
    }
    return 1;
  }

  /** Whole rows: every column at once, routed, gathered and from the reference table. */
  private void wholeRows() {
    check("SELECT * FROM vt ORDER BY k", true, ALL);
    check("SELECT * FROM vt WHERE k = 9", true, ALL);
    check("SELECT * FROM vt_ref ORDER BY k", true, ALL);
    check("SELECT vt FROM vt ORDER BY k", true, ALL);
    check("SELECT vt FROM vt WHERE k = 9", true, ALL);
    check("SELECT vt_ref FROM vt_ref WHERE k = 9", true, ALL);
    check("SELECT to_jsonb(vt) FROM vt ORDER BY k", true, Mode.TEXT);
    check("SELECT row_to_json(vt) FROM vt WHERE k = 10", true, Mode.TEXT);
    // Unreserved key words as column names.
    check("INSERT INTO vt_words (k, by, value, year) VALUES (1, '\\x01', 'a', 2024)", false,
        Mode.TEXT);
    check("INSERT INTO vt_words VALUES (2, '\\x02', 'b', 2025), (3, NULL, 'c', NULL)", false,
        Mode.TEXT);
    check("SELECT k, by, value, year FROM vt_words ORDER BY k", true, Mode.TEXT);
    check("SELECT by, value, year FROM vt_words WHERE k = 1", true, Mode.TEXT);
    check("SELECT max(year), count(by) FROM vt_words", true, Mode.TEXT);
  }

  /**
   * Float aggregates under extra_float_digits = 0: PostgreSQL computes with the exact values and
   * prints the result with 15 digits (or sends its exact bits in binary).
   */
  private void floatDigits() {
    for (Connection c : List.of(basaltText, twin.postgres, basaltBinary, postgresBinary)) {
      try (Statement s = c.createStatement()) {
        s.execute("SET extra_float_digits = 0");
      } catch (SQLException e) {
        mismatches.add("SET extra_float_digits = 0 failed: " + e.getMessage());
        return;
      }
    }
    for (WireClient w : List.of(basaltWire, postgresWire)) {
      try {
        w.query("SET extra_float_digits = 0");
        w.readUntil('Z');
      } catch (IOException e) {
        mismatches.add("SET extra_float_digits = 0 failed on the wire: " + e);
      }
    }
    check("SELECT min(f8), max(f8), min(f4), max(f4) FROM vt", true, ALL);
    check("SELECT k % 3 AS g, min(f8), max(f8) FROM vt GROUP BY g", false, ALL);
    check("SELECT min(f8) FROM vt WHERE f8 > 0", true, ALL);
    check("SELECT min(f8), max(f8) FROM vt WHERE f8 BETWEEN 0.2 AND 0.5", true, ALL);
    check("SELECT sum(f8), avg(f8) FROM vt WHERE f8 = '0.30000000000000004'", true, ALL);
    check("SELECT sum(f4), avg(f4), min(f4) FROM vt WHERE f4 = '0.1'", true, ALL);
    check("SELECT f8, count(*) FROM vt GROUP BY f8", false, ALL);
    check("SELECT k, f8, f4 FROM vt WHERE k = 7", true, ALL);
    for (Connection c : List.of(basaltText, twin.postgres, basaltBinary, postgresBinary)) {
      try (Statement s = c.createStatement()) {
        s.execute("RESET extra_float_digits");
        s.execute("SET extra_float_digits = 3");
      } catch (SQLException e) {
        mismatches.add("RESET extra_float_digits failed: " + e.getMessage());
      }
    }
    for (WireClient w : List.of(basaltWire, postgresWire)) {
      try {
        w.query("RESET extra_float_digits");
        w.readUntil('Z');
      } catch (IOException e) {
        mismatches.add("RESET extra_float_digits failed on the wire: " + e);
      }
    }
  }

  /**
   * INSERT ... SELECT from vt into vt_copy (not co-located), from vt_copy into vt_back (co-located
   * with vt, so read from a table that is not), and into a reference table; every column must
   * come back exactly as stored.
   */
  private void roundTrip() {
    check("INSERT INTO vt_copy SELECT * FROM vt", false, Mode.TEXT);
    check("INSERT INTO vt_back SELECT * FROM vt_copy", false, Mode.TEXT);
    check("INSERT INTO vt_ref2 SELECT * FROM vt WHERE k % 2 = 0", false, Mode.TEXT);
    check("INSERT INTO vt_back (k, t, n, f8) SELECT k + 100, t, n, f8 FROM vt_ref"
        + " RETURNING k, t, n, f8", false, Mode.TEXT);
    for (String table : List.of("vt_copy", "vt_back", "vt_ref2", "vt_pre")) {
      check("SELECT * FROM " + table + " ORDER BY k", true, ALL);
    }
    // Within Basalt: the copies hold exactly vt's rows (compared on PostgreSQL too).
    StringBuilder differ = new StringBuilder();
    for (Col c : COLS) {
      if (!c.table.equals("vt")) {
        continue;
      }
      String cmp = "a." + c.name + "::text IS DISTINCT FROM b." + c.name + "::text";
      differ.append(differ.isEmpty() ? "" : " + ").append("(").append(cmp).append(")::int");
    }
    // Each stored value's own text, read on its shard (a routed read: the worker's cast).
    StringBuilder texts = new StringBuilder("k");
    for (Col c : COLS) {
      if (c.table.equals("vt")) {
        texts.append(", ").append(c.name).append("::text");
      }
    }
    for (String table : List.of("vt_copy", "vt_back", "vt_pre", "vt_ref2")) {
      for (int k = 1; k <= 14; k++) {
        if (!table.equals("vt_ref2") || k % 2 == 0) {
          check("SELECT " + texts + " FROM " + table + " WHERE k = " + k, true, Mode.TEXT);
        }
      }
    }
    for (String table : List.of("vt_copy", "vt_back", "vt_pre")) {
      check("SELECT a.k, " + differ + " AS differing_columns FROM vt a FULL JOIN " + table
          + " b ON a.k = b.k WHERE a.k IS NULL OR b.k IS NULL OR " + differ + " > 0", false,
          Mode.TEXT);
    }
  }

  // ------------------------------------------------------------------------------ steps

  /** Runs a query on both servers through each client and compares the outcomes. */
  private void check(String sql, boolean ordered, Mode... modes) {
    for (Mode mode : modes) {
      if (mode == null) {
        continue;
      }
      steps++;
      boolean read = sql.startsWith("SELECT");
      // A read runs on PostgreSQL at the same time (its connections are only used there).
      java.util.concurrent.Future<Outcome> ahead = read
          ? POSTGRES_THREAD.submit(() -> run(mode, false, sql, ordered)) : null;
      long t0 = System.nanoTime();
      Outcome actual = run(mode, true, sql, ordered);
      basaltNanos += System.nanoTime() - t0;
      if ("0A000".equals(actual.sqlState()) && !read) {
        // A write Basalt refused does not run on PostgreSQL either: the tables stay the same.
        refusals.computeIfAbsent(oneLine(actual.message()), m -> new ArrayList<>())
            .add(mode.label + " " + sql);
        System.out.println("  refused " + mode.label + " " + sql + "\n      Basalt " + actual);
        continue;
      }
      long t1 = System.nanoTime();
      Outcome expected = read ? await(ahead) : run(mode, false, sql, ordered);
      postgresNanos += System.nanoTime() - t1;
      String label = mode.label + " " + sql;
      if (expected.equals(actual)) {
        same++;
        if (expected.sqlState() != null) {
          bothFailed++;
        }
        System.out.println("  same " + label + "\n      " + expected.brief());
        continue;
      }
      if (xmlDeclarationOnly(expected, actual)) {
        knownXml++;
        System.out.println("  known difference (xml declaration) " + label);
        continue;
      }
      if ("0A000".equals(actual.sqlState()) && !"0A000".equals(expected.sqlState())) {
        refusals.computeIfAbsent(oneLine(actual.message()), m -> new ArrayList<>()).add(label);
        System.out.println("  refused " + label + "\n      Basalt " + actual);
        continue;
      }
      String m = label + (ordered ? " (ordered)" : " (unordered)")
          + "\n    expected (PostgreSQL): " + expected
          + "\n    actual (Basalt):       " + actual + difference(expected, actual);
      System.out.println("  DIFFERENT " + m);
      mismatches.add(m);
    }
  }

  private static final java.util.concurrent.ExecutorService POSTGRES_THREAD =
      java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "postgres-side");
        t.setDaemon(true);
        return t;
      });

  private static Outcome await(java.util.concurrent.Future<Outcome> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome("client " + e, -1, null, null);
    } catch (java.util.concurrent.ExecutionException e) {
      return new Outcome("client " + e.getCause(), -1, null, null);
    }
  }

  private Outcome run(Mode mode, boolean basalt, String sql, boolean ordered) {
    Outcome o = switch (mode) {
      case TEXT -> jdbc(basalt ? basaltText : twin.postgres, sql, ordered);
      case BINARY -> jdbc(basalt ? basaltBinary : postgresBinary, sql, ordered);
      case WIRE -> wire(basalt, sql, ordered);
    };
    if (basalt && o.sqlState() != null && (o.sqlState().startsWith("client")
        || o.sqlState().startsWith("08") || o.sqlState().startsWith("XX"))) {
      reconnect(mode);
    }
    return o;
  }

  private static Outcome jdbc(Connection c, String sql, boolean ordered) {
    try (Statement s = c.prepareStatement(sql)) {
      s.setQueryTimeout(TIMEOUT_SECONDS);
      java.sql.PreparedStatement ps = (java.sql.PreparedStatement) s;
      if (!ps.execute()) {
        return new Outcome(null, ps.getLargeUpdateCount(), null, null);
      }
      try (ResultSet rs = ps.getResultSet()) {
        ResultSetMetaData md = rs.getMetaData();
        List<String> labels = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          labels.add(md.getColumnLabel(i) + ":" + md.getColumnTypeName(i) + "("
              + md.getPrecision(i) + "," + md.getScale(i) + ")");
        }
        List<String> rows = TwinServers.rows(rs, new ArrayList<>(), true);
        if (!ordered) {
          Collections.sort(rows);
        }
        return new Outcome(null, -1, labels, rows);
      }
    } catch (SQLException e) {
      return new Outcome(Objects.requireNonNullElse(e.getSQLState(), "?????"), -1, null, null,
          oneLine(e.getMessage()));
    } catch (RuntimeException | AssertionError e) {
      return new Outcome("client " + e, -1, null, null);
    }
  }

  /**
   * The raw protocol: Parse, Bind with every result column in binary, Describe, Execute, Sync.
   * Labels are name:format_type(oid, typmod):format; values are hex.
   */
  private Outcome wire(boolean basalt, String sql, boolean ordered) {
    WireClient w = basalt ? basaltWire : postgresWire;
    String side = basalt ? "basalt" : "postgres";
    try {
      w.parse("", sql);
      w.bind("", "", new short[] {1});
      w.describe('P', "");
      w.execute("");
      w.sync();
      List<WireClient.Message> messages = w.readUntil('Z');
      List<String> labels = null;
      int[] oids = new int[0];
      List<String> rows = new ArrayList<>();
      String error = null;
      String message = null;
      long count = -1;
      for (WireClient.Message m : messages) {
        switch (m.tag()) {
          case 'T' -> {
            ByteBuffer b = ByteBuffer.wrap(m.body());
            int n = b.getShort();
            labels = new ArrayList<>();
            oids = new int[n];
            for (int i = 0; i < n; i++) {
              String name = cstring(b);
              b.getInt();
              b.getShort();
              oids[i] = b.getInt();
              b.getShort();
              int typmod = b.getInt();
              short format = b.getShort();
              labels.add(name + ":" + typeName(side, oids[i], typmod) + ":" + format);
            }
          }
          case 'D' -> rows.add(binaryRow(side, m, oids));
          case 'E' -> {
            error = m.sqlState();
            message = m.fields().get('M');
          }
          case 'C' -> {
            String tag = new String(m.body(), 0, m.body().length - 1, StandardCharsets.UTF_8);
            String[] parts = tag.split(" ");
            if (labels == null && parts.length > 1) {
              count = Long.parseLong(parts[parts.length - 1]);
            }
          }
          default -> { }
        }
      }
      if (error != null) {
        return new Outcome(error, -1, null, null, oneLine(message));
      }
      if (labels == null) {
        return new Outcome(null, count, null, null);
      }
      if (!ordered) {
        Collections.sort(rows);
      }
      return new Outcome(null, -1, labels, rows);
    } catch (IOException | RuntimeException e) {
      return new Outcome("client " + e, -1, null, null);
    }
  }

  private static String cstring(ByteBuffer b) {
    int start = b.position();
    while (b.get() != 0) {
      // Up to the terminator.
    }
    return new String(b.array(), start, b.position() - start - 1, StandardCharsets.UTF_8);
  }

  /** A binary DataRow: each value in hex, with embedded type OIDs shown by name. */
  private String binaryRow(String side, WireClient.Message m, int[] oids) {
    ByteBuffer b = ByteBuffer.wrap(m.body());
    int n = b.getShort();
    StringBuilder row = new StringBuilder("(");
    for (int i = 0; i < n; i++) {
      int len = b.getInt();
      row.append(i == 0 ? "" : ", ");
      if (len < 0) {
        row.append("NULL");
        continue;
      }
      byte[] v = new byte[len];
      b.get(v);
      row.append(binaryValue(side, v, i < oids.length ? oids[i] : 0));
    }
    return row.append(')').toString();
  }

  private static final int RECORD = 2249;

  /**
   * A binary value in hex; an array's element type OID (at byte 8) and a record's field OIDs
   * are replaced by the type's name on the server that sent it, since the same user-defined type
   * has another OID on each server.
   */
  private String binaryValue(String side, byte[] v, int oid) {
    HexFormat hex = HexFormat.of();
    String name = typeName(side, oid, -1);
    try {
      if (name.endsWith("[]") && v.length >= 12) {
        int elem = ByteBuffer.wrap(v, 8, 4).getInt();
        return hex.formatHex(v, 0, 8) + "<" + typeName(side, elem, -1) + ">"
            + hex.formatHex(v, 12, v.length);
      }
      if (oid == RECORD || "c".equals(typeKind(side, oid))) {
        ByteBuffer b = ByteBuffer.wrap(v);
        int fields = b.getInt();
        StringBuilder out = new StringBuilder("record" + fields + "[");
        for (int f = 0; f < fields; f++) {
          int fieldOid = b.getInt();
          int len = b.getInt();
          out.append(f == 0 ? "" : ", ").append(typeName(side, fieldOid, -1)).append(':');
          if (len < 0) {
            out.append("NULL");
          } else {
            byte[] fv = new byte[len];
            b.get(fv);
            out.append(binaryValue(side, fv, fieldOid));
          }
        }
        return out.append(']').toString();
      }
    } catch (RuntimeException e) {
      return "unreadable " + name + " " + hex.formatHex(v);
    }
    return hex.formatHex(v);
  }

  /** pg_type.typtype on the given side's own catalog ("?" for no such type). */
  private String typeKind(String side, int oid) {
    return typeKinds.get(side).computeIfAbsent(oid, k -> {
      Connection c = side.equals("basalt") ? basaltText : twin.postgres;
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
          "SELECT typtype FROM pg_catalog.pg_type WHERE oid = " + Integer.toUnsignedString(oid))) {
        return rs.next() ? rs.getString(1) : "?";
      } catch (SQLException e) {
        return "?";
      }
    });
  }

  /** format_type(oid, typmod) on the given side's own catalog. */
  private String typeName(String side, int oid, int typmod) {
    long key = ((long) oid << 32) | (typmod & 0xffffffffL);
    return typeNames.get(side).computeIfAbsent(key, k -> {
      Connection c = side.equals("basalt") ? basaltText : twin.postgres;
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
          "SELECT pg_catalog.format_type(" + Integer.toUnsignedString(oid) + ", "
              + (typmod < 0 ? "NULL" : Integer.toString(typmod)) + ")")) {
        rs.next();
        return String.valueOf(rs.getString(1));
      } catch (SQLException e) {
        return "oid " + Integer.toUnsignedString(oid) + " (" + e.getSQLState() + ")";
      }
    });
  }

  private void reconnect(Mode mode) {
    try {
      switch (mode) {
        case TEXT -> {
          if (basaltText.isValid(5)) {
            return;
          }
          basaltText.close();
          basaltText = TestBasalt.connect();
          try (Statement s = basaltText.createStatement()) {
            s.execute("SET TimeZone = '" + ZONE + "'");
          }
        }
        case BINARY -> {
          if (basaltBinary.isValid(5)) {
            return;
          }
          basaltBinary.close();
          basaltBinary = TestBasalt.connect(binary());
          try (Statement s = basaltBinary.createStatement()) {
            s.execute("SET TimeZone = '" + ZONE + "'");
          }
        }
        case WIRE -> {
          try {
            basaltWire.query("SELECT 1");
            basaltWire.readUntil('Z');
            return;
          } catch (IOException e) {
            basaltWire.close();
            basaltWire = wire(true);
          }
        }
      }
      System.out.println("  (Basalt connection " + mode.label + " reopened)");
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("cannot reconnect to Basalt", e);
    }
  }

  private static String difference(Outcome expected, Outcome actual) {
    if (expected.rows() == null || actual.rows() == null) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    if (!Objects.equals(expected.labels(), actual.labels())) {
      out.append("\n    labels differ: PostgreSQL ").append(expected.labels())
          .append(", Basalt ").append(actual.labels());
    }
    List<String> missing = new ArrayList<>(expected.rows());
    actual.rows().forEach(missing::remove);
    List<String> extra = new ArrayList<>(actual.rows());
    expected.rows().forEach(extra::remove);
    if (missing.isEmpty() && extra.isEmpty()) {
      if (!expected.rows().equals(actual.rows())) {
        out.append("\n    same rows, other order");
      }
    } else {
      out.append("\n    missing on Basalt ").append(missing).append("; unexpected on Basalt ")
          .append(extra);
    }
    return out.toString();
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replace('\n', ' ');
  }

  // ------------------------------------------------------------------------------ the types

  private static List<Col> columns() {
    List<Col> cols = new ArrayList<>();
    cols.add(new Col("i2", "smallint", "'-32768'", "'32767'", "'0'", "'-1'", "NULL", "'100'",
        "'7'").sum(true, null).stddev("exact").bits().pct());
    cols.add(new Col("i4", "integer", "'-2147483648'", "'2147483647'", "'0'", "'42'", "NULL",
        "'-7'", "'2147483647'").sum(true, null).stddev("exact").bits().pct());
    cols.add(new Col("i8", "bigint", "'-9223372036854775808'", "'9223372036854775807'", "'0'",
        "'123456789012'", "NULL", "'-1'", "'9223372036854775807'").sum(true, null)
        .stddev("exact").bits().pct());
    cols.add(new Col("n", "numeric", "'123456789012345678901234567890.123456789012345678901234567890'",
        "'-1.5'", "'0.000000000000000000000000000000000000001'", "'NaN'", "'Infinity'",
        "'-Infinity'", "NULL", "'1e-100'", "'99999999999999999999'", "'-0.5'",
        "'3.14159265358979323846264338327950288'")
        .sum(true, "n BETWEEN -1e40 AND 1e40", "n <> 'Infinity'", "n > 0",
            "n IS NULL OR n < 0")
        .stddev("exact").pct()
        .probes("'NaN'", "'-1.5'")
        .extra("SELECT k, round(%s, 3), %s * 2, %s::float8, scale(%s) FROM %t ORDER BY k",
            "SELECT k, %s::numeric(40,10) FROM %t WHERE k = 1"));
    cols.add(new Col("n124", "numeric(12,4)", "'12345678.1234'", "'-0.00005'", "'0'",
        "'99999999.99994'", "NULL", "'1.5'", "'-12.34'")
        .sum(true, null).stddev("exact").pct()
        .extra("SELECT k, %s + 1, %s / 3 FROM %t ORDER BY k"));
    cols.add(new Col("f4", "real", "'NaN'", "'Infinity'", "'-Infinity'", "'-0'", "'1e-45'",
        "'3.4028235e38'", "'1.17549435e-38'", "'0.1'", "'-2.5'", "NULL", "'16777217'", "'0.75'")
        .sum(true, "f4 IN ('-2.5', '0.75', '-0')", "f4 IN ('-2.5', '0.75') OR f4 = 'NaN'",
            "f4 IN ('-2.5', 'Infinity')")
        .stddev("round").pct()
        .probes("'NaN'", "'-0'")
        .extra("SELECT k, %s::float8, %s::numeric FROM %t WHERE %s <> 'NaN' ORDER BY k"));
    cols.add(new Col("f8", "double precision", "'NaN'", "'Infinity'", "'-Infinity'", "'-0'",
        "'4.9e-324'", "'1.7976931348623157e308'", "'2.2250738585072014e-308'", "'0.1'",
        "'0.30000000000000004'", "'-2.5'", "NULL", "'1e-310'", "'0.75'")
        .sum(true, "f8 IN ('-2.5', '0.75', '-0')", "f8 IN ('-2.5', '0.75') OR f8 = 'NaN'",
            "f8 IN ('-2.5', '-Infinity')", "abs(f8) < 1e300 OR f8 = 'NaN'")
        .stddev("round").pct()
        .probes("'-0'", "'NaN'")
        .extra("SELECT k, %s::real, %s::text, %s = 0 FROM %t ORDER BY k",
            "SELECT k, %s::numeric FROM %t WHERE %s BETWEEN -1e10 AND 1e10 ORDER BY k"));
    cols.add(new Col("m", "money", "'1234.56'", "'-92233720368547758.08'",
        "'92233720368547758.07'", "'0'", "NULL", "'0.01'", "'-7.5'")
        .sum(false, "m BETWEEN '-100000' AND '100000'", "m > '1'")
        .extra("SELECT k, %s::numeric, %s * 2 FROM %t WHERE abs(%s::numeric) < 1e6 ORDER BY k"));
    cols.add(new Col("t", "text", "''", "'abc'", "'ABC'", "'é'", "'e'",
        "'Ünïcödé ✓ 😀'", "'a b'", "'a-b'", "'ab'", "E'a\\tb\\nc'", "NULL", "' lead'", "'z'",
        "'\\'")
        .extra("SELECT k, length(%s), upper(%s), %s || '!' FROM %t ORDER BY k",
            "SELECT k FROM %t WHERE %s LIKE 'a%' ORDER BY k",
            "SELECT min(%s COLLATE \"C\"), max(%s COLLATE \"C\") FROM %t",
            "SELECT k, %s FROM %t ORDER BY %s COLLATE \"C\", k",
            "SELECT string_agg(%s, ',' ORDER BY %s, k) FROM %t"));
    cols.add(new Col("c", "char(5)", "'ab'", "'ab   '", "''", "'abcde'", "'é'", "NULL", "' x'")
        .extra("SELECT k, %s || '|', length(%s), %s::text FROM %t ORDER BY k",
            "SELECT k FROM %t WHERE %s = 'ab' ORDER BY k"));
    cols.add(new Col("vc", "varchar(10)", "'abc'", "''", "'abc '", "'ünï'", "NULL",
        "'0123456789'", "'ABC'")
        .extra("SELECT k, %s || '|', length(%s) FROM %t ORDER BY k"));
    cols.add(new Col("bb", "bytea", "'\\x'", "'\\x00'", "'\\xff00fe'", "'abc'", "'\\x5c27'",
        "NULL", "'\\x0000'")
        .extra("SELECT k, length(%s), encode(%s, 'escape'), %s || '\\x01'::bytea FROM %t"
            + " ORDER BY k"));
    cols.add(new Col("b", "boolean", "true", "false", "NULL", "true", "true").bools());
    cols.add(new Col("d", "date", "'2024-02-29'", "'infinity'", "'-infinity'", "'0044-03-15 BC'",
        "'4713-01-01 BC'", "'5874897-12-31'", "'1970-01-01'", "NULL", "'2000-01-01'")
        .extra("SELECT k, %s + 1, extract(year FROM %s), to_char(%s, 'YYYY-MM-DD BC')"
            + " FROM %t WHERE %s BETWEEN '1000-01-01' AND '3000-01-01' ORDER BY k",
            "SELECT k, %s::timestamptz FROM %t ORDER BY k"));
    cols.add(new Col("ts", "timestamp", "'2024-02-29 12:34:56.789012'", "'infinity'",
        "'-infinity'", "'0044-03-15 12:00 BC'", "'294276-12-31 23:59:59.999999'",
        "'4713-01-01 00:00 BC'", "'2000-01-01 00:00'", "NULL", "'2024-03-10 02:30:00'")
        .extra("SELECT k, date_trunc('hour', %s), %s::timestamptz, extract(epoch FROM %s)"
            + " FROM %t ORDER BY k"));
    cols.add(new Col("ts3", "timestamp(3)", "'2024-01-01 00:00:00.1235'",
        "'2024-01-01 00:00:00.9999'", "'1999-12-31 23:59:59.0005'", "NULL")
        .extra("SELECT k, %s + interval '1 microsecond' FROM %t ORDER BY k"));
    cols.add(new Col("tstz", "timestamptz", "'2024-03-10 02:30:00.000001+00'",
        "'2024-01-01 00:00:00+14'", "'infinity'", "'-infinity'", "'1901-12-13 20:45:52+00'",
        "'0044-03-15 12:00+00 BC'", "'1999-12-31 23:59:59.999999-12'", "NULL",
        "'2024-11-03 01:30:00-04'", "'2024-11-03 01:30:00-05'")
        .extra("SELECT k, %s AT TIME ZONE 'UTC', date_trunc('day', %s), %s::date FROM %t"
            + " ORDER BY k",
            "SELECT k, %s FROM %t WHERE %s < '2000-01-01' ORDER BY k"));
    cols.add(new Col("tm", "time", "'00:00'", "'23:59:59.999999'", "'24:00'", "'12:00:00.5'",
        "NULL", "'01:02:03'")
        .extra("SELECT k, %s + interval '1 hour', %s - '00:00:00.000001'::time FROM %t"
            + " ORDER BY k"));
    cols.add(new Col("ttz", "timetz", "'00:00+00'", "'23:59:59.999999-15:59'", "'12:00+05:30'",
        "'24:00+00'", "'10:00-08'", "NULL", "'12:00+00'")
        .extra("SELECT k, %s AT TIME ZONE 'UTC' FROM %t ORDER BY k"));
    cols.add(new Col("iv", "interval", "'1 year 2 mons 3 days 04:05:06.789'", "'-1 mons +30 days'",
        "'-1 day'", "'00:00:00.000001'", "'178000000 years'", "'-178000000 years'", "NULL",
        "'-1 year -2 mons +3 days -04:05:06'", "'35 days 25:00:00'")
        .sum(true, "abs(extract(year FROM " + "iv)) < 1000",
            "iv > '0' AND iv < '100 years'")
        .pct()
        .extra("SELECT k, justify_interval(%s), %s * 2, extract(epoch FROM %s) FROM %t"
            + " WHERE abs(extract(year FROM %s)) < 1000 ORDER BY k",
            "SELECT k, %s FROM %t WHERE %s = '1 mon' ORDER BY k"));
    cols.add(new Col("u", "uuid", "'00000000-0000-0000-0000-000000000000'",
        "'ffffffff-ffff-ffff-ffff-ffffffffffff'", "'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'", "NULL",
        "'{a0eebc99-9c0b4ef8-bb6d6bb9-bd380a12}'"));
    cols.add(new Col("ip", "inet", "'10.0.0.1'", "'10.0.0.1/8'", "'::ffff:1.2.3.4'",
        "'2001:db8::1/64'", "'0.0.0.0/0'", "'255.255.255.255'", "NULL")
        .extra("SELECT k, family(%s), masklen(%s), host(%s), %s << '10.0.0.0/8' FROM %t"
            + " ORDER BY k"));
    cols.add(new Col("cd", "cidr", "'10.0.0.0/8'", "'192.168.1.0/24'", "'2001:db8::/32'",
        "'0.0.0.0/0'", "NULL", "'10.0.0.0/8'"));
    cols.add(new Col("jb", "jsonb", "'{\"a\": 1, \"b\": [1, 2, {\"c\": null}]}'",
        "'12345678901234567890.123456789012345678901'", "'\"unicode ✓ é\"'", "'[]'", "'{}'",
        "'null'", "'true'", "'1e400'", "'{\"a\": 1, \"a\": 2}'", "NULL", "'[1, \"1\", 1.0]'")
        .extra("SELECT k, %s->'a', jsonb_exists(%s, 'a'), jsonb_typeof(%s) FROM %t ORDER BY k",
            "SELECT k FROM %t WHERE %s @> '{\"a\": 2}' ORDER BY k",
            "SELECT jsonb_object_agg(k::text, %s->'b') FROM %t"));
    cols.add(new Col("js", "json", "'{\"a\":1,\"a\":2}'", "'  {\"x\" : [1, 2.50]}  '",
        "'1.000000000000000000001'", "'\"\\u00e9\"'", "'null'", "NULL", "'[]'")
        .noEq()
        .extra("SELECT k, %s->'a', %s::jsonb, json_typeof(%s) FROM %t ORDER BY k"));
    cols.add(new Col("ia", "integer[]", "'{1,2,3}'", "'{}'", "'{{1,2},{3,4}}'", "'[0:2]={7,8,9}'",
        "'{NULL,1}'", "NULL", "'{1,2,3}'")
        .extra("SELECT k, %s[1], array_length(%s, 1), cardinality(%s), array_dims(%s) FROM %t"
            + " ORDER BY k",
            "SELECT k FROM %t WHERE 1 = ANY(%s) ORDER BY k",
            "SELECT array_agg(x ORDER BY x) FROM %t, unnest(%s) x"));
    cols.add(new Col("ta", "text[]", "'{a,\"b c\",NULL,\"\"}'", "'{\"NULL\"}'", "'{}'",
        "'{é,\"\\\\\\\"q\\\\\\\"\"}'", "NULL", "'{{a,b},{c,NULL}}'")
        .extra("SELECT k, %s[2], array_to_string(%s, ',', '*') FROM %t ORDER BY k"));
    cols.add(new Col("r4", "int4range", "'[1,10)'", "'empty'", "'(,5]'", "'[3,)'", "'(,)'",
        "NULL", "'(0,3]'")
        .extra("SELECT k, lower(%s), upper(%s), isempty(%s), %s @> 4 FROM %t ORDER BY k",
            "SELECT range_agg(%s), range_intersect_agg(%s) FROM %t"));
    cols.add(new Col("rtz", "tstzrange", "'[2024-01-01 00:00+00, 2024-06-01 00:00+00)'",
        "'empty'", "'(,infinity]'", "'[\"2000-01-01 00:00:00.000001+00\",)'", "NULL")
        .extra("SELECT k, lower(%s), upper_inf(%s) FROM %t ORDER BY k"));
    cols.add(new Col("e", "vt_mood", "'sad'", "'ok'", "'happy'", "NULL", "'happy'")
        .probes("'ok'", "'happy'")
        .extra("SELECT k, %s::text, enum_range(%s), %s > 'sad' FROM %t ORDER BY k",
            "SELECT k, ARRAY[%s] FROM %t ORDER BY k"));
    cols.add(new Col("bt", "bit(4)", "'1010'", "'0000'", "'1111'", "NULL", "'0110'").bits()
        .extra("SELECT k, %s::int, %s & '1100', ~%s FROM %t ORDER BY k"));
    cols.add(new Col("vb", "varbit", "''", "'1'", "'10101010'", "'0'", "NULL", "'1'").bits()
        .extra("SELECT k, length(%s), %s || '1' FROM %t ORDER BY k"));
    cols.add(new Col("tsv", "tsvector", "'a fat cat'", "'a:1A fat:2B,4C cat:5D'", "''", "NULL",
        "'''quoted '''' word'''")
        .extra("SELECT k FROM %t WHERE %s @@ 'fat'::tsquery ORDER BY k",
            "SELECT k, length(%s), strip(%s) FROM %t ORDER BY k"));
    cols.add(new Col("pt", "point", "'(1,2)'", "'(-1.5,1e300)'", "'(0.1,-0)'", "NULL")
        .noEq()
        .extra("SELECT k, %s[0], %s[1] FROM %t ORDER BY k"));
    cols.add(new Col("o", "oid", "'0'", "'4294967295'", "'1'", "NULL", "'2147483648'"));
    cols.add(new Col("x", "xml", "'<a b=\"1\">t &amp; u</a>'", "'<?xml version=\"1.0\"?><r/>'",
        "'text only'", "NULL")
        .noEq()
        .extra("SELECT xmlagg(%s ORDER BY k) FROM %t",
            "SELECT k, xpath('/a/@b', %s) FROM %t WHERE k = 1"));
    cols.add(new Col("cp", "vt_pair", "'(1,a)'", "'(,)'", "'(-5,\"x, y\")'", "NULL")
        .in("vt_comp").extra("SELECT k, (%s).a, (%s).b FROM %t ORDER BY k"));
    cols.add(new Col("dm", "vt_posint", "'1'", "'2147483647'", "NULL", "'7'").in("vt_dom")
        .sum(true, null));
    return cols;
  }

  private static final String XML_DECLARATION = "<?xml version=\"1.0\"?>";
  private static final String XML_DECLARATION_HEX = java.util.HexFormat.of()
      .formatHex(XML_DECLARATION.getBytes(java.nio.charset.StandardCharsets.UTF_8));

  /**
   * A known difference (docs/distributed-queries.md, "Known differences"): rows that Basalt
   * copies between servers (gathers, INSERT ... SELECT, create_distributed_table's move) pass
   * through xml's output function, which drops an XML declaration of version 1.0, as
   * PostgreSQL's own COPY does. True when the outcomes differ only by such declarations (as
   * text, or in hex for binary values).
   */
  static boolean xmlDeclarationOnly(TwinServers.Outcome expected, TwinServers.Outcome actual) {
    if (expected.rows() == null || actual.rows() == null
        || !java.util.Objects.equals(expected.labels(), actual.labels())
        || !java.util.Objects.equals(expected.sqlState(), actual.sqlState())) {
      return false;
    }
    return expected.rows().stream().map(r -> withoutDeclaration(r)).toList()
        .equals(actual.rows().stream().map(r -> withoutDeclaration(r)).toList());
  }

  private static String withoutDeclaration(String row) {
    return row.replace(XML_DECLARATION, "").replace(XML_DECLARATION_HEX, "");
  }
}
