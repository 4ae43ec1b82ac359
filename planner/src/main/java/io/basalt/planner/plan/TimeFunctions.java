package io.basalt.planner.plan;

import io.basalt.planner.lexer.Lexer;
import io.basalt.planner.lexer.Token;
import io.basalt.planner.lexer.TokenKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The transaction-time functions of a statement sent to workers, replaced by the coordinator
 * transaction's timestamp. PostgreSQL gives {@code now()}, {@code CURRENT_TIMESTAMP} and their
 * kin one value per transaction, the time it began; each worker transaction has its own, which
 * begins later (with the block's first statement there) and differs between workers. A
 * statement that ran them on the workers would see and store times that no single PostgreSQL
 * would: rows of one multi-shard UPDATE with different values of {@code now()}, reference-table
 * placements that disagree, a block's INSERT stamped later than its BEGIN and then not found by
 * a {@code WHERE at = now()} of the same block.
 *
 * <p>Each call becomes a scalar sub-SELECT of a {@code timestamptz} literal in ISO 8601 with an
 * explicit UTC offset (read the same under any DateStyle), cast to the function's own type and
 * precision in the worker session (whose TimeZone is the client's), and named as PostgreSQL
 * names the call: {@code (SELECT '...+00'::timestamptz AS "now")}. PostgreSQL names a result
 * column after a scalar sub-SELECT's own column, so {@code SELECT now()}, {@code RETURNING
 * CURRENT_DATE} and {@code now()::date} keep their column names, which a bare literal would
 * not.
 */
public final class TimeFunctions {
  /**
   * Reads the coordinator transaction's timestamp and its statement's, in the form {@link #pin}
   * takes: both in UTC, separated by a space.
   */
  public static final String CLOCK_QUERY = "SELECT pg_catalog.to_char(pg_catalog.now()"
      + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US') || ' ' || pg_catalog.to_char("
      + "pg_catalog.statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')";
  /**
   * Called with empty parentheses: {@code now()}, {@code transaction_timestamp()}, and
   * {@code statement_timestamp()}, which PostgreSQL gives one value per client statement.
   */
  private static final Set<String> CALLED = Set.of("NOW", "TRANSACTION_TIMESTAMP",
      "STATEMENT_TIMESTAMP");
  /** SQL value functions, with an optional (precision) where PostgreSQL takes one. */
  private static final Set<String> KEYWORDS = Set.of("CURRENT_TIMESTAMP", "LOCALTIMESTAMP",
      "CURRENT_TIME", "LOCALTIME", "CURRENT_DATE");

  private TimeFunctions() {}

  /** Every word that may start a call, for a first look that allocates nothing. */
  private static final String[] WORDS = {"NOW", "TRANSACTION_TIMESTAMP", "STATEMENT_TIMESTAMP",
      "CURRENT_TIMESTAMP",
      "LOCALTIMESTAMP", "CURRENT_TIME", "LOCALTIME", "CURRENT_DATE"};

  /** Whether a statement calls a transaction-time function (run on every statement). */
  public static boolean calls(List<Token> tokens) {
    for (Token t : tokens) {
      if (t.kind() == TokenKind.WORD) {
        for (String w : WORDS) {
          if (t.text().equalsIgnoreCase(w)) {
            return !edits(tokens, "").isEmpty();
          }
        }
      }
    }
    return false;
  }

  /**
   * {@code sql} with every transaction-time function replaced by its value in {@code clock}
   * ({@link #CLOCK_QUERY}'s: the coordinator transaction's start and its statement's, each
   * {@code YYYY-MM-DDTHH:MI:SS.US} in UTC, separated by a space).
   */
  public static String pin(String sql, String clock) {
    return StatementText.apply(sql, edits(Lexer.tokenize(sql), clock));
  }

  static List<StatementText.Edit> edits(List<Token> tokens, String clock) {
    int space = clock.indexOf(' ');
    String transaction = space < 0 ? clock : clock.substring(0, space);
    String literal = "'" + transaction + "+00'::timestamptz";
    String statement = "'" + (space < 0 ? clock : clock.substring(space + 1)) + "+00'::timestamptz";
    List<StatementText.Edit> edits = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.kind() != TokenKind.WORD) {
        continue;
      }
      String word = t.upper();
      boolean qualified = i > 0 && tokens.get(i - 1).is(".");
      if (CALLED.contains(word) && is(tokens, i + 1, "(") && is(tokens, i + 2, ")")) {
        int start = i;
        if (qualified) {
          // pg_catalog.now() is the same function; another schema's now() is not.
          if (i < 2 || !tokens.get(i - 2).isWord("pg_catalog")) {
            continue;
          }
          start = i - 2;
        }
        edits.add(new StatementText.Edit(tokens.get(start).start(), tokens.get(i + 2).end(),
            named(word.equals("STATEMENT_TIMESTAMP") ? statement : literal, word)));
        i += 2;
      } else if (KEYWORDS.contains(word) && !qualified) {
        String precision = null;
        int end = i;
        if (!word.equals("CURRENT_DATE") && is(tokens, i + 1, "(") && i + 3 < tokens.size()
            && tokens.get(i + 2).kind() == TokenKind.NUMBER && is(tokens, i + 3, ")")) {
          precision = tokens.get(i + 2).text();
          end = i + 3;
        }
        edits.add(new StatementText.Edit(t.start(), tokens.get(end).end(),
            replacement(word, precision, literal)));
        i = end;
      }
    }
    return edits;
  }

  private static String replacement(String word, String precision, String literal) {
    String type = switch (word) {
      case "CURRENT_TIMESTAMP" -> "timestamptz";
      case "LOCALTIMESTAMP" -> "timestamp";
      case "CURRENT_TIME" -> "timetz";
      case "LOCALTIME" -> "time";
      case "CURRENT_DATE" -> "date";
      default -> throw new IllegalArgumentException(word);
    };
    if (precision == null && type.equals("timestamptz")) {
      return named(literal, word);
    }
    return named("CAST(" + literal + " AS " + type
        + (precision == null ? "" : "(" + precision + ")") + ")", word);
  }

  /** A scalar sub-SELECT of {@code value}, whose column PostgreSQL names as the call's. */
  private static String named(String value, String word) {
    return "(SELECT " + value + " AS \"" + word.toLowerCase(java.util.Locale.ROOT) + "\")";
  }

  private static boolean is(List<Token> tokens, int i, String punctuation) {
    return i < tokens.size() && tokens.get(i).is(punctuation);
  }
}
