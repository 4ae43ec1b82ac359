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
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
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
    ColocationAnalysis a = new ColocationAnalysis(resolver);
    SqlIdentifier alias = statement instanceof SqlUpdate u ? u.getAlias()
        : ((SqlDelete) statement).getAlias();
    ColocationAnalysis.Ref targetRef = new ColocationAnalysis.Ref(alias != null ? alias.getSimple()
        : targetName.names.get(targetName.names.size() - 1), target, false);
    ColocationAnalysis.Scope top = new ColocationAnalysis.Scope(new ArrayList<>(List.of(targetRef)), null);
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
    if (a.usingJoin) {
      return refused(spots, "joins with USING are not supported in UPDATE and DELETE on"
          + " distributed tables", NOT_COLOCATED_HINT);
    }
    if (a.unsupported != null) {
      return refused(spots, a.unsupported, NOT_COLOCATED_HINT);
    }

    if (target.isReference()) {
      for (ColocationAnalysis.Ref r : a.refs) {
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
    ColocationAnalysis.Ref root = a.find(targetRef);
    if (!a.allTied(root, target)) {
      return refused(spots, NOT_COLOCATED, NOT_COLOCATED_HINT);
    }
    // The pinning values: the key's class equated to a constant or parameter in the WHERE.
    Set<ValueSource> pins = a.pins(topConjuncts, top, root, target.distributionType());
    if (pins.size() == 1) {
      return new ShapePlan.Router(target, spots,
          DistributedPlanner.valueRef(pins.iterator().next(), tokens, slots));
    }
    return new ShapePlan.MultiShardModify(target, spots);
  }

  private static ShapePlan refused(List<TableSpot> spots, String message, String hint) {
    return new ShapePlan.Refused(spots, SqlState.FEATURE_NOT_SUPPORTED, message, hint);
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
