package io.basalt.coordinator.it;

import static io.basalt.coordinator.it.TestBasalt.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.agent.PostgresServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A deadlock that spans two workers, which neither worker can see: the coordinator's detector
 * cancels the younger transaction with 40P01, and the other one completes.
 */
class DistributedDeadlockIT {
  private static final ExecutorService POOL = Executors.newCachedThreadPool();
  private static int[] key;

  @BeforeAll
  static void setUp() throws SQLException {
    WorkerStatements.setUp();
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE ddl_dl (k int PRIMARY KEY, v int)");
      s.execute("INSERT INTO ddl_dl SELECT i, 0 FROM generate_series(1, 100) i");
      s.execute("SELECT create_distributed_table('ddl_dl', 'k', shard_count => 4)");
      key = WorkerStatements.keyPerWorker(c, "ddl_dl");
    }
  }

  @AfterAll
  static void tearDown() throws SQLException {
    POOL.shutdownNow();
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS ddl_dl");
    }
  }

  /** Waits (up to 20 s) until a backend on the worker waits for a lock. */
  private static boolean awaitLockWait(int worker) throws InterruptedException {
    PostgresServer w = WorkerStatements.workers().get(worker);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (!"0".equals(w.psqlOutput("postgres",
          "SELECT count(*) FROM pg_locks WHERE NOT granted"))) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  @Test
  void theYoungerTransactionOfACrossWorkerCycleGets40P01() throws Exception {
    try (Connection c1 = TestBasalt.connect(); Statement s1 = c1.createStatement();
        Connection c2 = TestBasalt.connect(); Statement s2 = c2.createStatement()) {
      s1.execute("BEGIN");
      s1.execute("UPDATE ddl_dl SET v = 1 WHERE k = " + key[0]);
      s2.execute("BEGIN");
      s2.execute("UPDATE ddl_dl SET v = 2 WHERE k = " + key[1]);
      Future<Integer> first = POOL.submit(() -> s1.executeUpdate(
          "UPDATE ddl_dl SET v = 1 WHERE k = " + key[1]));
      assertTrue(awaitLockWait(1), "the first transaction should wait on worker 2");
      Future<Integer> second = POOL.submit(() -> s2.executeUpdate(
          "UPDATE ddl_dl SET v = 2 WHERE k = " + key[0]));
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> second.get(60, TimeUnit.SECONDS));
      SQLException cause = (SQLException) e.getCause();
      assertEquals("40P01", cause.getSQLState(), cause::toString);
      assertTrue(cause.getMessage().contains(
          "canceling the transaction since it was involved in a distributed deadlock"),
          cause::toString);
      // Its block is aborted, as after any error.
      SQLException aborted = assertThrows(SQLException.class, () -> s2.execute("SELECT 1"));
      assertEquals("25P02", aborted.getSQLState());
      s2.execute("ROLLBACK");
      assertEquals(1, first.get(60, TimeUnit.SECONDS));
      s1.execute("COMMIT");
      assertEquals("2", one(s1, "SELECT count(*) FROM ddl_dl WHERE v = 1"));
      assertEquals("0", one(s1, "SELECT count(*) FROM ddl_dl WHERE v = 2"));
      // The next transaction of the cancelled session is not a victim.
      s2.execute("BEGIN");
      s2.execute("UPDATE ddl_dl SET v = 0 WHERE k IN (" + key[0] + ", " + key[1] + ")");
      s2.execute("COMMIT");
      assertFalse(first.isCancelled());
    }
  }
}
