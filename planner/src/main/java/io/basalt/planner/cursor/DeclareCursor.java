package io.basalt.planner.cursor;

import io.basalt.planner.Statement;
import io.basalt.planner.StatementKind;
import io.basalt.planner.lexer.Token;
import java.util.List;
import java.util.Optional;

/**
 * A DECLARE ... CURSOR statement read as far as the coordinator needs: the text up to and with
 * FOR (kept as written), whether the cursor is WITH HOLD, and where its query starts.
 *
 * @param prefix {@code DECLARE name ... FOR } as written, with a space at the end
 * @param withHold the cursor outlives its transaction
 * @param queryToken the index of the query's first token
 */
public record DeclareCursor(String prefix, boolean withHold, int queryToken) {

  /**
   * The statement's parts, or empty when it is not {@code DECLARE name [BINARY]
   * [ASENSITIVE | INSENSITIVE] [[NO] SCROLL] CURSOR [{WITH | WITHOUT} HOLD] FOR query} (then
   * PostgreSQL judges it).
   */
  public static Optional<DeclareCursor> read(String text, List<Token> tokens) {
    if (tokens.size() < 5 || !tokens.get(0).isWord("DECLARE")) {
      return Optional.empty();
    }
    int i = 2;
    while (i < tokens.size() && (tokens.get(i).isWord("BINARY")
        || tokens.get(i).isWord("ASENSITIVE") || tokens.get(i).isWord("INSENSITIVE")
        || tokens.get(i).isWord("NO") || tokens.get(i).isWord("SCROLL"))) {
      i++;
    }
    if (i >= tokens.size() || !tokens.get(i).isWord("CURSOR")) {
      return Optional.empty();
    }
    i++;
    boolean withHold = false;
    if (i + 1 < tokens.size() && tokens.get(i + 1).isWord("HOLD")
        && (tokens.get(i).isWord("WITH") || tokens.get(i).isWord("WITHOUT"))) {
      withHold = tokens.get(i).isWord("WITH");
      i += 2;
    }
    if (i + 1 >= tokens.size() || !tokens.get(i).isWord("FOR")) {
      return Optional.empty();
    }
    int base = tokens.get(0).start();
    return Optional.of(new DeclareCursor(text.substring(0, tokens.get(i).end() - base) + " ",
        withHold, i + 1));
  }

  /** The cursor's query on its own, its tokens still counted as in {@code declare}. */
  public Statement query(Statement declare) {
    List<Token> tokens = declare.tokens().subList(queryToken, declare.tokens().size());
    int base = declare.tokens().get(0).start();
    return new Statement(declare.text().substring(tokens.get(0).start() - base), tokens,
        StatementKind.OTHER, null);
  }

  /**
   * Whether a cursor's query ({@link #query}) takes row locks (FOR UPDATE / NO KEY UPDATE /
   * SHARE / KEY SHARE), which rows read into the coordinator would not hold.
   */
  public static boolean locks(Statement query) {
    List<Token> t = query.tokens();
    for (int i = 0; i + 1 < t.size(); i++) {
      if (t.get(i).isWord("FOR") && (t.get(i + 1).isWord("UPDATE") || t.get(i + 1).isWord("SHARE")
          || t.get(i + 1).isWord("NO") || t.get(i + 1).isWord("KEY"))) {
        return true;
      }
    }
    return false;
  }
}
