package io.basalt.planner.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.error.BasaltException;
import io.basalt.planner.Statement;
import io.basalt.planner.StatementClassifier;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExplainStatementTest {
  private static Optional<ExplainStatement> read(String sql) {
    Statement s = StatementClassifier.classify(sql);
    return ExplainStatement.read(s.text(), s.tokens());
  }

  @Test
  void plainExplain() {
    ExplainStatement e = read("EXPLAIN SELECT * FROM t").orElseThrow();
    assertEquals(new ExplainStatement("", false, "TEXT", false, 1), e);
    assertEquals("EXPLAIN SELECT 1", e.of("SELECT 1"));
  }

  @Test
  void legacyOptions() {
    ExplainStatement e = read("explain analyse verbose DELETE FROM t").orElseThrow();
    assertEquals(new ExplainStatement("analyse verbose", true, "TEXT", true, 3), e);
    assertEquals("EXPLAIN analyse verbose DELETE FROM t_1", e.of("DELETE FROM t_1"));
    assertEquals(2, read("EXPLAIN VERBOSE SELECT 1").orElseThrow().statementToken());
  }

  @Test
  void parenthesisedOptionsAreReadAsPostgresReadsThem() {
    ExplainStatement e = read("EXPLAIN (ANALYZE off, FORMAT json, SUMMARY, COSTS false)"
        + " SELECT 1").orElseThrow();
    assertFalse(e.analyze());
    assertEquals("JSON", e.format());
    assertTrue(e.summary());
    assertEquals("(ANALYZE off, FORMAT json, SUMMARY, COSTS false)", e.options());
    assertTrue(read("EXPLAIN (analyze 'on') SELECT 1").orElseThrow().analyze());
    assertTrue(read("EXPLAIN (ANALYZE 1, TIMING off) SELECT 1").orElseThrow().analyze());
    assertTrue(read("EXPLAIN (ANALYZE) SELECT 1").orElseThrow().summary());
    assertFalse(read("EXPLAIN (ANALYZE, SUMMARY off) SELECT 1").orElseThrow().summary());
    assertEquals(6, read("EXPLAIN (ANALYZE, BUFFERS) SELECT 1").orElseThrow().statementToken());
  }

  @Test
  void anAnalyzeValuePostgresWouldRejectIsRejected() {
    // Misreading it could run a write outside the distributed transaction.
    BasaltException e = assertThrows(BasaltException.class,
        () -> read("EXPLAIN (ANALYZE maybe) DELETE FROM t"));
    assertEquals("42601", e.sqlState());
    assertEquals("analyze requires a Boolean value", e.getMessage());
  }

  @Test
  void notAnExplainOfAStatement() {
    assertTrue(read("SELECT 1").isEmpty());
    assertTrue(read("EXPLAIN").isEmpty());
    assertTrue(read("EXPLAIN ANALYZE").isEmpty());
    assertTrue(read("EXPLAIN (COSTS off)").isEmpty());
  }

  @Test
  void theExplainedStatementKeepsItsPositionsInTheQueryString() {
    Statement explain = StatementClassifier.split("SELECT 1; EXPLAIN (COSTS off) TABLE t").get(1);
    ExplainStatement e = ExplainStatement.read(explain.text(), explain.tokens()).orElseThrow();
    Statement inner = e.explained(explain);
    assertEquals("TABLE t", inner.text());
    assertEquals(inner.tokens().get(0).start(), explain.tokens().get(5).start());
    assertTrue(inner.tokens().get(0).isWord("TABLE"));
  }
}
