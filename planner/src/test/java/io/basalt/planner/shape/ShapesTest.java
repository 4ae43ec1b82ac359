package io.basalt.planner.shape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.planner.lexer.Lexer;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShapesTest {

  private static void same(String a, String b) {
    StatementShape x = Shapes.of(a);
    StatementShape y = Shapes.of(b);
    assertEquals(x, y, () -> x + "  vs  " + y);
    assertEquals(x.hashCode(), y.hashCode());
  }

  private static void different(String a, String b) {
    StatementShape x = Shapes.of(a);
    StatementShape y = Shapes.of(b);
    assertNotEquals(x, y, () -> "both " + x);
  }

  /** Each slot as "KIND text start..end keyword". */
  private static List<String> slots(String sql) {
    return Shapes.of(sql).slots().stream()
        .map(s -> s.kind() + " " + s.text() + " " + s.start() + ".." + s.end()
            + (s.keyword().isEmpty() ? "" : " " + s.keyword()))
        .toList();
  }

  @Test
  void literalsWhitespaceCommentsAndKeywordCaseDoNotChangeTheShape() {
    same("SELECT * FROM t WHERE id = 1 AND name = 'x'",
        "select *\n  from T -- the table\n where ID=42 /* key */ and NAME = 'longer text'");
    same("INSERT INTO t VALUES (1, 'a', 2.5)", "insert into t values (7, 'bb', 0.001)");
    same("SELECT $1::int", "select   $1 :: INT");
    same("SELECT 'x'", "SELECT 'y'");
    same("SELECT $$a$$", "SELECT $tag$it's$tag$");
  }

  @Test
  void structureIdentifiersAndOperatorsChangeTheShape() {
    different("SELECT a FROM t", "SELECT b FROM t");
    different("SELECT a FROM t", "SELECT a FROM t WHERE true");
    different("SELECT * FROM t WHERE a = 1", "SELECT * FROM t WHERE a < 1");
    different("SELECT * FROM t WHERE a = 1", "SELECT * FROM t WHERE a = 1;");
    different("SELECT x IS NULL", "SELECT x IS TRUE");
    different("SELECT x IS TRUE", "SELECT x IS FALSE");
  }

  @Test
  void quotedIdentifiersStayExact() {
    different("SELECT * FROM \"Foo\"", "SELECT * FROM foo");
    different("SELECT * FROM \"Foo\"", "SELECT * FROM \"foo\"");
    // The same name, but a shape does not resolve quoting; over-distinguishing is safe.
    different("SELECT * FROM \"foo\"", "SELECT * FROM foo");
    same("SELECT * FROM Foo", "SELECT * FROM FOO");
  }

  @Test
  void unquotedWordsFoldOnlyAsciiLetters() {
    same("SELECT ABC", "SELECT abc");
    different("SELECT Über", "SELECT über");
    assertEquals("select über", Shapes.of("SELECT über").toString());
  }

  @Test
  void castsKeepTheirTypes() {
    same("SELECT '1'::int", "SELECT '2'::INT");
    different("SELECT '1'::int", "SELECT '1'::bigint");
    different("SELECT x::numeric(10,2)", "SELECT x::numeric(12,4)");
    different("SELECT x::geometry(Point, 4326)", "SELECT x::geometry(Point, 3857)");
    different("SELECT x::pg_catalog.varchar(10)", "SELECT x::pg_catalog.varchar(20)");
    different("SELECT x::time(3) with time zone", "SELECT x::time(6) with time zone");
    different("SELECT CAST(x AS varchar(10))", "SELECT CAST(x AS varchar(20))");
    different("SELECT CAST(x AS mytype(1))", "SELECT CAST(x AS mytype(2))");
    different("SELECT x::float(24)", "SELECT x::float(25)");
    different("SELECT mytype(3) '1'", "SELECT mytype(4) '1'");
    same("SELECT mytype(3) '1'", "SELECT mytype(3) '2'");
    assertEquals(List.of(), slots("SELECT x::numeric(10,2)"));
  }

  @Test
  void typedLiteralsKeepTheTypeAndSlotTheString() {
    same("SELECT date '2020-01-01'", "SELECT DATE '1999-12-31'");
    different("SELECT date '2020-01-01'", "SELECT timestamp '2020-01-01'");
    same("SELECT now() - interval '1 day'", "SELECT now() - INTERVAL '3 hours'");
    same("SELECT interval '1.5' second(3)", "SELECT interval '2.25' second(3)");
    different("SELECT interval '1.5' second(3)", "SELECT interval '1.5' second(2)");
    assertEquals(List.of("STRING '2020-01-01' 12..24 date"),
        slots("SELECT date '2020-01-01'"));
    assertEquals("select interval '?'", Shapes.of("SELECT interval '1 day'").toString());
  }

  @Test
  void parametersAreSlotsThatKeepTheirNumber() {
    same("SELECT * FROM t WHERE a = $1", "select * from t where a=$1");
    different("SELECT * FROM t WHERE a = $1", "SELECT * FROM t WHERE a = 1");
    different("SELECT * FROM t WHERE a = $1", "SELECT * FROM t WHERE a = '1'");
    different("SELECT * FROM t WHERE a = $1 AND b = $2",
        "SELECT * FROM t WHERE a = $2 AND b = $1");
    assertEquals(List.of("PARAMETER $1 26..28", "NUMBER 5 35..36 limit"),
        slots("SELECT * FROM t WHERE a = $1 LIMIT 5"));
  }

  @Test
  void numbersKeepTheirTypeClass() {
    same("SELECT 1", "SELECT 2147483647");
    same("SELECT 2147483649", "SELECT 9223372036854775807");
    same("SELECT 1.5", "SELECT 1e10");
    same("SELECT .5", "SELECT 5.");
    same("SELECT 9223372036854775809", "SELECT 0.1");
    different("SELECT 1", "SELECT 1.0");
    different("SELECT 1", "SELECT 3000000000");
    different("SELECT 3000000000", "SELECT 99999999999999999999");
    assertEquals("select ?int4 , ?int8 , ?numeric",
        Shapes.of("SELECT 1, 3000000000, 1.5").toString());
  }

  @Test
  void numbersWhoseMeaningIsNotTheirValueStayAsWritten() {
    // -2147483648 is int4 but 2147483648 is int8: PostgreSQL folds the minus into the constant.
    different("SELECT -2147483648", "SELECT -2147483649");
    different("SELECT -9223372036854775808", "SELECT -9223372036854775807");
    assertEquals(List.of(), slots("SELECT -2147483648"));
    // Hexadecimal and underscores are numbers only from PostgreSQL 16 on (15: 0 AS x1f).
    different("SELECT 0x1F", "SELECT 0x2F");
    different("SELECT 1_000", "SELECT 2_000");
    different("SELECT 1abc", "SELECT 2abc");
    assertEquals(List.of(), slots("SELECT 0x1F, 1_000, 1e"));
  }

  @Test
  void negativeNumbersKeepTheMinusAsAnOperator() {
    same("SELECT * FROM t WHERE a = -1", "SELECT * FROM t WHERE a = -7");
    different("SELECT * FROM t WHERE a = -1", "SELECT * FROM t WHERE a = 1");
    same("SELECT a -1", "SELECT a - 1");
    assertEquals(List.of("NUMBER 1 27..28"), slots("SELECT * FROM t WHERE a = -1"));
    assertEquals("select * from t where a = - ?int4",
        Shapes.of("SELECT * FROM t WHERE a = -1").toString());
  }

  @Test
  void limitAndOffsetAreSlotsMarkedWithTheirKeyword() {
    same("SELECT * FROM t LIMIT 10", "SELECT * FROM t LIMIT 20");
    different("SELECT * FROM t LIMIT 10", "SELECT * FROM t LIMIT ALL");
    assertEquals(List.of("NUMBER 10 22..24 limit", "NUMBER 5 32..33 offset"),
        slots("SELECT * FROM t LIMIT 10 OFFSET 5"));
    assertEquals(List.of("PARAMETER $1 22..24 limit"), slots("SELECT * FROM t LIMIT $1"));
    assertEquals(List.of("NUMBER 3 28..29 first"),
        slots("SELECT * FROM t FETCH FIRST 3 ROWS ONLY"));
  }

  @Test
  void inListsOfDifferentLengthAreDifferentShapes() {
    same("SELECT * FROM t WHERE a IN (1, 2)", "SELECT * FROM t WHERE a IN (3, 4)");
    different("SELECT * FROM t WHERE a IN (1, 2)", "SELECT * FROM t WHERE a IN (1, 2, 3)");
    assertEquals(3, Shapes.of("SELECT * FROM t WHERE a IN (1, 2, 3)").slots().size());
  }

  @Test
  void nullTrueAndFalseAreKeywordsNotSlots() {
    assertEquals(List.of(), slots("SELECT NULL, TRUE, false WHERE x IS NULL"));
    different("SELECT * FROM t WHERE a = NULL", "SELECT * FROM t WHERE a = 1");
  }

  @Test
  void ordinalsStayAsWritten() {
    different("SELECT a, b FROM t ORDER BY 1", "SELECT a, b FROM t ORDER BY 2");
    different("SELECT a, b FROM t ORDER BY a, 1", "SELECT a, b FROM t ORDER BY a, 2");
    different("SELECT a, count(*) FROM t GROUP BY 1", "SELECT a, count(*) FROM t GROUP BY 2");
    different("SELECT DISTINCT ON (1) a, b FROM t", "SELECT DISTINCT ON (2) a, b FROM t");
    // An expression in ORDER BY is not an ordinal, nor is anything after the list ends.
    same("SELECT a FROM t ORDER BY a + 1", "SELECT a FROM t ORDER BY a + 2");
    same("SELECT a FROM t ORDER BY 1 LIMIT 5", "SELECT a FROM t ORDER BY 1 LIMIT 6");
    same("SELECT a FROM t GROUP BY 1 UNION SELECT 1, 2",
        "SELECT a FROM t GROUP BY 1 UNION SELECT 3, 4");
    same("SELECT (SELECT a FROM t ORDER BY 1), 5", "SELECT (SELECT a FROM t ORDER BY 1), 6");
    same("SELECT DISTINCT ON (a) a, 1 FROM t", "SELECT DISTINCT ON (a) a, 2 FROM t");
    assertEquals(List.of("NUMBER 5 44..45 limit"),
        slots("SELECT a, b FROM t ORDER BY 2, 1 DESC LIMIT 5"));
  }

  @Test
  void stringPrefixesStayInTheShape() {
    different("SELECT 'a'", "SELECT E'a'");
    different("SELECT 'a'", "SELECT N'a'");
    different("SELECT 'a'", "SELECT U&'a'");
    different("SELECT 'a'", "SELECT $$a$$");
    same("SELECT e'a'", "SELECT E'b'");
    // Bit strings carry their length in their type.
    different("SELECT B'101'", "SELECT B'10'");
    different("SELECT X'1F'", "SELECT X'2F'");
    // The escape character of U& strings is syntax.
    different("SELECT U&'d!0061t' UESCAPE '!'", "SELECT U&'d#0061t' UESCAPE '#'");
    same("SELECT U&'d!0061t' UESCAPE '!'", "SELECT U&'x' UESCAPE '!'");
    assertEquals("select '?' , E'?' , U&'?' , N'?' , $$?$$",
        Shapes.of("SELECT 'a', E'b', U&'c', N'd', $x$e$x$").toString());
  }

  @Test
  void trickyLiteralsGiveExactSlotTextAndPositions() {
    String sql = "SELECT E'\\'', $tag$a $$ b$tag$, 'it''s', 1e10, .5, $12";
    assertEquals(List.of(
        "STRING E'\\'' 7..12 select",
        "STRING $tag$a $$ b$tag$ 14..30",
        "STRING 'it''s' 32..39",
        "NUMBER 1e10 41..45",
        "NUMBER .5 47..49",
        "PARAMETER $12 51..54"), slots(sql));
    for (Slot s : Shapes.of(sql).slots()) {
      assertEquals(s.text(), sql.substring(s.start(), s.end()));
    }
    List<Slot> all = Shapes.of(sql).slots();
    for (int i = 0; i < all.size(); i++) {
      assertEquals(i, all.get(i).index());
    }
  }

  @Test
  void tokensGiveTheSameShapeAsText() {
    String sql = "UPDATE t SET a = 'x' WHERE id = $1";
    StatementShape fromTokens = Shapes.of(Lexer.tokenize(sql));
    assertEquals(Shapes.of(sql), fromTokens);
    assertEquals(Shapes.of(sql).slots(), fromTokens.slots());
  }

  @Test
  void withoutSlotsIsEqualAndHoldsNoValues() {
    StatementShape s = Shapes.of("SELECT * FROM t WHERE a = 'some long value'");
    StatementShape key = s.withoutSlots();
    assertEquals(s, key);
    assertTrue(key.slots().isEmpty());
    StatementShape none = Shapes.of("SELECT a FROM t");
    assertSame(none, none.withoutSlots());
  }

  @Test
  void emptyAndOddInput() {
    assertEquals(Shapes.of(""), Shapes.of("  -- nothing\n /* at all */"));
    assertEquals("", Shapes.of("").toString());
    // Unterminated constants still give a shape; PostgreSQL reports them when parsing.
    assertEquals(List.of("STRING 'abc 7..11 select"), slots("SELECT 'abc"));
    different("SELECT \"a b\"", "SELECT \"a\" b");
  }
}
