package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.basalt.coordinator.it.TwinServers.Outcome;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.util.PGInterval;

/**
 * Differential test of distribution columns of many types: for each type T a table dt_T (k T, v
 * text) distributed by k, a co-located dt_T_u with a unique index on k, and a local dt_T_src, on
 * Basalt; the same three plain tables on a separate PostgreSQL. Every statement runs on both, in
 * the same order, and its outcome is compared (SQLSTATE or success, update count, rows as a
 * multiset unless the query orders them), and so are the tables' whole contents.
 *
 * <p>The values are chosen so that values equal to PostgreSQL are written differently (numeric 1,
 * 1.0, 1e0; float 0 and -0; interval '1 day' and '24 hours'; char(5) 'ab' and 'ab   '; the same
 * timestamptz instant in two offsets; uuid in upper and lower case; casts and type modifiers that
 * change the stored value): a row Basalt routes to a shard other than the one its stored value
 * hashes to is not found by a later routed {@code WHERE k = ...}, does not conflict with an equal
 * key in ON CONFLICT, and so on. Each type is written through single-row and multi-row INSERT,
 * prepared INSERT with several pgjdbc setters, INSERT ... SELECT (from a local and from a
 * distributed table), COPY (text and csv), INSERT ... ON CONFLICT, and read back through routed
 * equality in every spelling, prepared equality, IN, = ANY(array), ranges, GROUP BY, count
 * DISTINCT, co-located joins and ORDER BY; then updated and deleted by key.
 *
 * <p>Basalt may refuse a statement with 0A000 (a shape or value it cannot route, as documented):
 * such a statement then does not run on PostgreSQL either, and is listed, not counted as a
 * mismatch. So is Citus's refusal of a NULL distribution value (23502, or 22004 in COPY). A type
 * Basalt refuses to distribute by is listed and skipped. Every other difference is a mismatch;
 * all are collected and reported at once.
 */
class DistributionTypesDifferentialIT {
  private static final int SHARDS = 8;
  private static final int TIMEOUT_SECONDS = 60;
  private static final String C = " COLLATE \"C\"";

  /** Binds one parameter. */
  interface Binder {
    void bind(PreparedStatement ps, int index) throws SQLException;
  }

  /** A parameter value with the pgjdbc call that binds it. */
  record Bind(String label, Binder binder) {
    boolean isNull() {
      return label.startsWith("setNull");
    }
  }

  static Bind b(String label, Binder binder) {
    return new Bind(label, binder);
  }

  /** One distribution column type and the values it is exercised with. */
  static final class Type {
    final String name;
    final String sqlType;
    /** SQL expressions inserted as the key. */
    List<String> values = List.of();
    /** SQL expressions compared with the key ({@code WHERE k = ...}). */
    List<String> lookups = List.of();
    /** Parameters bound to {@code k = ?} and {@code VALUES (?, ?)}. */
    List<Bind> binds = List.of();
    /** Raw values (as the type's input function reads them) loaded by COPY. */
    List<String> copy = List.of();
    String low;
    String high;
    /** The element type name for createArrayOf, and the elements (text forms). */
    String arrayType;
    List<String> arrayElements = List.of();
    /** A COLLATE clause for comparisons and ordering of string types. */
    String collate = "";
    /** TimeZones to repeat inserts and lookups under. */
    List<String> zones = List.of();
    List<String> zoneValues = List.of();
    List<String> zoneLookups = List.of();
    List<String> zoneCopy = List.of();

    Type(String name, String sqlType) {
      this.name = name;
      this.sqlType = sqlType;
    }

    String table() {
      return "dt_" + name;
    }

    Type values(String... v) {
      values = List.of(v);
      return this;
    }

    Type lookups(String... v) {
      lookups = List.of(v);
      return this;
    }

    Type binds(Bind... v) {
      binds = List.of(v);
      return this;
    }

    Type copy(String... v) {
      copy = List.of(v);
      return this;
    }

    Type range(String lo, String hi) {
      low = lo;
      high = hi;
      return this;
    }

    Type array(String type, String... elements) {
      arrayType = type;
      arrayElements = List.of(elements);
      return this;
    }

    Type collateC() {
      collate = C;
      return this;
    }

    Type zones(List<String> zoneNames, List<String> inserts, List<String> finds,
        List<String> copied) {
      zones = zoneNames;
      zoneValues = inserts;
      zoneLookups = finds;
      zoneCopy = copied;
      return this;
    }
  }

  private static final List<Type> TYPES = types();

  private static TwinServers twin;
  private static Connection basalt;
  private static Connection postgres;
  private static String timeZone = "UTC";

  private final List<String> mismatches = new ArrayList<>();
  private final List<String> refusals = new ArrayList<>();
  private final List<String> nullRefusals = new ArrayList<>();
  private static final Map<String, String> NOT_DISTRIBUTED = new LinkedHashMap<>();
  private int steps;
  private int same;

  @BeforeAll
  static void setUp() throws SQLException {
    List<String> create = new ArrayList<>();
    create.add("CREATE TYPE dt_mood AS ENUM ('sad', 'ok', 'happy')");
    create.add("CREATE DOMAIN dt_posint AS integer CHECK (VALUE > 0)");
    for (Type t : TYPES) {
      create.add("CREATE TABLE " + t.table() + " (k " + t.sqlType + ", v text)");
      create.add("CREATE TABLE " + t.table() + "_u (k " + t.sqlType + ", v text)");
      create.add("CREATE UNIQUE INDEX " + t.table() + "_u_k ON " + t.table() + "_u (k)");
      create.add("CREATE TABLE " + t.table() + "_src (k " + t.sqlType + ", v text)");
    }
    twin = TwinServers.open(drop(), create, List.of());
    basalt = twin.basalt;
    postgres = twin.postgres;
    for (Connection c : List.of(basalt, postgres)) {
      try (Statement s = c.createStatement()) {
        s.execute("SET TimeZone = 'UTC'");
      }
    }
    try (Statement s = basalt.createStatement()) {
      for (Type t : TYPES) {
        try {
          s.execute("SELECT create_distributed_table('" + t.table() + "', 'k', shard_count => "
              + SHARDS + ")");
          s.execute("SELECT create_distributed_table('" + t.table() + "_u', 'k', colocate_with => '"
              + t.table() + "')");
        } catch (SQLException e) {
          NOT_DISTRIBUTED.put(t.name, t.sqlType + ": " + e.getSQLState() + " "
              + oneLine(e.getMessage()));
        }
      }
    }
  }

  private static String drop() {
    StringBuilder tables = new StringBuilder();
    for (Type t : TYPES) {
      tables.append(tables.isEmpty() ? "" : ", ").append(t.table()).append(", ")
          .append(t.table()).append("_u, ").append(t.table()).append("_src");
    }
    return "DROP TABLE IF EXISTS " + tables + " CASCADE; DROP DOMAIN IF EXISTS dt_posint CASCADE;"
        + " DROP TYPE IF EXISTS dt_mood CASCADE";
  }

  @AfterAll
  static void tearDown() throws SQLException {
    if (twin != null) {
      twin.close();
    }
  }

  @Test
  void everyDistributionTypeGivesPostgresAnswers() {
    for (Type t : TYPES) {
      if (NOT_DISTRIBUTED.containsKey(t.name)) {
        System.out.println("== " + t.table() + " (" + t.sqlType + "): not distributed: "
            + NOT_DISTRIBUTED.get(t.name));
        continue;
      }
      int before = mismatches.size();
      System.out.println("== " + t.table() + " (" + t.sqlType + ")");
      exercise(t);
      System.out.println("== " + t.table() + ": " + (mismatches.size() - before) + " mismatches");
    }
    System.out.println("\nTypes Basalt refused to distribute by:");
    NOT_DISTRIBUTED.values().forEach(v -> System.out.println("  " + v));
    System.out.println("\nStatements Basalt refused with 0A000 (not run on PostgreSQL):");
    refusals.forEach(r -> System.out.println("  " + r));
    System.out.println("\nNULL distribution values refused (Citus's behaviour):");
    nullRefusals.forEach(r -> System.out.println("  " + r));
    System.out.printf("%nDistributionTypesDifferentialIT: %d steps, %d same, %d refused (0A000),"
        + " %d NULL keys refused; %d mismatches%n", steps, same, refusals.size(),
        nullRefusals.size(), mismatches.size());
    mismatches.forEach(System.out::println);
    assertEquals(List.of(), mismatches, "\n" + String.join("\n", mismatches));
  }

  // ------------------------------------------------------------------------------- the flow

  private void exercise(Type t) {
    String tb = t.table();
    String u = tb + "_u";
    String src = tb + "_src";
    // The local source table (pass-through on Basalt).
    for (int i = 0; i < t.values.size(); i++) {
      sql(src + " insert", "INSERT INTO " + src + " (k, v) VALUES (" + t.values.get(i) + ", 'src"
          + i + "')", false, false);
    }
    // Single-row INSERT of each literal.
    for (int i = 0; i < t.values.size(); i++) {
      String value = t.values.get(i);
      sql(tb, "INSERT INTO " + tb + " (k, v) VALUES (" + value + ", 'lit" + i + "')", false,
          isNull(value));
    }
    // Multi-row INSERT, each value paired with the next.
    for (int i = 0; i + 1 < t.values.size(); i++) {
      String a = t.values.get(i);
      String c = t.values.get(i + 1);
      sql(tb, "INSERT INTO " + tb + " (k, v) VALUES (" + a + ", 'multi" + i + "a'), (" + c
          + ", 'multi" + i + "b')", false, isNull(a) || isNull(c));
    }
    // Prepared INSERT with each setter.
    for (Bind bind : t.binds) {
      prepared(tb, "INSERT INTO " + tb + " (k, v) VALUES (?, ?)", false, bind.isNull(),
          List.of(bind, b("setString", (ps, i) -> ps.setString(i, "param " + bind.label()))));
    }
    // INSERT ... SELECT from the local table.
    sql(tb, "INSERT INTO " + tb + " (k, v) SELECT k, 'local ' || v FROM " + src
        + " WHERE k IS NOT NULL", false, false);
    // INSERT ... ON CONFLICT into the unique table, each value in turn.
    for (int i = 0; i < t.values.size(); i++) {
      String value = t.values.get(i);
      sql(u, "INSERT INTO " + u + " (k, v) VALUES (" + value + ", 'oc" + i + "')"
          + " ON CONFLICT (k) DO UPDATE SET v = 'conflict ' || EXCLUDED.v", false, isNull(value));
    }
    for (Bind bind : t.binds) {
      prepared(u, "INSERT INTO " + u + " (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE"
          + " SET v = 'conflict ' || EXCLUDED.v", false, bind.isNull(),
          List.of(bind, b("setString", (ps, i) -> ps.setString(i, "param " + bind.label()))));
    }
    // INSERT ... SELECT from the co-located distributed table.
    sql(tb, "INSERT INTO " + tb + " (k, v) SELECT k, 'dist ' || v FROM " + u, false, false);
    // COPY in text and csv.
    copyAll(t, tb, t.copy, "copy");
    contents(t, tb);
    contents(t, u);

    reads(t, t.lookups);
    audit(t, tb);
    audit(t, u);

    // UPDATE and DELETE by key.
    for (String lookup : t.lookups) {
      sql(tb, "UPDATE " + tb + " SET v = v || '+' WHERE k = " + lookup + " RETURNING k, v",
          false, false);
    }
    for (Bind bind : t.binds) {
      prepared(tb, "UPDATE " + tb + " SET v = v || '*' WHERE k = ?", false, false, List.of(bind));
    }
    for (int i = 0; i < t.lookups.size(); i += 2) {
      sql(u, "DELETE FROM " + u + " WHERE k = " + t.lookups.get(i) + " RETURNING k, v", false,
          false);
    }
    for (int i = 0; i < t.binds.size(); i += 2) {
      prepared(u, "DELETE FROM " + u + " WHERE k = ?", false, false, List.of(t.binds.get(i)));
    }
    contents(t, tb);
    contents(t, u);

    // The same again under other TimeZones.
    for (String zone : t.zones) {
      setTimeZone(zone);
      for (int i = 0; i < t.zoneValues.size(); i++) {
        String value = t.zoneValues.get(i);
        sql(tb, "INSERT INTO " + tb + " (k, v) VALUES (" + value + ", '" + zone + " lit" + i
            + "')", false, false);
        sql(u, "INSERT INTO " + u + " (k, v) VALUES (" + value + ", '" + zone + " oc" + i + "')"
            + " ON CONFLICT (k) DO UPDATE SET v = 'conflict ' || EXCLUDED.v", false, false);
      }
      sql(tb, "INSERT INTO " + tb + " (k, v) SELECT k, '" + zone + " dist ' || v FROM " + u,
          false, false);
      copyAll(t, tb, t.zoneCopy, zone + " copy");
      List<String> lookups = new ArrayList<>(t.lookups);
      lookups.addAll(t.zoneLookups);
      reads(t, lookups);
      audit(t, tb);
      contents(t, tb);
      contents(t, u);
    }
    if (!t.zones.isEmpty()) {
      setTimeZone("UTC");
    }
  }

  private void reads(Type t, List<String> lookups) {
    String tb = t.table();
    String u = tb + "_u";
    for (String lookup : lookups) {
      sql(tb, "SELECT k, v FROM " + tb + " WHERE k = " + lookup, false, false);
      sql(u, "SELECT k, v FROM " + u + " WHERE k = " + lookup, false, false);
    }
    for (Bind bind : t.binds) {
      prepared(tb, "SELECT k, v FROM " + tb + " WHERE k = ?", false, false, List.of(bind));
      prepared(u, "SELECT k, v FROM " + u + " WHERE k = ?", false, false, List.of(bind));
    }
    for (int i = 0; i + 1 < lookups.size(); i++) {
      sql(tb, "SELECT k, v FROM " + tb + " WHERE k IN (" + lookups.get(i) + ", "
          + lookups.get(i + 1) + ")", false, false);
    }
    if (t.arrayType != null) {
      prepared(tb, "SELECT k, v FROM " + tb + " WHERE k = ANY(?)", false, false, List.of(
          b("createArrayOf(" + t.arrayType + ", " + t.arrayElements + ")",
              (ps, i) -> ps.setArray(i, ps.getConnection().createArrayOf(t.arrayType,
                  t.arrayElements.toArray(new String[0]))))));
    }
    if (t.low != null) {
      sql(tb, "SELECT k, v FROM " + tb + " WHERE k" + t.collate + " BETWEEN " + t.low + " AND "
          + t.high, false, false);
      sql(tb, "SELECT k, v FROM " + tb + " WHERE k" + t.collate + " > " + t.low, false, false);
    }
    sql(tb, "SELECT count(*), min(v" + C + "), max(v" + C + ") FROM " + tb + " GROUP BY k", false,
        false);
    sql(tb, "SELECT count(DISTINCT k), count(k), count(*) FROM " + tb, false, false);
    sql(tb, "SELECT a.k, a.v, b.v FROM " + tb + " a JOIN " + u + " b ON a.k = b.k", false, false);
    if (!lookups.isEmpty()) {
      sql(tb, "SELECT a.k, a.v, b.v FROM " + tb + " a JOIN " + u + " b ON a.k = b.k WHERE a.k = "
          + lookups.get(0), false, false);
    }
    sql(tb, "SELECT k, v FROM " + tb + " ORDER BY k" + t.collate + ", v" + C + ", k::text" + C,
        true, false);
  }

  /**
   * Every distinct stored value, in PostgreSQL's text output, looked up by a routed equality with
   * a literal and with an untyped parameter: each must find exactly PostgreSQL's rows.
   */
  private void audit(Type t, String table) {
    List<String> keys = new ArrayList<>();
    try (Statement s = postgres.createStatement();
        ResultSet rs = s.executeQuery("SELECT DISTINCT k::text FROM " + table
            + " WHERE k IS NOT NULL")) {
      while (rs.next()) {
        keys.add(rs.getString(1));
      }
    } catch (SQLException e) {
      mismatches.add("audit of " + table + " failed on PostgreSQL: " + e.getMessage());
      return;
    }
    Collections.sort(keys);
    for (String key : keys) {
      sql(table + " audit", "SELECT k, v FROM " + table + " WHERE k = '" + key.replace("'", "''")
          + "'", false, false);
      prepared(table + " audit", "SELECT k, v FROM " + table + " WHERE k = ?", false, false,
          List.of(b("setObject(\"" + key + "\", OTHER)",
              (ps, i) -> ps.setObject(i, key, Types.OTHER))));
    }
  }

  private void copyAll(Type t, String table, List<String> values, String tag) {
    if (values.isEmpty()) {
      return;
    }
    StringBuilder text = new StringBuilder();
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      String v = values.get(i);
      text.append(v.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n"))
          .append('\t').append(tag).append(" text").append(i).append('\n');
      csv.append('"').append(v.replace("\"", "\"\"")).append("\",").append(tag).append(" csv")
          .append(i).append('\n');
    }
    copy(table, "COPY " + table + " (k, v) FROM STDIN", text.toString(), false);
    copy(table, "COPY " + table + " (k, v) FROM STDIN (FORMAT csv)", csv.toString(), false);
    copy(table, "COPY " + table + " (k, v) FROM STDIN", "\\N\t" + tag + " null\n", true);
  }

  private void contents(Type t, String table) {
    String query = "SELECT k, v FROM " + table;
    List<String> want = rowsOf(postgres, query);
    List<String> got = rowsOf(basalt, query);
    steps++;
    if (want.equals(got)) {
      same++;
      System.out.println("  contents of " + table + ": same (" + want.size() + " rows)");
      return;
    }
    List<String> missing = new ArrayList<>(want);
    got.forEach(missing::remove);
    List<String> extra = new ArrayList<>(got);
    want.forEach(extra::remove);
    String m = "contents of " + table + " (" + t.sqlType + "): Basalt has " + got.size()
        + " rows, PostgreSQL " + want.size() + "; missing on Basalt " + missing
        + "; unexpected on Basalt " + extra;
    System.out.println("  DIFFERENT " + m);
    mismatches.add(m);
  }

  private static List<String> rowsOf(Connection c, String query) {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
      List<String> rows = TwinServers.rows(rs, new ArrayList<>(), true);
      Collections.sort(rows);
      return rows;
    } catch (SQLException e) {
      return List.of("error " + e.getSQLState() + " " + oneLine(e.getMessage()));
    }
  }

  private void setTimeZone(String zone) {
    timeZone = zone;
    sql("session", "SET TimeZone = '" + zone + "'", false, false);
  }

  // ------------------------------------------------------------------------------- steps

  interface Action {
    Outcome run(Connection c, boolean ordered);
  }

  private void sql(String table, String sql, boolean ordered, boolean nullKey) {
    step(table, sql, ordered, nullKey, (c, o) -> runSql(c, sql, o));
  }

  private void prepared(String table, String sql, boolean ordered, boolean nullKey,
      List<Bind> binds) {
    List<String> labels = binds.stream().map(Bind::label).toList();
    step(table, sql + "  " + labels, ordered, nullKey, (c, o) -> runPrepared(c, sql, binds, o));
  }

  private void copy(String table, String sql, String data, boolean nullKey) {
    step(table, sql + "  <<" + data.replace("\n", "\\n") + ">>", false, nullKey,
        (c, o) -> runCopy(c, sql, data));
  }

  /**
   * Runs a step on Basalt, then (unless Basalt refused it as documented) on PostgreSQL, and
   * compares the outcomes.
   */
  private void step(String table, String label, boolean ordered, boolean nullKey, Action a) {
    steps++;
    Outcome actual = a.run(basalt, ordered);
    if (actual.sqlState() != null
        && (actual.sqlState().startsWith("client") || actual.sqlState().startsWith("08"))) {
      reconnect();
    }
    if ("0A000".equals(actual.sqlState())) {
      refusals.add(label + " -> " + actual);
      System.out.println("  refused: " + label + "\n      Basalt " + actual);
      return;
    }
    if (nullKey && ("23502".equals(actual.sqlState()) || "22004".equals(actual.sqlState()))) {
      nullRefusals.add(label + " -> " + actual);
      System.out.println("  NULL key refused: " + label + "\n      Basalt " + actual);
      return;
    }
    Outcome expected = a.run(postgres, ordered);
    boolean equal = expected.equals(actual);
    System.out.println("  " + (equal ? "same" : "DIFFERENT") + ": " + label + "\n      PostgreSQL "
        + expected.brief() + (equal ? "" : "\n      Basalt     " + actual.brief()));
    if (equal) {
      same++;
    } else {
      mismatches.add(label + "\n    expected (PostgreSQL): " + expected
          + "\n    actual (Basalt):       " + actual);
    }
  }

  private static void reconnect() {
    try {
      basalt.close();
    } catch (SQLException e) {
      // Broken already.
    }
    try {
      basalt = TestBasalt.connect();
      try (Statement s = basalt.createStatement()) {
        s.execute("SET TimeZone = '" + timeZone + "'");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot reconnect to Basalt", e);
    }
  }

  private static Outcome runSql(Connection c, String sql, boolean ordered) {
    try (Statement s = c.createStatement()) {
      s.setEscapeProcessing(false);
      s.setQueryTimeout(TIMEOUT_SECONDS);
      if (s.execute(sql)) {
        return result(s.getResultSet(), ordered);
      }
      return new Outcome(null, s.getLargeUpdateCount(), null, null);
    } catch (SQLException e) {
      return failed(e);
    } catch (RuntimeException e) {
      return new Outcome("client " + e, -1, null, null);
    }
  }

  private static Outcome runPrepared(Connection c, String sql, List<Bind> binds,
      boolean ordered) {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setQueryTimeout(TIMEOUT_SECONDS);
      for (int i = 0; i < binds.size(); i++) {
        binds.get(i).binder().bind(ps, i + 1);
      }
      if (ps.execute()) {
        return result(ps.getResultSet(), ordered);
      }
      return new Outcome(null, ps.getLargeUpdateCount(), null, null);
    } catch (SQLException e) {
      return failed(e);
    } catch (RuntimeException e) {
      return new Outcome("client " + e, -1, null, null);
    }
  }

  private static Outcome runCopy(Connection c, String sql, String data) {
    try {
      long n = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, new StringReader(data));
      return new Outcome(null, n, null, null);
    } catch (SQLException e) {
      return failed(e);
    } catch (IOException | RuntimeException e) {
      return new Outcome("client " + e, -1, null, null);
    }
  }

  private static Outcome result(ResultSet rs, boolean ordered) throws SQLException {
    try (rs) {
      List<String> labels = new ArrayList<>();
      List<String> rows = TwinServers.rows(rs, labels, true);
      if (!ordered) {
        Collections.sort(rows);
      }
      return new Outcome(null, -1, labels, rows);
    }
  }

  private static Outcome failed(SQLException e) {
    return new Outcome(Objects.requireNonNullElse(e.getSQLState(), "?????"), -1, null, null,
        oneLine(e.getMessage()));
  }

  private static boolean isNull(String sql) {
    return sql.equalsIgnoreCase("NULL");
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.strip().replaceAll("\\s*\n\\s*", " ");
  }

  // ------------------------------------------------------------------------------- the types

  private static List<Type> types() {
    List<Type> types = new ArrayList<>();
    types.add(new Type("int2", "smallint")
        .values("1", "'1'", "' 2 '", "-1", "0", "32767", "-32768", "3::int8", "2.5", "4::numeric",
            "NULL")
        .lookups("1", "'1'", "1::int8", "1::numeric", "1.0", "'  1  '", "01", "-1", "3", "3.0",
            "2.5::int", "32767", "32768", "-32768", "NULL")
        .binds(b("setShort(1)", (ps, i) -> ps.setShort(i, (short) 1)),
            b("setInt(2)", (ps, i) -> ps.setInt(i, 2)),
            b("setLong(3)", (ps, i) -> ps.setLong(i, 3L)),
            b("setBigDecimal(1.0)", (ps, i) -> ps.setBigDecimal(i, new BigDecimal("1.0"))),
            b("setDouble(2.0)", (ps, i) -> ps.setDouble(i, 2.0)),
            b("setString(\"1\")", (ps, i) -> ps.setString(i, "1")),
            b("setObject(\" 3 \", OTHER)", (ps, i) -> ps.setObject(i, " 3 ", Types.OTHER)),
            b("setNull(SMALLINT)", (ps, i) -> ps.setNull(i, Types.SMALLINT)))
        .copy("1", " 2", "-0", "00007", "32767")
        .range("-1", "3")
        .array("int2", "1", "2", "32767"));
    types.add(new Type("int4", "integer")
        .values("1", "'1'", "-1", "0", "2147483647", "-2147483648", "3::int8", "2.5", "'00042'",
            "NULL")
        .lookups("1", "'1'", "1::int8", "1.0", "1::numeric", "-1", "2147483647",
            "2147483647::int8", "2147483648", "-2147483648", "42", "3", "2.5::int", "NULL")
        .binds(b("setInt(1)", (ps, i) -> ps.setInt(i, 1)),
            b("setShort(2)", (ps, i) -> ps.setShort(i, (short) 2)),
            b("setLong(2147483647)", (ps, i) -> ps.setLong(i, 2147483647L)),
            b("setLong(2147483648)", (ps, i) -> ps.setLong(i, 2147483648L)),
            b("setBigDecimal(42)", (ps, i) -> ps.setBigDecimal(i, new BigDecimal("42"))),
            b("setBigDecimal(1.0)", (ps, i) -> ps.setBigDecimal(i, new BigDecimal("1.0"))),
            b("setObject(\"-1\", OTHER)", (ps, i) -> ps.setObject(i, "-1", Types.OTHER)),
            b("setNull(INTEGER)", (ps, i) -> ps.setNull(i, Types.INTEGER)))
        .copy("1", "-2147483648", " 42", "+5")
        .range("0", "100")
        .array("int4", "1", "42", "-2147483648"));
    types.add(new Type("int8", "bigint")
        .values("1", "-1", "9223372036854775807", "-9223372036854775808", "4294967296",
            "2147483648", "'42'", "2.5", "NULL")
        .lookups("1", "1.0", "1::int2", "'1'", "4294967296", "'4294967296'",
            "-9223372036854775808", "9223372036854775807", "9223372036854775808", "42::numeric",
            "2147483648", "3", "NULL")
        .binds(b("setLong(1)", (ps, i) -> ps.setLong(i, 1L)),
            b("setInt(42)", (ps, i) -> ps.setInt(i, 42)),
            b("setLong(4294967296)", (ps, i) -> ps.setLong(i, 4294967296L)),
            b("setLong(MIN)", (ps, i) -> ps.setLong(i, Long.MIN_VALUE)),
            b("setBigDecimal(2147483648)",
                (ps, i) -> ps.setBigDecimal(i, new BigDecimal("2147483648"))),
            b("setObject(\"9223372036854775807\", OTHER)",
                (ps, i) -> ps.setObject(i, "9223372036854775807", Types.OTHER)),
            b("setNull(BIGINT)", (ps, i) -> ps.setNull(i, Types.BIGINT)))
        .copy("1", "4294967296", "-9223372036854775808", " 77 ")
        .range("0", "4294967296")
        .array("int8", "1", "4294967296", "9223372036854775807"));
    types.add(new Type("num", "numeric")
        .values("1", "1.0", "1.00", "-0", "0.000", "1e3", "1000", "-1", "'NaN'", "'Infinity'",
            "'-Infinity'", "0.1", "123456789012345678901234567890.1234567890", "1.4::int",
            "'1.6'::numeric(2,0)", "'1E-5'", "NULL")
        .lookups("1", "1.0", "1.000", "'1.0'", "1::int", "1::int8", "1e0", "10e-1", "0", "-0",
            "0.0", "'-0.00'", "'NaN'", "'nan'", "'Infinity'", "'-inf'", "1000", "1e3", "1.0e3",
            "1.4::int", "2.4::int", "'1.00000000000000001'::float8", "1::float8", "-1",
            "0.00001", "0.1", "123456789012345678901234567890.123456789", "NULL")
        .binds(b("setBigDecimal(1.0)", (ps, i) -> ps.setBigDecimal(i, new BigDecimal("1.0"))),
            b("setBigDecimal(1E+3)", (ps, i) -> ps.setBigDecimal(i, new BigDecimal("1E+3"))),
            b("setBigDecimal(-0.000)", (ps, i) -> ps.setBigDecimal(i, new BigDecimal("-0.000"))),
            b("setBigDecimal(1E-5)", (ps, i) -> ps.setBigDecimal(i, new BigDecimal("1E-5"))),
            b("setInt(1)", (ps, i) -> ps.setInt(i, 1)),
            b("setLong(1000)", (ps, i) -> ps.setLong(i, 1000L)),
            b("setDouble(0.1)", (ps, i) -> ps.setDouble(i, 0.1)),
            b("setObject(\"NaN\", OTHER)", (ps, i) -> ps.setObject(i, "NaN", Types.OTHER)),
            b("setObject(\"1.000\", OTHER)", (ps, i) -> ps.setObject(i, "1.000", Types.OTHER)),
            b("setString(\"1\")", (ps, i) -> ps.setString(i, "1")),
            b("setNull(NUMERIC)", (ps, i) -> ps.setNull(i, Types.NUMERIC)))
        .copy("1.0", "1.000", "-0", "NaN", "1e3", "+1", " 7 ", "Infinity")
        .range("0", "1000")
        .array("numeric", "1.0", "1000", "NaN", "0"));
    types.add(new Type("num2", "numeric(10,2)")
        .values("1.005", "1.01", "2.999", "3", "'4.444'", "0.001", "-0.004", "5.5::int")
        .lookups("1.01", "1.005", "3", "3.00", "0", "4.44", "'4.444'", "6", "1.01::float8")
        .binds(b("setBigDecimal(1.005)", (ps, i) -> ps.setBigDecimal(i, new BigDecimal("1.005"))),
            b("setBigDecimal(3)", (ps, i) -> ps.setBigDecimal(i, new BigDecimal("3"))),
            b("setObject(\"2.999\", OTHER)", (ps, i) -> ps.setObject(i, "2.999", Types.OTHER)),
            b("setDouble(4.444)", (ps, i) -> ps.setDouble(i, 4.444)))
        .copy("1.005", "2.999", "7.777")
        .range("1", "3")
        .array("numeric", "1.01", "3"));
    types.add(new Type("text", "text")
        .values("'abc'", "'abc '", "' abc'", "''", "'héllo'", "'日本語'", "'😀'", "'it''s'",
            "'ab   '::char(5)", "'ab'::char(5)", "E'tab\\there'", "U&'\\0041BC'", "12::text",
            "1e3::text", "1.50::text", "'con'\n'cat'", "$$dollar$$", "NULL")
        .lookups("'abc'", "'abc '", "'abc'::varchar", "'abc  '::char(5)", "'abc'::char(3)", "''",
            "'héllo'", "'😀'", "'ab'", "'ab   '::char(5)", "E'tab\\there'", "'tab\\there'",
            "'ABC'", "U&'\\0041BC'", "'1000'", "1e3::text", "'12'", "'1.50'", "'concat'",
            "'con'\n'cat'", "$$dollar$$", "'dollar'", "NULL")
        .binds(b("setString(\"abc\")", (ps, i) -> ps.setString(i, "abc")),
            b("setString(\"abc \")", (ps, i) -> ps.setString(i, "abc ")),
            b("setString(\"\")", (ps, i) -> ps.setString(i, "")),
            b("setString(\"日本語\")", (ps, i) -> ps.setString(i, "日本語")),
            b("setObject(\"ab   \", CHAR)", (ps, i) -> ps.setObject(i, "ab   ", Types.CHAR)),
            b("setObject(\"😀\", OTHER)", (ps, i) -> ps.setObject(i, "😀", Types.OTHER)),
            b("setNull(VARCHAR)", (ps, i) -> ps.setNull(i, Types.VARCHAR)))
        .copy("abc", "abc  ", "tab\there", "日本語", "", "back\\slash")
        .range("'a'", "'b'")
        .array("text", "abc", "", "日本語", "ab")
        .collateC());
    types.add(new Type("vc", "varchar(10)")
        .values("'abc'", "'abc '", "'abcdefghij'", "'abcdefghij   '", "'abcdefghijkl'::varchar(10)",
            "''", "'abc'::char(5)", "'klmnopqrst '", "NULL")
        .lookups("'abcdefghij'", "'abcdefghij   '", "'abcdefghijkl'::varchar(10)", "'abc'",
            "'abc '", "'abc'::text", "'abc   '::char(6)", "''", "'klmnopqrst'")
        .binds(b("setString(\"abc\")", (ps, i) -> ps.setString(i, "abc")),
            b("setString(\"abcdefghij   \")", (ps, i) -> ps.setString(i, "abcdefghij   ")),
            b("setString(\"uvwxyzabcd  \")", (ps, i) -> ps.setString(i, "uvwxyzabcd  ")),
            b("setObject(\"abc\", OTHER)", (ps, i) -> ps.setObject(i, "abc", Types.OTHER)))
        .copy("abc", "abcdefghij    ", "zyxwvutsrq ")
        .range("'a'", "'b'")
        .array("varchar", "abc", "abcdefghij", "uvwxyzabcd")
        .collateC());
    types.add(new Type("bpchar", "char(5)")
        .values("'ab'", "'ab   '", "'ab '", "''", "'abcde'", "'abcde   '", "'a b'", "' ab'",
            "'ab'::text", "'xy  '::text", "NULL")
        .lookups("'ab'", "'ab   '", "'ab'::text", "'ab  '::text", "'ab'::varchar", "''", "' '",
            "'abcde'", "'abcde   '", "' ab'", "'a b'", "'xy'", "'xy'::text")
        .binds(b("setString(\"ab\")", (ps, i) -> ps.setString(i, "ab")),
            b("setString(\"ab   \")", (ps, i) -> ps.setString(i, "ab   ")),
            b("setObject(\"ab \", OTHER)", (ps, i) -> ps.setObject(i, "ab ", Types.OTHER)),
            b("setObject(\"xy\", CHAR)", (ps, i) -> ps.setObject(i, "xy", Types.CHAR)))
        .copy("ab", "ab   ", "abcde  ", "  ")
        .range("'a'", "'b'")
        .array("bpchar", "ab", "abcde", "")
        .collateC());
    types.add(new Type("uuid", "uuid")
        .values("'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", "'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'",
            "'{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12}'", "'a0eebc999c0b4ef8bb6d6bb9bd380a13'",
            "'a0eebc99-9c0b4ef8-bb6d6bb9-bd380a14'", "'00000000-0000-0000-0000-000000000000'",
            "NULL")
        .lookups("'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", "'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'",
            "'{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}'", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12'",
            "'A0EEBC999C0B4EF8BB6D6BB9BD380A13'", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a14'",
            "'00000000000000000000000000000000'", "NULL")
        .binds(b("setObject(UUID a11)", (ps, i) -> ps.setObject(i,
                UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"))),
            b("setObject(\"A0EE...A12\", OTHER)", (ps, i) -> ps.setObject(i,
                "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A12", Types.OTHER)),
            b("setString(\"a0ee...a13\")", (ps, i) -> ps.setString(i,
                "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a13")),
            b("setObject(UUID a15)", (ps, i) -> ps.setObject(i,
                UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a15"))))
        .copy("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A12", "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a16}")
        .range("'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a13'")
        .array("uuid", "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
            "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a14"));
    types.add(new Type("date", "date")
        .values("'2024-01-01'", "'2024-02-29'", "'infinity'", "'-infinity'", "'20240301'",
            "'Jan 5, 2024'", "'2024-01-06'::timestamp", "'2024-01-07 23:59:59'::timestamp",
            "'0044-03-15 BC'", "NULL")
        .lookups("'2024-01-01'", "'2024-01-01'::timestamp", "'2024-01-01 00:00:00'::timestamp",
            "'2024-01-01 12:00:00'::timestamp", "'2024-01-01 00:00:00+00'::timestamptz",
            "'20240101'", "'infinity'", "'2024-01-01'::date", "'Jan 1, 2024'", "'2024-02-29'",
            "'2024-01-07'", "'2024-01-05'", "'0044-03-15 BC'", "NULL")
        .binds(b("setObject(LocalDate 2024-01-01)",
                (ps, i) -> ps.setObject(i, LocalDate.of(2024, 1, 1))),
            b("setDate(2024-02-29)", (ps, i) -> ps.setDate(i, java.sql.Date.valueOf("2024-02-29"))),
            b("setObject(\"infinity\", OTHER)",
                (ps, i) -> ps.setObject(i, "infinity", Types.OTHER)),
            b("setObject(LocalDate.MAX)", (ps, i) -> ps.setObject(i, LocalDate.MAX)),
            b("setObject(\"2024-03-01\", OTHER)",
                (ps, i) -> ps.setObject(i, "2024-03-01", Types.OTHER)))
        .copy("2024-01-01", "infinity", "2024-1-8", "Jan 9, 2024")
        .range("'2024-01-01'", "'2024-02-01'")
        .array("date", "2024-01-01", "infinity", "2024-01-07"));
    List<String> zones = List.of("Asia/Tokyo", "America/New_York");
    types.add(new Type("ts", "timestamp")
        .values("'2024-01-01 00:00:00'", "'2024-01-01 00:00'", "'2024-01-01T00:00:01'",
            "'2024-01-01 00:00:02.5'", "'2024-01-01 09:00:00+09'", "'infinity'",
            "'2024-01-01 24:00:00'", "'2024-01-01 00:00:03.1234567'", "'2024-01-05'::date",
            "'2024-01-01 00:00:04+00'::timestamptz", "NULL")
        .lookups("'2024-01-01 00:00:00'", "'2024-01-01 00:00'", "'2024-01-01T00:00:00'",
            "'2024-01-01'", "'2024-01-01'::date", "'2024-01-02 00:00:00'", "'2024-01-01 09:00:00'",
            "'2024-01-01 09:00:00+09'", "'2024-01-01 00:00:02.500'",
            "'2024-01-01 00:00:03.123457'", "'infinity'", "'2024-01-01 00:00:00+00'::timestamptz",
            "'2024-01-01 09:00:00'::timestamptz", "'2024-01-01 00:00:04'", "NULL")
        .binds(b("setObject(LocalDateTime 2024-01-01T00:00)",
                (ps, i) -> ps.setObject(i, LocalDateTime.of(2024, 1, 1, 0, 0))),
            b("setTimestamp(2024-01-01 09:00:00)",
                (ps, i) -> ps.setTimestamp(i, Timestamp.valueOf("2024-01-01 09:00:00"))),
            b("setObject(\"2024-01-01 00:00:02.5\", OTHER)",
                (ps, i) -> ps.setObject(i, "2024-01-01 00:00:02.5", Types.OTHER)),
            b("setObject(OffsetDateTime 2024-01-01T00:00+09)", (ps, i) -> ps.setObject(i,
                OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHours(9)))))
        .copy("2024-01-01 00:00:00", "2024-01-01 09:00:00+09", "2024-01-01T00:00:06",
            "2024-01-01 00:00:07.0000004")
        .range("'2024-01-01'", "'2024-01-01 12:00'")
        .array("timestamp", "2024-01-01 00:00:00", "2024-01-01 09:00:00")
        .zones(zones, List.of("'2024-01-02 00:00:00'", "'2024-01-02 12:00:00+00'::timestamptz"),
            List.of("'2024-01-02 00:00:00'", "'2024-01-02 12:00:00'",
                "'2024-01-02 12:00:00+00'::timestamptz", "'2024-01-02 21:00:00'"),
            List.of("2024-01-02 01:00:00")));
    types.add(new Type("ts0", "timestamp(0)")
        .values("'2024-01-01 00:00:00.6'", "'2024-01-01 00:00:01'", "'2024-01-01 00:00:02.4'",
            "'2024-01-01 00:00:03.5'")
        .lookups("'2024-01-01 00:00:01'", "'2024-01-01 00:00:02'", "'2024-01-01 00:00:00.6'",
            "'2024-01-01 00:00:04'")
        .binds(b("setObject(LocalDateTime ...00:00:00.6)",
                (ps, i) -> ps.setObject(i, LocalDateTime.of(2024, 1, 1, 0, 0, 0, 600_000_000))),
            b("setObject(\"2024-01-01 00:00:01\", OTHER)",
                (ps, i) -> ps.setObject(i, "2024-01-01 00:00:01", Types.OTHER)))
        .copy("2024-01-01 00:00:05.7")
        .array("timestamp", "2024-01-01 00:00:01", "2024-01-01 00:00:06"));
    types.add(new Type("tstz", "timestamptz")
        .values("'2024-01-01 00:00:00+00'", "'2024-01-01 09:00:00+09'", "'2023-12-31 19:00:00-05'",
            "'2024-01-01 00:00+00'", "'2024-01-01T00:00:00Z'", "'2024-01-01 01:00:00'",
            "'2024-01-01 10:00:00+09'::timestamp", "'2024-01-01 02:00:00+0000'", "'infinity'",
            "'2024-01-01 03:00:00.5+05:30'", "'2024-01-01'::date", "NULL")
        .lookups("'2024-01-01 00:00:00+00'", "'2024-01-01 09:00:00+09'", "'2024-01-01 00:00:00'",
            "'2024-01-01 00:00:00Z'", "'2024-01-01 00:00:00+00:00'", "'2024-01-01 10:00:00+00'",
            "'2024-01-01 10:00:00+09'::timestamp", "'2024-01-01 10:00:00'::timestamp",
            "'2024-01-01 01:00:00+00'", "'2024-01-01 02:00:00+00'",
            "'2023-12-31 21:30:00.5+00'", "'infinity'", "'2024-01-01'::date", "NULL")
        .binds(b("setObject(OffsetDateTime 2024-01-01T09:00+09)", (ps, i) -> ps.setObject(i,
                OffsetDateTime.of(2024, 1, 1, 9, 0, 0, 0, ZoneOffset.ofHours(9)))),
            b("setTimestamp(Instant 2024-01-01T00:00Z)", (ps, i) -> ps.setTimestamp(i,
                Timestamp.from(Instant.parse("2024-01-01T00:00:00Z")))),
            b("setObject(\"2024-01-01 09:00:00+09\", OTHER)",
                (ps, i) -> ps.setObject(i, "2024-01-01 09:00:00+09", Types.OTHER)),
            b("setObject(LocalDateTime 2024-01-01T10:00)",
                (ps, i) -> ps.setObject(i, LocalDateTime.of(2024, 1, 1, 10, 0))),
            b("setNull(TIMESTAMP_WITH_TIMEZONE)",
                (ps, i) -> ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE)))
        .copy("2024-01-01 09:00:00+09", "2024-01-01 00:00:00Z", "2024-01-01 05:00:00",
            "2024-01-01 06:00:00+00")
        .range("'2024-01-01 00:00:00+00'", "'2024-01-01 05:00:00+00'")
        .array("timestamptz", "2024-01-01 00:00:00+00", "2024-01-01 10:00:00+00")
        .zones(zones, List.of("'2024-01-02 00:00:00'", "'2024-01-02 09:00:00+09'",
                "'2024-01-02 12:00:00+00'::timestamp"),
            List.of("'2024-01-02 00:00:00'", "'2024-01-02 00:00:00+00'", "'2024-01-02 03:00:00+00'",
                "'2024-01-02 12:00:00'", "'2024-01-02 12:00:00+00'::timestamp",
                "'2024-01-02 12:00:00+00'"),
            List.of("2024-01-02 05:00:00", "2024-01-02 05:00:00+00")));
    types.add(new Type("time", "time")
        .values("'10:00'", "'10:00:00'", "'10:00:00.000001'", "'24:00'", "'00:00'", "NULL")
        .lookups("'10:00'", "'10:00:00.000'", "'24:00:00'", "'00:00:00'", "'10:00:00.000001'")
        .binds(b("setObject(LocalTime 10:00)", (ps, i) -> ps.setObject(i, LocalTime.of(10, 0))),
            b("setTime(10:00:00)", (ps, i) -> ps.setTime(i, java.sql.Time.valueOf("10:00:00"))),
            b("setObject(\"24:00\", OTHER)", (ps, i) -> ps.setObject(i, "24:00", Types.OTHER)))
        .copy("10:00", "11:00:00.5")
        .range("'09:00'", "'11:00'")
        .array("time", "10:00", "24:00"));
    types.add(new Type("intv", "interval")
        .values("'1 day'", "'24 hours'", "'1440 minutes'", "'1 mon'", "'30 days'", "'P1D'",
            "'-1 day'", "'1 day -24 hours'", "NULL")
        .lookups("'1 day'", "'24 hours'", "'86400 seconds'", "'1 mon'", "'720 hours'", "'0'",
            "'P30D'", "'-24:00:00'")
        .binds(b("setObject(PGInterval 1 day)",
                (ps, i) -> ps.setObject(i, new PGInterval("1 day"))),
            b("setObject(\"24 hours\", OTHER)",
                (ps, i) -> ps.setObject(i, "24 hours", Types.OTHER)),
            b("setObject(\"1 mon\", OTHER)", (ps, i) -> ps.setObject(i, "1 mon", Types.OTHER)))
        .copy("1 day", "86400 seconds", "2 days")
        .range("'0'", "'2 days'")
        .array("interval", "24 hours", "30 days"));
    types.add(new Type("bool", "boolean")
        .values("true", "false", "'t'", "'yes'", "'off'", "'1'", "1::boolean", "NULL")
        .lookups("true", "false", "'t'", "'on'", "'0'", "'TRUE'", "'y'", "1::boolean", "'of'",
            "NULL")
        .binds(b("setBoolean(true)", (ps, i) -> ps.setBoolean(i, true)),
            b("setBoolean(false)", (ps, i) -> ps.setBoolean(i, false)),
            b("setObject(\"yes\", OTHER)", (ps, i) -> ps.setObject(i, "yes", Types.OTHER)),
            b("setInt(1)", (ps, i) -> ps.setInt(i, 1)),
            b("setString(\"t\")", (ps, i) -> ps.setString(i, "t")))
        .copy("t", "FALSE", "1", "no")
        .range("false", "true")
        .array("bool", "true"));
    types.add(new Type("bytea", "bytea")
        .values("'\\x00ff'", "'\\x00FF'", "'\\000\\377'", "''", "'abc'", "'\\x616263'",
            "E'\\\\x0102'", "'\\\\'", "NULL")
        .lookups("'\\x00ff'", "'\\x00FF'", "'\\000\\377'", "'\\x'", "''", "'abc'", "'\\x616263'",
            "E'\\\\x00ff'", "'\\x0102'", "'\\x5c'", "'\\\\'", "'\\x 00 ff'")
        .binds(b("setBytes(00ff)", (ps, i) -> ps.setBytes(i, new byte[] {0, (byte) 0xff})),
            b("setObject(\"\\x00FF\", OTHER)", (ps, i) -> ps.setObject(i, "\\x00FF", Types.OTHER)),
            b("setBytes(empty)", (ps, i) -> ps.setBytes(i, new byte[0])),
            b("setBytes(616263)", (ps, i) -> ps.setBytes(i, new byte[] {0x61, 0x62, 0x63})))
        .copy("\\x00ff", "abc", "\\x0102", "\\000")
        .range("'\\x00'", "'\\x61'")
        .array("bytea", "\\x00ff", "abc"));
    types.add(new Type("float4", "real")
        .values("0", "'-0'", "'NaN'", "'Infinity'", "'-Infinity'", "1.1", "0.1", "'1e-45'",
            "3.4e38", "16777217", "NULL")
        .lookups("0", "'-0'", "-0.0", "'NaN'", "'nan'", "'Infinity'", "'inf'", "1.1", "'1.1'",
            "1.1::real", "0.1", "'0.1'", "16777216", "16777217", "'16777217'", "'1.4e-45'")
        .binds(b("setFloat(0)", (ps, i) -> ps.setFloat(i, 0f)),
            b("setFloat(-0)", (ps, i) -> ps.setFloat(i, -0f)),
            b("setFloat(NaN)", (ps, i) -> ps.setFloat(i, Float.NaN)),
            b("setFloat(1.1)", (ps, i) -> ps.setFloat(i, 1.1f)),
            b("setDouble(1.1)", (ps, i) -> ps.setDouble(i, 1.1)),
            b("setDouble(0.5)", (ps, i) -> ps.setDouble(i, 0.5)),
            b("setObject(\"-0\", OTHER)", (ps, i) -> ps.setObject(i, "-0", Types.OTHER)),
            b("setNull(REAL)", (ps, i) -> ps.setNull(i, Types.REAL)))
        .copy("-0", "NaN", "1.1", "Infinity", "0.5")
        .range("0", "2")
        .array("float4", "0", "NaN", "1.1"));
    types.add(new Type("float8", "double precision")
        .values("0", "'-0'", "-0.0", "'NaN'", "'Infinity'", "0.1", "0.1::real", "1e308",
            "'4.9e-324'", "1", "NULL")
        .lookups("0", "'-0'", "'NaN'", "'Infinity'", "0.1", "0.1::real", "'0.10000000149011612'",
            "1", "1.0", "1::int", "'1e0'", "1e0", "1e308", "'5e-324'")
        .binds(b("setDouble(0)", (ps, i) -> ps.setDouble(i, 0.0)),
            b("setDouble(-0)", (ps, i) -> ps.setDouble(i, -0.0)),
            b("setDouble(NaN)", (ps, i) -> ps.setDouble(i, Double.NaN)),
            b("setDouble(Infinity)", (ps, i) -> ps.setDouble(i, Double.POSITIVE_INFINITY)),
            b("setDouble(0.1)", (ps, i) -> ps.setDouble(i, 0.1)),
            b("setFloat(0.1)", (ps, i) -> ps.setFloat(i, 0.1f)),
            b("setInt(1)", (ps, i) -> ps.setInt(i, 1)),
            b("setBigDecimal(1.0)", (ps, i) -> ps.setBigDecimal(i, new BigDecimal("1.0"))),
            b("setObject(\"0.1\", OTHER)", (ps, i) -> ps.setObject(i, "0.1", Types.OTHER)))
        .copy("-0", "NaN", "0.1", "1e308", "-Infinity")
        .range("0", "1")
        .array("float8", "0", "NaN", "0.1"));
    types.add(new Type("oid", "oid")
        .values("0", "1", "4294967295", "-1", "'-2147483648'", "2147483648", "NULL")
        .lookups("4294967295", "-1", "'4294967295'", "'-1'", "1::oid", "2147483648",
            "-2147483648", "1", "0")
        .binds(b("setLong(4294967295)", (ps, i) -> ps.setLong(i, 4294967295L)),
            b("setInt(-1)", (ps, i) -> ps.setInt(i, -1)),
            b("setInt(1)", (ps, i) -> ps.setInt(i, 1)),
            b("setObject(\"2147483648\", OTHER)",
                (ps, i) -> ps.setObject(i, "2147483648", Types.OTHER)),
            b("setObject(\"-1\", OTHER)", (ps, i) -> ps.setObject(i, "-1", Types.OTHER)))
        .copy("-1", "7", "4294967294")
        .range("0", "2147483648")
        .array("oid", "1", "4294967295"));
    types.add(new Type("enum", "dt_mood")
        .values("'sad'", "'ok'", "'happy'", "'sad'::dt_mood", "'nope'", "NULL")
        .lookups("'sad'", "'sad'::dt_mood", "'happy'", "'ok'")
        .binds(b("setObject(\"sad\", OTHER)", (ps, i) -> ps.setObject(i, "sad", Types.OTHER)),
            b("setString(\"ok\")", (ps, i) -> ps.setString(i, "ok")),
            b("setObject(\"happy\", OTHER)", (ps, i) -> ps.setObject(i, "happy", Types.OTHER)))
        .copy("ok", "happy")
        .range("'sad'", "'ok'")
        .array("dt_mood", "sad", "happy"));
    types.add(new Type("dom", "dt_posint")
        .values("1", "2", "'3'", "0", "2.5", "7::int8", "NULL")
        .lookups("1", "1::dt_posint", "1.0", "'3'", "3", "7", "0")
        .binds(b("setInt(1)", (ps, i) -> ps.setInt(i, 1)),
            b("setLong(2)", (ps, i) -> ps.setLong(i, 2L)),
            b("setObject(\"3\", OTHER)", (ps, i) -> ps.setObject(i, "3", Types.OTHER)),
            b("setShort(4)", (ps, i) -> ps.setShort(i, (short) 4)),
            b("setInt(-5)", (ps, i) -> ps.setInt(i, -5)))
        .copy("1", "8", "0")
        .range("1", "3")
        .array("dt_posint", "1", "3"));
    types.add(new Type("inet", "inet")
        .values("'10.0.0.1'", "'10.0.0.1/32'", "'::ffff:10.0.0.1'", "'192.168.0.0/24'",
            "'192.168.0.1/24'", "'2001:db8::1'", "'2001:DB8:0:0:0:0:0:1'", "NULL")
        .lookups("'10.0.0.1'", "'10.0.0.1/32'", "'::ffff:10.0.0.1'", "'2001:db8::1'",
            "'2001:0db8::0001'", "'192.168.0.1/24'", "'192.168.0.1'", "'192.168.0.0/24'")
        .binds(b("setObject(\"10.0.0.1\", OTHER)", (ps, i) -> ps.setObject(i, "10.0.0.1",
                Types.OTHER)),
            b("setObject(\"2001:DB8::1/128\", OTHER)",
                (ps, i) -> ps.setObject(i, "2001:DB8::1/128", Types.OTHER)),
            b("setString(\"10.0.0.1\")", (ps, i) -> ps.setString(i, "10.0.0.1")))
        .copy("10.0.0.1", "2001:db8:0::1", "10.0.0.2/32")
        .range("'10.0.0.0'", "'10.255.255.255'")
        .array("inet", "10.0.0.1", "2001:db8::1"));
    return types;
  }
}
