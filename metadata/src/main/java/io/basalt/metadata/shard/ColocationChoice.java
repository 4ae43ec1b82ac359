package io.basalt.metadata.shard;

import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import java.util.Locale;

/**
 * Which co-location group a new hash-distributed table joins, by Citus's rules for
 * create_distributed_table's colocate_with and shard_count:
 *
 * <ul>
 *   <li>'default': the group with the same shard count, replication factor, column type and
 *       collation, created if there is none ({@link ReuseOrCreate}; the catalog does the lookup
 *       under a lock so concurrent creates agree);
 *   <li>'none': always a new group ({@link CreateNew});
 *   <li>a table's name: that table's group ({@link Join}); its distribution column must have the
 *       same type and collation, and shard_count may not be given as well.
 * </ul>
 */
public final class ColocationChoice {
  public static final int MAX_SHARD_COUNT = 64000;

  /** What create_distributed_table should do. */
  public sealed interface Decision permits ReuseOrCreate, CreateNew, Join {}

  public record ReuseOrCreate(int shardCount) implements Decision {}

  public record CreateNew(int shardCount) implements Decision {}

  public record Join(int colocationId, int shardCount) implements Decision {}

  /** The table named in colocate_with, as the catalog describes it. */
  public record Source(String name, boolean hashDistributed, int colocationId, int shardCount,
      int columnType, int columnCollation) {}

  private ColocationChoice() {}

  /** Whether colocate_with names a table rather than 'default' or 'none'. */
  public static boolean namesTable(String colocateWith) {
    String mode = colocateWith == null ? "default" : colocateWith.toLowerCase(Locale.ROOT);
    return !mode.equals("default") && !mode.equals("none");
  }

  /**
   * @param explicitShardCount the shard_count argument, or null
   * @param settingShardCount citus.shard_count
   * @param source the table named by colocate_with (only when {@link #namesTable})
   */
  public static Decision decide(String table, String colocateWith, Integer explicitShardCount,
      int settingShardCount, int columnType, int columnCollation, Source source) {
    if (!namesTable(colocateWith)) {
      int count = explicitShardCount != null ? explicitShardCount : settingShardCount;
      if (count < 1 || count > MAX_SHARD_COUNT) {
        throw BasaltException.of(SqlState.INVALID_PARAMETER_VALUE, count
            + " is outside the valid range for parameter \"shard_count\" (1 .. "
            + MAX_SHARD_COUNT + ")");
      }
      return colocateWith != null && colocateWith.equalsIgnoreCase("none")
          ? new CreateNew(count) : new ReuseOrCreate(count);
    }
    if (explicitShardCount != null) {
      throw BasaltException.of(SqlState.INVALID_PARAMETER_VALUE,
          "Cannot use colocate_with with a table and shard_count at the same time");
    }
    if (!source.hashDistributed()) {
      throw BasaltException.builder(SqlState.FEATURE_NOT_SUPPORTED, "cannot colocate tables "
          + source.name() + " and " + table)
          .detail("Currently, colocate_with option is only supported for hash distributed tables.")
          .build();
    }
    if (source.columnType() != columnType || source.columnCollation() != columnCollation) {
      throw BasaltException.builder(SqlState.FEATURE_NOT_SUPPORTED, "cannot colocate tables "
          + source.name() + " and " + table)
          .detail("Distribution column types don't match for " + source.name() + " and " + table
              + ".").build();
    }
    return new Join(source.colocationId(), source.shardCount());
  }
}
