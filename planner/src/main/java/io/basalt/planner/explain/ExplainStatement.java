package io.basalt.planner.explain;

import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import io.basalt.planner.Statement;
import io.basalt.planner.StatementKind;
import io.basalt.planner.lexer.Token;
import io.basalt.planner.lexer.TokenKind;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An EXPLAIN statement read as far as the coordinator needs: where the explained statement
 * starts, and the options the coordinator acts on itself (ANALYZE runs the statement, FORMAT
 * decides the output's form, SUMMARY adds the total time). The options are passed on to the
 * workers as written, so every option is judged exactly as PostgreSQL judges it.
 *
 * @param options the text between EXPLAIN and the explained statement, as written ("" if none)
 * @param format the FORMAT option's value in upper case, TEXT by default
 * @param statementToken the index of the explained statement's first token
 */
public record ExplainStatement(String options, boolean analyze, String format, boolean summary,
    int statementToken) {

  /** The EXPLAIN statement's parts, or empty when the tokens are not an EXPLAIN of something. */
  public static Optional<ExplainStatement> read(String text, List<Token> tokens) {
    if (tokens.size() < 2 || !tokens.get(0).isWord("EXPLAIN")) {
      return Optional.empty();
    }
    boolean analyze = false;
    Boolean summary = null;
    String format = "TEXT";
    int i = 1;
    if (tokens.get(1).is("(")) {
      i = 2;
      while (i < tokens.size() && !tokens.get(i).is(")")) {
        String name = tokens.get(i).upper();
        int valueStart = ++i;
        int depth = 0;
        while (i < tokens.size() && (depth > 0 || !(tokens.get(i).is(",")
            || tokens.get(i).is(")")))) {
          depth += tokens.get(i).is("(") ? 1 : tokens.get(i).is(")") ? -1 : 0;
          i++;
        }
        String value = i == valueStart + 1 ? valueText(tokens.get(valueStart)) : null;
        switch (name) {
          case "ANALYZE", "ANALYSE" -> {
            // Read exactly as PostgreSQL does: a write must never run outside the
            // distributed transaction because the coordinator misread this option.
            Boolean b = bool(value, null);
            if (b == null) {
              throw BasaltException.of(SqlState.SYNTAX_ERROR,
                  name.toLowerCase(Locale.ROOT) + " requires a Boolean value");
            }
            analyze = b;
          }
          case "SUMMARY" -> summary = bool(value, summary);
          case "FORMAT" -> format = value == null ? format : value.toUpperCase(Locale.ROOT);
          default -> { }
        }
        if (i < tokens.size() && tokens.get(i).is(",")) {
          i++;
        }
      }
      i++;
    } else {
      if (tokens.get(i).isWord("ANALYZE") || tokens.get(i).isWord("ANALYSE")) {
        analyze = true;
        i++;
      }
      if (i < tokens.size() && tokens.get(i).isWord("VERBOSE")) {
        i++;
      }
    }
    if (i >= tokens.size()) {
      return Optional.empty();
    }
    int base = tokens.get(0).start();
    String options = i == 1 ? ""
        : text.substring(tokens.get(1).start() - base, tokens.get(i - 1).end() - base);
    return Optional.of(new ExplainStatement(options, analyze, format,
        summary == null ? analyze : summary, i));
  }

  /** The explained statement on its own, its tokens still counted as in {@code explain}. */
  public Statement explained(Statement explain) {
    List<Token> tokens = explain.tokens().subList(statementToken, explain.tokens().size());
    int base = explain.tokens().get(0).start();
    return new Statement(explain.text().substring(tokens.get(0).start() - base), tokens,
        StatementKind.OTHER, null);
  }

  /** EXPLAIN with these options of another statement (a task's, or the coordinator's). */
  public String of(String sql) {
    return options.isEmpty() ? "EXPLAIN " + sql : "EXPLAIN " + options + " " + sql;
  }

  /** An option value as PostgreSQL reads it: a word, a number or a quoted string. */
  private static String valueText(Token t) {
    String v = t.text();
    if ((t.kind() == TokenKind.STRING && v.startsWith("'") && v.endsWith("'"))
        || t.kind() == TokenKind.QUOTED_IDENTIFIER) {
      return v.substring(1, v.length() - 1);
    }
    if (t.kind() == TokenKind.NUMBER && v.matches("\\d+")) {
      return new java.math.BigInteger(v).toString();
    }
    return v;
  }

  /**
   * A boolean option's value; one PostgreSQL would reject keeps {@code otherwise} (the worker
   * reports PostgreSQL's error before anything runs).
   */
  private static Boolean bool(String value, Boolean otherwise) {
    if (value == null) {
      return true;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "on", "1" -> true;
      case "false", "off", "0" -> false;
      default -> otherwise;
    };
  }
}
