package io.basalt.planner.sql;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlWithItem;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * A WITH item written {@code name AS MATERIALIZED (query)} or {@code AS NOT MATERIALIZED}:
 * Calcite's WITH item, which has no place for PostgreSQL's hint, plus the hint, printed back
 * where PostgreSQL expects it. The hint changes only how PostgreSQL plans the query, never its
 * answer.
 */
public final class PgWithItem extends SqlWithItem {
  private final boolean materialized;

  public PgWithItem(SqlParserPos pos, SqlIdentifier name, SqlNodeList columnList, SqlNode query,
      SqlLiteral recursive, boolean materialized) {
    super(pos, name, columnList, query, recursive);
    this.materialized = materialized;
  }

  /** True for AS MATERIALIZED, false for AS NOT MATERIALIZED. */
  public boolean materialized() {
    return materialized;
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    SqlWriter.Frame frame = writer.startList(SqlWriter.FrameTypeEnum.SIMPLE, "", "");
    name.unparse(writer, 0, 0);
    if (columnList != null) {
      SqlWriter.Frame columns = writer.startList(SqlWriter.FrameTypeEnum.SIMPLE, "(", ")");
      for (SqlNode column : columnList) {
        writer.sep(",");
        column.unparse(writer, 0, 0);
      }
      writer.endList(columns);
    }
    writer.keyword("AS");
    if (!materialized) {
      writer.keyword("NOT");
    }
    writer.keyword("MATERIALIZED");
    if (query.getKind() == org.apache.calcite.sql.SqlKind.SELECT) {
      // A SELECT prints its own parentheses where it is not the top level.
      query.unparse(writer, 10, 10);
    } else {
      SqlWriter.Frame body = writer.startList(SqlWriter.FrameTypeEnum.SUB_QUERY, "(", ")");
      query.unparse(writer, 0, 0);
      writer.endList(body);
    }
    writer.endList(frame);
  }
}
