package io.basalt.planner.multi;

import io.basalt.planner.sql.PgOperators;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;

/**
 * Rewrites a select item, HAVING or ORDER BY expression for the combine query: the client's
 * text, with each grouped expression replaced by its g column and each aggregate call by its
 * combine expression over the p columns. Everything else stays as written, and must then not
 * read the table: a column outside aggregates and grouping keys has no value in the combine.
 */
final class CombineRewriter {
  private final SourceText source;
  private final GroupKeys keys;
  private final Partials partials;

  CombineRewriter(SourceText source, GroupKeys keys, Partials partials) {
    this.source = source;
    this.keys = keys;
    this.partials = partials;
  }

  /**
   * The expression's combine text.
   *
   * @throws NotSplittable when it reads a column that is neither grouped nor aggregated, or
   *     calls a function that may be an aggregate
   */
  String rewrite(SqlNode expression) {
    List<SourceText.Edit> edits = new ArrayList<>();
    collect(expression, edits);
    return source.replace(expression, edits);
  }

  private void collect(SqlNode node, List<SourceText.Edit> edits) {
    if (node == null || node instanceof SqlLiteral || node instanceof SqlDynamicParam
        || node instanceof SqlDataTypeSpec || node instanceof SqlIntervalQualifier) {
      return;
    }
    // Outermost first, as PostgreSQL matches grouped expressions: in GROUP BY a + 1,
    // the item (a + 1) * 2 reads key a + 1 even though a alone is not grouped.
    int key = keys.indexOf(node);
    if (key >= 0) {
      edits.add(source.edit(node, GroupKeys.column(key)));
      return;
    }
    AggregateCall aggregate = AggregateCall.of(node);
    if (aggregate != null) {
      edits.add(source.edit(node, partials.combine(aggregate)));
      return;
    }
    if (node instanceof SqlIdentifier id) {
      throw new NotSplittable("column " + id + " is neither grouped nor aggregated");
    }
    if (node instanceof SqlNodeList list) {
      list.forEach(item -> collect(item, edits));
    } else if (node instanceof SqlCall call) {
      if (!ScalarFunctions.isScalar(call)) {
        throw new NotSplittable("function " + call.getOperator() + " may be an aggregate");
      }
      if (call.getOperator() == PgOperators.COLLATE) {
        // The second operand names the collation.
        collect(call.operand(0), edits);
      } else {
        call.getOperandList().forEach(operand -> collect(operand, edits));
      }
    } else {
      throw new NotSplittable("unexpected " + node.getClass().getSimpleName() + " " + node);
    }
  }
}
