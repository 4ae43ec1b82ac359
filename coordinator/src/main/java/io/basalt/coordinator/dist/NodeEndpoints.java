package io.basalt.coordinator.dist;

import io.basalt.executor.backend.BackendEndpoint;

/**
 * How the coordinator reaches a node named in pg_dist_node. The embedded default maps its own
 * servers to their private Unix-domain sockets; other nodes are reached over TCP.
 */
@FunctionalInterface
public interface NodeEndpoints {
  BackendEndpoint resolve(String name, int port);
}
