package io.basalt.planner.multi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.agent.testing.TestPostgres;
import io.basalt.planner.sql.SqlParsing;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSelect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs split aggregates on a real PostgreSQL the way a coordinator would: every query on the
 * whole table m, and its worker SQL on four shard tables holding disjoint parts of m (one of
 * them empty), the partial rows (as text, with the worker's column types) gathered into a
 * VALUES list or, when there are none, an empty temporary table, and the combine SQL over
 * them. Result rows, column names and column types must be the original's. Data with floats
 * is chosen so that sums are exact in any order.
 */
class AggregateSplitExactnessTest {
  private static final List<String> SHARDS = List.of("m_0", "m_1", "m_2", "m_3");
  private static final Set<String> COLUMNS = Set.of("id", "g", "h", "i2", "i4", "i8", "n", "r",
      "d", "iv", "s", "b", "mo");
  /** The FROM item of a test query, for typing aggregate arguments in its scope. */
  private static final Pattern FROM = Pattern.compile(
      "\\bFROM m(?: AS (\\w+))?\\b");

  private static TestPostgres postgres;
  private static Connection connection;

  /** A query, and whether its ORDER BY fixes the order of all its rows. */
  record Case(String sql, boolean ordered) {
  }

  private static Case ordered(String sql) {
    return new Case(sql, true);
  }

  private static Case unordered(String sql) {
    return new Case(sql, false);
  }

  private static final List<Case> CASES = List.of(
      unordered("SELECT count(*) FROM m"),
      unordered("SELECT count(*), count(i4), count(n), count(s), count(ALL iv) FROM m"),
      unordered("SELECT sum(i2), sum(i4), sum(i8), sum(n) FROM m"),
      unordered("SELECT sum(r), sum(d), sum(iv), sum(mo) FROM m"),
      unordered("SELECT avg(i2), avg(i4), avg(i8), avg(n) FROM m"),
      unordered("SELECT avg(r), avg(d), avg(iv) FROM m"),
      unordered("SELECT min(i4), max(i4), min(n), max(n), min(s), max(s), min(iv), max(iv),"
          + " min(mo), max(mo), min(r), max(d) FROM m"),
      unordered("SELECT bool_and(b), bool_or(b), every(b) FROM m"),
      unordered("SELECT bit_and(i4), bit_or(i4), bit_xor(i8), bit_or(i2) FROM m"),
      ordered("SELECT g, count(*) FROM m GROUP BY g ORDER BY g"),
      unordered("SELECT g, sum(i4), avg(n), min(s) FROM m GROUP BY g"),
      ordered("SELECT g, h, count(*), sum(d) FROM m GROUP BY g, h ORDER BY g, h"),
      ordered("SELECT h, avg(i4) AS mean FROM m GROUP BY 1 ORDER BY mean DESC, h"),
      ordered("SELECT g + 1 AS k, count(*) FROM m GROUP BY k ORDER BY k"),
      ordered("SELECT g % 3, count(*) FROM m GROUP BY g % 3 ORDER BY 1"),
      ordered("SELECT (g % 3) * 10, max(i8) FROM m GROUP BY g % 3 ORDER BY 1"),
      ordered("SELECT m.g, count(m.i4) FROM m GROUP BY g ORDER BY g"),
      ordered("SELECT x.g, sum(x.i4) FROM m AS x WHERE x.i4 > 0 GROUP BY x.g ORDER BY 1"),
      ordered("SELECT g, count(*) FROM m GROUP BY g HAVING count(*) > 140 ORDER BY g"),
      ordered("SELECT g, sum(i4) FROM m GROUP BY g HAVING avg(i4) > 0 AND max(s) > 's1'"
          + " ORDER BY 2 DESC, g"),
      unordered("SELECT count(*) FROM m HAVING count(*) > 0"),
      unordered("SELECT count(*) FROM m HAVING count(*) > 5000"),
      ordered("SELECT g, count(*) FILTER (WHERE b), sum(i4) FILTER (WHERE i4 > 100),"
          + " avg(d) FILTER (WHERE s LIKE 's1%'), max(s) FILTER (WHERE NOT b)"
          + " FROM m GROUP BY g ORDER BY g"),
      unordered("SELECT sum(i4) / count(*), round(avg(n), 2), sum(i8) - min(i8) FROM m"),
      ordered("SELECT g, CASE WHEN count(*) > 140 THEN 'big' ELSE 'small' END,"
          + " coalesce(sum(i4), 0) FROM m GROUP BY g ORDER BY g"),
      unordered("SELECT count(*), sum(i4), avg(n), min(s), bool_or(b) FROM m WHERE id < 0"),
      unordered("SELECT g, count(*) FROM m WHERE id < 0 GROUP BY g"),
      ordered("SELECT g, count(*) FROM m GROUP BY g ORDER BY count(*) DESC, g LIMIT 3"),
      ordered("SELECT g, count(*) AS c FROM m GROUP BY g ORDER BY c, g LIMIT 3 OFFSET 2"),
      unordered("SELECT DISTINCT h, count(*) > 100 FROM m GROUP BY h, g"),
      ordered("SELECT s, count(*) FROM m WHERE s IS NOT NULL GROUP BY s ORDER BY 2 DESC, 1"
          + " LIMIT 5"),
      ordered("SELECT b, count(*), sum(mo) FROM m GROUP BY b ORDER BY b NULLS FIRST"),
      unordered("SELECT justify_hours(min(iv)), max(iv) - min(iv) FROM m"),
      ordered("SELECT upper(h), count(*) FROM m GROUP BY upper(h) ORDER BY 1"),
      ordered("SELECT h, length(h) + count(*) FROM m GROUP BY h ORDER BY h"),
      unordered("SELECT count(*)::text || ' rows' AS label, sum(i4)::numeric(20,2) FROM m"),
      ordered("SELECT g, max(i4) - min(i4) AS spread, avg(i4)::int FROM m GROUP BY g"
          + " ORDER BY spread DESC, g"),
      unordered("SELECT avg(i4 + i2), sum(i4 * 2), count(i4 + i2), avg(i8 / 3) FROM m"),
      ordered("SELECT sum(r) AS total_r, avg(r) FROM m GROUP BY h ORDER BY h"),
      ordered("SELECT h FROM m GROUP BY h ORDER BY h"),
      ordered("SELECT g, h FROM m GROUP BY h, g ORDER BY 1, 2"),
      unordered("SELECT count(*) AS n, count(*) FROM m"),
      unordered("SELECT SUM( i4 ), sum(i4), sum(m.i4) FROM m"),
      ordered("SELECT g, bool_and(b) AND count(*) > 0, bit_or(i2) FROM m GROUP BY g ORDER BY g"),
      ordered("SELECT g, min(d), max(r), sum(d) FROM m WHERE d > 0 GROUP BY g ORDER BY g"),
      unordered("SELECT trunc(avg(d)::numeric, 3), round(sum(n) / nullif(count(n), 0), 5)"
          + " FROM m"),
      unordered("SELECT 'const', 42, count(*) FROM m"),
      ordered("SELECT g, count(*) FROM m GROUP BY g HAVING g > 2 ORDER BY g"),
      ordered("SELECT i4 % 10 AS bucket, count(*) FROM m GROUP BY bucket"
          + " HAVING count(*) > 1 ORDER BY bucket"),
      ordered("SELECT g, avg(iv), sum(iv) FROM m GROUP BY g ORDER BY g"),
      unordered("SELECT max(i4) FROM m ORDER BY 1"),
      unordered("SELECT 1 FROM m HAVING count(*) > 1"),
      unordered("SELECT count(*) FROM m ORDER BY count(*) LIMIT 1"),
      ordered("SELECT g AS \"Group\", count(*) AS \"the \"\"count\"\"\" FROM m GROUP BY g"
          + " ORDER BY \"Group\""),
      ordered("SELECT coalesce(g, -1), count(*) FROM m GROUP BY g ORDER BY 1"),
      ordered("SELECT avg(i4)::float8, avg(i8) * 2 FROM m GROUP BY g ORDER BY g"),
      ordered("SELECT g, avg(d)::numeric(10,4) AS x, sum(n)::float8 FROM m\n"
          + "  -- a comment\n WHERE /* inline */ i4 BETWEEN -100 AND 500\n"
          + " GROUP BY g ORDER BY g"),
      ordered("SELECT h, count(*) FROM m AS x WHERE x.h <> 'h0' GROUP BY x.h ORDER BY x.h"),
      ordered("SELECT g, CASE WHEN g > 3 THEN avg(i4) END, nullif(count(*), 143),"
          + " greatest(max(i2), 0) FROM m GROUP BY g ORDER BY g"),
      ordered("SELECT h, count(*) AS g FROM m GROUP BY h ORDER BY g, h"),
      ordered("SELECT g, avg(i4) FILTER (WHERE false), sum(i2), bit_xor(i2) FROM m"
          + " GROUP BY g ORDER BY g"),
      unordered("SELECT avg(i4), avg(d), avg(iv), sum(mo), max(s) FROM m WHERE id < 0"),
      unordered("SELECT 'x' AS k, count(*) FROM m GROUP BY 1"),
      ordered("SELECT g, count(*) FROM m GROUP BY g, h HAVING sum(i4) > 0 ORDER BY g, 2"),
      ordered("SELECT g, count(*) FROM m GROUP BY 1 ORDER BY g DESC NULLS LAST"));

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = TestPostgres.start();
    connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.jdbcLogin());
    try (Statement statement = connection.createStatement()) {
      statement.execute("""
          CREATE TABLE m (id int PRIMARY KEY, g int, h text, i2 smallint, i4 int, i8 bigint,
            n numeric, r real, d double precision, iv interval, s text, b boolean, mo money);
          INSERT INTO m
          SELECT i,
            CASE WHEN i % 37 = 0 THEN NULL ELSE i % 7 END,
            'h' || (i % 3),
            CASE WHEN i % 11 = 0 THEN NULL ELSE (i % 100 - 50)::smallint END,
            CASE WHEN i % 13 = 0 THEN NULL ELSE i * 37 % 1000 - 300 END,
            CASE WHEN i % 17 = 0 THEN NULL ELSE i::bigint * 1000000007 END,
            CASE WHEN i % 19 = 0 THEN NULL ELSE round(i / 7.0, i % 4) END,
            CASE WHEN i % 23 = 0 THEN NULL ELSE (i % 40) * 0.25 END,
            CASE WHEN i % 29 = 0 THEN NULL ELSE (i % 90) * 0.5 - 10 END,
            CASE WHEN i % 41 = 0 THEN NULL
              ELSE make_interval(months => i % 3, days => i % 9, hours => i % 5,
                mins => i % 60) END,
            CASE WHEN i % 31 = 0 THEN NULL ELSE 's' || (i % 29) END,
            CASE WHEN i % 43 = 0 THEN NULL ELSE i % 5 <> 0 END,
            CASE WHEN i % 47 = 0 THEN NULL ELSE ((i % 50) * 1.25)::numeric::money END
          FROM generate_series(1, 1000) i;
          CREATE TABLE m_0 AS SELECT * FROM m WHERE id % 3 = 0;
          CREATE TABLE m_1 AS SELECT * FROM m WHERE id % 3 = 1;
          CREATE TABLE m_2 AS SELECT * FROM m WHERE id % 3 = 2;
          CREATE TABLE m_3 (LIKE m);
          """);
    }
  }

  @AfterAll
  static void stopPostgres() throws SQLException {
    if (connection != null) {
      connection.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void splitQueriesGivePostgresResults() throws SQLException {
    assertTrue(CASES.size() >= 40, CASES.size() + " cases");
    List<String> failures = new ArrayList<>();
    for (Case c : CASES) {
      String expected = result(c.sql(), c.ordered());
      Optional<AggregateSplit> split = split(c.sql());
      if (split.isEmpty()) {
        failures.add("not split: " + c.sql());
        continue;
      }
      String combine = split.get().combineSql(partials(split.get()));
      String actual;
      try {
        actual = result(combine, c.ordered());
      } catch (SQLException e) {
        actual = "error " + e.getMessage();
      }
      if (!expected.equals(actual)) {
        failures.add(c.sql() + "\n  worker  " + split.get().workerSql("m_0") + "\n  combine "
            + combine + "\n  expected " + expected + "\n  actual   " + actual);
      }
    }
    assertEquals(List.of(), failures, String.join("\n\n", failures));
  }

  @Test
  void unsplittableQueriesAreLeftToTheFallback() throws SQLException {
    List<String> ineligible = List.of(
        "SELECT * FROM m",
        "SELECT id FROM m WHERE g = 1",
        "SELECT count(*) FROM m JOIN m_0 USING (id)",
        "SELECT count(*) FROM m, m_0",
        "SELECT count(*) FROM (SELECT * FROM m) q",
        "SELECT count(*) FROM m WHERE id IN (SELECT id FROM m_0)",
        "SELECT g, (SELECT max(id) FROM m_0) FROM m GROUP BY g",
        "SELECT count(*) OVER () FROM m",
        "SELECT g, count(*) FROM m GROUP BY ROLLUP (g)",
        "SELECT g, count(*) FROM m GROUP BY GROUPING SETS ((g), ())",
        "SELECT g, count(*) FROM m GROUP BY CUBE (g)",
        "SELECT DISTINCT ON (g) g, count(*) FROM m GROUP BY g",
        "SELECT g FROM m GROUP BY g FOR UPDATE",
        "WITH q AS (SELECT 1) SELECT count(*) FROM m",
        "SELECT count(*) FROM m UNION SELECT 1",
        "SELECT count(*) FROM generate_series(1, 3)");
    for (String sql : ineligible) {
      assertTrue(!AggregateSplitter.eligible(SqlParsing.parse(sql)), sql);
    }
    List<String> unsplittable = List.of(
        "SELECT count(DISTINCT g) FROM m",
        "SELECT sum(DISTINCT i4) FROM m",
        "SELECT stddev(i4), variance(d) FROM m",
        "SELECT var_pop(i4) FROM m",
        "SELECT array_agg(i4) FROM m",
        "SELECT string_agg(s, ',') FROM m",
        "SELECT json_agg(g) FROM m",
        "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d) FROM m",
        "SELECT mode() WITHIN GROUP (ORDER BY g) FROM m",
        "SELECT corr(d, r) FROM m",
        "SELECT sum(s) FROM m",
        "SELECT avg(mo) FROM m",
        "SELECT g, i4 FROM m GROUP BY g",
        "SELECT g, count(*) FROM m GROUP BY 3",
        "SELECT g, count(*) FROM m GROUP BY 'x'",
        "SELECT g, count(*) FROM m GROUP BY nosuch",
        "SELECT count(*) FROM m GROUP BY count(*)",
        "SELECT sum(count(*)) FROM m",
        "SELECT g, md5(g::text) || pg_typeof(g)::text, count(*) FROM m GROUP BY g",
        "SELECT g, count(*) FROM m GROUP BY g ORDER BY random()",
        "SELECT *, count(*) FROM m GROUP BY id",
        "SELECT public.m.g, count(*) FROM public.m GROUP BY 1",
        "SELECT m.g, count(*) FROM m AS x GROUP BY 1",
        "SELECT i4 % 3 AS g, count(*) FROM m GROUP BY g");
    for (String sql : unsplittable) {
      assertTrue(AggregateSplitter.eligible(SqlParsing.parse(sql)), sql);
      assertEquals(Optional.empty(), split(sql), sql);
    }
  }

  @Test
  void outputNamesArePostgresNames() throws SQLException {
    List<String> expressions = List.of("i4", "m.i4", "i4 AS \"Odd\"\"Name\"", "i4 total",
        "COUNT(*)", "count(*) FILTER (WHERE i4 > 1)", "i4::int", "1::int", "'{1}'::integer[]",
        "CAST(1 AS bigint)", "1::double precision", "'x'::varchar(3)", "'x'::char(2)",
        "1::numeric(10,2)", "'x'::text", "true::boolean", "count(*)::text", "(1::int)::text",
        "CASE WHEN i4 > 1 THEN 1 END", "CASE WHEN i4 > 1 THEN 1 ELSE i2 END",
        "CASE g WHEN 1 THEN 'a' ELSE max(s) END",
        "CASE WHEN i4 > 1 THEN NULL ELSE (i4, 1) END", "(CASE WHEN i4 > 1 THEN 1 ELSE 2 END)::text",
        "coalesce(i4, 1)", "nullif(i4, 1)", "greatest(i4, 1)", "least(i4, 1)", "ARRAY[i4, 1]",
        "(ARRAY[i4, 1])[1]", "i4 + 1", "-i4", "NOT b", "true", "NULL", "'x'", "1.5", "i4 IS NULL",
        "i4 BETWEEN 1 AND 2", "s LIKE 'x%'", "s || 'x'", "trim(s)", "trim(leading 'x' from s)",
        "trim(trailing from s)", "ceiling(d)", "(ceil(d))", "floor(d)", "upper(s)",
        "extract(year from '2020-01-01'::date)", "substring(s from 1 for 2)",
        "position('a' in s)", "overlay(s placing 'x' from 1)", "s COLLATE \"C\"",
        "'2020-01-01'::timestamp AT TIME ZONE 'UTC'", "date '2020-01-01'",
        "timestamp '2020-01-01 10:00'", "interval '1 day'", "interval '1' day", "text 'x'",
        "round(avg(n), 2)", "sum(i4) / count(*)", "pg_catalog.lower(s)");
    List<String> failures = new ArrayList<>();
    for (String expression : expressions) {
      String sql = "SELECT " + expression + " FROM m GROUP BY g, i4, i2, s, b, d HAVING false";
      SqlNode item = ((SqlSelect) SqlParsing.parse(sql)).getSelectList().get(0);
      String ours = OutputNames.of(item, new SourceText(sql));
      try (Statement statement = connection.createStatement();
          ResultSet rs = statement.executeQuery(sql)) {
        String theirs = rs.getMetaData().getColumnLabel(1);
        if (!theirs.equals(ours)) {
          failures.add(expression + ": PostgreSQL says " + theirs + ", we say " + ours);
        }
      }
    }
    assertEquals(List.of(), failures, String.join("\n", failures));
  }

  /** Splits a query, typing its aggregate arguments on m as a coordinator would. */
  private static Optional<AggregateSplit> split(String sql) throws SQLException {
    SqlNode parsed = SqlParsing.parse(sql);
    Matcher from = FROM.matcher(sql);
    String fromItem = from.find() && from.group(1) != null ? "m AS " + from.group(1) : "m";
    Map<String, String> types = new LinkedHashMap<>();
    for (String argument : AggregateSplitter.arguments(sql, parsed)) {
      try (Statement statement = connection.createStatement();
          ResultSet rs = statement.executeQuery("SELECT format_type(pg_typeof(" + argument
              + "), NULL) FROM " + fromItem + " LIMIT 1")) {
        rs.next();
        types.put(argument, rs.getString(1));
      } catch (SQLException e) {
        // An argument PostgreSQL cannot type (sum(s)) gets no type, and split answers empty.
      }
    }
    return AggregateSplitter.split(sql, parsed, types, COLUMNS);
  }

  /**
   * Runs the worker SQL on every shard and returns a FROM item holding all partial rows with
   * the worker's column types: a VALUES list, or an empty temporary table when there are none.
   */
  private static String partials(AggregateSplit split) throws SQLException {
    List<String> types = new ArrayList<>();
    List<String> rows = new ArrayList<>();
    for (String shard : SHARDS) {
      try (Statement statement = connection.createStatement();
          ResultSet rs = statement.executeQuery(split.workerSql(shard))) {
        ResultSetMetaData meta = rs.getMetaData();
        assertEquals(split.partialColumns().size(), meta.getColumnCount());
        types.clear();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          assertEquals(split.partialColumns().get(i - 1), meta.getColumnLabel(i));
          types.add(meta.getColumnTypeName(i));
        }
        while (rs.next()) {
          List<String> values = new ArrayList<>();
          for (int i = 1; i <= meta.getColumnCount(); i++) {
            String value = rs.getString(i);
            values.add((value == null ? "NULL" : "'" + value.replace("'", "''") + "'")
                + "::" + types.get(i - 1));
          }
          rows.add("(" + String.join(", ", values) + ")");
        }
      }
    }
    String columns = String.join(", ", split.partialColumns());
    if (!rows.isEmpty()) {
      return "(VALUES " + String.join(", ", rows) + ") AS basalt_partials(" + columns + ")";
    }
    List<String> definitions = new ArrayList<>();
    for (int i = 0; i < types.size(); i++) {
      definitions.add(split.partialColumns().get(i) + " " + types.get(i));
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS basalt_partials");
      statement.execute("CREATE TEMP TABLE basalt_partials ("
          + String.join(", ", definitions) + ")");
    }
    return "basalt_partials";
  }

  /** Column names and types, then the rows as text (sorted unless the order is fixed). */
  private static String result(String sql, boolean ordered) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      ResultSetMetaData meta = rs.getMetaData();
      StringBuilder columns = new StringBuilder();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        columns.append(i > 1 ? ", " : "").append('"').append(meta.getColumnLabel(i))
            .append("\" ").append(meta.getColumnTypeName(i));
      }
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          values.add(rs.getString(i));
        }
        rows.add(String.join(" | ", values));
      }
      if (!ordered) {
        rows.sort(null);
      }
      return columns + " " + rows;
    }
  }
}
