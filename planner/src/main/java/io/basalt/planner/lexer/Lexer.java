package io.basalt.planner.lexer;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL into tokens following PostgreSQL's lexical rules (assuming
 * standard_conforming_strings = on, the default since 9.1). Unterminated strings, comments and
 * quoted identifiers run to the end of the text, as PostgreSQL would report them only when
 * parsing; the lexer never fails.
 */
public final class Lexer {
  private static final String OPERATOR_CHARS = "+-*/<>=~!@#%^&|`?";

  private final String sql;
  private int pos;

  private Lexer(String sql) {
    this.sql = sql;
  }

  public static List<Token> tokenize(String sql) {
    return new Lexer(sql).all();
  }

  private List<Token> all() {
    List<Token> tokens = new ArrayList<>();
    while (true) {
      skipSpaceAndComments();
      if (pos >= sql.length()) {
        return tokens;
      }
      tokens.add(next());
    }
  }

  private void skipSpaceAndComments() {
    while (pos < sql.length()) {
      char c = sql.charAt(pos);
      if (Character.isWhitespace(c)) {
        pos++;
      } else if (c == '-' && peek(1) == '-') {
        // A line comment ends at either newline character, as in PostgreSQL's scanner.
        while (pos < sql.length() && sql.charAt(pos) != '\n' && sql.charAt(pos) != '\r') {
          pos++;
        }
      } else if (c == '/' && peek(1) == '*') {
        skipBlockComment();
      } else {
        return;
      }
    }
  }

  /** Block comments nest in PostgreSQL. */
  private void skipBlockComment() {
    int depth = 0;
    while (pos < sql.length()) {
      if (sql.startsWith("/*", pos)) {
        depth++;
        pos += 2;
      } else if (sql.startsWith("*/", pos)) {
        depth--;
        pos += 2;
        if (depth == 0) {
          return;
        }
      } else {
        pos++;
      }
    }
  }

  private char peek(int ahead) {
    int i = pos + ahead;
    return i < sql.length() ? sql.charAt(i) : '\0';
  }

  private Token next() {
    int start = pos;
    char c = sql.charAt(pos);
    if ((c == 'E' || c == 'e') && peek(1) == '\'') {
      pos++;
      quoted('\'', true);
      return token(TokenKind.STRING, start);
    }
    if ((c == 'B' || c == 'b' || c == 'X' || c == 'x' || c == 'N' || c == 'n')
        && peek(1) == '\'') {
      pos++;
      quoted('\'', false);
      return token(TokenKind.STRING, start);
    }
    if ((c == 'U' || c == 'u') && peek(1) == '&' && (peek(2) == '\'' || peek(2) == '"')) {
      char q = peek(2);
      pos += 2;
      quoted(q, false);
      return token(q == '\'' ? TokenKind.STRING : TokenKind.QUOTED_IDENTIFIER, start);
    }
    if (c == '\'') {
      quoted('\'', false);
      return token(TokenKind.STRING, start);
    }
    if (c == '"') {
      quoted('"', false);
      return token(TokenKind.QUOTED_IDENTIFIER, start);
    }
    if (c == '$') {
      if (Character.isDigit(peek(1))) {
        pos++;
        while (pos < sql.length() && Character.isDigit(sql.charAt(pos))) {
          pos++;
        }
        return token(TokenKind.PARAMETER, start);
      }
      String tag = dollarTag();
      if (tag != null) {
        pos += tag.length();
        int close = sql.indexOf(tag, pos);
        pos = close < 0 ? sql.length() : close + tag.length();
        return token(TokenKind.STRING, start);
      }
    }
    if (Character.isDigit(c) || (c == '.' && Character.isDigit(peek(1)))) {
      number();
      return token(TokenKind.NUMBER, start);
    }
    if (Character.isLetter(c) || c == '_' || c >= 0x80) {
      while (pos < sql.length()) {
        char d = sql.charAt(pos);
        if (Character.isLetterOrDigit(d) || d == '_' || d == '$' || d >= 0x80) {
          pos++;
        } else {
          break;
        }
      }
      return token(TokenKind.WORD, start);
    }
    if (c == ':' && peek(1) == ':') {
      pos += 2;
      return token(TokenKind.PUNCTUATION, start);
    }
    if ("()[],;:.".indexOf(c) >= 0) {
      pos++;
      return token(TokenKind.PUNCTUATION, start);
    }
    if (OPERATOR_CHARS.indexOf(c) >= 0) {
      while (pos < sql.length() && OPERATOR_CHARS.indexOf(sql.charAt(pos)) >= 0
          && !sql.startsWith("--", pos) && !sql.startsWith("/*", pos)) {
        pos++;
      }
      trimTrailingSign(start);
      return token(TokenKind.OPERATOR, start);
    }
    pos++;
    return token(TokenKind.OPERATOR, start);
  }

  /**
   * A multi-character operator cannot end in + or - unless it contains one of ~ ! @ # % ^ & | `
   * ?, so that "=-1" is "=" then "-1" (PostgreSQL's scanner gives back the trailing signs).
   */
  private void trimTrailingSign(int start) {
    for (int i = start; i < pos; i++) {
      if ("~!@#%^&|`?".indexOf(sql.charAt(i)) >= 0) {
        return;
      }
    }
    while (pos - start > 1 && (sql.charAt(pos - 1) == '+' || sql.charAt(pos - 1) == '-')) {
      pos--;
    }
  }

  private Token token(TokenKind kind, int start) {
    return new Token(kind, sql.substring(start, pos), start, pos);
  }

  /** At a quote character: consumes through the closing quote; doubled quotes stay inside. */
  private void quoted(char quote, boolean backslashEscapes) {
    pos++;
    while (pos < sql.length()) {
      char c = sql.charAt(pos);
      if (backslashEscapes && c == '\\') {
        pos += 2;
        continue;
      }
      pos++;
      if (c == quote) {
        if (peek(0) == quote) {
          pos++;
        } else {
          return;
        }
      }
    }
    pos = Math.min(pos, sql.length());
  }

  /** "$tag$" or "$$" starting at pos, or null when this '$' starts no dollar quote. */
  private String dollarTag() {
    int i = pos + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == '$') {
        return sql.substring(pos, i + 1);
      }
      boolean ok = (i == pos + 1) ? (Character.isLetter(c) || c == '_' || c >= 0x80)
          : (Character.isLetterOrDigit(c) || c == '_' || c >= 0x80);
      if (!ok) {
        return null;
      }
      i++;
    }
    return null;
  }

  private void number() {
    while (pos < sql.length()) {
      char c = sql.charAt(pos);
      if (Character.isLetterOrDigit(c) || c == '.' || c == '_') {
        // 1e10, 0x1F, 1_000 and 1.5 are one token; "1..2" does not occur in valid SQL.
        if ((c == 'e' || c == 'E') && (peek(1) == '+' || peek(1) == '-')) {
          pos++;
        }
        pos++;
      } else {
        break;
      }
    }
  }
}
