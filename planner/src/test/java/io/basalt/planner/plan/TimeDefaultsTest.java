package io.basalt.planner.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.basalt.planner.lexer.Lexer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The time defaults an INSERT or UPDATE leaves to its table, written out. */
class TimeDefaultsTest {
  /** t (k, note, made DEFAULT now(), day DEFAULT CURRENT_DATE + 1). */
  private static final TimeDefaults.Table T = new TimeDefaults.Table(
      List.of("k", "note", "made", "day"),
      Map.of("made", "now()", "day", "(CURRENT_DATE + 1)"));

  private static String fill(String sql) {
    return TimeDefaults.fill(sql, Lexer.tokenize(sql), T);
  }

  @Test
  void missingColumnsAreAppendedToTheListAndEveryRow() {
    assertEquals("INSERT INTO t (k, note, made, day) VALUES (1, 'a', (now()), ((CURRENT_DATE + 1))),"
        + " ($1, f(2, 3), (now()), ((CURRENT_DATE + 1)))",
        fill("INSERT INTO t (k, note) VALUES (1, 'a'), ($1, f(2, 3))"));
    assertEquals("INSERT INTO s.\"t\" AS x (k, day, made) VALUES (1, '2026-01-01', (now()))"
        + " ON CONFLICT (k) DO NOTHING RETURNING made",
        fill("INSERT INTO s.\"t\" AS x (k, day) VALUES (1, '2026-01-01')"
            + " ON CONFLICT (k) DO NOTHING RETURNING made"));
  }

  @Test
  void withoutAListTheRowsFillTheLeadingColumns() {
    assertEquals("INSERT INTO t (k, note, made, day) VALUES (1, ARRAY[1, 2], (now()),"
        + " ((CURRENT_DATE + 1)))", fill("INSERT INTO t VALUES (1, ARRAY[1, 2])"));
    assertEquals("INSERT INTO t (k, note, made, day) VALUES (1, 'a', now(),"
        + " ((CURRENT_DATE + 1)))", fill("INSERT INTO t VALUES (1, 'a', now())"));
  }

  @Test
  void defaultKeywordsBecomeTheExpression() {
    assertEquals("INSERT INTO t VALUES (1, DEFAULT, (now()), ((CURRENT_DATE + 1)))",
        fill("INSERT INTO t VALUES (1, DEFAULT, DEFAULT, DEFAULT)"));
    assertEquals("INSERT INTO t (made, k, day) VALUES ((now()), 1, '2026-01-01'),"
        + " (now() - interval '1 day', 2, ((CURRENT_DATE + 1)))",
        fill("INSERT INTO t (made, k, day) VALUES (DEFAULT, 1, '2026-01-01'),"
            + " (now() - interval '1 day', 2, DEFAULT)"));
    assertEquals("UPDATE t SET note = DEFAULT, made = (now()), \"day\" = ((CURRENT_DATE + 1))"
        + " WHERE k = 1 RETURNING made", fill("UPDATE t SET note = DEFAULT, made = DEFAULT,"
            + " \"day\" = DEFAULT WHERE k = 1 RETURNING made"));
  }

  @Test
  void defaultKeywordsOfAnOnConflictUpdateBecomeTheExpression() {
    assertEquals("INSERT INTO t (k, note, made, day) VALUES (1, 'a', now(), CURRENT_DATE)"
        + " ON CONFLICT (k) DO UPDATE SET made = (now()), note = DEFAULT WHERE t.made < now()"
        + " RETURNING made", fill("INSERT INTO t (k, note, made, day) VALUES (1, 'a', now(),"
            + " CURRENT_DATE) ON CONFLICT (k) DO UPDATE SET made = DEFAULT, note = DEFAULT"
            + " WHERE t.made < now() RETURNING made"));
    assertEquals("INSERT INTO t (k, day, made) SELECT k, CURRENT_DATE, now() FROM s"
        + " ON CONFLICT ON CONSTRAINT t_pkey DO UPDATE SET (note) = (excluded.note),"
        + " \"day\" = ((CURRENT_DATE + 1))", fill("INSERT INTO t (k, day, made) SELECT k,"
            + " CURRENT_DATE, now() FROM s ON CONFLICT ON CONSTRAINT t_pkey DO UPDATE"
            + " SET (note) = (excluded.note), \"day\" = DEFAULT"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "INSERT INTO t (k, note, made, day) VALUES (1, 'a', now(), CURRENT_DATE)",
      "INSERT INTO t VALUES (1, 'a', now(), CURRENT_DATE)",
      "INSERT INTO t SELECT * FROM s",
      "INSERT INTO t (k) SELECT k FROM s",
      "INSERT INTO t DEFAULT VALUES",
      "INSERT INTO t (k, made, day) VALUES (1, now(), now()) ON CONFLICT (k) DO NOTHING",
      "INSERT INTO t (k, made, day) VALUES (1, now(), now()) ON CONFLICT (k) DO UPDATE"
          + " SET note = DEFAULT",
      "WITH x AS (SELECT 1) INSERT INTO t (k) VALUES (1)",
      "UPDATE t SET made = now() WHERE k = 1",
      "UPDATE t SET note = DEFAULT WHERE made = DEFAULT",
      "DELETE FROM t WHERE k = 1",
      "SELECT * FROM t"})
  void statementsThatLeaveNoTimeDefaultAreUnchanged(String sql) {
    assertNull(fill(sql), sql);
  }

  @Test
  void tablesWithoutTimeDefaultsAreUnchanged() {
    String sql = "INSERT INTO t (k) VALUES (1)";
    assertNull(TimeDefaults.fill(sql, Lexer.tokenize(sql),
        new TimeDefaults.Table(List.of("k", "made"), Map.of())));
  }

  @Test
  void theTargetIsTheWrittenName() {
    assertEquals(List.of("s", "t"),
        TimeDefaults.target(Lexer.tokenize("INSERT INTO s.t VALUES (1)")));
    assertEquals(List.of("My T"),
        TimeDefaults.target(Lexer.tokenize("UPDATE ONLY \"My T\" SET a = 1")));
    assertEquals(List.of("t"), TimeDefaults.target(Lexer.tokenize("update T set a = 1")));
    assertNull(TimeDefaults.target(Lexer.tokenize("DELETE FROM t")));
  }
}
