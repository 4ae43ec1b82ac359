package io.basalt.planner.sql;

import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import io.basalt.planner.sql.parser.ParseException;
import io.basalt.planner.sql.parser.PgSqlParserImpl;
import io.basalt.planner.sql.parser.Token;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.sql.validate.SqlConformanceEnum;

/**
 * Parses one PostgreSQL statement into a Calcite tree with Basalt's generated parser
 * (PgSqlParserImpl: Calcite's grammar with the PostgreSQL extensions in src/main/codegen).
 * Identifiers fold to lower case unless quoted, as in PostgreSQL; {@code $n} parameters become
 * {@link PgDynamicParam}s with index n - 1.
 */
public final class SqlParsing {
  /** The parser settings: PostgreSQL's identifier rules, Babel's lenient conformance. */
  public static final SqlParser.Config CONFIG = SqlParser.config()
      .withParserFactory(PgSqlParserImpl.FACTORY)
      .withQuoting(Quoting.DOUBLE_QUOTE)
      .withUnquotedCasing(Casing.TO_LOWER)
      .withQuotedCasing(Casing.UNCHANGED)
      .withCaseSensitive(true)
      // PostgreSQL truncates long names itself (to 63 bytes), it does not reject them.
      .withIdentifierMaxLength(Integer.MAX_VALUE)
      .withConformance(SqlConformanceEnum.BABEL);

  /** The offending token in Calcite's two kinds of syntax error message. */
  private static final Pattern OFFENDING = Pattern.compile(
      "Encountered \"(.*?)\" at line|Incorrect syntax near the keyword '(.*?)' at line");

  private SqlParsing() {
  }

  /**
   * Parses one statement (a trailing semicolon is allowed).
   *
   * @throws BasaltException SQLSTATE 42601 with the error's position for a syntax error
   */
  public static SqlNode parse(String sql) {
    SqlNodeList statements;
    try {
      statements = SqlParser.create(sql, CONFIG).parseStmtList();
    } catch (SqlParseException e) {
      if (e.getCause() instanceof ParseException pe && pe.currentToken != null) {
        throw syntaxError(sql, pe, e);
      }
      throw syntaxError(sql, e.getPos(), e.getMessage(), e);
    } catch (CalciteContextException e) {
      throw syntaxError(sql, new SqlParserPos(e.getPosLine(), e.getPosColumn()),
          e.getMessage(), e);
    }
    if (statements.size() != 1) {
      throw BasaltException.builder(SqlState.SYNTAX_ERROR,
          statements.isEmpty() ? "empty query" : "expected one statement, found "
              + statements.size()).build();
    }
    SqlNode statement = statements.get(0).accept(new ParameterNumbering(sql));
    DistinctOnPlacement.check(sql, statement);
    return statement;
  }

  /**
   * JavaCC reports the tokens from the first one its lookahead could not place up to the one
   * that failed; PostgreSQL names the one that failed, and so do we.
   */
  private static BasaltException syntaxError(String sql, ParseException pe, Throwable cause) {
    int longest = 1;
    if (pe.expectedTokenSequences != null) {
      for (int[] sequence : pe.expectedTokenSequences) {
        longest = Math.max(longest, sequence.length);
      }
    }
    Token token = pe.currentToken.next;
    for (int i = 1; i < longest && token.kind != 0 && token.next != null; i++) {
      token = token.next;
    }
    String message = token.kind == 0 ? "syntax error at end of input"
        : "syntax error at or near \"" + token.image + "\"";
    int position = token.kind == 0 ? sql.length() + 1
        : offset(sql, token.beginLine, token.beginColumn) + 1;
    return BasaltException.builder(SqlState.SYNTAX_ERROR, message)
        .detail(firstLine(pe.getMessage())).position(position).cause(cause).build();
  }

  static BasaltException syntaxError(String sql, SqlParserPos pos, String calciteMessage,
      Throwable cause) {
    String message = "syntax error";
    if (calciteMessage != null) {
      Matcher m = OFFENDING.matcher(calciteMessage);
      if (m.find()) {
        // JavaCC may quote the tokens up to the one that failed: "+ <EOF>".
        String tokens = m.group(1) != null ? m.group(1) : m.group(2);
        message = tokens.endsWith("<EOF>") ? "syntax error at end of input"
            : "syntax error at or near \"" + tokens.split(" ", 2)[0] + "\"";
      }
    }
    BasaltException.Builder error = BasaltException.builder(SqlState.SYNTAX_ERROR, message)
        .detail(calciteMessage == null ? null : firstLine(calciteMessage)).cause(cause);
    if (pos != null && pos.getLineNum() > 0) {
      error.position(offset(sql, pos.getLineNum(), pos.getColumnNum()) + 1);
    }
    return error.build();
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /**
   * The 0-based character offset of a 1-based line and column as the parser counts them
   * (line breaks are \n, \r or \r\n; a tab is one column). Planners use it to cut the client's
   * own text for a node out of the statement.
   */
  public static int offset(String sql, int line, int column) {
    int i = 0;
    for (int l = 1; l < line && i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (c == '\n' || (c == '\r' && (i + 1 >= sql.length() || sql.charAt(i + 1) != '\n'))) {
        l++;
      }
    }
    return Math.min(sql.length(), i + column - 1);
  }

  /**
   * The lexer hands $n to Calcite as its "?" marker, which Calcite numbers in order of
   * appearance; this puts PostgreSQL's own numbers back from the text. A real "?" is not
   * PostgreSQL syntax.
   */
  private static final class ParameterNumbering extends SqlShuttle {
    private final String sql;

    ParameterNumbering(String sql) {
      this.sql = sql;
    }

    @Override public SqlNode visit(SqlDynamicParam param) {
      SqlParserPos pos = param.getParserPosition();
      int start = offset(sql, pos.getLineNum(), pos.getColumnNum());
      int end = start + 1;
      while (end < sql.length() && Character.isDigit(sql.charAt(end))) {
        end++;
      }
      if (sql.charAt(start) != '$' || end == start + 1) {
        throw syntaxError(sql, pos, "Encountered \"?\" at line " + pos.getLineNum()
            + ", column " + pos.getColumnNum() + ".", null);
      }
      int number;
      try {
        number = Integer.parseInt(sql.substring(start + 1, end));
      } catch (NumberFormatException e) {
        number = 0;
      }
      if (number < 1) {
        throw BasaltException.builder(SqlState.UNDEFINED_PARAMETER,
                "there is no parameter " + sql.substring(start, end))
            .position(start + 1).build();
      }
      return new PgDynamicParam(number - 1, pos);
    }
  }
}
