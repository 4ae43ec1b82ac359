package io.basalt.planner.sql;

import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/** A PostgreSQL parameter: {@code $n} has index n - 1, and unparses as {@code $n} again. */
public final class PgDynamicParam extends SqlDynamicParam {
  public PgDynamicParam(int index, SqlParserPos pos) {
    super(index, pos);
  }

  /** The number written after the dollar sign. */
  public int number() {
    return getIndex() + 1;
  }

  @Override public SqlDynamicParam clone(SqlParserPos pos) {
    return new PgDynamicParam(getIndex(), pos);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.print("$" + number());
    writer.setNeedWhitespace(true);
  }
}
