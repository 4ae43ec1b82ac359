package io.basalt.planner;

import io.basalt.planner.lexer.Lexer;
import io.basalt.planner.lexer.Token;
import io.basalt.planner.lexer.TokenKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Splits a query string into statements at top-level semicolons and classifies each. */
public final class StatementClassifier {
  private static final Set<String> TRANSACTION_WORDS = Set.of("BEGIN", "START", "COMMIT", "END",
      "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE", "PREPARE");

  private StatementClassifier() {}

  /**
   * The statements of a query string. A semicolon ends a statement unless it is inside
   * parentheses or inside the BEGIN ... END body of CREATE [OR REPLACE] FUNCTION/PROCEDURE
   * (BEGIN ATOMIC), which psql recognises the same way.
   */
  public static List<Statement> split(String sql) {
    List<Token> tokens = Lexer.tokenize(sql);
    List<Statement> out = new ArrayList<>();
    int from = 0;
    int depth = 0;
    int beginDepth = 0;
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.is("(") || t.is("[")) {
        depth++;
      } else if (t.is(")") || t.is("]")) {
        depth = Math.max(0, depth - 1);
      } else if (t.is(";") && depth == 0 && beginDepth == 0) {
        add(out, sql, tokens.subList(from, i));
        from = i + 1;
      } else if (depth == 0 && t.kind() == TokenKind.WORD
          && createsRoutine(tokens.subList(from, i))) {
        if (t.isWord("BEGIN") || (t.isWord("CASE") && beginDepth > 0)) {
          beginDepth++;
        } else if (t.isWord("END") && beginDepth > 0) {
          beginDepth--;
        }
      }
    }
    add(out, sql, tokens.subList(from, tokens.size()));
    return out;
  }

  /** Whether a statement starts CREATE [OR REPLACE] FUNCTION|PROCEDURE. */
  private static boolean createsRoutine(List<Token> t) {
    int i = 1;
    if (t.size() > 3 && t.get(1).isWord("OR") && t.get(2).isWord("REPLACE")) {
      i = 3;
    }
    return t.size() > i && t.get(0).isWord("CREATE")
        && (t.get(i).isWord("FUNCTION") || t.get(i).isWord("PROCEDURE"));
  }

  private static void add(List<Statement> out, String sql, List<Token> tokens) {
    if (tokens.isEmpty()) {
      return;
    }
    String text = sql.substring(tokens.get(0).start(), tokens.get(tokens.size() - 1).end());
    out.add(classify(text, tokens));
  }

  /** Classifies one statement (no top-level semicolons). */
  public static Statement classify(String text) {
    List<Token> tokens = Lexer.tokenize(text);
    List<Token> body = tokens;
    if (!tokens.isEmpty() && tokens.get(tokens.size() - 1).is(";")) {
      body = tokens.subList(0, tokens.size() - 1);
    }
    if (body.isEmpty()) {
      return new Statement(text, body, StatementKind.EMPTY, null);
    }
    // As split() makes it: from the first token to the last, without the semicolon, so that
    // token positions minus the first token's start index into the text (UtilityCall.rewrite).
    return classify(text.substring(body.get(0).start(), body.get(body.size() - 1).end()), body);
  }

  private static Statement classify(String text, List<Token> t) {
    String first = t.get(0).kind() == TokenKind.WORD ? t.get(0).upper() : "";
    if (first.equals("COPY")) {
      StatementKind copy = copyKind(t);
      if (copy != null) {
        return new Statement(text, t, copy, null);
      }
    }
    if (first.equals("SET") || first.equals("RESET")) {
      Statement s = clientEncoding(text, t, first.equals("RESET"));
      if (s != null) {
        return s;
      }
    }
    if (TRANSACTION_WORDS.contains(first)
        && !(first.equals("PREPARE") && !(t.size() > 1 && t.get(1).isWord("TRANSACTION")))) {
      return new Statement(text, t, StatementKind.TRANSACTION_CONTROL, null);
    }
    if (first.equals("SELECT") && UtilityCall.recognize(t).isPresent()) {
      return new Statement(text, t, StatementKind.UTILITY_CALL, null);
    }
    if (isDdl(first, t)) {
      return new Statement(text, t, StatementKind.DDL, null);
    }
    return new Statement(text, t, StatementKind.OTHER, null);
  }

  private static boolean isDdl(String first, List<Token> t) {
    String second = t.size() > 1 ? t.get(1).upper() : "";
    String third = t.size() > 2 ? t.get(2).upper() : "";
    return switch (first) {
      case "TRUNCATE", "VACUUM", "ANALYZE", "ANALYSE", "REINDEX", "CLUSTER" -> true;
      case "ALTER", "DROP" -> second.equals("TABLE") || second.equals("INDEX")
          || second.equals("TYPE");
      case "CREATE" -> second.equals("INDEX")
          || (second.equals("UNIQUE") && third.equals("INDEX"));
      default -> false;
    };
  }

  /** COPY target FROM STDIN / COPY source TO STDOUT, looking at top-level words only. */
  private static StatementKind copyKind(List<Token> t) {
    int depth = 0;
    for (int i = 1; i + 1 < t.size(); i++) {
      Token k = t.get(i);
      if (k.is("(")) {
        depth++;
      } else if (k.is(")")) {
        depth--;
      } else if (depth == 0 && k.isWord("FROM") && t.get(i + 1).isWord("STDIN")) {
        return StatementKind.COPY_FROM_STDIN;
      } else if (depth == 0 && k.isWord("TO") && t.get(i + 1).isWord("STDOUT")) {
        return StatementKind.COPY_TO_STDOUT;
      }
    }
    return null;
  }

  /**
   * SET [SESSION] client_encoding {TO|=} value, SET NAMES value, RESET client_encoding. SET LOCAL
   * is left to the server (it would not outlive the transaction anyway, and is rare).
   */
  private static Statement clientEncoding(String text, List<Token> t, boolean reset) {
    int i = 1;
    if (!reset && i < t.size() && t.get(i).isWord("SESSION")) {
      i++;
    }
    if (i >= t.size()) {
      return null;
    }
    Token name = t.get(i);
    boolean names = !reset && name.isWord("NAMES");
    boolean enc = name.isWord("client_encoding")
        // Setting names are case-insensitive even when quoted.
        || (name.kind() == TokenKind.QUOTED_IDENTIFIER
            && name.text().equalsIgnoreCase("\"client_encoding\""));
    if (!names && !enc) {
      return null;
    }
    if (reset) {
      return new Statement(text, t, StatementKind.SET_CLIENT_ENCODING, null);
    }
    i++;
    if (enc && i < t.size() && (t.get(i).isWord("TO") || t.get(i).is("="))) {
      i++;
    }
    if (i != t.size() - 1) {
      return i >= t.size() && names
          ? new Statement(text, t, StatementKind.SET_CLIENT_ENCODING, null) : null;
    }
    Token v = t.get(i);
    String value = switch (v.kind()) {
      case STRING -> stringConstant(v.text());
      case WORD -> v.isWord("DEFAULT") ? null : v.text();
      case QUOTED_IDENTIFIER -> v.text().substring(1, v.text().length() - 1);
      default -> "\0";
    };
    if ("\0".equals(value)) {
      return null;
    }
    return new Statement(text, t, StatementKind.SET_CLIENT_ENCODING, value);
  }

  /**
   * The value of a '...', E'...' or $tag$...$tag$ constant. Other forms (and E'' escapes other
   * than \\ and \') come back as written, which is no encoding name, so the SET fails as it
   * would on PostgreSQL instead of falling back to the default.
   */
  private static String stringConstant(String s) {
    if (s.startsWith("$")) {
      int tag = s.indexOf('$', 1) + 1;
      return s.length() >= 2 * tag && s.endsWith(s.substring(0, tag))
          ? s.substring(tag, s.length() - tag) : s;
    }
    boolean escapes = s.startsWith("E'") || s.startsWith("e'");
    String body = escapes ? s.substring(1) : s;
    if (body.length() < 2 || !body.startsWith("'") || !body.endsWith("'")) {
      return s;
    }
    body = body.substring(1, body.length() - 1);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      boolean escaped = i + 1 < body.length() && (c == '\'' || (escapes && c == '\\'
          && (body.charAt(i + 1) == '\\' || body.charAt(i + 1) == '\'')));
      out.append(escaped ? body.charAt(++i) : c);
    }
    return out.toString();
  }
}
