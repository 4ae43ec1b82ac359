package io.basalt.planner.multi;

import io.basalt.planner.sql.SqlParsing;
import java.util.Comparator;
import java.util.List;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * The client's statement text, cut by the parser positions of its nodes (start and end both
 * inclusive; a parenthesized expression's span includes its parentheses). Split queries are made
 * of these pieces, so that expressions, WHERE and literals keep the meaning PostgreSQL gives
 * the client's own spelling rather than what Calcite would print.
 *
 * <p>Every piece is checked to have balanced parentheses and quotes: a span the parser got wrong
 * would otherwise make the split query silently different.
 */
final class SourceText {
  private final String sql;

  SourceText(String sql) {
    this.sql = sql;
  }

  /** A replacement of one node's text. */
  record Edit(int start, int end, String text) {
  }

  /** The node's text as the client wrote it. */
  String of(SqlNode node) {
    return checked(sql.substring(start(node), end(node)));
  }

  /** An edit replacing the node's text. */
  Edit edit(SqlNode node, String replacement) {
    return new Edit(start(node), end(node), replacement);
  }

  /** The node's text with the edits (which must lie inside it and not overlap) applied. */
  String replace(SqlNode node, List<Edit> edits) {
    int start = start(node);
    int end = end(node);
    StringBuilder text = new StringBuilder();
    int at = start;
    for (Edit edit : edits.stream().sorted(Comparator.comparingInt(Edit::start)).toList()) {
      if (edit.start() < at || edit.end() > end) {
        throw new NotSplittable("overlapping source spans in " + sql.substring(start, end));
      }
      text.append(sql, at, edit.start()).append(edit.text());
      at = edit.end();
    }
    return checked(text.append(sql, at, end).toString());
  }

  private int start(SqlNode node) {
    SqlParserPos pos = node.getParserPosition();
    if (pos.getLineNum() <= 0) {
      throw new NotSplittable("no source position for " + node);
    }
    return SqlParsing.offset(sql, pos.getLineNum(), pos.getColumnNum());
  }

  private int end(SqlNode node) {
    SqlParserPos pos = node.getParserPosition();
    return SqlParsing.offset(sql, pos.getEndLineNum(), pos.getEndColumnNum()) + 1;
  }

  private static String checked(String text) {
    if (!balanced(text)) {
      throw new NotSplittable("unbalanced source span: " + text);
    }
    return text;
  }

  /**
   * Whether parentheses and brackets pair up and every quoted string, quoted identifier and
   * comment is closed. E'...' strings take backslash escapes; PostgreSQL's block comments nest.
   */
  static boolean balanced(String text) {
    int depth = 0;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      char next = i + 1 < n ? text.charAt(i + 1) : 0;
      if (c == '(' || c == '[') {
        depth++;
      } else if (c == ')' || c == ']') {
        if (--depth < 0) {
          return false;
        }
      } else if (c == '\'' || c == '"') {
        i = closingQuote(text, i, c == '\'' && escapeString(text, i));
        if (i < 0) {
          return false;
        }
      } else if (c == '-' && next == '-') {
        int eol = text.indexOf('\n', i);
        i = eol < 0 ? n : eol;
      } else if (c == '/' && next == '*') {
        i = commentEnd(text, i);
        if (i < 0) {
          return false;
        }
      }
    }
    return depth == 0;
  }

  /** An E'...' string: the quote follows a lone E. */
  private static boolean escapeString(String text, int quote) {
    return quote > 0 && (text.charAt(quote - 1) == 'E' || text.charAt(quote - 1) == 'e')
        && (quote == 1 || !isIdentifierPart(text.charAt(quote - 2)));
  }

  private static boolean isIdentifierPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }

  /** The index of the quote that closes the one at {@code open}, or -1. */
  private static int closingQuote(String text, int open, boolean backslashEscapes) {
    char quote = text.charAt(open);
    for (int i = open + 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (backslashEscapes && c == '\\') {
        i++;
      } else if (c == quote) {
        if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
          i++;
        } else {
          return i;
        }
      }
    }
    return -1;
  }

  /** The index of the slash that ends the block comment opened at {@code open}, or -1. */
  private static int commentEnd(String text, int open) {
    int depth = 0;
    for (int i = open; i + 1 < text.length(); i++) {
      if (text.charAt(i) == '/' && text.charAt(i + 1) == '*') {
        depth++;
        i++;
      } else if (text.charAt(i) == '*' && text.charAt(i + 1) == '/') {
        depth--;
        i++;
        if (depth == 0) {
          return i;
        }
      }
    }
    return -1;
  }
}
