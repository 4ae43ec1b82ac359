package io.basalt.coordinator.copy;

import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import io.basalt.metadata.catalog.Identifiers;
import io.basalt.planner.lexer.Token;
import io.basalt.planner.lexer.TokenKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a COPY ... FROM STDIN / TO STDOUT statement asks for, read from its tokens. The
 * coordinator database has already accepted the statement (on the table's local shell), so this
 * reader can be lenient: it only has to find the pieces of a valid statement.
 *
 * @param table the relation's name parts (schema optional), empty for COPY (query) TO
 * @param columns the column list, or null when the statement has none
 * @param from true for FROM STDIN, false for TO STDOUT
 * @param queryStart / queryEnd offsets of the query of COPY (query) TO, or -1
 * @param options null when the options could not be read (see optionsError)
 * @param hasWhere FROM ... WHERE condition
 * @param optionsError why the options could not be read (a value or option PostgreSQL would
 *     refuse, or one this reader does not know), or null: a deferred error, for the caller to
 *     raise if PostgreSQL itself accepts the statement
 */
public record CopyStatement(List<String> table, List<String> columns, boolean from,
    int queryStart, int queryEnd, CopyOptions options, boolean hasWhere,
    BasaltException optionsError) {

  public boolean isQuery() {
    return queryStart >= 0;
  }

  public static CopyStatement parse(String sql, List<Token> tokens) {
    Reader r = new Reader(tokens);
    r.expectWord("COPY");
    boolean binary = r.takeWord("BINARY");
    List<String> table = new ArrayList<>();
    int queryStart = -1;
    int queryEnd = -1;
    List<String> columns = null;
    if (r.peekIs("(")) {
      int open = r.pos;
      int close = r.matching(open);
      queryStart = tokens.get(open + 1).start();
      queryEnd = tokens.get(close - 1).end();
      r.pos = close + 1;
    } else {
      table.add(r.name());
      while (r.peekIs(".")) {
        r.pos++;
        table.add(r.name());
      }
      if (r.peekIs("(")) {
        columns = r.nameList();
      }
    }
    boolean from;
    if (r.takeWord("FROM")) {
      from = true;
    } else {
      r.expectWord("TO");
      from = false;
    }
    if (!r.takeWord("STDIN") && !r.takeWord("STDOUT")) {
      throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED,
          "COPY of distributed tables works with STDIN and STDOUT only",
          "Use psql's \\copy to read or write a file on the client.");
    }
    CopyOptions options = null;
    BasaltException optionsError = null;
    boolean hasWhere = false;
    try {
      options = options(r, binary);
      hasWhere = r.takeWord("WHERE");
    } catch (BasaltException e) {
      optionsError = e;
    }
    return new CopyStatement(List.copyOf(table), columns == null ? null : List.copyOf(columns),
        from, queryStart, queryEnd, options, hasWhere, optionsError);
  }

  private static CopyOptions options(Reader r, boolean binary) {
    OptionsBuilder o = new OptionsBuilder(binary ? CopyFormat.BINARY : CopyFormat.TEXT);
    r.takeWord("WITH");
    if (r.peekIs("(")) {
      r.pos++;
      while (!r.peekIs(")")) {
        String name = r.word().toLowerCase(Locale.ROOT);
        Object value = null;
        if (!r.peekIs(",") && !r.peekIs(")")) {
          value = r.peekIs("(") ? r.nameList() : r.optionValue();
        }
        o.set(name, value);
        r.takeIs(",");
      }
      r.pos++;
    } else {
      legacy(r, o);
    }
    return o.build();
  }

  /** The options before PostgreSQL 9.0's parenthesised list, still accepted. */
  private static void legacy(Reader r, OptionsBuilder o) {
    while (r.pos < r.tokens.size() && !r.peekWord("WHERE") && !r.peekIs(";")) {
      String word = r.word().toUpperCase(Locale.ROOT);
      switch (word) {
        case "BINARY" -> o.set("format", "binary");
        case "CSV" -> o.set("format", "csv");
        case "HEADER" -> o.set("header", null);
        case "FREEZE" -> o.set("freeze", null);
        case "DELIMITER", "NULL", "QUOTE", "ESCAPE", "ENCODING" -> {
          r.takeWord("AS");
          o.set(word.toLowerCase(Locale.ROOT), r.optionValue());
        }
        case "FORCE" -> {
          if (r.takeWord("QUOTE")) {
            o.set("force_quote", r.peekIs("*") ? r.star() : r.bareNameList());
          } else if (r.takeWord("NOT")) {
            r.expectWord("NULL");
            o.set("force_not_null", r.bareNameList());
          } else {
            r.expectWord("NULL");
            o.set("force_null", r.bareNameList());
          }
        }
        default -> throw BasaltException.of(SqlState.SYNTAX_ERROR,
            "syntax error at or near \"" + word + "\"");
      }
    }
  }

  private static final class OptionsBuilder {
    private CopyFormat format;
    private String delimiter;
    private String nullString;
    private CopyOptions.Header header = CopyOptions.Header.NONE;
    private String quote;
    private String escape;
    private List<String> forceNull = List.of();
    private List<String> forceNotNull = List.of();
    private List<String> forceQuote = List.of();
    private String encoding;
    private boolean freeze;

    OptionsBuilder(CopyFormat format) {
      this.format = format;
    }

    void set(String name, Object value) {
      switch (name) {
        case "format" -> format = switch (String.valueOf(value).toLowerCase(Locale.ROOT)) {
          case "text" -> CopyFormat.TEXT;
          case "csv" -> CopyFormat.CSV;
          case "binary" -> CopyFormat.BINARY;
          default -> throw invalid("format");
        };
        case "delimiter" -> delimiter = text(name, value);
        case "null" -> nullString = text(name, value);
        case "quote" -> quote = text(name, value);
        case "escape" -> escape = text(name, value);
        case "encoding" -> encoding = text(name, value);
        case "header" -> header = value == null ? CopyOptions.Header.TRUE
            : String.valueOf(value).equalsIgnoreCase("match") ? CopyOptions.Header.MATCH
            : truth(String.valueOf(value)) ? CopyOptions.Header.TRUE : CopyOptions.Header.NONE;
        case "freeze" -> freeze = value == null || truth(String.valueOf(value));
        case "force_null" -> forceNull = names(name, value);
        case "force_not_null" -> forceNotNull = names(name, value);
        case "force_quote" -> forceQuote = names(name, value);
        default -> throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED,
            "COPY option \"" + name + "\" is not supported on distributed tables");
      }
    }

    /**
     * A value this reader cannot use. PostgreSQL refuses such a statement with its own error
     * when the caller hands the statement to it instead.
     */
    private static BasaltException invalid(String option) {
      return BasaltException.of(SqlState.INVALID_PARAMETER_VALUE,
          "invalid value for COPY option \"" + option + "\"");
    }

    private static String text(String option, Object value) {
      if (!(value instanceof String s)) {
        throw invalid(option);
      }
      return s;
    }

    @SuppressWarnings("unchecked")
    private static List<String> names(String option, Object value) {
      if (!(value instanceof List<?>)) {
        throw invalid(option);
      }
      return (List<String>) value;
    }

    /** A delimiter, quote or escape: PostgreSQL allows one single-byte character. */
    private static byte oneByte(String option, String value, byte otherwise) {
      if (value == null) {
        return otherwise;
      }
      if (value.length() != 1 || value.charAt(0) > 0x7f) {
        throw invalid(option);
      }
      return (byte) value.charAt(0);
    }

    private static boolean truth(String v) {
      return switch (v.toLowerCase(Locale.ROOT)) {
        case "true", "on", "1", "yes", "y", "t" -> true;
        default -> false;
      };
    }

    CopyOptions build() {
      CopyOptions d = CopyOptions.defaults(format);
      byte q = oneByte("quote", quote, d.quote());
      return new CopyOptions(format, oneByte("delimiter", delimiter, d.delimiter()),
          nullString == null ? d.nullString() : nullString, header, q,
          oneByte("escape", escape, q), forceNull, forceNotNull, forceQuote, encoding, freeze);
    }
  }

  /** A cursor over the tokens. */
  private static final class Reader {
    final List<Token> tokens;
    int pos;

    Reader(List<Token> tokens) {
      this.tokens = tokens;
    }

    boolean peekIs(String p) {
      return pos < tokens.size() && tokens.get(pos).is(p);
    }

    boolean peekWord(String w) {
      return pos < tokens.size() && tokens.get(pos).isWord(w);
    }

    boolean takeIs(String p) {
      if (peekIs(p)) {
        pos++;
        return true;
      }
      return false;
    }

    boolean takeWord(String w) {
      if (peekWord(w)) {
        pos++;
        return true;
      }
      return false;
    }

    void expectWord(String w) {
      if (!takeWord(w)) {
        throw syntax();
      }
    }

    BasaltException syntax() {
      String near = pos < tokens.size() ? tokens.get(pos).text() : "end of input";
      return BasaltException.of(SqlState.SYNTAX_ERROR, "syntax error at or near \"" + near + "\"");
    }

    String word() {
      if (pos >= tokens.size()) {
        throw syntax();
      }
      return tokens.get(pos++).text();
    }

    String name() {
      if (pos >= tokens.size()) {
        throw syntax();
      }
      Token t = tokens.get(pos++);
      if (t.kind() != TokenKind.WORD && t.kind() != TokenKind.QUOTED_IDENTIFIER) {
        pos--;
        throw syntax();
      }
      return Identifiers.nameOf(t.text());
    }

    List<String> nameList() {
      pos++;
      List<String> names = new ArrayList<>();
      while (!peekIs(")")) {
        names.add(name());
        takeIs(",");
      }
      pos++;
      return names;
    }

    List<String> bareNameList() {
      List<String> names = new ArrayList<>();
      names.add(name());
      while (takeIs(",")) {
        names.add(name());
      }
      return names;
    }

    List<String> star() {
      pos++;
      return List.of("*");
    }

    Object optionValue() {
      if (peekIs("*")) {
        return star();
      }
      if (pos >= tokens.size()) {
        throw syntax();
      }
      Token t = tokens.get(pos++);
      return switch (t.kind()) {
        case STRING -> StringConstants.value(t.text());
        case QUOTED_IDENTIFIER -> Identifiers.nameOf(t.text());
        default -> t.text();
      };
    }

    int matching(int open) {
      int depth = 0;
      for (int i = open; i < tokens.size(); i++) {
        if (tokens.get(i).is("(")) {
          depth++;
        } else if (tokens.get(i).is(")") && --depth == 0) {
          return i;
        }
      }
      throw syntax();
    }
  }
}
