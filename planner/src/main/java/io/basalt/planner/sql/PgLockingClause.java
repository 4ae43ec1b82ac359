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

/** FOR UPDATE | NO KEY UPDATE | SHARE | KEY SHARE [OF tables] [NOWAIT | SKIP LOCKED]. */
public final class PgLockingClause extends SqlCall {
  public static final SqlSpecialOperator OPERATOR = new SqlSpecialOperator("FOR",
      SqlKind.OTHER) {
    @Override public SqlCall createCall(SqlLiteral functionQualifier, SqlParserPos pos,
        SqlNode... operands) {
      return new PgLockingClause(pos, ((SqlLiteral) operands[0]).getValueAs(Strength.class),
          (SqlNodeList) operands[1], ((SqlLiteral) operands[2]).getValueAs(WaitPolicy.class));
    }
  };

  /** The lock strengths, weakest last, with their SQL spelling. */
  public enum Strength {
    UPDATE("UPDATE"), NO_KEY_UPDATE("NO KEY UPDATE"), SHARE("SHARE"), KEY_SHARE("KEY SHARE");

    private final String sql;

    Strength(String sql) {
      this.sql = sql;
    }
  }

  /** What to do about rows another transaction has locked. */
  public enum WaitPolicy {
    WAIT(null), NOWAIT("NOWAIT"), SKIP_LOCKED("SKIP LOCKED");

    private final String sql;

    WaitPolicy(String sql) {
      this.sql = sql;
    }
  }

  private final Strength strength;
  private SqlNodeList tables;
  private final WaitPolicy waitPolicy;

  public PgLockingClause(SqlParserPos pos, Strength strength, SqlNodeList tables,
      WaitPolicy waitPolicy) {
    super(pos);
    this.strength = Objects.requireNonNull(strength, "strength");
    this.tables = Objects.requireNonNull(tables, "tables");
    this.waitPolicy = Objects.requireNonNull(waitPolicy, "waitPolicy");
  }

  public Strength strength() {
    return strength;
  }

  /** The tables named after OF; empty when the clause locks every table of the query. */
  public SqlNodeList tables() {
    return tables;
  }

  public WaitPolicy waitPolicy() {
    return waitPolicy;
  }

  @Override public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(SqlLiteral.createSymbol(strength, getParserPosition()),
        tables, SqlLiteral.createSymbol(waitPolicy, getParserPosition()));
  }

  @Override public void setOperand(int i, SqlNode operand) {
    if (i != 1) {
      throw new UnsupportedOperationException("only the table list can be replaced");
    }
    tables = (SqlNodeList) operand;
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("FOR " + strength.sql);
    if (!tables.isEmpty()) {
      writer.keyword("OF");
      SqlWriter.Frame frame = writer.startList("", "");
      for (SqlNode table : tables) {
        writer.sep(",");
        table.unparse(writer, 0, 0);
      }
      writer.endList(frame);
    }
    if (waitPolicy.sql != null) {
      writer.keyword(waitPolicy.sql);
    }
  }
}
