/**
 * Citus' shard layout policies: the hash range of each shard
 * ({@link io.basalt.metadata.shard.ShardRanges}), shard relation names
 * ({@link io.basalt.metadata.shard.ShardNames}) and round-robin placement on worker nodes
 * ({@link io.basalt.metadata.shard.RoundRobinPlacement}), each as Citus computes it, so that a
 * Basalt cluster is laid out as a Citus cluster would be.
 */
package io.basalt.metadata.shard;
