package io.basalt.coordinator.dist;

import java.util.List;
import java.util.TreeSet;

/**
 * Executor shard locks: before a write that spans shards or placements, the client's
 * coordinator-database session takes a transaction-level advisory lock per shard id, in
 * ascending order, held until the client's transaction ends there.
 *
 * <p>Two multi-shard UPDATEs of the same table otherwise lock rows on one worker in one order and
 * on another in the other, and neither worker sees the cycle. With a self-conflicting lock per
 * shard taken up front, in one global order, the second waits on the coordinator before it
 * touches any worker. Advisory locks of the coordinator database make that wait visible in its
 * pg_locks, let the client's cancel and lock_timeout interrupt it (it is an ordinary statement
 * of the client's session) and leave cycles among them to PostgreSQL's own deadlock detector.
 *
 * <p>The key is the two-int form ({@code classid}, {@code objid}, {@code objsubid} 2 in
 * pg_locks): the first int is {@link #CLASS_ID} (with the shard id's high 32 bits folded in,
 * zero for every shard id Basalt hands out), the second the shard id. The single-bigint form
 * that applications use most lives in a different key space (objsubid 1).
 */
public final class ShardLocks {
  /** 'BSLT': marks Basalt's shard locks among a database's advisory locks. */
  public static final int CLASS_ID = 0x42534c54;

  /** What the write is; with the session's settings it decides the lock mode. */
  public enum Kind {
    /** UPDATE/DELETE on every shard, or a multi-row INSERT whose rows go to several shards. */
    MULTI_SHARD_WRITE,
    /** UPDATE, DELETE or INSERT ... ON CONFLICT on a reference table (not commutative). */
    REFERENCE_MODIFY,
    /** A plain INSERT into a reference table (commutes with other inserts). */
    REFERENCE_INSERT
  }

  /** Exclusive: conflicts with both modes. Shared: conflicts with exclusive only. */
  public enum Mode { EXCLUSIVE, SHARED }

  /** The shards to lock and what the write is. */
  public record Request(List<Long> shardIds, Kind kind) {
    public Request {
      shardIds = List.copyOf(new TreeSet<>(shardIds));
    }
  }

  private ShardLocks() {}

  /**
   * The mode Citus's executor takes (citus.enable_deadlock_prevention = off or
   * citus.all_modifications_commutative = on weaken a multi-shard write's lock so that
   * concurrent ones proceed; the latter also lets reference-table modifications run together).
   */
  public static Mode mode(Kind kind, boolean deadlockPrevention, boolean allCommutative) {
    return switch (kind) {
      case MULTI_SHARD_WRITE -> deadlockPrevention && !allCommutative ? Mode.EXCLUSIVE
          : Mode.SHARED;
      case REFERENCE_MODIFY -> allCommutative ? Mode.SHARED : Mode.EXCLUSIVE;
      case REFERENCE_INSERT -> Mode.SHARED;
    };
  }

  /**
   * One statement taking the locks in ascending shard id order (a target list is evaluated
   * left to right), so that two writers over overlapping shards cannot wait on each other in a
   * cycle.
   */
  public static String sql(List<Long> ascendingShardIds, Mode mode) {
    String function = mode == Mode.EXCLUSIVE ? "pg_catalog.pg_advisory_xact_lock("
        : "pg_catalog.pg_advisory_xact_lock_shared(";
    StringBuilder q = new StringBuilder("SELECT ");
    long previous = Long.MIN_VALUE;
    for (int i = 0; i < ascendingShardIds.size(); i++) {
      long id = ascendingShardIds.get(i);
      if (id <= previous) {
        throw new IllegalArgumentException("shard ids not ascending: " + ascendingShardIds);
      }
      previous = id;
      q.append(i == 0 ? "" : ", ").append(function).append(classId(id)).append(", ")
          .append(objectId(id)).append(")");
    }
    return q.toString();
  }

  /** The first key of a shard's lock. */
  public static int classId(long shardId) {
    return CLASS_ID ^ (int) (shardId >>> 32);
  }

  /** The second key of a shard's lock (pg_locks shows it as objid, an unsigned oid). */
  public static int objectId(long shardId) {
    return (int) shardId;
  }
}
