package io.basalt.metadata.catalog;

/** A row of pg_dist_node: one PostgreSQL server. Group 0 is the coordinator. */
public record Node(int nodeId, int groupId, String name, int port, boolean active, String role,
    String cluster, boolean shouldHaveShards) {

  public boolean isCoordinator() {
    return groupId == 0;
  }

  /** An active primary in the default cluster: a node that serves shards. */
  public boolean isActivePrimary() {
    return active && "primary".equals(role) && "default".equals(cluster);
  }

  public String address() {
    return name + ":" + port;
  }
}
