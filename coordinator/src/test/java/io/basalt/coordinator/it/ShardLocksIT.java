package io.basalt.coordinator.it;

import static io.basalt.coordinator.it.TestBasalt.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.coordinator.dist.ShardLocks;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Executor shard locks: concurrent multi-shard writes on the same shards wait for each other on
 * the coordinator (seen in its pg_locks, not timed), unless citus.enable_deadlock_prevention is
 * off; lock_timeout reaches the workers and bounds the coordinator's own waits.
 */
class ShardLocksIT {
  private static final ExecutorService POOL = Executors.newCachedThreadPool();

  @BeforeAll
  static void setUp() throws SQLException {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE lk (k int PRIMARY KEY, v int)");
      s.execute("INSERT INTO lk SELECT i, i FROM generate_series(1, 100) i");
      s.execute("SELECT create_distributed_table('lk', 'k', shard_count => 4)");
      s.execute("CREATE TABLE lk_ref (k int PRIMARY KEY, v int)");
      s.execute("INSERT INTO lk_ref SELECT i, 0 FROM generate_series(1, 10) i");
      s.execute("SELECT create_reference_table('lk_ref')");
    }
  }

  @AfterAll
  static void tearDown() throws SQLException {
    POOL.shutdownNow();
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS lk, lk_ref");
    }
  }

  /** Basalt shard locks in the coordinator database: waiting ones, or granted ones of a mode. */
  private static int shardLocks(String condition) throws SQLException {
    try (Connection d = TestBasalt.connectDirect(new Properties());
        Statement s = d.createStatement()) {
      return Integer.parseInt(one(s, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
          + " AND classid = " + ShardLocks.CLASS_ID + " AND objsubid = 2 AND " + condition));
    }
  }

  /** Waits (up to 20 s) until a shard lock is waited for; false if none ever was. */
  private static boolean someoneWaits() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (shardLocks("NOT granted") > 0) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  @Test
  void concurrentMultiShardUpdatesOfOneTableTakeTurns() throws Exception {
    try (Connection a = TestBasalt.connect(); Statement sa = a.createStatement();
        Connection b = TestBasalt.connect(); Statement sb = b.createStatement()) {
      sa.execute("BEGIN");
      // Different rows: without shard locks the second would not wait at all.
      sa.execute("UPDATE lk SET v = v + 1000 WHERE v <= 50");
      assertEquals(4, shardLocks("granted AND mode = 'ExclusiveLock'"));
      sb.execute("BEGIN");
      Future<Integer> second = POOL.submit(() -> sb.executeUpdate(
          "UPDATE lk SET v = v + 1000 WHERE v > 50 AND v <= 100"));
      assertTrue(someoneWaits(), "the second multi-shard UPDATE should wait on the coordinator");
      assertFalse(second.isDone());
      sa.execute("COMMIT");
      assertEquals(50, second.get(30, TimeUnit.SECONDS));
      sb.execute("COMMIT");
      assertEquals("0", one(sa, "SELECT count(*) FROM lk WHERE v < 1000"));
      assertEquals(0, shardLocks("true"));
      sa.execute("UPDATE lk SET v = k");
    }
  }

  @Test
  void withoutDeadlockPreventionTheyDoNotWaitOnTheCoordinator() throws Exception {
    try (Connection a = TestBasalt.connect(); Statement sa = a.createStatement();
        Connection b = TestBasalt.connect(); Statement sb = b.createStatement()) {
      sa.execute("SET citus.enable_deadlock_prevention = off");
      sb.execute("SET citus.enable_deadlock_prevention = off");
      sa.execute("BEGIN");
      sa.execute("DELETE FROM lk WHERE k > 1000");
      sa.execute("UPDATE lk SET v = v + 2000 WHERE v <= 50");
      assertEquals(4, shardLocks("granted AND mode = 'ShareLock'"));
      sb.execute("BEGIN");
      // Completes while the first still holds its (shared) locks.
      assertEquals(50, (int) POOL.submit(() -> sb.executeUpdate(
          "UPDATE lk SET v = v + 2000 WHERE v > 50 AND v <= 100")).get(30, TimeUnit.SECONDS));
      sb.execute("COMMIT");
      sa.execute("COMMIT");
      assertEquals("0", one(sa, "SELECT count(*) FROM lk WHERE v < 2000"));
      sa.execute("UPDATE lk SET v = k");
    }
  }

  @Test
  void referenceInsertsShareAndModificationsExclude() throws Exception {
    try (Connection a = TestBasalt.connect(); Statement sa = a.createStatement();
        Connection b = TestBasalt.connect(); Statement sb = b.createStatement()) {
      sa.execute("BEGIN");
      sa.execute("INSERT INTO lk_ref VALUES (101, 1)");
      assertEquals(1, shardLocks("granted AND mode = 'ShareLock'"));
      sb.execute("BEGIN");
      sb.execute("INSERT INTO lk_ref VALUES (102, 1)");
      Future<Integer> update = POOL.submit(() -> sb.executeUpdate(
          "UPDATE lk_ref SET v = v + 1 WHERE k <= 10"));
      assertTrue(someoneWaits(), "the UPDATE should wait for the other's INSERT");
      sa.execute("COMMIT");
      assertEquals(10, update.get(30, TimeUnit.SECONDS));
      sb.execute("COMMIT");
      assertEquals("12", one(sa, "SELECT count(*) FROM lk_ref"));
      sa.execute("DELETE FROM lk_ref WHERE k > 100");
    }
  }

  /**
   * LOCK TABLE of distributed and reference tables locks their shards in the block: the reads
   * and writes that go to the shards (never to the coordinator's table) wait for it. Before, it
   * locked only the coordinator's table, and they went on.
   */
  @Test
  void lockTableLocksTheShards() throws Exception {
    try (Connection a = TestBasalt.connect(); Statement sa = a.createStatement();
        Connection b = TestBasalt.connect(); Statement sb = b.createStatement()) {
      sa.execute("BEGIN");
      sa.execute("LOCK TABLE lk, public.lk_ref IN ACCESS EXCLUSIVE MODE");
      sb.execute("SET lock_timeout = '300ms'");
      lockTimeout(sb, "SELECT v FROM lk WHERE k = 7");
      lockTimeout(sb, "UPDATE lk SET v = v WHERE k = 8");
      lockTimeout(sb, "SELECT count(*) FROM lk_ref");
      sa.execute("ROLLBACK");
      assertEquals("7", one(sb, "SELECT v FROM lk WHERE k = 7"));
      // SHARE: readers pass, writers wait.
      sa.execute("BEGIN");
      sa.execute("LOCK lk IN SHARE MODE");
      assertEquals("7", one(sb, "SELECT v FROM lk WHERE k = 7"));
      lockTimeout(sb, "UPDATE lk SET v = v WHERE k = 7");
      sa.execute("COMMIT");
      sb.execute("RESET lock_timeout");
      SQLException outside = assertThrows(SQLException.class, () -> sb.execute("LOCK lk"));
      assertEquals("25P01", outside.getSQLState());
    }
  }

  @Test
  void lockTimeoutReachesTheWorkers() throws Exception {
    try (Connection a = TestBasalt.connect(); Statement sa = a.createStatement();
        Connection b = TestBasalt.connect(); Statement sb = b.createStatement()) {
      sa.execute("BEGIN");
      sa.execute("UPDATE lk SET v = v WHERE k = 7");
      sb.execute("BEGIN");
      sb.execute("SET LOCAL lock_timeout = '300ms'");
      lockTimeout(sb, "UPDATE lk SET v = 0 WHERE k = 7");
      SQLException aborted = assertThrows(SQLException.class, () -> sb.execute("SELECT 1"));
      assertEquals("25P02", aborted.getSQLState());
      sb.execute("ROLLBACK");
      // Outside a block, and after the block the SET LOCAL is gone again.
      sb.execute("SET lock_timeout = '300ms'");
      lockTimeout(sb, "UPDATE lk SET v = 0 WHERE k = 7");
      assertEquals("300ms", one(sb, "SELECT current_setting('lock_timeout') FROM lk WHERE k = 7"));
      // A multi-shard write waiting for the other's shard locks on the coordinator.
      sa.execute("UPDATE lk SET v = v WHERE k > 90");
      lockTimeout(sb, "UPDATE lk SET v = v + 1");
      sb.execute("RESET lock_timeout");
      assertEquals("0", one(sb, "SELECT current_setting('lock_timeout') FROM lk WHERE k = 7"));
      sa.execute("ROLLBACK");
      assertEquals("0", one(sb, "SELECT count(*) FROM lk WHERE v <> k"));
    }
  }

  private static void lockTimeout(Statement s, String sql) {
    SQLException e = assertThrows(SQLException.class, () -> s.execute(sql), sql);
    assertEquals("55P03", e.getSQLState(), e::toString);
    assertTrue(e.getMessage().startsWith("ERROR: canceling statement due to lock timeout"),
        e::toString);
  }
}
