package io.basalt.planner.lexer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Token boundaries as PostgreSQL's scanner (scan.l) draws them, with standard_conforming_strings
 * on. Expected tokens are written out by hand as "KIND:text".
 */
class LexerTest {

  private static List<String> lex(String sql) {
    return Lexer.tokenize(sql).stream().map(t -> t.kind() + ":" + t.text()).toList();
  }

  @Test
  void wordsNumbersAndPunctuation() {
    assertEquals(List.of("WORD:SELECT", "WORD:a", "PUNCTUATION:,", "WORD:b_2$", "WORD:FROM",
        "WORD:s", "PUNCTUATION:.", "WORD:t", "PUNCTUATION:;"),
        lex("SELECT a, b_2$ FROM s.t;"));
    assertEquals(List.of("WORD:über", "WORD:_x"), lex("über _x"));
  }

  @Test
  void lineCommentsRunToEitherNewlineCharacter() {
    assertEquals(List.of("NUMBER:1", "NUMBER:2"), lex("1 -- one\n2 -- two"));
    assertEquals(List.of("NUMBER:1", "PUNCTUATION:,", "NUMBER:2"), lex("1 --c\r, 2"));
    assertEquals(List.of("NUMBER:1"), lex("1 -- no newline at the end"));
  }

  @Test
  void blockCommentsNest() {
    assertEquals(List.of("WORD:a", "WORD:b"), lex("a /* x /* y */ still comment */ b"));
    assertEquals(List.of("WORD:a", "WORD:b"), lex("a/**/b"));
    assertEquals(List.of("WORD:a"), lex("a /* unterminated /* */"));
    // A comment start inside a string is not a comment.
    assertEquals(List.of("STRING:'/* x'", "STRING:'-- y'"), lex("'/* x' '-- y'"));
  }

  @Test
  void standardStringsDoubleTheQuoteAndKeepBackslashes() {
    assertEquals(List.of("STRING:'it''s'", "WORD:x"), lex("'it''s' x"));
    // standard_conforming_strings: the backslash is an ordinary character and does not escape.
    assertEquals(List.of("STRING:'a\\'", "WORD:b"), lex("'a\\' b"));
    assertEquals(List.of("STRING:''"), lex("''"));
    assertEquals(List.of("STRING:'never closed"), lex("'never closed"));
  }

  @Test
  void escapeStringsHonourBackslashes() {
    assertEquals(List.of("STRING:E'a\\'b'", "WORD:c"), lex("E'a\\'b' c"));
    assertEquals(List.of("STRING:e'\\\\'", "WORD:c"), lex("e'\\\\' c"));
    assertEquals(List.of("STRING:E'x''y'"), lex("E'x''y'"));
    assertEquals(List.of("STRING:E'\\n\\t'", "PUNCTUATION:;"), lex("E'\\n\\t';"));
  }

  @Test
  void otherPrefixedStrings() {
    assertEquals(List.of("STRING:B'101'", "STRING:X'1F'", "STRING:N'abc'",
        "STRING:U&'\\0041'", "QUOTED_IDENTIFIER:U&\"d\\0061t\""),
        lex("B'101' X'1F' N'abc' U&'\\0041' U&\"d\\0061t\""));
    // A word merely ending in such a letter is a word followed by a string.
    assertEquals(List.of("WORD:ex", "STRING:'y'"), lex("ex'y'"));
  }

  @Test
  void dollarQuoting() {
    assertEquals(List.of("STRING:$$it's; a \"body\"$$", "PUNCTUATION:;"),
        lex("$$it's; a \"body\"$$;"));
    assertEquals(List.of("STRING:$fn$ $$ inner $$ $x$ $fn$", "WORD:LANGUAGE"),
        lex("$fn$ $$ inner $$ $x$ $fn$ LANGUAGE"));
    assertEquals(List.of("STRING:$a_1$x$a_1$"), lex("$a_1$x$a_1$"));
    assertEquals(List.of("STRING:$$unterminated"), lex("$$unterminated"));
    // '$' inside a word belongs to the word, so no dollar quote starts there.
    assertEquals(List.of("WORD:a$$b", "WORD:c"), lex("a$$b c"));
  }

  @Test
  void parameters() {
    assertEquals(List.of("WORD:a", "OPERATOR:=", "PARAMETER:$1", "WORD:AND", "WORD:b",
        "OPERATOR:=", "PARAMETER:$12"), lex("a=$1 AND b = $12"));
  }

  @Test
  void quotedIdentifiersDoubleTheQuote() {
    assertEquals(List.of("QUOTED_IDENTIFIER:\"a\"\"b\"", "PUNCTUATION:.",
        "QUOTED_IDENTIFIER:\"Other Table\""), lex("\"a\"\"b\".\"Other Table\""));
    assertEquals(List.of("QUOTED_IDENTIFIER:\"it's -- /*\""), lex("\"it's -- /*\""));
  }

  @Test
  void castsAndPunctuation() {
    assertEquals(List.of("STRING:'1'", "PUNCTUATION:::", "WORD:int", "PUNCTUATION:[",
        "PUNCTUATION::", "PUNCTUATION:]"), lex("'1'::int[:]"));
    assertEquals(List.of("WORD:x", "PUNCTUATION:::", "WORD:pg_catalog", "PUNCTUATION:.",
        "WORD:text"), lex("x::pg_catalog.text"));
  }

  @Test
  void operatorsFollowPostgresRules() {
    assertEquals(List.of("OPERATOR:<=", "OPERATOR:<>", "OPERATOR:!=", "OPERATOR:||",
        "OPERATOR:->>", "OPERATOR:@>", "OPERATOR:=>"), lex("<= <> != || ->> @> =>"));
    // "=-1" is "=" then "-" "1": a multi-character operator cannot end in + or - ...
    assertEquals(List.of("NUMBER:1", "OPERATOR:=", "OPERATOR:-", "NUMBER:1"), lex("1=-1"));
    assertEquals(List.of("NUMBER:2", "OPERATOR:*", "OPERATOR:-", "NUMBER:3"), lex("2*-3"));
    assertEquals(List.of("OPERATOR:<=", "OPERATOR:+", "NUMBER:1"), lex("<=+1"));
    assertEquals(List.of("OPERATOR:<", "OPERATOR:-", "NUMBER:2"), lex("<-2"));
    // ... unless it contains a character that SQL's own operators never use.
    assertEquals(List.of("OPERATOR:@-", "NUMBER:1"), lex("@-1"));
    assertEquals(List.of("OPERATOR:?-", "WORD:x"), lex("?-x"));
    // An operator stops where a comment starts.
    assertEquals(List.of("OPERATOR:+", "NUMBER:1"), lex("+-- comment\n1"));
    assertEquals(List.of("OPERATOR:*", "NUMBER:2"), lex("*/* c */2"));
  }

  @Test
  void numbers() {
    assertEquals(List.of("NUMBER:42", "NUMBER:3.5", "NUMBER:.5", "NUMBER:5.", "NUMBER:1e10",
        "NUMBER:1.5E-3", "NUMBER:2e+7"), lex("42 3.5 .5 5. 1e10 1.5E-3 2e+7"));
    assertEquals(List.of("NUMBER:1", "OPERATOR:+", "NUMBER:2"), lex("1+2"));
    assertEquals(List.of("WORD:t", "PUNCTUATION:.", "WORD:a"), lex("t.a"));
  }

  @Test
  void tokenPositionsAreStartInclusiveEndExclusive() {
    String sql = "  SELECT /* c */ 'x''y',\n\"Q\"\"\" -- end\n$1";
    List<Token> tokens = Lexer.tokenize(sql);
    assertEquals(List.of(
        new Token(TokenKind.WORD, "SELECT", 2, 8),
        new Token(TokenKind.STRING, "'x''y'", 17, 23),
        new Token(TokenKind.PUNCTUATION, ",", 23, 24),
        new Token(TokenKind.QUOTED_IDENTIFIER, "\"Q\"\"\"", 25, 30),
        new Token(TokenKind.PARAMETER, "$1", 38, 40)), tokens);
    for (Token t : tokens) {
      assertEquals(t.text(), sql.substring(t.start(), t.end()));
    }
  }

  @Test
  void whitespaceAndCommentsOnlyGiveNoTokens() {
    assertEquals(List.of(), lex(" \t\n\r\f -- x\n /* y */ "));
    assertEquals(List.of(), lex(""));
  }

  @Test
  void tokenHelpers() {
    Token word = Lexer.tokenize("select").get(0);
    assertEquals("SELECT", word.upper());
    assertEquals(true, word.isWord("SELECT"));
    Token quoted = Lexer.tokenize("\"select\"").get(0);
    assertEquals(false, quoted.isWord("select"));
    assertEquals(true, Lexer.tokenize("::").get(0).is("::"));
    assertEquals(true, Lexer.tokenize("<>").get(0).is("<>"));
  }
}
