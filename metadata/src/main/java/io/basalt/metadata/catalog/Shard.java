package io.basalt.metadata.catalog;

import java.util.List;

/**
 * A row of pg_dist_shard with its placements' groups. Hash shards cover [minValue, maxValue] of
 * the int32 hash space; reference tables' single shard has no range (both null).
 */
public record Shard(long shardId, long tableOid, Integer minValue, Integer maxValue,
    List<Integer> placementGroups) {

  public Shard {
    placementGroups = List.copyOf(placementGroups);
  }
}
