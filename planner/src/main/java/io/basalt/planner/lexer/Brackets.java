package io.basalt.planner.lexer;

import java.util.List;

/** Matching parentheses and brackets in a token list. */
public final class Brackets {
  private Brackets() {}

  /**
   * The index of the token that closes the parenthesis or bracket at {@code open} (nested ones
   * of either kind counted), or -1 when the statement ends first.
   */
  public static int closing(List<Token> t, int open) {
    int depth = 0;
    for (int j = open; j < t.size(); j++) {
      if (t.get(j).is("(") || t.get(j).is("[")) {
        depth++;
      } else if (t.get(j).is(")") || t.get(j).is("]")) {
        depth--;
        if (depth == 0) {
          return j;
        }
      }
    }
    return -1;
  }
}
