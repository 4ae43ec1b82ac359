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
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;

/**
 * INSERT's ON CONFLICT clause: an optional conflict target (index expressions with an optional
 * WHERE, or a constraint name), then DO NOTHING, or DO UPDATE SET ... [WHERE ...] when
 * {@link #updateColumns()} is not null.
 */
public final class PgOnConflict extends SqlCall {
  public static final SqlSpecialOperator OPERATOR = new SqlSpecialOperator("ON CONFLICT",
      SqlKind.OTHER) {
    @Override public SqlCall createCall(SqlLiteral functionQualifier, SqlParserPos pos,
        SqlNode... operands) {
      return new PgOnConflict(pos, (SqlNodeList) operands[0], operands[1],
          (SqlIdentifier) operands[2], (SqlNodeList) operands[3], (SqlNodeList) operands[4],
          operands[5]);
    }
  };

  private SqlNodeList target;
  private SqlNode targetWhere;
  private SqlIdentifier constraint;
  private SqlNodeList updateColumns;
  private SqlNodeList updateValues;
  private SqlNode updateWhere;

  public PgOnConflict(SqlParserPos pos, SqlNodeList target, SqlNode targetWhere,
      SqlIdentifier constraint, SqlNodeList updateColumns, SqlNodeList updateValues,
      SqlNode updateWhere) {
    super(pos);
    if ((updateColumns == null) != (updateValues == null)
        || (updateColumns != null && updateColumns.size() != updateValues.size())) {
      throw new IllegalArgumentException("SET needs one value per column");
    }
    this.target = target;
    this.targetWhere = targetWhere;
    this.constraint = constraint;
    this.updateColumns = updateColumns;
    this.updateValues = updateValues;
    this.updateWhere = updateWhere;
  }

  /** The conflict target's index expressions (usually columns), or null. */
  public SqlNodeList target() {
    return target;
  }

  /** ON CONFLICT (...) WHERE predicate (a partial index's), or null. */
  public SqlNode targetWhere() {
    return targetWhere;
  }

  /** ON CONFLICT ON CONSTRAINT name, or null. */
  public SqlIdentifier constraint() {
    return constraint;
  }

  public boolean isDoNothing() {
    return updateColumns == null;
  }

  /** DO UPDATE SET columns, or null for DO NOTHING. */
  public SqlNodeList updateColumns() {
    return updateColumns;
  }

  /** DO UPDATE SET values, parallel to {@link #updateColumns()}. */
  public SqlNodeList updateValues() {
    return updateValues;
  }

  /** DO UPDATE ... WHERE condition, or null. */
  public SqlNode updateWhere() {
    return updateWhere;
  }

  @Override public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(target, targetWhere, constraint, updateColumns,
        updateValues, updateWhere);
  }

  @Override public void setOperand(int i, SqlNode operand) {
    switch (i) {
      case 0 -> target = (SqlNodeList) operand;
      case 1 -> targetWhere = operand;
      case 2 -> constraint = (SqlIdentifier) operand;
      case 3 -> updateColumns = (SqlNodeList) operand;
      case 4 -> updateValues = (SqlNodeList) operand;
      case 5 -> updateWhere = operand;
      default -> throw new IndexOutOfBoundsException(i);
    }
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("ON CONFLICT");
    if (target != null) {
      // An index element is a column, a function call, or a parenthesized expression.
      SqlWriter.Frame frame = writer.startList("(", ")");
      for (SqlNode element : target) {
        writer.sep(",");
        if (element instanceof SqlIdentifier) {
          element.unparse(writer, 0, 0);
        } else {
          SqlWriter.Frame inner = writer.startList("(", ")");
          element.unparse(writer, 0, 0);
          writer.endList(inner);
        }
      }
      writer.endList(frame);
      if (targetWhere != null) {
        writer.keyword("WHERE");
        targetWhere.unparse(writer, 0, 0);
      }
    } else if (constraint != null) {
      writer.keyword("ON CONSTRAINT");
      constraint.unparse(writer, 0, 0);
    }
    if (isDoNothing()) {
      writer.keyword("DO NOTHING");
      return;
    }
    writer.keyword("DO UPDATE");
    PgUnparse.setClauses(writer, updateColumns, updateValues);
    if (updateWhere != null) {
      writer.keyword("WHERE");
      updateWhere.unparse(writer, 0, 0);
    }
  }
}
