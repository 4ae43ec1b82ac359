package io.basalt.planner.plan;

import io.basalt.planner.lexer.Brackets;
import io.basalt.planner.lexer.Token;
import io.basalt.planner.route.FastPathRouter;
import io.basalt.planner.sql.PgLockedQuery;
import io.basalt.planner.sql.SqlParsing;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlUpdate;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * The subqueries of an UPDATE's or DELETE's WHERE and SET that can run before the statement, on
 * their own, as Citus plans them recursively: each is a SELECT in parentheses that names a table
 * and refers to nothing outside itself, every column name in it found, as PostgreSQL looks
 * names up, in a relation of its own FROM clauses. Such a subquery's value does not depend on the
 * row being written, so computing it once first and writing its rows into the statement as
 * VALUES leaves the statement's meaning as it was (PostgreSQL too computes an uncorrelated
 * subquery once). A subquery whose names cannot all be placed this way (a FROM item whose
 * columns are not known here, LATERAL, WITH, a locking clause) is left in the statement.
 */
final class SubqueriesFirst {
  /** A relation of a query level: its name there and its columns, or null if unknown. */
  private record Rel(String name, List<String> columns) {}

  /** A query level's relations, and the level around it inside the subquery (null at its top). */
  private record Scope(List<Rel> rels, Scope parent) {}

  private final TableResolver resolver;
  private final String sql;
  private final List<Token> tokens;

  private SubqueriesFirst(TableResolver resolver, String sql, List<Token> tokens) {
    this.resolver = resolver;
    this.sql = sql;
    this.tokens = tokens;
  }

  /**
   * The first and last token of each such subquery (its text inside the parentheses), in the
   * statement's order; empty when there is none or the statement is not an UPDATE or DELETE.
   */
  static List<int[]> find(SqlNode statement, String sql, List<Token> tokens,
      TableResolver resolver) {
    List<SqlNode> expressions = new ArrayList<>();
    if (statement instanceof SqlUpdate u) {
      expressions.add(u.getCondition());
      expressions.add(u.getSourceExpressionList());
    } else if (statement instanceof SqlDelete d) {
      expressions.add(d.getCondition());
    } else {
      return List.of();
    }
    if (!FastPathRouter.withNames(statement).isEmpty()) {
      return List.of();
    }
    SubqueriesFirst finder = new SubqueriesFirst(resolver, sql, tokens);
    List<int[]> found = new ArrayList<>();
    for (SqlNode e : expressions) {
      finder.collect(e, found);
    }
    found.sort((a, b) -> Integer.compare(a[0], b[0]));
    return found;
  }

  /** The outermost subqueries of an expression that qualify. */
  private void collect(SqlNode node, List<int[]> found) {
    if (node instanceof SqlNodeList list) {
      for (SqlNode n : list) {
        collect(n, found);
      }
      return;
    }
    if (!(node instanceof SqlCall call) || node instanceof PgLockedQuery) {
      return; // a locking subquery stays where its locks are taken
    }
    if (node instanceof SqlSelect || node instanceof SqlOrderBy) {
      if (!FastPathRouter.tableReferences(node).isEmpty() && selfContained(node)) {
        int[] span = span(node);
        if (span != null) {
          found.add(span);
        }
      }
      return;
    }
    if (call.getKind().belongsTo(SqlKind.QUERY)) {
      return; // set operations, VALUES: left in the statement
    }
    for (SqlNode operand : ModifyPushdown.operands(call)) {
      collect(operand, found);
    }
  }

  /** The tokens inside the parentheses around the subquery, or null if they are not its own. */
  private int[] span(SqlNode query) {
    SqlNode first = query instanceof SqlOrderBy o ? o.query : query;
    SqlParserPos pos = first.getParserPosition();
    int offset = SqlParsing.offset(sql, pos.getLineNum(), pos.getColumnNum());
    int i = 0;
    while (i < tokens.size() && tokens.get(i).start() < offset) {
      i++;
    }
    // A scalar subquery's position may start at its own parenthesis.
    if (i + 1 < tokens.size() && tokens.get(i).is("(") && tokens.get(i + 1).isWord("SELECT")) {
      i++;
    }
    if (i == 0 || i >= tokens.size() || !tokens.get(i).isWord("SELECT")
        || !tokens.get(i - 1).is("(")) {
      return null;
    }
    int close = Brackets.closing(tokens, i - 1);
    return close < 0 ? null : new int[] {i, close - 1};
  }

  // ------------------------------------------------------------------ name lookup

  private boolean selfContained(SqlNode query) {
    return query(query, null);
  }

  private boolean query(SqlNode node, Scope outer) {
    if (node instanceof SqlOrderBy o) {
      if (!(o.query instanceof SqlSelect select)) {
        return false;
      }
      Scope scope = new Scope(new ArrayList<>(), outer);
      if (!select(select, scope)) {
        return false;
      }
      List<String> aliases = outputNames(select);
      for (SqlNode item : o.orderList) {
        SqlNode e = item;
        while (e instanceof SqlCall c && (c.getKind() == SqlKind.DESCENDING
            || c.getKind() == SqlKind.NULLS_FIRST || c.getKind() == SqlKind.NULLS_LAST)) {
          e = c.operand(0);
        }
        if (e instanceof SqlIdentifier id && id.isSimple() && aliases.contains(id.getSimple())) {
          continue;
        }
        if (!expression(e, scope)) {
          return false;
        }
      }
      return expression(o.offset, scope) && expression(o.fetch, scope);
    }
    if (node instanceof SqlSelect select) {
      return select(select, new Scope(new ArrayList<>(), outer));
    }
    return false;
  }

  private boolean select(SqlSelect select, Scope scope) {
    if (select.getFrom() != null && !fromItem(select.getFrom(), scope)) {
      return false;
    }
    List<String> aliases = outputNames(select);
    for (SqlNode operand : select.getOperandList()) {
      if (operand == select.getFrom()) {
        continue;
      }
      if (operand == select.getGroup() && operand != null) {
        // GROUP BY may name output columns, as PostgreSQL allows.
        for (SqlNode g : (SqlNodeList) operand) {
          if (!(g instanceof SqlIdentifier id && id.isSimple()
              && aliases.contains(id.getSimple())) && !expression(g, scope)) {
            return false;
          }
        }
        continue;
      }
      if (!expression(operand, scope)) {
        return false;
      }
    }
    return true;
  }

  private boolean fromItem(SqlNode item, Scope scope) {
    if (item instanceof SqlNodeList list) {
      for (SqlNode n : list) {
        if (!fromItem(n, scope)) {
          return false;
        }
      }
      return true;
    }
    if (item instanceof SqlJoin join) {
      if (!fromItem(join.getLeft(), scope) || !fromItem(join.getRight(), scope)) {
        return false;
      }
      // ON reads the relations joined so far; USING and NATURAL name their own columns.
      return join.getConditionType() != org.apache.calcite.sql.JoinConditionType.ON
          || expression(join.getCondition(), scope);
    }
    SqlNode relation = item;
    String alias = null;
    List<String> renamed = null;
    if (item.getKind() == SqlKind.AS) {
      List<SqlNode> ops = ((SqlCall) item).getOperandList();
      relation = ops.get(0);
      alias = ((SqlIdentifier) ops.get(1)).getSimple();
      if (ops.size() > 2) {
        renamed = new ArrayList<>();
        for (SqlNode n : ops.subList(2, ops.size())) {
          renamed.add(((SqlIdentifier) n).getSimple());
        }
      }
    }
    if (relation instanceof SqlIdentifier id) {
      Optional<List<String>> columns = resolver.relationColumns(id.names);
      if (columns.isEmpty()) {
        return false;
      }
      List<String> cols = new ArrayList<>(columns.get());
      if (renamed != null) {
        for (int i = 0; i < renamed.size() && i < cols.size(); i++) {
          cols.set(i, renamed.get(i));
        }
      }
      scope.rels().add(new Rel(alias != null ? alias : id.names.get(id.names.size() - 1), cols));
      return true;
    }
    if ((relation instanceof SqlSelect || relation instanceof SqlOrderBy) && alias != null) {
      // A derived table reads only the levels around this one (no LATERAL here).
      if (!query(relation, scope.parent())) {
        return false;
      }
      SqlSelect inner = relation instanceof SqlOrderBy o ? (SqlSelect) o.query
          : (SqlSelect) relation;
      List<String> names = renamed != null ? renamed : outputNames(inner);
      scope.rels().add(new Rel(alias, names.contains(null) ? null : names));
      return true;
    }
    return false;
  }

  /**
   * The names of a SELECT's output columns as PostgreSQL gives them when the query names them
   * (an alias, or a column reference's own name); null for the others.
   */
  private static List<String> outputNames(SqlSelect select) {
    List<String> names = new ArrayList<>();
    for (SqlNode item : select.getSelectList()) {
      if (item.getKind() == SqlKind.AS) {
        names.add(((SqlIdentifier) ((SqlCall) item).operand(1)).getSimple());
      } else if (item instanceof SqlIdentifier id && !id.isStar()) {
        names.add(id.names.get(id.names.size() - 1));
      } else {
        names.add(null);
      }
    }
    return names;
  }

  private boolean expression(SqlNode node, Scope scope) {
    if (node == null) {
      return true;
    }
    if (node instanceof SqlNodeList list) {
      for (SqlNode n : list) {
        if (!expression(n, scope)) {
          return false;
        }
      }
      return true;
    }
    if (node instanceof SqlIdentifier id) {
      return found(id, scope);
    }
    if (!(node instanceof SqlCall call)) {
      return true;
    }
    if (node instanceof SqlSelect || node instanceof SqlOrderBy) {
      return query(node, scope);
    }
    if (node instanceof PgLockedQuery) {
      return false;
    }
    if (call.getKind().belongsTo(SqlKind.QUERY)) {
      return false;
    }
    for (SqlNode operand : ModifyPushdown.operands(call)) {
      if (!expression(operand, scope)) {
        return false;
      }
    }
    return true;
  }

  /** Whether a column reference (or star) names a relation of the subquery's own levels. */
  private static boolean found(SqlIdentifier id, Scope scope) {
    List<String> names = id.names;
    if (id.isStar() && names.size() == 1) {
      return true;
    }
    for (Scope s = scope; s != null; s = s.parent()) {
      if (names.size() >= 2) {
        String qualifier = names.get(names.size() - 2);
        for (Rel r : s.rels()) {
          if (qualifier.equals(r.name())) {
            return true;
          }
        }
        continue;
      }
      for (Rel r : s.rels()) {
        if (r.columns() == null) {
          return false; // it may or may not provide the name: not known here
        }
        if (r.columns().contains(names.get(0))) {
          return true;
        }
      }
    }
    return false;
  }
}
