package io.basalt.metadata.shard;

import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Where Citus puts the shards of a new table that starts its own colocation group: the nodes
 * are sorted by name (C strcmp, i.e. unsigned bytes) then port, and replica {@code r} of shard
 * index {@code i} goes to node {@code (i + r) mod n}. The result depends only on the node list,
 * so every coordinator computes the same layout. (A table joining an existing colocation group
 * copies that group's placements instead.)
 */
public final class RoundRobinPlacement {
  /** Citus' order of worker nodes: name by unsigned bytes, then port. */
  public static final Comparator<WorkerNode> NODE_ORDER =
      Comparator.comparing((WorkerNode node) -> node.nodeName().getBytes(StandardCharsets.UTF_8),
          Arrays::compareUnsigned).thenComparingInt(WorkerNode::nodePort);

  private RoundRobinPlacement() {}

  /**
   * The placements of each shard: element {@code i} lists the nodes of shard index {@code i},
   * first placement first.
   *
   * @param nodes the nodes that may hold shards, in any order
   * @throws BasaltException (22023) as Citus does, if there are fewer nodes than replicas (so
   *     also when there are no nodes at all)
   */
  public static List<List<WorkerNode>> place(List<WorkerNode> nodes, int shardCount,
      int replicationFactor) {
    if (shardCount < 1) {
      throw new IllegalArgumentException("shard count must be positive: " + shardCount);
    }
    if (replicationFactor < 1) {
      throw new IllegalArgumentException(
          "replication factor must be positive: " + replicationFactor);
    }
    if (replicationFactor > nodes.size()) {
      throw BasaltException.of(SqlState.INVALID_PARAMETER_VALUE,
          "replication_factor (" + replicationFactor + ") exceeds number of worker nodes ("
              + nodes.size() + ")",
          "Add more worker nodes or try again with a lower replication factor.");
    }
    List<WorkerNode> sorted = nodes.stream().sorted(NODE_ORDER).toList();
    List<List<WorkerNode>> placements = new ArrayList<>(shardCount);
    for (int shard = 0; shard < shardCount; shard++) {
      List<WorkerNode> replicas = new ArrayList<>(replicationFactor);
      for (int replica = 0; replica < replicationFactor; replica++) {
        replicas.add(sorted.get((shard + replica) % sorted.size()));
      }
      placements.add(List.copyOf(replicas));
    }
    return List.copyOf(placements);
  }
}
