package io.basalt.planner.sql;

import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlWriter;

/** Unparse pieces shared by the PostgreSQL statement nodes. */
final class PgUnparse {
  private PgUnparse() {
  }

  /** "(a, b, c)". */
  static void parenthesized(SqlWriter writer, SqlNodeList nodes) {
    SqlWriter.Frame frame = writer.startList("(", ")");
    for (SqlNode node : nodes) {
      writer.sep(",");
      node.unparse(writer, 0, 0);
    }
    writer.endList(frame);
  }

  /** "SET a = 1, b = DEFAULT". */
  static void setClauses(SqlWriter writer, SqlNodeList columns, SqlNodeList values) {
    writer.keyword("SET");
    SqlWriter.Frame frame = writer.startList(SqlWriter.FrameTypeEnum.UPDATE_SET_LIST, "", "");
    for (int i = 0; i < columns.size(); i++) {
      writer.sep(",");
      columns.get(i).unparse(writer, 0, 0);
      writer.keyword("=");
      values.get(i).unparse(writer, 0, 0);
    }
    writer.endList(frame);
  }

  static void returning(SqlWriter writer, SqlNodeList returning) {
    if (returning != null) {
      writer.newlineAndIndent();
      writer.keyword("RETURNING");
      writer.list(SqlWriter.FrameTypeEnum.SELECT_LIST, SqlWriter.COMMA, returning);
    }
  }
}
