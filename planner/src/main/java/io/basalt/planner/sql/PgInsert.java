package io.basalt.planner.sql;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
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
 * INSERT INTO table [AS alias] [(columns)] source [ON CONFLICT ...] [RETURNING ...]. Calcite's
 * operands come first; alias, ON CONFLICT and RETURNING follow, so a shuttle that copies the call
 * through {@link #OPERATOR} keeps them.
 */
public final class PgInsert extends SqlInsert {
  public static final SqlSpecialOperator OPERATOR = new SqlSpecialOperator("INSERT",
      SqlKind.INSERT) {
    @Override public SqlCall createCall(SqlLiteral functionQualifier, SqlParserPos pos,
        SqlNode... operands) {
      return new PgInsert(pos, (SqlIdentifier) operands[1], (SqlIdentifier) operands[4],
          (SqlNodeList) operands[3], operands[2], (PgOnConflict) operands[5],
          (SqlNodeList) operands[6]);
    }
  };

  private SqlIdentifier alias;
  private PgOnConflict onConflict;
  private SqlNodeList returning;

  public PgInsert(SqlParserPos pos, SqlIdentifier table, SqlIdentifier alias,
      SqlNodeList columns, SqlNode source, PgOnConflict onConflict, SqlNodeList returning) {
    super(pos, SqlNodeList.EMPTY, table, source, columns);
    this.alias = alias;
    this.onConflict = onConflict;
    this.returning = returning;
  }

  public SqlIdentifier alias() {
    return alias;
  }

  /** The ON CONFLICT clause, or null. */
  public PgOnConflict onConflict() {
    return onConflict;
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
        .add(alias).add(onConflict).add(returning).build();
  }

  @Override public void setOperand(int i, SqlNode operand) {
    switch (i) {
      case 4 -> alias = (SqlIdentifier) operand;
      case 5 -> onConflict = (PgOnConflict) operand;
      case 6 -> returning = (SqlNodeList) operand;
      default -> super.setOperand(i, operand);
    }
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    SqlWriter.Frame frame = writer.startList(SqlWriter.FrameTypeEnum.SELECT);
    writer.sep("INSERT INTO");
    getTargetTable().unparse(writer, 0, 0);
    if (alias != null) {
      writer.keyword("AS");
      alias.unparse(writer, 0, 0);
    }
    if (getTargetColumnList() != null) {
      PgUnparse.parenthesized(writer, getTargetColumnList());
    }
    writer.newlineAndIndent();
    getSource().unparse(writer, 0, 0);
    if (onConflict != null) {
      writer.newlineAndIndent();
      onConflict.unparse(writer, 0, 0);
    }
    PgUnparse.returning(writer, returning);
    writer.endList(frame);
  }
}
