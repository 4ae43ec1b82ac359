package io.basalt.planner.multi;

import io.basalt.planner.sql.PgOperators;
import java.util.Set;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.util.Litmus;

/**
 * The one table a splittable query reads, as its expressions refer to it.
 *
 * @param rangeName the alias, else the table's name: what qualifies a column ({@code t.a})
 * @param columns the table's column names as PostgreSQL stores them
 */
record TableScope(String rangeName, Set<String> columns) {
  TableScope {
    columns = Set.copyOf(columns);
  }

  /**
   * The column an identifier names ({@code a} or {@code rangeName.a}), or null when it is
   * something else (a star, or another qualifier).
   */
  String column(SqlIdentifier id) {
    if (id.isStar()) {
      return null;
    }
    if (id.names.size() == 1) {
      return id.getSimple();
    }
    return id.names.size() == 2 && id.names.get(0).equals(rangeName) ? id.names.get(1) : null;
  }

  /**
   * Rejects a reference the worker would read differently: the worker names the shard with the
   * same range name, so {@code a} and {@code rangeName.a} keep their meaning, but a
   * schema-qualified column ({@code public.t.a}) would not resolve there.
   */
  void checkReferences(SqlNode expression) {
    if (expression == null) {
      return;
    }
    expression.accept(new SqlBasicVisitor<Void>() {
      @Override public Void visit(SqlIdentifier id) {
        boolean plain = id.names.size() == 1
            || id.names.size() == 2 && id.names.get(0).equals(rangeName);
        if (!plain) {
          throw new NotSplittable("reference " + id + " is not to " + rangeName);
        }
        return null;
      }

      @Override public Void visit(SqlCall call) {
        if (call.getOperator() == PgOperators.COLLATE) {
          // The second operand names a collation, which may well be schema-qualified.
          call.operand(0).accept(this);
          return null;
        }
        return super.visit(call);
      }
    });
  }

  /**
   * Whether two expressions are the same to PostgreSQL's grouping (equal parsed trees, once
   * {@code t.a} and {@code a} name the same column), whatever their spacing and parentheses.
   */
  boolean same(SqlNode a, SqlNode b) {
    return canonical(a).equalsDeep(canonical(b), Litmus.IGNORE);
  }

  private SqlNode canonical(SqlNode expression) {
    return expression.accept(new SqlShuttle() {
      @Override public SqlNode visit(SqlIdentifier id) {
        String column = column(id);
        return column == null ? id : new SqlIdentifier(column, SqlParserPos.ZERO);
      }
    });
  }
}
