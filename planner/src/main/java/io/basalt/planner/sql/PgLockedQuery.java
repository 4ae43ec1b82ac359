package io.basalt.planner.sql;

import java.util.List;
import java.util.Objects;
import org.apache.calcite.sql.SqlCall;
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
 * A top-level query followed by locking clauses ({@link PgLockingClause}): SELECT ... FOR UPDATE.
 * The query keeps its own ORDER BY, LIMIT and OFFSET.
 */
public final class PgLockedQuery extends SqlCall {
  public static final SqlSpecialOperator OPERATOR = new SqlSpecialOperator("LOCKED QUERY",
      SqlKind.OTHER) {
    @Override public SqlCall createCall(SqlLiteral functionQualifier, SqlParserPos pos,
        SqlNode... operands) {
      return new PgLockedQuery(pos, operands[0], (SqlNodeList) operands[1]);
    }
  };

  private SqlNode query;
  private SqlNodeList lockingClauses;

  public PgLockedQuery(SqlParserPos pos, SqlNode query, SqlNodeList lockingClauses) {
    super(pos);
    this.query = Objects.requireNonNull(query, "query");
    this.lockingClauses = Objects.requireNonNull(lockingClauses, "lockingClauses");
  }

  public SqlNode query() {
    return query;
  }

  /** The {@link PgLockingClause}s, in order. */
  public SqlNodeList lockingClauses() {
    return lockingClauses;
  }

  @Override public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(query, lockingClauses);
  }

  @Override public void setOperand(int i, SqlNode operand) {
    switch (i) {
      case 0 -> query = Objects.requireNonNull(operand);
      case 1 -> lockingClauses = (SqlNodeList) operand;
      default -> throw new IndexOutOfBoundsException(i);
    }
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    query.unparse(writer, 0, 0);
    for (SqlNode clause : lockingClauses) {
      writer.newlineAndIndent();
      clause.unparse(writer, 0, 0);
    }
  }
}
