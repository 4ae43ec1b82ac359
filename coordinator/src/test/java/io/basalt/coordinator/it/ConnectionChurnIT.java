package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/** 1000 connections opened and closed one after another leak nothing. */
class ConnectionChurnIT {
  private static final int CONNECTIONS = 1000;

  private static int backends(Statement check) {
    try (ResultSet rs = check.executeQuery("SELECT count(*) FROM pg_stat_activity"
        + " WHERE datname = current_database() AND backend_type = 'client backend'")) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void awaitAtMost(String what, int baseline, int slack, IntSupplier value)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    int v = value.getAsInt();
    while (v > baseline + slack && System.nanoTime() < deadline) {
      Thread.sleep(100);
      v = value.getAsInt();
    }
    assertTrue(v <= baseline + slack,
        what + " did not return to its baseline " + baseline + " (+" + slack + "): " + v);
  }

  @Test
  void sequentialOpenClose() throws Exception {
    var server = TestBasalt.server();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (Connection checker = TestBasalt.connect(); Statement check = checker.createStatement()) {
      // Warm up so that lazily started pools and threads are part of the baseline.
      for (int i = 0; i < 20; i++) {
        try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
          s.execute("SELECT 1");
        }
      }
      Thread.sleep(500);
      int sessions = server.sessions().registry().size();
      int conns = server.connectionCount();
      int pg = backends(check);
      int liveThreads = threads.getThreadCount();

      long t0 = System.nanoTime();
      for (int i = 0; i < CONNECTIONS; i++) {
        try (Connection c = TestBasalt.connect(); Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT " + i)) {
          rs.next();
          assertEquals(i, rs.getInt(1));
        }
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      System.out.println(CONNECTIONS + " connections in " + ms + " ms");

      awaitAtMost("session registry size", sessions, 0, () -> server.sessions().registry().size());
      awaitAtMost("wire connection count", conns, 0, server::connectionCount);
      awaitAtMost("client backends in pg_stat_activity", pg, 1, () -> backends(check));
      awaitAtMost("live JVM threads", liveThreads, 20, threads::getThreadCount);
      try (ResultSet rs = check.executeQuery("SELECT 1")) {
        rs.next();
        assertEquals(1, rs.getInt(1));
      }
    }
  }
}
