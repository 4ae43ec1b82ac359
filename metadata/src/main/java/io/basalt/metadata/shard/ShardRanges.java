package io.basalt.metadata.shard;

import java.util.ArrayList;
import java.util.List;

/**
 * The hash ranges Citus gives a new hash-distributed table, and the lookup of a hash value's
 * shard. The int32 hash space is cut into {@code shardCount} equal ranges of
 * {@code floor(2^32 / shardCount)} values, in order from {@link Integer#MIN_VALUE}; the last
 * range also takes the remainder, up to {@link Integer#MAX_VALUE}.
 */
public final class ShardRanges {
  private static final long HASH_SPACE = 1L << 32;

  private ShardRanges() {}

  /** The ranges of shard indexes 0..shardCount-1 of a new table, lowest first. */
  public static List<HashRange> uniform(int shardCount) {
    long increment = increment(shardCount);
    List<HashRange> ranges = new ArrayList<>(shardCount);
    for (int i = 0; i < shardCount; i++) {
      long min = Integer.MIN_VALUE + i * increment;
      long max = i == shardCount - 1 ? Integer.MAX_VALUE : min + increment - 1;
      ranges.add(new HashRange((int) min, (int) max));
    }
    return List.copyOf(ranges);
  }

  /**
   * The index of the shard of {@code hash} among {@link #uniform(int) uniform} ranges, by
   * arithmetic rather than search; the last shard's larger range is why it is clamped.
   */
  public static int indexOf(int hash, int shardCount) {
    long index = ((long) hash - Integer.MIN_VALUE) / increment(shardCount);
    return (int) Math.min(index, shardCount - 1);
  }

  /**
   * The index of the range holding {@code hash}, or -1 if none does, by binary search. Works for
   * any layout, such as one after shard splits.
   *
   * @param ranges sorted by {@link HashRange#min()}, not overlapping (gaps are allowed)
   */
  public static int indexOf(int hash, List<HashRange> ranges) {
    int low = 0;
    int high = ranges.size() - 1;
    while (low <= high) {
      int middle = (low + high) >>> 1;
      HashRange range = ranges.get(middle);
      if (hash < range.min()) {
        high = middle - 1;
      } else if (hash > range.max()) {
        low = middle + 1;
      } else {
        return middle;
      }
    }
    return -1;
  }

  private static long increment(int shardCount) {
    if (shardCount < 1) {
      throw new IllegalArgumentException("shard count must be positive: " + shardCount);
    }
    return HASH_SPACE / shardCount;
  }
}
