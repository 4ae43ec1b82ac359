package io.basalt.planner.plan;

import io.basalt.metadata.catalog.DistributedTable;
import io.basalt.planner.lexer.Token;
import io.basalt.planner.route.FastPathRouter;
import io.basalt.planner.route.ValueSource;
import io.basalt.planner.shape.Slot;
import io.basalt.planner.sql.PgLockedQuery;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;

/**
 * A query over several tables that one shard group answers whole: the client's text runs on
 * that group (every table name replaced by its shard of the group's index), as Citus's router
 * planner sends it. That holds when every hash-distributed table the query names, in FROM,
 * joins and subqueries alike, is co-located with the others and tied to them by equalities of
 * distribution columns ({@link ColocationAnalysis}), and the top-level WHERE equates that class
 * to a constant or parameter: a row of the answer is then made of rows of that value's shard
 * group only. Reference tables, present on every node, join freely; a query of reference tables
 * alone reads one placement.
 *
 * <p>A query whose value is such a contradiction ({@code a.k = 1 AND b.k = 2} with
 * {@code a.k = b.k}) has no rows anywhere, so any of its values picks a right group. An
 * equality inside an outer join's ON never pins (the outer side keeps its other rows), and one
 * inside a subquery pins only that subquery. Anything else (tables not tied, local tables,
 * subqueries in FROM over distributed tables, WITH, set operations, USING joins) is left to the
 * planner's other paths.
 */
final class QueryPushdown {
  private QueryPushdown() {}

  /** The router plan of a query over several tables, or null when it has none. */
  static ShapePlan plan(SqlNode statement, List<TableSpot> spots, List<Token> tokens,
      List<Slot> slots, TableResolver resolver) {
    SqlNode query = statement instanceof PgLockedQuery locked ? locked.query() : statement;
    SqlOrderBy orderBy = query instanceof SqlOrderBy o ? o : null;
    SqlNode node = orderBy != null ? orderBy.query : query;
    if (!(node instanceof SqlSelect select) || !FastPathRouter.withNames(statement).isEmpty()) {
      return null;
    }
    if (!ColocationAnalysis.namesOnlyDistributed(statement, resolver)) {
      return null;   // a local table or view: the workers do not have it
    }
    ColocationAnalysis a = new ColocationAnalysis(resolver);
    ColocationAnalysis.Scope top = new ColocationAnalysis.Scope(new ArrayList<>(), null);
    List<SqlNode> topConjuncts = a.select(select, top);
    if (orderBy != null) {
      a.expression(orderBy.orderList, top);
      a.expression(orderBy.offset, top);
      a.expression(orderBy.fetch, top);
    }
    if (a.unsupported != null || a.usingJoin || a.refs.isEmpty()) {
      return null;
    }
    ColocationAnalysis.Ref first = a.refs.stream().filter(r -> !r.table().isReference())
        .findFirst().orElse(null);
    if (first == null) {
      return new ShapePlan.ReferenceRead(a.refs.get(0).table(), spots);
    }
    if (!a.allTied(a.find(first), first.table())) {
      return null;
    }
    java.util.Set<ValueSource> pins = a.pins(topConjuncts, top, a.find(first),
        first.table().distributionType());
    return pins.isEmpty() ? null : new ShapePlan.Router(first.table(), spots,
        DistributedPlanner.valueRef(pins.iterator().next(), tokens, slots));
  }
}
