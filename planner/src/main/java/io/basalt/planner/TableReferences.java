package io.basalt.planner;

import io.basalt.metadata.catalog.Identifiers;
import io.basalt.planner.lexer.Token;
import io.basalt.planner.lexer.TokenKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The relation names a statement reads or writes, found by position: after FROM and JOIN (and
 * commas of a FROM list), after UPDATE, INTO, COPY, TABLE, USING, and ONLY. Names are folded as
 * PostgreSQL folds them (unqualified last part only). Column names, aliases and function names
 * are not relation references and are not returned, so catalog queries such as psql's do not
 * mention a user's table by accident.
 */
public final class TableReferences {
  /** Words that end a FROM list at the current parenthesis depth. */
  private static final Set<String> FROM_END = Set.of("WHERE", "GROUP", "ORDER", "LIMIT",
      "OFFSET", "HAVING", "WINDOW", "UNION", "INTERSECT", "EXCEPT", "RETURNING", "SET",
      "FETCH", "FOR", "VALUES", "SELECT", "DO", "WHEN", "USING", "TABLESAMPLE");
  /** Words followed by a FROM item (a function call there is not a relation). */
  private static final Set<String> BEFORE_ITEM = Set.of("FROM", "JOIN", "USING");
  /** Words followed by a relation name, perhaps with a column list in parentheses. */
  private static final Set<String> BEFORE_RELATION = Set.of("UPDATE", "INTO", "COPY", "TABLE");

  private TableReferences() {}

  public static List<String> of(List<Token> t) {
    List<String> names = new ArrayList<>();
    for (int[] span : spans(t)) {
      names.add(fold(t.get(span[1])));
    }
    return names;
  }

  /**
   * Where the relation names are: the indexes of the first and the last token of each
   * (possibly qualified) name, in the order they appear.
   */
  public static List<int[]> spans(List<Token> t) {
    List<int[]> spans = new ArrayList<>();
    // inFrom[depth]: whether a comma at this depth introduces another FROM item.
    boolean[] inFrom = new boolean[t.size() + 2];
    int depth = 0;
    for (int i = 0; i < t.size(); i++) {
      Token k = t.get(i);
      if (k.is("(")) {
        depth++;
        inFrom[depth] = false;
        continue;
      }
      if (k.is(")")) {
        inFrom[depth] = false;
        depth = Math.max(0, depth - 1);
        continue;
      }
      String upper = k.kind() == TokenKind.WORD ? k.upper() : "";
      if (upper.equals("FROM") || upper.equals("JOIN")) {
        inFrom[depth] = true;
      } else if (FROM_END.contains(upper) && !upper.equals("USING")) {
        inFrom[depth] = false;
      }
      boolean item = BEFORE_ITEM.contains(upper) || (k.is(",") && inFrom[depth]);
      boolean relation = BEFORE_RELATION.contains(upper);
      if ((item || relation) && i + 1 < t.size()) {
        int n = i + 1;
        if (t.get(n).isWord("ONLY") || t.get(n).isWord("LATERAL")) {
          n++;
        }
        boolean call = item && n + 1 < t.size() && t.get(n + 1).is("(");
        if (n < t.size() && isName(t.get(n)) && !call) {
          int last = n;
          while (last + 2 < t.size() && t.get(last + 1).is(".") && isName(t.get(last + 2))) {
            last += 2;
          }
          spans.add(new int[] {n, last});
        }
      }
    }
    return spans;
  }

  /**
   * The relation names used inside the string constants of a statement, read as SQL: the
   * bodies of DO blocks and of functions and procedures (dollar-quoted or not), which run later
   * where the coordinator does not see them.
   */
  public static List<String> inBodies(List<Token> t) {
    List<String> names = new ArrayList<>();
    for (Token k : t) {
      if (k.kind() == TokenKind.STRING) {
        String body = stringBody(k.text());
        if (body != null) {
          List<Token> inner = io.basalt.planner.lexer.Lexer.tokenize(body);
          names.addAll(of(inner));
          names.addAll(inBodies(inner));
        }
      }
    }
    return names;
  }

  /** The contents of a '...' or $tag$...$tag$ constant; null for other string forms. */
  static String stringBody(String text) {
    if (text.startsWith("$")) {
      int open = text.indexOf('$', 1);
      if (open < 0 || text.length() < 2 * (open + 1)) {
        return null;
      }
      return text.substring(open + 1, text.length() - open - 1);
    }
    if (text.startsWith("'") && text.endsWith("'") && text.length() >= 2) {
      return text.substring(1, text.length() - 1).replace("''", "'");
    }
    return null;
  }

  private static boolean isName(Token t) {
    return t.kind() == TokenKind.QUOTED_IDENTIFIER
        || (t.kind() == TokenKind.WORD && !t.isWord("SELECT") && !t.isWord("LATERAL"));
  }

  private static String fold(Token t) {
    return Identifiers.nameOf(t.text());
  }
}
