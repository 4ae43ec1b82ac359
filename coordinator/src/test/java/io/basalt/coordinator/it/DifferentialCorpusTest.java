package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lexing behind {@link DifferentialIT}: ordering detection, splitting and lint rules. */
class DifferentialCorpusTest {
  @Test
  void outermostOrderByOnly() {
    assertTrue(DifferentialCorpus.hasTopLevelOrderBy("SELECT a FROM t ORDER BY a"));
    assertTrue(DifferentialCorpus.hasTopLevelOrderBy(
        "SELECT a FROM t UNION ALL SELECT b FROM u order\n  by 1"));
    assertTrue(DifferentialCorpus.hasTopLevelOrderBy(
        "WITH x AS (SELECT a FROM t ORDER BY a) SELECT * FROM x ORDER BY a DESC"));
    assertFalse(DifferentialCorpus.hasTopLevelOrderBy(
        "WITH x AS (SELECT a FROM t ORDER BY a LIMIT 3) SELECT * FROM x"));
    assertFalse(DifferentialCorpus.hasTopLevelOrderBy(
        "SELECT string_agg(a, ',' ORDER BY a), row_number() OVER (ORDER BY b) FROM t"));
    assertFalse(DifferentialCorpus.hasTopLevelOrderBy(
        "SELECT 'ORDER BY x' AS \"order by\" FROM t -- ORDER BY a\n /* ORDER BY b */"));
    assertFalse(DifferentialCorpus.hasTopLevelOrderBy(
        "SELECT E'it\\'s ORDER BY', $$ ORDER BY $$, $q$ ) ORDER BY $q$ FROM t"));
    assertFalse(DifferentialCorpus.hasTopLevelOrderBy(
        "(SELECT a FROM t ORDER BY a LIMIT 1) UNION ALL (SELECT a FROM u ORDER BY a LIMIT 1)"));
    assertFalse(DifferentialCorpus.hasTopLevelOrderBy("SELECT a AS order_by FROM t"));
  }

  @Test
  void splitsAtTopLevelSemicolons() {
    assertEquals(List.of("SELECT ';'", "SELECT 2", "SELECT $$a;b$$"),
        DifferentialCorpus.statements("-- x;\nSELECT ';';\n/* ; */ SELECT 2;SELECT $$a;b$$;\n"));
    assertEquals(List.of(), DifferentialCorpus.statements("-- only a comment;\n\n"));
  }

  @Test
  void lintsLimitsAndOrderSensitiveAggregates() {
    assertEquals(List.of(), DifferentialCorpus.lint(
        "SELECT string_agg(a, ',' ORDER BY a) FROM t ORDER BY 1 LIMIT 3 OFFSET 1"));
    assertEquals(List.of(), DifferentialCorpus.lint(
        "SELECT (SELECT b FROM u ORDER BY b LIMIT 1) FROM t UNION SELECT 1 ORDER BY 1 LIMIT 2"));
    assertEquals(List.of("LIMIT without ORDER BY in the same query"),
        DifferentialCorpus.lint("SELECT * FROM (SELECT a FROM t LIMIT 1) s ORDER BY a"));
    assertEquals(List.of("LIMIT without ORDER BY in the same query"),
        DifferentialCorpus.lint("SELECT a FROM t ORDER BY a UNION ALL SELECT 1 LIMIT 1"));
    assertEquals(List.of("array_agg(...) needs ORDER BY inside the call"),
        DifferentialCorpus.lint("SELECT array_agg(a) FROM t ORDER BY 1"));
    assertEquals(List.of("jsonb_agg(...) needs ORDER BY inside the call"),
        DifferentialCorpus.lint("SELECT jsonb_agg(x) OVER (ORDER BY a) FROM t"));
  }

  @Test
  void findsCreatedObjects() {
    assertEquals(Map.of("analytics", "SCHEMA", "analytics.users", "TABLE", "plans", "TABLE"),
        DifferentialCorpus.createdObjects("CREATE SCHEMA analytics;\n"
            + "-- CREATE TABLE commented_out (a int);\n"
            + "CREATE TABLE analytics.users (id int);\nCREATE INDEX i ON analytics.users (id);\n"
            + "create table IF NOT EXISTS Plans (a int);"));
  }
}
