package io.basalt.planner.cursor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.planner.Statement;
import io.basalt.planner.StatementClassifier;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DECLARE ... CURSOR read as far as the coordinator needs. */
class DeclareCursorTest {
  private static Optional<DeclareCursor> read(String sql) {
    Statement s = StatementClassifier.classify(sql);
    return DeclareCursor.read(s.text(), s.tokens());
  }

  @Test
  void everyOptionBeforeForIsKeptAsWritten() {
    String sql = "DECLARE \"My Cursor\" BINARY INSENSITIVE NO SCROLL CURSOR WITH HOLD FOR"
        + " SELECT * FROM t WHERE k = 1";
    DeclareCursor c = read(sql).orElseThrow();
    assertEquals("DECLARE \"My Cursor\" BINARY INSENSITIVE NO SCROLL CURSOR WITH HOLD FOR ",
        c.prefix());
    assertTrue(c.withHold());
    Statement s = StatementClassifier.classify(sql);
    assertEquals("SELECT * FROM t WHERE k = 1", c.query(s).text());
    assertEquals("SELECT", c.query(s).tokens().get(0).upper());
  }

  @Test
  void withoutHoldAndPlainForms() {
    assertFalse(read("DECLARE c CURSOR FOR SELECT 1").orElseThrow().withHold());
    assertFalse(read("declare c scroll cursor without hold for values (1)").orElseThrow()
        .withHold());
    assertEquals("declare c scroll cursor without hold for ",
        read("declare c scroll cursor without hold for values (1)").orElseThrow().prefix());
  }

  @ParameterizedTest
  @ValueSource(strings = {"DECLARE c FOR SELECT 1", "DECLARE c CURSOR SELECT 1",
      "DECLARE c CURSOR FOR", "SELECT 1", "DECLARE"})
  void otherTextsAreLeftToPostgresql(String sql) {
    assertTrue(read(sql).isEmpty(), sql);
  }

  @Test
  void lockingQueriesAreRecognised() {
    DeclareCursor c = read("DECLARE c CURSOR FOR SELECT * FROM t FOR NO KEY UPDATE")
        .orElseThrow();
    Statement s = StatementClassifier.classify(
        "DECLARE c CURSOR FOR SELECT * FROM t FOR NO KEY UPDATE");
    assertTrue(DeclareCursor.locks(c.query(s)));
    Statement plain = StatementClassifier.classify("DECLARE c CURSOR FOR SELECT * FROM t");
    assertFalse(DeclareCursor.locks(read("DECLARE c CURSOR FOR SELECT * FROM t").orElseThrow()
        .query(plain)));
  }
}
