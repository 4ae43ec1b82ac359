package io.basalt.planner.sql;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlUpdate;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;

/**
 * UPDATE table [[AS] alias] SET ... [FROM ...] [WHERE ...] [RETURNING ...]. Calcite's six
 * operands come first, then FROM and RETURNING.
 */
public final class PgUpdate extends SqlUpdate {
  public static final SqlSpecialOperator OPERATOR = new SqlSpecialOperator("UPDATE",
      SqlKind.UPDATE) {
    @Override public SqlCall createCall(SqlLiteral functionQualifier, SqlParserPos pos,
        SqlNode... operands) {
      return new PgUpdate(pos, (SqlIdentifier) operands[0], (SqlNodeList) operands[1],
          (SqlNodeList) operands[2], operands[3], (SqlIdentifier) operands[5], operands[6],
          (SqlNodeList) operands[7]);
    }
  };

  private SqlNode from;
  private SqlNodeList returning;

  public PgUpdate(SqlParserPos pos, SqlIdentifier table, SqlNodeList columns,
      SqlNodeList values, SqlNode where, SqlIdentifier alias, SqlNode from,
      SqlNodeList returning) {
    super(pos, table, columns, values, where, null, alias);
    this.from = from;
    this.returning = returning;
  }

  /** The FROM list (a table reference or join), or null. */
  public SqlNode from() {
    return from;
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
        .add(from).add(returning).build();
  }

  @Override public void setOperand(int i, SqlNode operand) {
    switch (i) {
      case 6 -> from = operand;
      case 7 -> returning = (SqlNodeList) operand;
      default -> super.setOperand(i, operand);
    }
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    SqlWriter.Frame frame = writer.startList(SqlWriter.FrameTypeEnum.SELECT, "UPDATE", "");
    getTargetTable().unparse(writer, 0, 0);
    if (getAlias() != null) {
      writer.keyword("AS");
      getAlias().unparse(writer, 0, 0);
    }
    writer.newlineAndIndent();
    PgUnparse.setClauses(writer, getTargetColumnList(), getSourceExpressionList());
    if (from != null) {
      writer.newlineAndIndent();
      writer.keyword("FROM");
      from.unparse(writer, 0, 0);
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
