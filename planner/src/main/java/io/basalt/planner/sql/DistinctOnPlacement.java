package io.basalt.planner.sql;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlSelectKeyword;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * The grammar reads "ON (keys) item" wherever an expression starts (see PgDistinctOnItem in
 * parserImpls.ftl); PostgreSQL allows it only right after SELECT DISTINCT. This rejects the rest.
 */
final class DistinctOnPlacement extends SqlBasicVisitor<Void> {
  private final Set<SqlCall> found = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<SqlCall> allowed = Collections.newSetFromMap(new IdentityHashMap<>());

  static void check(String sql, SqlNode statement) {
    DistinctOnPlacement visitor = new DistinctOnPlacement();
    statement.accept(visitor);
    for (SqlCall call : visitor.found) {
      if (!visitor.allowed.contains(call)) {
        throw SqlParsing.syntaxError(sql, call.getParserPosition(),
            "Encountered \"ON\" at line " + call.getParserPosition().getLineNum() + ".", null);
      }
    }
  }

  @Override public Void visit(SqlCall call) {
    if (call.getOperator() == PgOperators.DISTINCT_ON) {
      found.add(call);
    }
    if (call instanceof SqlSelect select && select.isDistinct()
        && !select.getSelectList().isEmpty()) {
      SqlNode first = select.getSelectList().get(0);
      if (first.getKind() == SqlKind.AS) {
        first = ((SqlCall) first).operand(0);
      }
      if (first instanceof SqlCall c && c.getOperator() == PgOperators.DISTINCT_ON
          && select.getModifierNode(SqlSelectKeyword.DISTINCT) != null) {
        allowed.add(c);
      }
    }
    return super.visit(call);
  }
}
