package io.basalt.planner.multi;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;

/**
 * The expressions a query groups by, each once, in GROUP BY order. The worker computes key i as
 * column g(i+1); the combine groups by those columns and reads them wherever the select list,
 * HAVING or ORDER BY uses a grouped expression.
 */
record GroupKeys(List<SqlNode> expressions, TableScope scope) {
  GroupKeys {
    expressions = List.copyOf(expressions);
  }

  /**
   * Resolves GROUP BY items as PostgreSQL does: a constant is a select list position; a bare
   * name is the table's column if it has one, else the select item of that output name; any
   * other item is an expression.
   */
  static GroupKeys resolve(List<SqlNode> groupBy, SelectList select, TableScope scope) {
    List<SqlNode> keys = new ArrayList<>();
    for (SqlNode item : groupBy) {
      SqlNode key = item;
      OptionalInt position = select.position(item);
      if (position.isPresent()) {
        key = select.expression(position.getAsInt());
      } else if (item instanceof SqlIdentifier id && id.isSimple()
          && !scope.columns().contains(id.getSimple())) {
        OptionalInt named = select.named(item);
        if (named.isEmpty()) {
          throw new NotSplittable("GROUP BY " + id + " names no column");
        }
        key = select.expression(named.getAsInt());
      }
      if (AggregateCall.occursIn(key)) {
        throw new NotSplittable("aggregate in GROUP BY");
      }
      SqlNode resolved = key;
      if (keys.stream().noneMatch(k -> scope.same(k, resolved))) {
        keys.add(key);
      }
    }
    return new GroupKeys(keys, scope);
  }

  boolean isEmpty() {
    return expressions.isEmpty();
  }

  int size() {
    return expressions.size();
  }

  SqlNode expression(int i) {
    return expressions.get(i);
  }

  /** The partial column of key i (0-based). */
  static String column(int i) {
    return "g" + (i + 1);
  }

  /**
   * The key an expression is (0-based), or -1. Constants are never taken for keys: they mean
   * the same in the combine, and some (TRIM's implicit ' ') have no text of their own.
   */
  int indexOf(SqlNode expression) {
    if (expression instanceof SqlLiteral || expression instanceof SqlDynamicParam
        || expression instanceof SqlNodeList) {
      return -1;
    }
    for (int i = 0; i < expressions.size(); i++) {
      if (scope.same(expressions.get(i), expression)) {
        return i;
      }
    }
    return -1;
  }
}
