package io.basalt.planner.sql;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;

/**
 * DELETE FROM table [[AS] alias] [USING ...] [WHERE ...] [RETURNING ...]. Calcite's four
 * operands come first, then USING and RETURNING.
 */
public final class PgDelete extends SqlDelete {
  public static final SqlSpecialOperator OPERATOR = new SqlSpecialOperator("DELETE",
      SqlKind.DELETE) {
    @Override public SqlCall createCall(SqlLiteral functionQualifier, SqlParserPos pos,
        SqlNode... operands) {
      return new PgDelete(pos, (SqlIdentifier) operands[0], operands[1],
          (SqlIdentifier) operands[3], operands[4], (SqlNodeList) operands[5]);
    }
  };

  private SqlNode using;
  private SqlNodeList returning;

  public PgDelete(SqlParserPos pos, SqlIdentifier table, SqlNode where, SqlIdentifier alias,
      SqlNode using, SqlNodeList returning) {
    super(pos, table, where, null, alias);
    this.using = using;
    this.returning = returning;
  }

  /** The USING list (a table reference or join), or null. */
  public SqlNode using() {
    return using;
  }

  /** The RETURNING items, or null. */
  public SqlNodeList returning() {
    return returning;
  }

  @Override public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override public List<SqlNode> getOperandList() {
    return ImmutableNullableList.<SqlNode>builder().addAll(super.getOperandList())
        .add(using).add(returning).build();
  }

  @Override public void setOperand(int i, SqlNode operand) {
    switch (i) {
      case 4 -> using = operand;
      case 5 -> returning = (SqlNodeList) operand;
      default -> super.setOperand(i, operand);
    }
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    SqlWriter.Frame frame = writer.startList(SqlWriter.FrameTypeEnum.SELECT, "DELETE FROM", "");
    getTargetTable().unparse(writer, 0, 0);
    if (getAlias() != null) {
      writer.keyword("AS");
      getAlias().unparse(writer, 0, 0);
    }
    if (using != null) {
      writer.newlineAndIndent();
      writer.keyword("USING");
      using.unparse(writer, 0, 0);
    }
    if (getCondition() != null) {
      writer.newlineAndIndent();
      writer.keyword("WHERE");
      getCondition().unparse(writer, 0, 0);
    }
    PgUnparse.returning(writer, returning);
    writer.endList(frame);
  }
}
