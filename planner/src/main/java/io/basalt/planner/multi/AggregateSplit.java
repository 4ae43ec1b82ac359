package io.basalt.planner.multi;

import java.util.List;
import java.util.Objects;

/**
 * A single-table aggregate SELECT split in two steps.
 *
 * <p>Each shard runs {@code workerPrefix + shard + workerSuffix}, the shard's qualified name
 * standing where the client wrote the table. Its rows, from every shard, form a FROM item R whose
 * columns are named {@link #partialColumns} (a VALUES list or a temporary table), and
 * {@code combinePrefix + R + combineSuffix} gives the client's result: the same rows, column
 * names and types as the original statement on the whole table.
 *
 * <p>For the caller: an ungrouped query's worker returns exactly one row per shard, even an
 * empty one, but a grouped query's returns one per group present, so R may have no rows (a
 * VALUES list cannot be empty; use a typed temporary table or subquery then). The client's $n
 * parameters stay where they were written, so the worker and the combine may each mention only
 * some of them: bind with declared parameter types. Text comparisons in the combine (min and
 * max, grouping and ordering by text keys) follow R's column collations, which should be the
 * worker columns' when those are not the database default.
 *
 * @param partialColumns the worker's result columns in order: g1.. for the grouping keys, then
 *     p1.. for the partial aggregates
 */
public record AggregateSplit(String workerPrefix, String workerSuffix, String combinePrefix,
    String combineSuffix, List<String> partialColumns) {
  public AggregateSplit {
    Objects.requireNonNull(workerPrefix, "workerPrefix");
    Objects.requireNonNull(workerSuffix, "workerSuffix");
    Objects.requireNonNull(combinePrefix, "combinePrefix");
    Objects.requireNonNull(combineSuffix, "combineSuffix");
    partialColumns = List.copyOf(partialColumns);
  }

  /** The query one shard runs. */
  public String workerSql(String shard) {
    return workerPrefix + shard + workerSuffix;
  }

  /** The query that combines the partial rows read from {@code partials}. */
  public String combineSql(String partials) {
    return combinePrefix + partials + combineSuffix;
  }
}
