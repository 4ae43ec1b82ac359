package io.basalt.coordinator.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The differential corpus on disk (src/test/resources/differential), and the little SQL lexing
 * {@link DifferentialIT} needs: splitting scripts into statements, finding whether a query's
 * outermost level has ORDER BY, and lint rules that keep the corpus deterministic.
 *
 * <p>Layout: one directory per schema with {@code schema.sql}, {@code data.sql},
 * {@code distribute.sql} and {@code queries.sql}; {@code unsupported.txt} beside them. In
 * queries.sql each query follows a line {@code -- name: <id>} and ends with {@code ;}.
 */
final class DifferentialCorpus {
  static final Pattern NAME_LINE = Pattern.compile("^--\\s*name:\\s*(.*)$");
  static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]*");
  static final Pattern SQLSTATE = Pattern.compile("[0-9A-Z]{5}");
  /** Aggregates whose result depends on input order: the corpus must order their input. */
  static final Set<String> ORDER_SENSITIVE_AGGREGATES = Set.of("array_agg", "string_agg",
      "jsonb_agg", "json_agg", "jsonb_object_agg", "json_object_agg", "xmlagg");
  static final Set<String> READ_ONLY_STARTS = Set.of("select", "with", "table", "values");

  /** One corpus query. */
  record Query(String schema, String id, String sql, int line, boolean ordered) {}

  /** One schema directory. */
  record Schema(String name, Path dir) {
    Path file(String name) {
      return dir.resolve(name);
    }
  }

  private DifferentialCorpus() {}

  /** The statements of queries.sql of a schema, in file order. */
  static List<Query> queries(Schema schema, List<String> problems) throws IOException {
    Path file = schema.file("queries.sql");
    List<String> lines = Files.readAllLines(file);
    List<Query> out = new ArrayList<>();
    String id = null;
    int idLine = 0;
    StringBuilder sql = new StringBuilder();
    for (int i = 0; i <= lines.size(); i++) {
      String line = i < lines.size() ? lines.get(i) : null;
      Matcher m = line == null ? null : NAME_LINE.matcher(line.strip());
      if (line == null || m.matches()) {
        if (id != null) {
          out.add(query(schema.name(), id, sql.toString(), idLine, file, problems));
        } else if (!onlyComments(sql.toString())) {
          problems.add(file + ":" + (i + 1) + ": SQL before the first '-- name:' line");
        }
        if (line != null) {
          id = m.group(1).strip();
          idLine = i + 1;
          if (!ID.matcher(id).matches()) {
            problems.add(file + ":" + idLine + ": bad query id '" + id
                + "' (lower case letters, digits and _, nothing after it)");
          }
        }
        sql.setLength(0);
      } else {
        sql.append(line).append('\n');
      }
    }
    return out;
  }

  private static Query query(String schema, String id, String text, int line, Path file,
      List<String> problems) {
    String where = file.getFileName() + ":" + line + " (" + id + "): ";
    List<String> statements = statements(text);
    String sql = text.strip();
    if (statements.size() != 1) {
      problems.add(where + "expected exactly one statement, found " + statements.size());
    } else {
      sql = statements.get(0);
    }
    List<Token> all = lex(text, true);
    if (all.isEmpty() || !all.get(all.size() - 1).text().equals(";")) {
      problems.add(where + "the query must end with ';'");
    }
    List<Token> tokens = tokens(sql);
    Token first = tokens.stream().filter(t -> !t.text().equals("(")).findFirst().orElse(null);
    if (first == null || !READ_ONLY_STARTS.contains(first.text())) {
      problems.add(where + "the corpus is read-only: start with SELECT, WITH, TABLE or VALUES");
    }
    for (String p : lint(tokens)) {
      problems.add(where + p);
    }
    return new Query(schema, id, sql, line, hasTopLevelOrderBy(tokens));
  }

  /** Whether the statement's outermost level has ORDER BY (outside any parentheses). */
  static boolean hasTopLevelOrderBy(String sql) {
    return hasTopLevelOrderBy(tokens(sql));
  }

  private static boolean hasTopLevelOrderBy(List<Token> tokens) {
    for (int i = 0; i + 1 < tokens.size(); i++) {
      if (tokens.get(i).depth() == 0 && tokens.get(i).text().equals("order")
          && tokens.get(i + 1).text().equals("by")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Determinism rules a lexer can check: LIMIT, OFFSET and FETCH only after an ORDER BY of the
   * same (sub)query; order-sensitive aggregates must have ORDER BY inside their parentheses.
   */
  static List<String> lint(String sql) {
    return lint(tokens(sql));
  }

  private static List<String> lint(List<Token> tokens) {
    List<String> problems = new ArrayList<>();
    // Per open parenthesis (and the top level): whether ORDER BY was seen in it since it opened
    // or since the last set operation at that level.
    Deque<boolean[]> orderSeen = new ArrayDeque<>();
    orderSeen.push(new boolean[1]);
    Deque<String> aggregateOf = new ArrayDeque<>();   // per open parenthesis: aggregate name or ""
    for (int i = 0; i < tokens.size(); i++) {
      String t = tokens.get(i).text();
      String next = i + 1 < tokens.size() ? tokens.get(i + 1).text() : "";
      switch (t) {
        case "(" -> {
          orderSeen.push(new boolean[1]);
          String before = i > 0 ? tokens.get(i - 1).text() : "";
          aggregateOf.push(ORDER_SENSITIVE_AGGREGATES.contains(before) ? before : "");
        }
        case ")" -> {
          if (orderSeen.size() > 1) {
            boolean seen = orderSeen.pop()[0];
            String agg = aggregateOf.pop();
            if (!agg.isEmpty() && !seen) {
              problems.add(agg + "(...) needs ORDER BY inside the call");
            }
          }
        }
        case "order" -> {
          if (next.equals("by")) {
            orderSeen.peek()[0] = true;
          }
        }
        case "union", "intersect", "except" -> orderSeen.peek()[0] = false;
        case "limit", "offset", "fetch" -> {
          if (!orderSeen.peek()[0]) {
            problems.add(t.toUpperCase(Locale.ROOT) + " without ORDER BY in the same query");
          }
        }
        default -> { }
      }
    }
    return problems;
  }

  /** Splits a script into statements at top-level semicolons; comment-only pieces are dropped. */
  static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (Token t : lex(script, true)) {
      if (t.text().equals(";") && t.depth() == 0) {
        add(out, script.substring(start, t.offset()));
        start = t.offset() + 1;
      }
    }
    add(out, script.substring(start));
    return out;
  }

  /** Adds a statement from its first token on (leading comments dropped), if it has one. */
  private static void add(List<String> out, String piece) {
    List<Token> tokens = lex(piece, true);
    if (!tokens.isEmpty()) {
      out.add(piece.substring(tokens.get(0).offset()).strip());
    }
  }

  private static boolean onlyComments(String sql) {
    return lex(sql, true).isEmpty();
  }

  /** Names created by a schema script: schemas and tables, in order of appearance. */
  static Map<String, String> createdObjects(String script) {
    Map<String, String> out = new LinkedHashMap<>();   // name -> "SCHEMA" or "TABLE"
    for (String statement : statements(script)) {
      List<Token> tokens = tokens(statement);
      if (tokens.size() >= 3 && tokens.get(0).text().equals("create")) {
        String kind = tokens.get(1).text();
        if (kind.equals("schema") || kind.equals("table")) {
          Matcher m = Pattern.compile("(?is)^\\s*create\\s+" + kind
              + "\\s+(?:if\\s+not\\s+exists\\s+)?([A-Za-z0-9_.]+)").matcher(statement);
          if (m.find()) {
            out.put(m.group(1).toLowerCase(Locale.ROOT), kind.toUpperCase(Locale.ROOT));
          }
        }
      }
    }
    return out;
  }

  /** Expected refusals: query id to SQLSTATE. */
  static Map<String, String> unsupported(Path file, List<String> problems) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return out;
    }
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).replaceAll("#.*", "").strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] parts = line.split("\\s+");
      if (parts.length != 2 || !SQLSTATE.matcher(parts[1]).matches()) {
        problems.add(file.getFileName() + ":" + (i + 1) + ": expected '<query-id> <SQLSTATE>'");
      } else if (out.put(parts[0], parts[1]) != null) {
        problems.add(file.getFileName() + ":" + (i + 1) + ": " + parts[0] + " listed twice");
      }
    }
    return out;
  }

  /** A word (lower-cased), or one of ( ) ; , with its parenthesis depth and offset. */
  record Token(String text, int depth, int offset) {}

  /** Words and parentheses, outside literals and comments; semicolons dropped. */
  static List<Token> tokens(String sql) {
    return lex(sql, false);
  }

  /**
   * The planner's PostgreSQL lexer (comments skipped; strings, dollar-quoted strings and quoted
   * identifiers as one token each), reduced to what the corpus checks need: words and numbers
   * lower-cased, literals as "'" and quoted identifiers as "\"" so they still count, other
   * tokens as written, each with its parenthesis depth; semicolons only if asked.
   */
  private static List<Token> lex(String s, boolean withSemicolons) {
    List<Token> out = new ArrayList<>();
    int depth = 0;
    for (io.basalt.planner.lexer.Token t : io.basalt.planner.lexer.Lexer.tokenize(s)) {
      String text = switch (t.kind()) {
        case WORD, NUMBER -> t.text().toLowerCase(Locale.ROOT);
        case STRING -> "'";
        case QUOTED_IDENTIFIER -> "\"";
        default -> t.text();
      };
      if (text.equals(")")) {
        depth = Math.max(0, depth - 1);
      }
      if (withSemicolons || !text.equals(";")) {
        out.add(new Token(text, depth, t.start()));
      }
      if (text.equals("(")) {
        depth++;
      }
    }
    return out;
  }
}
