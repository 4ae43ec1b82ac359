package io.basalt.planner.plan;

import io.basalt.error.SqlState;
import io.basalt.metadata.catalog.DistributedTable;
import io.basalt.planner.lexer.Token;
import io.basalt.planner.route.FastPathRouter;
import io.basalt.planner.route.ValueSource;
import io.basalt.planner.shape.Slot;
import io.basalt.planner.sql.PgDelete;
import io.basalt.planner.sql.PgUpdate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlUpdate;

/**
 * UPDATE ... FROM, DELETE ... USING and UPDATE/DELETE with subqueries over distributed tables:
 * the client's statement runs unchanged on shard groups (every table name replaced by the
 * shard of the same index) when that gives PostgreSQL's answer, that is when every
 * hash-distributed table it names is co-located with the target and tied to it by equalities of
 * distribution columns (in the top-level AND of a WHERE or JOIN ... ON, a correlated subquery's
 * included, or {@code key IN (SELECT key ...)}): a row of the target then only meets rows of its
 * own shard group. Reference tables (present on every node) join freely. A distribution value
 * given as a constant or parameter pins the statement to one shard group (a router plan);
 * otherwise it runs on every shard group in one distributed transaction. Anything else is
 * refused with Citus's message.
 */
final class ModifyPushdown {
  /** Citus's message (0A000) when distributed tables are not joined on distribution columns. */
  static final String NOT_COLOCATED = "complex joins are only supported when all distributed"
      + " tables are co-located and joined on their distribution columns";
  static final String NOT_COLOCATED_HINT = "Join every distributed table of the UPDATE or"
      + " DELETE to the target on its distribution column with = (for example t.key = u.key),"
      + " use tables co-located with the target, or read other tables through reference tables.";

  private ModifyPushdown() {}

  /**
   * One relation of a query level (in FROM, or the target): its alias or name, and its table.
   * {@code table} is null for an item whose columns are not known
   * here (a subquery, function, VALUES, CTE or local table in FROM): names it may provide are
   * never taken for another relation's.
   */
  private record Ref(String name, DistributedTable table, boolean renamesColumns) {}

  /** A query level: its relations, and the one around it. */
  private record Scope(List<Ref> refs, Scope parent) {}

  /** The conjuncts of a JOIN ... ON condition, and the scope its names are read in. */
  private record JoinCondition(List<SqlNode> conjuncts, Scope scope) {}

  /**
   * The plan of an UPDATE or DELETE that names more than one table, or null when the statement
   * is not one.
   */
  static ShapePlan plan(SqlNode statement, List<TableSpot> spots, List<Token> tokens,
      List<Slot> slots, TableResolver resolver) {
    if (!(statement instanceof SqlUpdate) && !(statement instanceof SqlDelete)) {
      return null;
    }
    SqlIdentifier targetName = (SqlIdentifier) (statement instanceof SqlUpdate u
        ? u.getTargetTable() : ((SqlDelete) statement).getTargetTable());
    Optional<DistributedTable> resolvedTarget = resolver.resolve(targetName.names);
    if (resolvedTarget.isEmpty() || !FastPathRouter.withNames(statement).isEmpty()) {
      // A write to a local table (the coordinator runs it over gathered rows), or a WITH.
      return null;
    }
    DistributedTable target = resolvedTarget.get();
    for (FastPathRouter.TableReference ref : FastPathRouter.tableReferences(statement)) {
      if (resolver.resolve(ref.name().names).isEmpty()) {
        return refused(spots, "cannot plan modifications that name both distributed tables and"
            + " the local relation \"" + String.join(".", ref.name().names) + "\"",
            "Distribute the table, make it a reference table, or read its rows into the"
                + " statement as VALUES.");
      }
    }
    Analysis a = new Analysis(resolver);
    SqlIdentifier alias = statement instanceof SqlUpdate u ? u.getAlias()
        : ((SqlDelete) statement).getAlias();
    Ref targetRef = new Ref(alias != null ? alias.getSimple()
        : targetName.names.get(targetName.names.size() - 1), target, false);
    Scope top = new Scope(new ArrayList<>(List.of(targetRef)), null);
    a.refs.add(targetRef);
    List<SqlNode> topConjuncts = new ArrayList<>();
    if (statement instanceof PgUpdate pg && pg.from() != null) {
      a.fromItem(pg.from(), top);
    }
    if (statement instanceof PgDelete pg && pg.using() != null) {
      a.fromItem(pg.using(), top);
    }
    SqlNode where = statement instanceof SqlUpdate u ? u.getCondition()
        : ((SqlDelete) statement).getCondition();
    FastPathRouter.conjuncts(where, topConjuncts);
    a.equalities(topConjuncts, top);
    a.expression(where, top);
    if (statement instanceof SqlUpdate u) {
      a.expression(u.getSourceExpressionList(), top);
      if (u instanceof PgUpdate pg) {
        a.expression(pg.returning(), top);
      }
    } else if (statement instanceof PgDelete pg) {
      a.expression(pg.returning(), top);
    }
    if (a.unsupported != null) {
      return refused(spots, a.unsupported, NOT_COLOCATED_HINT);
    }

    if (target.isReference()) {
      for (Ref r : a.refs) {
        if (!r.table().isReference()) {
          return refused(spots, "cannot modify a reference table with a statement that reads"
              + " distributed tables", "Read the distributed rows first, or make the target a"
              + " distributed table.");
        }
      }
      return new ShapePlan.ReferenceWrite(target, spots);
    }
    if (!target.isHashDistributed()) {
      return null;
    }
    if (statement instanceof SqlUpdate u) {
      SqlNodeList columns = u.getTargetColumnList();
      for (int i = 0; i < columns.size(); i++) {
        SqlIdentifier column = (SqlIdentifier) columns.get(i);
        if (column.names.get(column.names.size() - 1).equals(target.distributionColumn())
            && a.distributionRef(u.getSourceExpressionList().get(i), top) != targetRef) {
          return refused(spots, FastPathRouter.MODIFIES_PARTITION_VALUE, null);
        }
      }
    }
    Ref root = a.find(targetRef);
    for (Ref r : a.refs) {
      if (r.table().isReference()) {
        continue;
      }
      if (!r.table().isHashDistributed() || r.renamesColumns()
          || r.table().colocationId() != target.colocationId()
          || r.table().shards().size() != target.shards().size() || a.find(r) != root) {
        return refused(spots, NOT_COLOCATED, NOT_COLOCATED_HINT);
      }
    }
    // The pinning values: the key's class equated to a constant or parameter in the WHERE.
    Set<ValueSource> pins = new LinkedHashSet<>();
    for (SqlNode c : topConjuncts) {
      if (c.getKind() != SqlKind.EQUALS) {
        continue;
      }
      SqlCall eq = (SqlCall) c;
      for (int side = 0; side < 2; side++) {
        Ref r = a.distributionRef(eq.operand(side), top);
        ValueSource v = FastPathRouter.keyValueOf(eq.operand(1 - side),
            target.distributionType());
        if (r != null && v != null && a.find(r) == root) {
          pins.add(v);
        }
      }
    }
    if (pins.size() == 1) {
      return new ShapePlan.Router(target, spots,
          DistributedPlanner.valueRef(pins.iterator().next(), tokens, slots));
    }
    return new ShapePlan.MultiShardModify(target, spots);
  }

  private static ShapePlan refused(List<TableSpot> spots, String message, String hint) {
    return new ShapePlan.Refused(spots, SqlState.FEATURE_NOT_SUPPORTED, message, hint);
  }

  /** Walks the statement: relations per scope, and the equalities that join them. */
  private static final class Analysis {
    final TableResolver resolver;
    final List<Ref> refs = new ArrayList<>();
    final Map<Ref, Ref> parent = new IdentityHashMap<>();
    final Map<DistributedTable, List<String>> columns = new HashMap<>();
    String unsupported;

    Analysis(TableResolver resolver) {
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
        } else if (join.getCondition() != null) {
          unsupported = "joins with USING are not supported in UPDATE and DELETE on distributed"
              + " tables";
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
          unsupported = NOT_COLOCATED;
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
          unsupported = NOT_COLOCATED;
        }
        return;
      }
      for (SqlNode operand : operands(call)) {
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
      if (inLeft != null && select.getSelectList().size() == 1
          && select.getGroup() == null && select.getHaving() == null) {
        // outer IN (SELECT inner ...) holds for an outer row only with inner = outer.
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

  /** A call's operands (some may be null), or none for a call that does not list them. */
  static List<SqlNode> operands(SqlCall call) {
    try {
      return call.getOperandList();
    } catch (UnsupportedOperationException e) {
      return List.of();
    }
  }
}
