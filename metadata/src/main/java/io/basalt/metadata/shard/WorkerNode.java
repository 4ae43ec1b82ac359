package io.basalt.metadata.shard;

import java.util.Objects;

/** A node that can hold shard placements: its pg_dist_node group, host name and port. */
public record WorkerNode(int groupId, String nodeName, int nodePort) {
  public WorkerNode {
    Objects.requireNonNull(nodeName, "nodeName");
  }
}
