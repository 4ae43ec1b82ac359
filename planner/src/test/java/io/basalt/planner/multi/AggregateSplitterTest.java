package io.basalt.planner.multi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.planner.sql.SqlParsing;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSelect;
import org.junit.jupiter.api.Test;

/** The split's text, without a server: {@link AggregateSplitExactnessTest} runs it. */
class AggregateSplitterTest {
  private static final Set<String> COLUMNS = Set.of("a", "b", "c", "g", "h", "s", "x");
  private static final Map<String, String> INTEGERS = Map.of("a", "integer", "b", "integer",
      "x", "integer", "t.a", "integer", "a + 1", "integer");

  private static Optional<AggregateSplit> split(String sql, Map<String, String> types) {
    return AggregateSplitter.split(sql, SqlParsing.parse(sql), types, COLUMNS);
  }

  private static AggregateSplit splits(String sql) {
    return split(sql, INTEGERS).orElseThrow(() -> new AssertionError("not split: " + sql));
  }

  private static boolean eligible(String sql) {
    return AggregateSplitter.eligible(SqlParsing.parse(sql));
  }

  @Test
  void eligibleShapes() {
    assertTrue(eligible("SELECT count(*) FROM t"));
    assertTrue(eligible("SELECT g FROM s.t AS x GROUP BY g"));
    assertTrue(eligible("SELECT g, sum(a) FROM t x WHERE b = $1 GROUP BY g HAVING count(*) > 1"
        + " ORDER BY 2 DESC LIMIT 5 OFFSET 1"));
    assertTrue(eligible("SELECT 1 FROM t ORDER BY max(a)"));
    assertTrue(eligible("SELECT string_agg(s, ',') FROM t"));
  }

  @Test
  void ineligibleShapes() {
    assertFalse(eligible("SELECT a FROM t"));
    assertFalse(eligible("SELECT 1 FROM t HAVING true"));
    assertFalse(eligible("SELECT count(*) FROM t JOIN u ON t.a = u.a"));
    assertFalse(eligible("SELECT count(*) FROM t, u"));
    assertFalse(eligible("SELECT count(*) FROM (SELECT a FROM t) q"));
    assertFalse(eligible("SELECT count(*) FROM t AS x(a, b)"));
    assertFalse(eligible("SELECT count(*) FROM t WHERE EXISTS (SELECT 1 FROM u)"));
    assertFalse(eligible("SELECT count(*) FROM t WHERE a IN (SELECT a FROM u)"));
    assertFalse(eligible("SELECT count(*) FROM t ORDER BY (SELECT 1)"));
    assertFalse(eligible("SELECT sum(a) OVER (PARTITION BY g) FROM t"));
    assertFalse(eligible("SELECT g, count(*) FROM t GROUP BY ROLLUP (g)"));
    assertFalse(eligible("SELECT g, count(*) FROM t GROUP BY GROUPING SETS ((g), ())"));
    assertFalse(eligible("SELECT g, count(*) FROM t GROUP BY DISTINCT g"));
    assertFalse(eligible("SELECT DISTINCT ON (g) g, count(*) FROM t GROUP BY g"));
    assertFalse(eligible("SELECT g FROM t GROUP BY g FOR UPDATE"));
    assertFalse(eligible("WITH q AS (SELECT 1) SELECT count(*) FROM t"));
    assertFalse(eligible("SELECT count(*) FROM t UNION ALL SELECT count(*) FROM u"));
    assertFalse(eligible("INSERT INTO t SELECT count(*) FROM u"));
  }

  @Test
  void argumentsNeedingTypesInOrderOfFirstAppearance() {
    String sql = "SELECT avg(a + 1), sum(b), count(c), sum(b), max(x), sum(DISTINCT h)"
        + " FROM t HAVING sum(x) > 1 ORDER BY avg(g)";
    assertEquals(List.of("a + 1", "b", "x", "g"),
        AggregateSplitter.arguments(sql, SqlParsing.parse(sql)));
    String counts = "SELECT g, count(*) FROM t GROUP BY g";
    assertEquals(List.of(), AggregateSplitter.arguments(counts, SqlParsing.parse(counts)));
    String plain = "SELECT a FROM t";
    assertThrows(IllegalArgumentException.class,
        () -> AggregateSplitter.arguments(plain, SqlParsing.parse(plain)));
  }

  @Test
  void groupedQueryText() {
    AggregateSplit split = splits("SELECT g, count(*), sum(a) AS s, avg(b)::numeric(10,2) total"
        + " FROM t AS x WHERE x.h = $1 GROUP BY g HAVING sum(a) > 1 ORDER BY 2 DESC, sum( a )"
        + " LIMIT 5 OFFSET $2");
    assertEquals("SELECT g AS g1, count(*) AS p1, sum(a) AS p2, sum(b) AS p3, count(b) AS p4"
        + " FROM shard AS x WHERE x.h = $1 GROUP BY 1", split.workerSql("shard"));
    assertEquals("SELECT g1 AS \"g\", (coalesce(sum(p1), 0)::bigint) AS \"count\","
        + " (sum(p2)::bigint) AS \"s\","
        + " (sum(p3)::numeric / nullif(sum(p4), 0))::numeric(10,2) AS \"total\""
        + " FROM R GROUP BY g1 HAVING (sum(p2)::bigint) > 1 ORDER BY 2 DESC, (sum(p2)::bigint)"
        + " LIMIT 5 OFFSET $2", split.combineSql("R"));
    assertEquals(List.of("g1", "p1", "p2", "p3", "p4"), split.partialColumns());
  }

  @Test
  void ungroupedQueryNamesTheShardAfterTheTable() {
    AggregateSplit split = splits("SELECT count(*) FILTER (WHERE t.b > 0), min(s) FROM public.t");
    assertEquals("SELECT count(*) FILTER (WHERE t.b > 0) AS p1, min(s) AS p2 FROM ",
        split.workerPrefix());
    assertEquals(" AS \"t\"", split.workerSuffix());
    assertEquals("SELECT (coalesce(sum(p1), 0)::bigint) AS \"count\", (min(p2)) AS \"min\""
        + " FROM R", split.combineSql("R"));
  }

  @Test
  void averageForms() {
    Map<String, String> types = Map.of("a", "double precision", "b", "interval", "x",
        "numeric(12,2)");
    AggregateSplit split = split("SELECT avg(a) FILTER (WHERE x > 0), avg(b), avg(x) FROM t",
        types).orElseThrow();
    assertEquals("SELECT sum((a)::float8) FILTER (WHERE x > 0) AS p1,"
        + " count(a) FILTER (WHERE x > 0) AS p2, sum(b) AS p3, count(b) AS p4,"
        + " sum(x) AS p5, count(x) AS p6 FROM ", split.workerPrefix());
    assertEquals("SELECT (sum(p1) / nullif(sum(p2), 0)::float8) AS \"avg\","
        + " (sum(p3) / nullif(sum(p4), 0)::float8) AS \"avg\","
        + " (sum(p5)::numeric / nullif(sum(p6), 0)) AS \"avg\" FROM ", split.combinePrefix());
  }

  @Test
  void sumForms() {
    Map<String, String> types = Map.of("a", "smallint", "b", "bigint", "x", "real", "g",
        "money");
    AggregateSplit split = split("SELECT sum(a), sum(b), sum(x), sum(g) FROM t", types)
        .orElseThrow();
    assertEquals("SELECT (sum(p1)::bigint) AS \"sum\", (sum(p2)) AS \"sum\", (sum(p3)) AS \"sum\","
        + " (sum(p4)) AS \"sum\" FROM ", split.combinePrefix());
  }

  @Test
  void otherAggregatesCombineWithThemselves() {
    AggregateSplit split = splits("SELECT max(a), bool_and(b), every(b), bool_or(b),"
        + " bit_and(a), bit_or(a), bit_xor(a) FROM t");
    assertEquals("SELECT (max(p1)) AS \"max\", (bool_and(p2)) AS \"bool_and\","
        + " (bool_and(p3)) AS \"every\", (bool_or(p4)) AS \"bool_or\","
        + " (bit_and(p5)) AS \"bit_and\", (bit_or(p6)) AS \"bit_or\","
        + " (bit_xor(p7)) AS \"bit_xor\" FROM ", split.combinePrefix());
  }

  @Test
  void anAggregateWrittenTwiceIsComputedOnce() {
    AggregateSplit split = splits("SELECT sum(a), SUM( a ), sum(t.a) FROM t ORDER BY sum(a)");
    assertEquals("SELECT sum(a) AS p1 FROM ", split.workerPrefix());
    assertEquals(List.of("p1"), split.partialColumns());
  }

  @Test
  void groupingKeysResolveAsInPostgres() {
    // A position is the select item; a name is the table's column before an output name.
    assertEquals("SELECT a + 1 AS g1, count(*) AS p1 FROM shard AS \"t\" GROUP BY 1",
        splits("SELECT a + 1 AS k, count(*) FROM t GROUP BY 1").workerSql("shard"));
    assertEquals("SELECT a + 1 AS g1, count(*) AS p1 FROM shard AS \"t\" GROUP BY 1",
        splits("SELECT a + 1 AS k, count(*) FROM t GROUP BY k").workerSql("shard"));
    assertEquals(Optional.empty(), split("SELECT a + 1 AS g, count(*) FROM t GROUP BY g",
        INTEGERS));
    // GROUP BY a, t.a, 1 is one key.
    AggregateSplit split = splits("SELECT a, count(*) FROM t GROUP BY a, t.a, 1");
    assertEquals(List.of("g1", "p1"), split.partialColumns());
  }

  @Test
  void groupedExpressionsAreReadFromTheirKeys() {
    AggregateSplit split = splits("SELECT (a + 1) * 2, t.g, upper(h) || 'x', count(*)"
        + " FROM t GROUP BY a + 1, g, h ORDER BY h, g DESC NULLS LAST, count(*) + 1");
    assertEquals("SELECT g1 * 2 AS \"?column?\", g2 AS \"g\", upper(g3) || 'x' AS \"?column?\","
        + " (coalesce(sum(p1), 0)::bigint) AS \"count\" FROM R GROUP BY g1, g2, g3"
        + " ORDER BY g3, g DESC NULLS LAST, (coalesce(sum(p1), 0)::bigint) + 1",
        split.combineSql("R"));
  }

  @Test
  void clientTextIsKeptAcrossLinesAndComments() {
    AggregateSplit split = splits("SELECT g,\n  sum(\n    a -- the amount\n  ) AS s\n"
        + "FROM t\nWHERE b /* recent */ > 1\nGROUP BY g;");
    assertEquals("SELECT g AS g1, sum(\n    a -- the amount\n  ) AS p1 FROM shard AS \"t\""
        + " WHERE b /* recent */ > 1 GROUP BY 1", split.workerSql("shard"));
  }

  @Test
  void unsplittable() {
    List<String> queries = List.of(
        "SELECT count(DISTINCT a) FROM t",
        "SELECT stddev(a) FROM t",
        "SELECT array_agg(a) FROM t",
        "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY a) FROM t",
        "SELECT myschema.sum(a) FROM t",
        "SELECT sum(c) FROM t",
        "SELECT g, a FROM t GROUP BY g",
        "SELECT g, my_function(g), count(*) FROM t GROUP BY g",
        "SELECT g, count(*) FROM t GROUP BY g ORDER BY random()",
        "SELECT public.t.g, count(*) FROM public.t GROUP BY 1",
        "SELECT t.g, count(*) FROM t AS x GROUP BY 1",
        "SELECT g, count(*) FROM t GROUP BY 3",
        "SELECT g, count(*) FROM t GROUP BY 1.5",
        "SELECT g, count(*) FROM t GROUP BY nosuch",
        "SELECT g, count(*) FROM t GROUP BY count(*)",
        "SELECT sum(count(*)) FROM t",
        "SELECT *, count(*) FROM t GROUP BY a",
        "SELECT a AS k, b AS k, count(*) FROM t GROUP BY a, b ORDER BY k");
    for (String sql : queries) {
      assertTrue(eligible(sql), sql);
      assertEquals(Optional.empty(), split(sql, INTEGERS), sql);
    }
    assertEquals(Optional.empty(), split("SELECT sum(a) FROM t", Map.of("a", "text")));
    assertEquals(Optional.empty(), split("SELECT avg(a) FROM t", Map.of("a", "money")));
  }

  @Test
  void outputNames() {
    Map<String, String> names = new java.util.LinkedHashMap<>();
    names.put("a", "a");
    names.put("t.a", "a");
    names.put("\"Odd\"\"Name\"", "Odd\"Name");
    names.put("a AS \"Total\"", "Total");
    names.put("a total", "total");
    names.put("COUNT(*)", "count");
    names.put("count(*) FILTER (WHERE a > 1)", "count");
    names.put("a::int", "a");
    names.put("1::int", "int4");
    names.put("1::integer[]", "int4");
    names.put("CAST(1 AS bigint)", "int8");
    names.put("1::double precision", "float8");
    names.put("'x'::varchar(3)", "varchar");
    names.put("'x'::char(2)", "bpchar");
    names.put("1::numeric(10,2)", "numeric");
    names.put("'x'::text", "text");
    names.put("count(*)::text", "count");
    names.put("(1::int)::text", "text");
    names.put("CASE WHEN a > 1 THEN 1 END", "case");
    names.put("CASE WHEN a > 1 THEN 1 ELSE b END", "b");
    names.put("(CASE WHEN a > 1 THEN 1 ELSE 2 END)::text", "text");
    names.put("CASE WHEN a > 1 THEN NULL ELSE (a, 1) END", "row");
    names.put("coalesce(a, 1)", "coalesce");
    names.put("nullif(a, 1)", "nullif");
    names.put("ARRAY[a, 1]", "array");
    names.put("a + 1", "?column?");
    names.put("-a", "?column?");
    names.put("true", "?column?");
    names.put("$1", "?column?");
    names.put("trim(s)", "btrim");
    names.put("trim(trailing 'x' from s)", "rtrim");
    names.put("ceiling(a)", "ceiling");
    names.put("(ceil(a))", "ceil");
    names.put("extract(year from d)", "extract");
    names.put("substring(s from 1 for 2)", "substring");
    names.put("arr[1]", "arr");
    names.put("s COLLATE \"C\"", "s");
    names.put("ts AT TIME ZONE 'UTC'", "timezone");
    names.put("date '2020-01-01'", "date");
    names.put("interval '1 day'", "interval");
    names.put("text 'x'", "text");
    for (Map.Entry<String, String> name : names.entrySet()) {
      String sql = "SELECT " + name.getKey() + " FROM t";
      SqlNode item = ((SqlSelect) SqlParsing.parse(sql)).getSelectList().get(0);
      assertEquals(name.getValue(), OutputNames.of(item, new SourceText(sql)), name.getKey());
    }
  }

  @Test
  void balancedSpans() {
    assertTrue(SourceText.balanced("f(a, (b)) [1]"));
    assertTrue(SourceText.balanced("'(' || \")\" || E'\\')' /* ( /* ) */ */ -- (\n"));
    assertFalse(SourceText.balanced("(a + b"));
    assertFalse(SourceText.balanced("a) + (b"));
    assertFalse(SourceText.balanced("'open"));
    assertFalse(SourceText.balanced("/* open"));
  }
}
