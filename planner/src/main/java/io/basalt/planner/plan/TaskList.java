package io.basalt.planner.plan;

import java.util.List;
import java.util.Objects;

/**
 * The tasks a distributed plan runs with one statement's values, and the step the coordinator
 * database runs after them: what EXPLAIN shows.
 *
 * @param gather for {@link Kind#GATHER}, the gather that runs (the plan's own, or the one a
 *     router plan falls back to); null otherwise
 * @param coordinatorSql the combine query of an aggregate (over {@code basalt_partials}), the
 *     statement a gather runs over its temporary tables; null when the tasks' results are the
 *     answer
 */
public record TaskList(Kind kind, List<Task> tasks, ShapePlan.Gather gather,
    String coordinatorSql) {
  public TaskList {
    Objects.requireNonNull(kind, "kind");
    tasks = List.copyOf(tasks);
    if ((kind == Kind.GATHER) != (gather != null)) {
      throw new IllegalArgumentException("a gather, and only a gather, names its tables");
    }
  }

  /** How the tasks run, named after the custom scan EXPLAIN shows for them. */
  public enum Kind {
    /** One task on one shard group (or one reference placement); its result is the answer. */
    ROUTER("Basalt Router"),
    /** One task per shard or placement, in one distributed transaction; results merged. */
    ADAPTIVE("Basalt Adaptive"),
    /** A partial aggregate per shard, combined by the coordinator database. */
    AGGREGATE("Basalt Aggregate"),
    /** Each table's rows read from its shards; the coordinator database runs the statement. */
    GATHER("Basalt Gather");

    private final String scanName;

    Kind(String scanName) {
      this.scanName = scanName;
    }

    /** The name EXPLAIN shows: {@code Custom Scan (<name>)}. */
    public String scanName() {
      return scanName;
    }
  }
}
