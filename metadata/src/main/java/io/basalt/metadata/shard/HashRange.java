package io.basalt.metadata.shard;

/**
 * The hash values of one shard, both ends inclusive (pg_dist_shard's shardminvalue and
 * shardmaxvalue of a hash-distributed table).
 */
public record HashRange(int min, int max) {
  public HashRange {
    if (min > max) {
      throw new IllegalArgumentException("hash range min " + min + " exceeds max " + max);
    }
  }

  public boolean contains(int hash) {
    return min <= hash && hash <= max;
  }
}
