package io.basalt.planner.multi;

import io.basalt.planner.sql.PgOperators;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.util.Util;

/**
 * A SELECT with the shape {@link AggregateSplitter} can split, and its parts: one plain table in
 * FROM (with or without an alias), no joins, subqueries, window functions, grouping sets or
 * DISTINCT ON, and at least one aggregate or a GROUP BY. ORDER BY, LIMIT and OFFSET come from
 * Calcite's SqlOrderBy around the SELECT; FOR UPDATE (PgLockedQuery) and WITH are other shapes.
 *
 * @param alias the table's alias, or null
 * @param orderBy the ORDER BY items (possibly under DESC / NULLS FIRST / NULLS LAST)
 * @param offset the OFFSET value, or null
 * @param fetch the LIMIT value, or null
 */
record SplittableQuery(SqlSelect select, SqlIdentifier table, SqlIdentifier alias,
    List<SqlNode> orderBy, SqlNode offset, SqlNode fetch) {

  static Optional<SplittableQuery> of(SqlNode statement) {
    SqlNode query = statement;
    SqlNodeList orderBy = null;
    SqlNode offset = null;
    SqlNode fetch = null;
    if (statement instanceof SqlOrderBy wrapper) {
      query = wrapper.query;
      orderBy = wrapper.orderList;
      offset = wrapper.offset;
      fetch = wrapper.fetch;
    }
    if (!(query instanceof SqlSelect select) || select.getOrderList() != null
        || select.getOffset() != null || select.getFetch() != null) {
      return Optional.empty();
    }
    SqlIdentifier table;
    SqlIdentifier alias = null;
    SqlNode from = select.getFrom();
    if (from instanceof SqlIdentifier name) {
      table = name;
    } else if (from != null && from.getKind() == SqlKind.AS && ((SqlCall) from).operandCount() == 2
        && ((SqlCall) from).operand(0) instanceof SqlIdentifier name
        && ((SqlCall) from).operand(1) instanceof SqlIdentifier as) {
      table = name;
      alias = as;
    } else {
      return Optional.empty();
    }
    SplittableQuery split = new SplittableQuery(select, table, alias,
        orderBy == null ? List.of() : orderBy.getList(), offset, fetch);
    return split.hasSplittableShape() ? Optional.of(split) : Optional.empty();
  }

  private boolean hasSplittableShape() {
    if (PgOperators.distinctOnKeys(select) != null
        || !select.getWindowList().isEmpty() || select.getQualify() != null) {
      return false;
    }
    for (SqlNode key : groupBy()) {
      if (key instanceof SqlNodeList || key.getKind() == SqlKind.GROUPING_SETS
          || key.getKind() == SqlKind.ROLLUP || key.getKind() == SqlKind.CUBE
          || key.getKind() == SqlKind.GROUP_BY_DISTINCT) {
        return false;
      }
    }
    List<SqlNode> all = new ArrayList<>(aggregateScope());
    all.add(where());
    all.addAll(groupBy());
    all.add(offset);
    all.add(fetch);
    if (all.stream().anyMatch(SplittableQuery::holdsQueryOrWindow)) {
      return false;
    }
    return !groupBy().isEmpty() || !AggregateCall.in(aggregateScope()).isEmpty();
  }

  /** Whether the expression holds a subquery (of any kind) or a window function. */
  private static boolean holdsQueryOrWindow(SqlNode expression) {
    if (expression == null) {
      return false;
    }
    boolean[] found = {false};
    expression.accept(new SqlBasicVisitor<Void>() {
      @Override public Void visit(SqlCall call) {
        if (call.getKind().belongsTo(SqlKind.QUERY) || call.getKind() == SqlKind.OVER
            || call.getKind() == SqlKind.WINDOW) {
          found[0] = true;
          return null;
        }
        return super.visit(call);
      }
    });
    return found[0];
  }

  /** The select list items, each perhaps under AS. */
  List<SqlNode> selectItems() {
    return select.getSelectList().getList();
  }

  SqlNode where() {
    return select.getWhere();
  }

  List<SqlNode> groupBy() {
    return select.getGroup() == null ? List.of() : select.getGroup().getList();
  }

  SqlNode having() {
    return select.getHaving();
  }

  /** Where aggregates may be: the select list, HAVING and ORDER BY. */
  List<SqlNode> aggregateScope() {
    return Stream.of(selectItems().stream(), Stream.of(having()), orderBy.stream())
        .flatMap(s -> s).filter(node -> node != null).toList();
  }

  /** The name that qualifies the table's columns: the alias, else the table's own name. */
  String rangeName() {
    return alias != null ? alias.getSimple() : Util.last(table.names);
  }
}
