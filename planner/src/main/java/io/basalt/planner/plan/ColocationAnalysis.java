package io.basalt.planner.plan;

import io.basalt.metadata.catalog.DistributedTable;
import io.basalt.planner.route.FastPathRouter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;

/**
 * Which relations of a statement meet only rows of their own shard group: walks the statement's
 * query levels (FROM items, subqueries), records each relation that is a distributed or
 * reference table, and joins into one class the relations equated on their distribution columns
 * (in the top-level AND of a WHERE or JOIN ... ON, a correlated subquery's included, or
 * {@code key IN (SELECT key ...)}). Used by {@link ModifyPushdown} and {@link QueryPushdown}.
 */
final class ColocationAnalysis {
  /**
   * One relation of a query level (in FROM, or the target): its alias or name, and its table.
   * {@code table} is null for an item whose columns are not known
   * here (a subquery, function, VALUES, CTE or local table in FROM): names it may provide are
   * never taken for another relation's.
   */
  record Ref(String name, DistributedTable table, boolean renamesColumns) {}

  /** A query level: its relations, and the one around it. */
  record Scope(List<Ref> refs, Scope parent) {}

  /** The conjuncts of a JOIN ... ON condition, and the scope its names are read in. */
  record JoinCondition(List<SqlNode> conjuncts, Scope scope) {}

  final TableResolver resolver;
  final List<Ref> refs = new ArrayList<>();
  final Map<Ref, Ref> parent = new IdentityHashMap<>();
  final Map<DistributedTable, List<String>> columns = new HashMap<>();
  /** Why the statement cannot be pushed down as a whole, or null. */
  String unsupported;
  /** A JOIN ... USING or NATURAL JOIN was seen: its equalities are not read here. */
  boolean usingJoin;

  ColocationAnalysis(TableResolver resolver) {
    this.resolver = resolver;
  }

  Ref find(Ref r) {
    Ref p = parent.getOrDefault(r, r);
    if (p == r) {
      return r;
    }
    Ref root = find(p);
    parent.put(r, root);
    return root;
  }

  void union(Ref a, Ref b) {
    Ref ra = find(a);
    Ref rb = find(b);
    if (ra != rb) {
      parent.put(ra, rb);
    }
  }

  /**
   * Reads a SELECT as the top query level {@code top}: its FROM items, the equalities of its
   * WHERE's top-level AND, and the subqueries of its other clauses. Returns those conjuncts (for
   * {@link #pins}).
   */
  List<SqlNode> select(SqlSelect select, Scope top) {
    if (select.getFrom() != null) {
      fromItem(select.getFrom(), top);
    }
    List<SqlNode> conjuncts = new ArrayList<>();
    FastPathRouter.conjuncts(select.getWhere(), conjuncts);
    equalities(conjuncts, top);
    for (SqlNode operand : select.getOperandList()) {
      if (operand != select.getFrom()) {
        expression(operand, top);
      }
    }
    return conjuncts;
  }

  /**
   * Whether every hash-distributed relation seen is co-located with {@code table} (same
   * co-location and shard count), keeps its column names and is in {@code root}'s class: a row
   * then only meets rows of its own shard group. Reference tables join freely.
   */
  boolean allTied(Ref root, DistributedTable table) {
    for (Ref r : refs) {
      if (r.table().isReference()) {
        continue;
      }
      if (!r.table().isHashDistributed() || r.renamesColumns()
          || r.table().colocationId() != table.colocationId()
          || r.table().shards().size() != table.shards().size() || find(r) != root) {
        return false;
      }
    }
    return true;
  }

  /** Whether every relation {@code statement} names is a distributed or reference table. */
  static boolean namesOnlyDistributed(SqlNode statement, TableResolver resolver) {
    for (FastPathRouter.TableReference ref : FastPathRouter.tableReferences(statement)) {
      if (resolver.resolve(ref.name().names).isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /**
   * The values {@code root}'s class is equated to in {@code conjuncts} (a WHERE's top-level
   * AND, read in {@code scope}): constants or parameters, read as {@code type}.
   */
  java.util.Set<io.basalt.planner.route.ValueSource> pins(List<SqlNode> conjuncts, Scope scope,
      Ref root, int type) {
    java.util.Set<io.basalt.planner.route.ValueSource> pins = new java.util.LinkedHashSet<>();
    for (SqlNode c : conjuncts) {
      if (c.getKind() != SqlKind.EQUALS) {
        continue;
      }
      SqlCall eq = (SqlCall) c;
      for (int side = 0; side < 2; side++) {
        Ref r = distributionRef(eq.operand(side), scope);
        if (r == null || find(r) != root) {
          continue;
        }
        io.basalt.planner.route.ValueSource v = FastPathRouter.keyValueOf(eq.operand(1 - side),
            type);
        if (v != null) {
          pins.add(v);
        }
      }
    }
    return pins;
  }

  /** A FROM/USING item: relations go into the scope, JOIN ... ON conditions join them. */
  void fromItem(SqlNode item, Scope scope) {
    if (item instanceof SqlNodeList list) {
      for (SqlNode n : list) {
        fromItem(n, scope);
      }
      return;
    }
    if (item instanceof SqlJoin join) {
      fromItem(join.getLeft(), scope);
      fromItem(join.getRight(), scope);
      if (join.getCondition() != null && join.getConditionType()
          == org.apache.calcite.sql.JoinConditionType.ON) {
        List<SqlNode> on = new ArrayList<>();
        FastPathRouter.conjuncts(join.getCondition(), on);
        // Equalities in ON join the tables but never pin a value (an outer join keeps rows).
        pendingOn.add(new JoinCondition(on, scope));
        expression(join.getCondition(), scope);
      } else if (join.getCondition() != null || join.isNatural()) {
        usingJoin = true;
      }
      return;
    }
    SqlNode relation = item;
    String alias = null;
    boolean renames = false;
    if (item.getKind() == SqlKind.AS) {
      List<SqlNode> ops = ((SqlCall) item).getOperandList();
      relation = ops.get(0);
      alias = ((SqlIdentifier) ops.get(1)).getSimple();
      renames = ops.size() > 2;
    }
    if (relation instanceof SqlIdentifier id) {
      Optional<DistributedTable> t = resolver.resolve(id.names);
      String name = alias != null ? alias : id.names.get(id.names.size() - 1);
      if (t.isPresent()) {
        Ref r = new Ref(name, t.get(), renames);
        scope.refs().add(r);
        refs.add(r);
      } else {
        scope.refs().add(new Ref(name, null, renames));
      }
      return;
    }
    scope.refs().add(new Ref(alias, null, renames));
    // A subquery or function in FROM: its own scope; its distributed tables cannot be tied
    // to the target through its output columns here.
    int before = refs.size();
    expression(relation, scope);
    for (int i = before; i < refs.size(); i++) {
      if (!refs.get(i).table().isReference()) {
        unsupported = ModifyPushdown.NOT_COLOCATED;
      }
    }
  }

  /** JOIN ... ON conditions seen in FROM items, joined by the next {@link #equalities}. */
  final List<JoinCondition> pendingOn = new ArrayList<>();

  /** Joins relations equated on their distribution columns. */
  void equalities(List<SqlNode> conjuncts, Scope scope) {
    for (SqlNode c : conjuncts) {
      if (c.getKind() == SqlKind.EQUALS) {
        SqlCall eq = (SqlCall) c;
        Ref left = distributionRef(eq.operand(0), scope);
        Ref right = distributionRef(eq.operand(1), scope);
        if (left != null && right != null) {
          union(left, right);
        }
      }
    }
    while (!pendingOn.isEmpty()) {
      JoinCondition on = pendingOn.remove(0);
      equalities(on.conjuncts(), on.scope());
    }
  }

  /** Subqueries anywhere in an expression: each is a scope of its own. */
  void expression(SqlNode node, Scope scope) {
    if (node == null) {
      return;
    }
    if (node instanceof SqlNodeList list) {
      for (SqlNode n : list) {
        expression(n, scope);
      }
      return;
    }
    if (!(node instanceof SqlCall call)) {
      return;
    }
    if (call instanceof SqlSelect select) {
      subquery(select, scope, null);
      return;
    }
    if (call.getKind() == SqlKind.IN && call.operand(1) instanceof SqlSelect select) {
      expression(call.operand(0), scope);
      subquery(select, scope, call.operand(0));
      return;
    }
    if (call.getKind().belongsTo(SqlKind.QUERY)) {
      // Set operations, VALUES, WITH inside an expression: not analysed.
      if (containsDistributed(call)) {
        unsupported = ModifyPushdown.NOT_COLOCATED;
      }
      return;
    }
    for (SqlNode operand : ModifyPushdown.operands(call)) {
      expression(operand, scope);
    }
  }

  /** A subquery; {@code inLeft}: the expression of {@code inLeft IN (subquery)}. */
  void subquery(SqlSelect select, Scope outer, SqlNode inLeft) {
    Scope scope = new Scope(new ArrayList<>(), outer);
    List<SqlNode> conjuncts = new ArrayList<>();
    if (select.getFrom() != null) {
      fromItem(select.getFrom(), scope);
    }
    FastPathRouter.conjuncts(select.getWhere(), conjuncts);
    equalities(conjuncts, scope);
    if (inLeft != null && select.getSelectList().size() == 1 && select.getGroup() == null
        && select.getHaving() == null && select.getFetch() == null
        && select.getOffset() == null) {
      // outer IN (SELECT inner ...) holds for an outer row only with inner = outer (unless a
      // LIMIT or OFFSET picks the inner rows among every shard's rows, not this group's).
      Ref left = distributionRef(inLeft, outer);
      Ref right = distributionRef(select.getSelectList().get(0), scope);
      if (left != null && right != null) {
        union(left, right);
      }
    }
    for (SqlNode operand : select.getOperandList()) {
      if (operand != select.getFrom()) {
        expression(operand, scope);
      }
    }
  }

  boolean containsDistributed(SqlNode node) {
    for (FastPathRouter.TableReference r : FastPathRouter.tableReferences(node)) {
      Optional<DistributedTable> t = resolver.resolve(r.name().names);
      if (t.isPresent() && !t.get().isReference()) {
        return true;
      }
    }
    return false;
  }

  /** The relation whose distribution column the expression is, or null. */
  Ref distributionRef(SqlNode node, Scope scope) {
    if (!(node instanceof SqlIdentifier id) || id.isStar()) {
      return null;
    }
    Ref r = column(id, scope);
    return r != null && r.table().isHashDistributed() && !r.table().isReference()
        && !r.renamesColumns()
        && id.names.get(id.names.size() - 1).equals(r.table().distributionColumn()) ? r : null;
  }

  /** The relation a column reference reads, found as PostgreSQL looks names up. */
  Ref column(SqlIdentifier id, Scope scope) {
    List<String> names = id.names;
    String column = names.get(names.size() - 1);
    for (Scope s = scope; s != null; s = s.parent()) {
      if (names.size() >= 2) {
        String qualifier = names.get(names.size() - 2);
        for (Ref r : s.refs()) {
          if (qualifier.equals(r.name())) {
            return r.table() == null ? null : r;
          }
        }
        continue;
      }
      Ref found = null;
      for (Ref r : s.refs()) {
        if (r.table() == null) {
          // It may provide the name: PostgreSQL would then read it there, not further out.
          return null;
        }
        if (columnsOf(r.table()).contains(column)) {
          if (found != null) {
            return null;   // ambiguous: PostgreSQL reports it
          }
          found = r;
        }
      }
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  private List<String> columnsOf(DistributedTable table) {
    return columns.computeIfAbsent(table, resolver::columns);
  }
}
