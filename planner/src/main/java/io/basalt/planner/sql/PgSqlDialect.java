package io.basalt.planner.sql;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.SqlWriterConfig;
import org.apache.calcite.sql.dialect.PostgresqlSqlDialect;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.pretty.SqlPrettyWriter;

/**
 * Calcite's PostgreSQL dialect with the corrections Basalt needs to print a parsed tree back as
 * SQL that PostgreSQL reads with the same meaning. Identifiers keep the quoting they were written
 * with (so unquoted ones stay unquoted and fold the same way).
 */
public final class PgSqlDialect extends PostgresqlSqlDialect {
  public static final PgSqlDialect INSTANCE = new PgSqlDialect();

  /** Above every binary operator's precedence, so that only atoms print without parentheses. */
  private static final int CAST_OPERAND_PRECEDENCE = 90;

  private PgSqlDialect() {
    super(PostgresqlSqlDialect.DEFAULT_CONTEXT);
  }

  /** The tree as PostgreSQL text. */
  public static String toSql(SqlNode node) {
    SqlWriterConfig config = SqlPrettyWriter.config()
        .withDialect(INSTANCE)
        .withQuoteAllIdentifiers(false)
        .withClauseStartsLine(false)
        .withClauseEndsLine(false)
        .withSelectListItemsOnSeparateLines(false)
        .withUpdateSetListNewline(false)
        .withIndentation(0);
    SqlPrettyWriter writer = new SqlPrettyWriter(config);
    node.unparse(writer, 0, 0);
    return writer.toSqlString().getSql();
  }

  /**
   * A standard string ('' doubles a quote), whatever character set the literal carries: with
   * standard_conforming_strings on, PostgreSQL reads any character in it, backslashes included,
   * as itself. (Calcite would prefix a character set, or switch to U&'' for non-ASCII text.)
   */
  @Override public void quoteStringLiteral(StringBuilder buf, String charsetName, String val) {
    buf.append('\'').append(val.replace("'", "''")).append('\'');
  }

  /** LIMIT / OFFSET, as PostgreSQL users write them (Calcite's default is FETCH NEXT). */
  @Override public void unparseOffsetFetch(SqlWriter writer, SqlNode offset, SqlNode fetch) {
    unparseFetchUsingLimit(writer, offset, fetch);
  }

  /** Casts print their types in PostgreSQL's spelling (see {@link PgTypes}). */
  @Override public void unparseCall(SqlWriter writer, SqlCall call, int leftPrec,
      int rightPrec) {
    if (call.getKind() == SqlKind.CAST && call.operandCount() == 2
        && call.operand(1) instanceof SqlDataTypeSpec type) {
      if (call.getOperator() == SqlLibraryOperators.INFIX_CAST) {
        SqlWriter.Frame frame = writer.startList("(", ")");
        // The operand binds tighter than anything but a cast: (a + b)::int keeps its parentheses.
        call.operand(0).unparse(writer, 0, CAST_OPERAND_PRECEDENCE);
        writer.keyword("::");
        PgTypes.unparse(writer, type);
        writer.endList(frame);
        return;
      }
      if (call.getOperator() == SqlStdOperatorTable.CAST) {
        SqlWriter.Frame frame = writer.startFunCall("CAST");
        call.operand(0).unparse(writer, 0, 0);
        writer.sep("AS");
        PgTypes.unparse(writer, type);
        writer.endFunCall(frame);
        return;
      }
    }
    if (call.getOperator() instanceof org.apache.calcite.sql.SqlUnresolvedFunction f
        && f.getSqlIdentifier() != null && call.operandCount() > 0
        && call.operand(call.operandCount() - 1) instanceof org.apache.calcite.sql.SqlNodeList
            order) {
      // agg(args ORDER BY items), as the grammar's PgOrderedAggregateCall keeps it: the ORDER BY
      // list is the last operand.
      f.getSqlIdentifier().unparse(writer, 0, 0);
      SqlWriter.Frame frame = writer.startList(SqlWriter.FrameTypeEnum.FUN_CALL, "(", ")");
      if (call.getFunctionQuantifier() != null) {
        call.getFunctionQuantifier().unparse(writer, 0, 0);
      }
      for (int i = 0; i < call.operandCount() - 1; i++) {
        writer.sep(",");
        call.operand(i).unparse(writer, 0, 0);
      }
      writer.keyword("ORDER BY");
      SqlWriter.Frame items = writer.startList(SqlWriter.FrameTypeEnum.ORDER_BY_LIST, "", "");
      for (org.apache.calcite.sql.SqlNode item : order) {
        writer.sep(",");
        item.unparse(writer, 0, 0);
      }
      writer.endList(items);
      writer.endList(frame);
      return;
    }
    if (call.getKind() == SqlKind.COLLECTION_TABLE) {
      // Calcite's TABLE(f(x)) for a function in FROM; PostgreSQL writes the call alone.
      call.operand(0).unparse(writer, 0, 0);
      return;
    }
    super.unparseCall(writer, call, leftPrec, rightPrec);
  }
}
