package io.basalt.planner.plan;

import io.basalt.metadata.catalog.Identifiers;
import io.basalt.planner.lexer.Brackets;
import io.basalt.planner.lexer.Token;
import io.basalt.planner.lexer.TokenKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Column defaults that call transaction-time functions ({@code DEFAULT now()}), written into an
 * INSERT ... VALUES, an UPDATE ... SET c = DEFAULT or an INSERT's ON CONFLICT ... DO UPDATE SET
 * c = DEFAULT, so that the coordinator pins them
 * ({@link TimeFunctions}) like the client's own calls. Left to the shards, each worker
 * transaction would evaluate them at its own time (see TimeFunctions for why that is wrong).
 *
 * <p>An INSERT gets the missing columns appended to its column list (a list of the columns its
 * rows fill when it had none) and their default expressions to every row; a {@code DEFAULT}
 * keyword in such a column's place becomes the expression. Anything else (INSERT ... SELECT,
 * DEFAULT VALUES, WITH ...) is left as written.
 */
public final class TimeDefaults {
  /**
   * A table's columns in order ({@code columns}, dropped ones left out) and, by column name, the
   * default expressions that call a transaction-time function, as pg_get_expr gives them.
   */
  public record Table(List<String> columns, Map<String, String> defaults) {
    public Table {
      columns = List.copyOf(columns);
      defaults = Map.copyOf(defaults);
    }
  }

  private TimeDefaults() {}

  /**
   * The written name of the table an INSERT or UPDATE writes ({@code schema.name} as separate
   * parts, as written), or null for any other statement.
   */
  public static List<String> target(List<Token> tokens) {
    int i;
    if (tokens.size() > 2 && tokens.get(0).isWord("INSERT") && tokens.get(1).isWord("INTO")) {
      i = 2;
    } else if (tokens.size() > 1 && tokens.get(0).isWord("UPDATE")) {
      i = tokens.get(1).isWord("ONLY") ? 2 : 1;
    } else {
      return null;
    }
    List<String> names = new ArrayList<>();
    int end = nameEnd(tokens, i);
    if (end < 0) {
      return null;
    }
    for (int k = i; k < end; k += 2) {
      names.add(Identifiers.nameOf(tokens.get(k).text()));
    }
    return names;
  }

  /**
   * {@code sql} with the time defaults of {@code table} written out, or null when the statement
   * leaves none of them to the table.
   */
  public static String fill(String sql, List<Token> tokens, Table table) {
    if (table.defaults().isEmpty() || target(tokens) == null) {
      return null;
    }
    List<StatementText.Edit> edits;
    if (tokens.get(0).isWord("INSERT")) {
      edits = insertEdits(tokens, table);
      int conflict = topLevel(tokens, "CONFLICT");
      if (conflict >= 0) {
        edits.addAll(setEdits(tokens, conflict, table));
      }
    } else {
      edits = setEdits(tokens, 0, table);
    }
    return edits.isEmpty() ? null : StatementText.apply(sql, edits);
  }

  private static List<StatementText.Edit> insertEdits(List<Token> tokens, Table table) {
    List<StatementText.Edit> edits = new ArrayList<>();
    int i = nameEnd(tokens, 2);
    if (at(tokens, i, "AS")) {
      i += 2; // INSERT INTO t AS alias: PostgreSQL takes no alias without AS here
    }
    int aliasEnd = i;
    List<String> listed = null;
    int listClose = -1;
    if (is(tokens, i, "(")) {
      listClose = Brackets.closing(tokens, i);
      if (listClose < 0) {
        return edits;
      }
      listed = new ArrayList<>();
      for (int k = i + 1; k < listClose; k++) {
        if (isName(tokens.get(k)) && (is(tokens, k + 1, ",") || k + 1 == listClose)) {
          listed.add(Identifiers.nameOf(tokens.get(k).text()));
        } else if (!tokens.get(k).is(",")) {
          return edits; // a sub-field or subscript target: left alone
        }
      }
      i = listClose + 1;
    }
    if (at(tokens, i, "OVERRIDING")) {
      i += 3;
    }
    if (!at(tokens, i, "VALUES")) {
      return edits;
    }
    // Each row: its opening and closing parenthesis and where its items start.
    List<int[]> rows = new ArrayList<>();
    List<List<Integer>> items = new ArrayList<>();
    i++;
    while (is(tokens, i, "(")) {
      int end = Brackets.closing(tokens, i);
      if (end < 0) {
        return edits;
      }
      List<Integer> starts = new ArrayList<>();
      starts.add(i + 1);
      int depth = 0;
      for (int k = i + 1; k < end; k++) {
        Token t = tokens.get(k);
        if (t.is("(") || t.is("[")) {
          depth++;
        } else if (t.is(")") || t.is("]")) {
          depth--;
        } else if (depth == 0 && t.is(",")) {
          starts.add(k + 1);
        }
      }
      rows.add(new int[] {i, end});
      items.add(starts);
      i = end + 1;
      if (!is(tokens, i, ",")) {
        break;
      }
      i++;
    }
    if (rows.isEmpty()) {
      return edits;
    }
    int width = items.get(0).size();
    List<String> columns = listed;
    if (columns == null) {
      if (width > table.columns().size()) {
        return edits; // PostgreSQL's own error
      }
      columns = table.columns().subList(0, width);
    }
    List<String> missing = new ArrayList<>();
    for (String column : table.columns()) {
      String expression = table.defaults().get(column);
      if (expression == null) {
        continue;
      }
      int place = columns.indexOf(column);
      if (place < 0) {
        missing.add(column);
        continue;
      }
      for (int r = 0; r < rows.size(); r++) {
        List<Integer> starts = items.get(r);
        if (place >= starts.size()) {
          continue;
        }
        int first = starts.get(place);
        int last = place + 1 < starts.size() ? starts.get(place + 1) - 2 : rows.get(r)[1] - 1;
        if (first == last && tokens.get(first).isWord("DEFAULT")) {
          edits.add(new StatementText.Edit(tokens.get(first).start(), tokens.get(first).end(),
              "(" + expression + ")"));
        }
      }
    }
    if (missing.isEmpty()) {
      return edits;
    }
    StringBuilder names = new StringBuilder();
    StringBuilder values = new StringBuilder();
    for (String column : missing) {
      names.append(", ").append(Identifiers.quote(column));
      values.append(", (").append(table.defaults().get(column)).append(")");
    }
    if (listed != null) {
      int at = tokens.get(listClose).start();
      edits.add(new StatementText.Edit(at, at, names.toString()));
    } else {
      StringBuilder list = new StringBuilder(" (");
      for (int c = 0; c < columns.size(); c++) {
        list.append(c == 0 ? "" : ", ").append(Identifiers.quote(columns.get(c)));
      }
      String written = list.append(columns.isEmpty() ? names.substring(2) : names).append(")")
          .toString();
      int at = tokens.get(aliasEnd - 1).end();
      edits.add(new StatementText.Edit(at, at, written));
    }
    for (int[] row : rows) {
      int at = tokens.get(row[1]).start();
      edits.add(new StatementText.Edit(at, at, values.toString()));
    }
    return edits;
  }

  /**
   * {@code column = DEFAULT} items of the SET list of an UPDATE, or of an INSERT's ON CONFLICT
   * ... DO UPDATE (the SET after {@code from}).
   */
  private static List<StatementText.Edit> setEdits(List<Token> tokens, int from, Table table) {
    List<StatementText.Edit> edits = new ArrayList<>();
    int depth = 0;
    boolean set = false;
    for (int k = from; k < tokens.size(); k++) {
      Token t = tokens.get(k);
      if (t.is("(") || t.is("[")) {
        depth++;
      } else if (t.is(")") || t.is("]")) {
        depth--;
      } else if (depth == 0 && t.isWord("SET")) {
        set = true;
      } else if (depth == 0 && (t.isWord("FROM") || t.isWord("WHERE")
          || t.isWord("RETURNING"))) {
        set = false;
      } else if (set && depth == 0 && t.isWord("DEFAULT") && k >= 2 && tokens.get(k - 1).is("=")
          && isName(tokens.get(k - 2)) && (k < 3 || !tokens.get(k - 3).is("."))) {
        String expression = table.defaults().get(Identifiers.nameOf(tokens.get(k - 2).text()));
        if (expression != null) {
          edits.add(new StatementText.Edit(t.start(), t.end(), "(" + expression + ")"));
        }
      }
    }
    return edits;
  }

  /** The index of {@code word} outside parentheses, or -1. */
  private static int topLevel(List<Token> tokens, String word) {
    int depth = 0;
    for (int k = 0; k < tokens.size(); k++) {
      Token t = tokens.get(k);
      if (t.is("(") || t.is("[")) {
        depth++;
      } else if (t.is(")") || t.is("]")) {
        depth--;
      } else if (depth == 0 && t.isWord(word)) {
        return k;
      }
    }
    return -1;
  }

  /** The index after a possibly qualified name starting at {@code i}, or -1. */
  private static int nameEnd(List<Token> tokens, int i) {
    if (i >= tokens.size() || !isName(tokens.get(i))) {
      return -1;
    }
    int k = i + 1;
    while (is(tokens, k, ".") && k + 1 < tokens.size() && isName(tokens.get(k + 1))) {
      k += 2;
    }
    return k;
  }

  private static boolean isName(Token t) {
    return t.kind() == TokenKind.WORD || t.kind() == TokenKind.QUOTED_IDENTIFIER;
  }

  private static boolean at(List<Token> tokens, int i, String word) {
    return i < tokens.size() && tokens.get(i).isWord(word);
  }

  private static boolean is(List<Token> tokens, int i, String punctuation) {
    return i < tokens.size() && tokens.get(i).is(punctuation);
  }
}
