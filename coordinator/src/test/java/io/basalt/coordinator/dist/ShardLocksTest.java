package io.basalt.coordinator.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.basalt.coordinator.dist.ShardLocks.Kind;
import io.basalt.coordinator.dist.ShardLocks.Mode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardLocksTest {
  @Test
  void modesFollowCitusExecutorLocks() {
    assertEquals(Mode.EXCLUSIVE, ShardLocks.mode(Kind.MULTI_SHARD_WRITE, true, false));
    assertEquals(Mode.SHARED, ShardLocks.mode(Kind.MULTI_SHARD_WRITE, false, false));
    assertEquals(Mode.SHARED, ShardLocks.mode(Kind.MULTI_SHARD_WRITE, true, true));
    assertEquals(Mode.EXCLUSIVE, ShardLocks.mode(Kind.REFERENCE_MODIFY, true, false));
    assertEquals(Mode.EXCLUSIVE, ShardLocks.mode(Kind.REFERENCE_MODIFY, false, false));
    assertEquals(Mode.SHARED, ShardLocks.mode(Kind.REFERENCE_MODIFY, true, true));
    assertEquals(Mode.SHARED, ShardLocks.mode(Kind.REFERENCE_INSERT, true, false));
  }

  @Test
  void requestsSortAndDeduplicateShardIds() {
    assertEquals(List.of(102008L, 102009L, 102011L),
        new ShardLocks.Request(List.of(102011L, 102008L, 102009L, 102008L),
            Kind.MULTI_SHARD_WRITE).shardIds());
  }

  @Test
  void sqlTakesLocksInAscendingOrder() {
    int c = ShardLocks.CLASS_ID;
    assertEquals("SELECT pg_catalog.pg_advisory_xact_lock(" + c + ", 7), "
        + "pg_catalog.pg_advisory_xact_lock(" + c + ", 102008)",
        ShardLocks.sql(List.of(7L, 102008L), Mode.EXCLUSIVE));
    assertEquals("SELECT pg_catalog.pg_advisory_xact_lock_shared(" + c + ", 5)",
        ShardLocks.sql(List.of(5L), Mode.SHARED));
    assertThrows(IllegalArgumentException.class,
        () -> ShardLocks.sql(List.of(9L, 8L), Mode.SHARED));
  }

  @Test
  void largeShardIdsStayDistinct() {
    long big = (1L << 32) + 5;
    assertEquals(ShardLocks.objectId(5L), ShardLocks.objectId(big));
    assertEquals(ShardLocks.CLASS_ID ^ 1, ShardLocks.classId(big));
    assertEquals(ShardLocks.CLASS_ID, ShardLocks.classId(5L));
  }
}
