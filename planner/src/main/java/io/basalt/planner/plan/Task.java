package io.basalt.planner.plan;

import io.basalt.metadata.catalog.Node;
import java.util.List;
import java.util.Objects;

/**
 * One statement one worker runs for a distributed plan.
 *
 * @param gathered for a gather's task, the qualified name of the table whose rows it reads;
 *     null for other tasks
 * @param shards the qualified names of the shards it reads or writes
 */
public record Task(Node node, String gathered, List<String> shards, String sql) {
  public Task {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(sql, "sql");
    shards = List.copyOf(shards);
  }
}
