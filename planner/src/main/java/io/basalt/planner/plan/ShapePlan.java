package io.basalt.planner.plan;

import io.basalt.metadata.catalog.DistributedTable;
import java.util.List;

/** How a statement shape runs. */
public sealed interface ShapePlan {
  /** The distributed and reference tables the statement names, in token order. */
  List<TableSpot> spots();

  /** Whether the plan holds nothing of one statement, so that its shape may reuse it. */
  default boolean reusable() {
    return true;
  }

  /** No distributed or reference table: the coordinator database runs the statement. */
  record Local() implements ShapePlan {
    @Override
    public List<TableSpot> spots() {
      return List.of();
    }
  }

  /** One shard of a hash-distributed table, chosen by the distribution column's value. */
  record Router(DistributedTable table, List<TableSpot> spots, ValueRef value)
      implements ShapePlan {
    @Override
    public boolean reusable() {
      return !(value instanceof ValueRef.Fixed);
    }
  }

  /** A read of a reference table: any one placement answers. */
  record ReferenceRead(DistributedTable table, List<TableSpot> spots) implements ShapePlan {}

  /** A write to a reference table: every placement, in one distributed transaction. */
  record ReferenceWrite(DistributedTable table, List<TableSpot> spots) implements ShapePlan {}

  /** UPDATE or DELETE on every shard of one table, in one distributed transaction. */
  record MultiShardModify(DistributedTable table, List<TableSpot> spots) implements ShapePlan {}

  /**
   * A multi-row INSERT ... VALUES on a hash-distributed table: each row goes to the shard of its
   * distribution value.
   *
   * @param rows the first and last token of each row's parenthesised values
   * @param values the distribution value of each row
   */
  record MultiRowInsert(DistributedTable table, List<TableSpot> spots, List<int[]> rows,
      List<ValueRef> values) implements ShapePlan {
    @Override
    public boolean reusable() {
      return values.stream().noneMatch(v -> v instanceof ValueRef.Fixed);
    }
  }

  /**
   * A query the coordinator database answers over copies of the tables' rows: each named table
   * is gathered from its shards into a temporary table that takes its place in the statement.
   *
   * @param filter for a single-table query, the first and last token of a WHERE condition that
   *     the shards can apply before sending rows (it is applied again by the coordinator), or
   *     null
   */
  record Gather(List<TableSpot> spots, int[] filter) implements ShapePlan {}

  /**
   * A single-table aggregate query split into per-shard partial aggregates and a combine step
   * the coordinator database runs over them. The split holds this statement's text, so the plan
   * is reused only by a shape without constants.
   */
  record AggregatePushdown(DistributedTable table, List<TableSpot> spots,
      io.basalt.planner.multi.AggregateSplit split, boolean reusable) implements ShapePlan {}

  /**
   * An INSERT whose rows the coordinator must compute before routing them: INSERT ... SELECT
   * (pulled to the coordinator) or one that leaves a sequence-backed column to its default. The
   * coordinator database runs the INSERT into a staging table shaped like the target (its
   * defaults, sequences and checks included), then the staged rows are routed like COPY rows.
   *
   * @param target the spot of the INSERT's target table
   */
  record InsertViaCoordinator(DistributedTable table, List<TableSpot> spots, TableSpot target)
      implements ShapePlan {}

  /**
   * An UPDATE or DELETE whose WHERE or SET has subqueries that refer to nothing around them
   * but cannot run on the shards with it (they read tables not co-located with the target, or
   * local tables): each runs first, on its own, and its rows are written into the statement as
   * VALUES, which is then planned again (see SubqueriesFirst).
   *
   * @param subqueries the first and last token of each subquery's text inside its parentheses
   */
  record SubqueriesFirst(List<TableSpot> spots, List<int[]> subqueries) implements ShapePlan {}

  /** A statement Basalt cannot run correctly: it fails with this error. */
  record Refused(List<TableSpot> spots, io.basalt.error.SqlState sqlState, String message,
      String hint)
      implements ShapePlan {}
}
