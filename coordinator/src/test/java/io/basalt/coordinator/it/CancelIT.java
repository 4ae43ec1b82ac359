package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Query cancellation and client disconnects in the middle of a query. */
class CancelIT {

  @Test
  void cancelFromAnotherThread() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      long[] elapsed = new long[1];
      Future<SQLException> run = pool.submit(() -> {
        long t0 = System.nanoTime();
        try {
          s.execute("SELECT pg_sleep(30)");
          return null;
        } catch (SQLException e) {
          return e;
        } finally {
          elapsed[0] = (System.nanoTime() - t0) / 1_000_000;
        }
      });
      Thread.sleep(300);
      s.cancel();
      SQLException e = run.get(10, TimeUnit.SECONDS);
      assertNotNull(e, "pg_sleep(30) finished instead of being cancelled");
      assertEquals("57014", e.getSQLState(), () -> "unexpected error: " + e);
      assertTrue(elapsed[0] < 5000, "cancel took " + elapsed[0] + " ms");
      try (ResultSet rs = s.executeQuery("SELECT 1")) {
        rs.next();
        assertEquals(1, rs.getInt(1), "connection unusable after cancel");
      }
      // A cancel with nothing running does no harm.
      s.cancel();
      try (ResultSet rs = s.executeQuery("SELECT 2")) {
        rs.next();
        assertEquals(2, rs.getInt(1));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * A gathered query waiting in the coordinator database (here for a lock another session holds
   * on the table) is cancelled by the client: the cancel reached only the workers' statements
   * before, and the query waited until the lock went away.
   */
  @Test
  void cancelReachesAGatherWaitingInTheCoordinatorDatabase() throws Exception {
    try (Connection setup = TestBasalt.connect(); Statement s = setup.createStatement()) {
      s.execute("DROP TABLE IF EXISTS cancel_a, cancel_b");
      s.execute("CREATE TABLE cancel_a (k int, v int)");
      s.execute("CREATE TABLE cancel_b (k int, w int)");
      s.execute("SELECT create_distributed_table('cancel_a', 'k')");
      s.execute("SELECT create_distributed_table('cancel_b', 'k', colocate_with => 'none')");
      s.execute("INSERT INTO cancel_a VALUES (1, 1), (2, 2)");
      s.execute("INSERT INTO cancel_b VALUES (1, 1), (2, 2)");
    }
    try (Connection holder = TestBasalt.connect(); Statement h = holder.createStatement();
        Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      holder.setAutoCommit(false);
      h.execute("LOCK TABLE cancel_a IN ACCESS EXCLUSIVE MODE");
      s.setQueryTimeout(2);
      CompletableFuture<SQLException> run = CompletableFuture.supplyAsync(() -> {
        try {
          s.executeQuery("SELECT count(*) FROM cancel_a a JOIN cancel_b b ON b.w = a.v");
          return null;
        } catch (SQLException e) {
          return e;
        }
      });
      SQLException e;
      try {
        e = run.get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException stuck) {
        holder.rollback();   // lets the query end, so the test does not hang
        run.get(30, TimeUnit.SECONDS);
        throw new AssertionError("the cancel did not end the query waiting for the lock");
      }
      assertNotNull(e, "the query ran although the table was locked");
      assertEquals("57014", e.getSQLState(), e.getMessage());
      holder.rollback();
      try (ResultSet rs = s.executeQuery(
          "SELECT count(*) FROM cancel_a a JOIN cancel_b b ON b.w = a.v")) {
        assertTrue(rs.next());
        assertEquals(2, rs.getInt(1));
      }
      s.execute("DROP TABLE cancel_a, cancel_b");
    }
  }

  @Test
  void cancelInsideTransactionAbortsIt() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("SELECT 1");
      Future<SQLException> run = pool.submit(() -> {
        try {
          s.execute("SELECT pg_sleep(30)");
          return null;
        } catch (SQLException e) {
          return e;
        }
      });
      Thread.sleep(300);
      s.cancel();
      SQLException e = run.get(10, TimeUnit.SECONDS);
      assertNotNull(e);
      assertEquals("57014", e.getSQLState(), () -> "unexpected error: " + e);
      SQLException aborted = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
          () -> s.execute("SELECT 1"));
      assertEquals("25P02", aborted.getSQLState());
      c.rollback();
      c.setAutoCommit(true);
      try (ResultSet rs = s.executeQuery("SELECT 1")) {
        rs.next();
        assertEquals(1, rs.getInt(1));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static int probesRunning(Statement check) throws SQLException {
    try (ResultSet rs = check.executeQuery(
        "SELECT count(*) FROM pg_stat_activity WHERE state = 'active'"
            + " AND query LIKE 'SELECT pg_sleep(30) AS disconnect%'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  void clientDisconnectEndsBackendQuery() throws Exception {
    try (Connection checker = TestBasalt.connect(); Statement check = checker.createStatement()) {
      assertEquals(0, probesRunning(check));
      Properties p = new Properties();
      p.setProperty("socketTimeout", "2");   // the driver closes its socket after 2 s
      Connection victim = TestBasalt.connect(p);
      CompletableFuture<Throwable> run = CompletableFuture.supplyAsync(() -> {
        try (Statement s = victim.createStatement()) {
          s.execute("SELECT pg_sleep(30) AS disconnect_probe");
          return null;
        } catch (SQLException e) {
          return e;
        }
      });
      // While it runs, the probe is visible: the check below is meaningful.
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      int seen = 0;
      while (System.nanoTime() < until && seen == 0 && !run.isDone()) {
        seen = probesRunning(check);
        Thread.sleep(100);
      }
      assertEquals(1, seen, "the probe query never showed up in pg_stat_activity");
      Throwable t = run.get(10, TimeUnit.SECONDS);
      assertNotNull(t, "pg_sleep(30) returned instead of timing out");
      assertTrue(victim.isClosed(), "pgjdbc should have closed the connection: " + t);
      long disconnectedAt = System.nanoTime();
      long deadline = disconnectedAt + TimeUnit.SECONDS.toNanos(10);
      int running;
      while ((running = probesRunning(check)) > 0 && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      if (running > 0) {
        fail("10 s after the client disconnected, " + running
            + " backend(s) still run its pg_sleep(30)");
      }
      try (ResultSet rs = check.executeQuery("SELECT 1")) {
        rs.next();
        assertEquals(1, rs.getInt(1));
      }
    }
  }
}
