package io.basalt.planner;

import io.basalt.planner.lexer.Token;
import io.basalt.planner.lexer.TokenKind;
import java.util.List;
import java.util.Optional;

/**
 * A top-level call of a {@link UtilityFunction}: {@code SELECT f(...)} or
 * {@code SELECT * FROM f(...)}, optionally schema-qualified with pg_catalog and with an alias.
 * {@code nameToken} is the index of the function name's token, where the coordinator substitutes
 * its argument-evaluating and result-returning twins.
 */
public record UtilityCall(UtilityFunction function, int nameToken, boolean unaliased) {

  public static Optional<UtilityCall> recognize(List<Token> t) {
    if (t.isEmpty() || !t.get(0).isWord("SELECT")) {
      return Optional.empty();
    }
    int i = 1;
    if (i + 1 < t.size() && t.get(i).is("*") && t.get(i + 1).isWord("FROM")) {
      i += 2;
    }
    if (i + 2 < t.size() && t.get(i).isWord("pg_catalog") && t.get(i + 1).is(".")) {
      i += 2;
    }
    if (i + 1 >= t.size() || t.get(i).kind() != TokenKind.WORD || !t.get(i + 1).is("(")) {
      return Optional.empty();
    }
    Optional<UtilityFunction> f = UtilityFunction.byName(t.get(i).text());
    if (f.isEmpty()) {
      return Optional.empty();
    }
    int close = io.basalt.planner.lexer.Brackets.closing(t, i + 1);
    if (close < 0) {
      return Optional.empty();
    }
    int rest = t.size() - close - 1;
    boolean tailOk = rest == 0
        || (rest == 1 && (t.get(close + 1).kind() == TokenKind.WORD
            || t.get(close + 1).kind() == TokenKind.QUOTED_IDENTIFIER))
        || (rest == 2 && t.get(close + 1).isWord("AS"));
    return tailOk ? Optional.of(new UtilityCall(f.get(), i, rest == 0)) : Optional.empty();
  }

  /**
   * The statement calling {@code replacement} instead, with the result named as the original
   * function would name it (the column of SELECT f(), or the alias of FROM f()).
   */
  public String rewriteResult(Statement s, String replacement) {
    String sql = rewrite(s, replacement);
    return unaliased ? sql + " AS " + function.sqlName() : sql;
  }

  /** The statement with the function name replaced (schema and all) by {@code replacement}. */
  public String rewrite(Statement s, String replacement) {
    List<Token> t = s.tokens();
    int base = t.get(0).start();
    int from = nameToken >= 2 && t.get(nameToken - 1).is(".") ? nameToken - 2 : nameToken;
    String text = s.text();
    return text.substring(0, t.get(from).start() - base) + replacement
        + text.substring(t.get(nameToken).end() - base);
  }
}
