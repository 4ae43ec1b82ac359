package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.agent.ProcessResult;
import io.basalt.agent.ProcessRunner;
import io.basalt.agent.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link FaultProxy} against a real PostgreSQL server: clients (pgjdbc in simple and extended
 * mode, psql with its SSLRequest) work through it unchanged, and each fault does exactly what
 * it says, seen from the server's side through a direct connection.
 */
class FaultProxyTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static TestPostgres pg;
  private static FaultProxy proxy;

  @BeforeAll
  static void setUp() throws Exception {
    pg = TestPostgres.start();
    proxy = FaultProxy.start(pg.server().port());
    try (Connection c = direct(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE fp (k int PRIMARY KEY, v text)");
    }
  }

  @AfterAll
  static void tearDown() {
    if (proxy != null) {
      proxy.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  @AfterEach
  void reset() throws Exception {
    proxy.clearFaults();
    proxy.accept();
  }

  private static Connection direct() throws SQLException {
    return DriverManager.getConnection(pg.jdbcUrl(), pg.jdbcLogin());
  }

  /** Through the proxy; pgjdbc's default sslmode=prefer sends an SSLRequest first. */
  private static Connection proxied(String mode) throws SQLException {
    Properties p = pg.jdbcLogin();
    p.setProperty("preferQueryMode", mode);
    p.setProperty("connectTimeout", "10");
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + proxy.port()
        + "/postgres", p);
  }

  private static boolean exists(int k) throws SQLException {
    try (Connection c = direct(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM fp WHERE k = " + k)) {
      rs.next();
      return rs.getInt(1) == 1;
    }
  }

  @Test
  void passesQueriesOfBothProtocolsUnchanged() throws SQLException {
    for (String mode : List.of("simple", "extended")) {
      try (Connection c = proxied(mode); Statement s = c.createStatement()) {
        // A result larger than any socket buffer: frames cross read boundaries.
        try (ResultSet rs = s.executeQuery("SELECT sum(length(repeat('x', g % 50))), count(*)"
            + " FROM generate_series(1, 100000) g")) {
          rs.next();
          try (Connection d = direct(); Statement ds = d.createStatement();
              ResultSet expected = ds.executeQuery("SELECT sum(length(repeat('x', g % 50)))"
                  + " FROM generate_series(1, 100000) g")) {
            expected.next();
            assertEquals(expected.getLong(1), rs.getLong(1));
          }
          assertEquals(100000, rs.getLong(2));
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT ?::int + 1")) {
          ps.setInt(1, 41);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertEquals(42, rs.getInt(1));
          }
        }
      }
    }
  }

  @Test
  void psqlWorksThroughIt() {
    String psql = TestPostgres.binaries().clientProgram("psql").orElseThrow().toString();
    ProcessResult r = ProcessRunner.run(List.of(psql, "-X", "-A", "-t", "-h", "127.0.0.1",
        "-p", Integer.toString(proxy.port()), "-U", "postgres", "-d", "postgres", "-c",
        "SELECT 6 * 7"), Map.of("PGPASSWORD", pg.jdbcLogin().getProperty("password"),
        "PGSSLMODE", "prefer"), "", WAIT);
    assertTrue(r.succeeded(), r.output());
    assertEquals("42", r.stdout().strip());
  }

  @Test
  void cutBeforeNeverReachesTheServer() throws SQLException {
    try (Connection c = proxied("simple"); Statement s = c.createStatement()) {
      FaultProxy.Rule rule = proxy.on("VALUES (1, 'cut-before')", FaultProxy.Action.CUT_BEFORE);
      SQLException e = assertThrows(SQLException.class,
          () -> s.execute("INSERT INTO fp VALUES (1, 'cut-before')"));
      assertTrue(e.getSQLState().startsWith("08"), e::toString);
      assertTrue(rule.wasHit());
      assertFalse(exists(1));
    }
    // Only that connection was cut: a new one works.
    try (Connection c = proxied("simple"); Statement s = c.createStatement()) {
      s.execute("INSERT INTO fp VALUES (1, 'after')");
    }
    assertTrue(exists(1));
  }

  @Test
  void cutAfterReplyRunsTheStatementButLosesItsAnswer() throws SQLException {
    try (Connection c = proxied("extended"); Statement s = c.createStatement()) {
      proxy.on("VALUES (2, 'cut-after')", FaultProxy.Action.CUT_AFTER_REPLY);
      SQLException e = assertThrows(SQLException.class,
          () -> s.execute("INSERT INTO fp VALUES (2, 'cut-after')"));
      assertTrue(e.getSQLState().startsWith("08"), e::toString);
    }
    assertTrue(exists(2), "the server did not run the statement");
  }

  @Test
  void stallBeforeHoldsTheStatementUntilReleased() throws Exception {
    try (Connection c = proxied("simple"); Statement s = c.createStatement()) {
      FaultProxy.Rule rule = proxy.on("VALUES (3, 'stalled')", FaultProxy.Action.STALL_BEFORE);
      CompletableFuture<Boolean> run = CompletableFuture.supplyAsync(() -> {
        try {
          return s.execute("INSERT INTO fp VALUES (3, 'stalled')");
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      });
      assertTrue(rule.awaitHit(WAIT));
      assertFalse(exists(3), "a held statement reached the server");
      assertFalse(run.isDone());
      rule.release();
      run.get(30, TimeUnit.SECONDS);
      assertTrue(exists(3));
    }
  }

  @Test
  void stallReplyHoldsTheAnswerOfAStatementThatRan() throws Exception {
    try (Connection c = proxied("simple"); Statement s = c.createStatement()) {
      FaultProxy.Rule rule = proxy.on("VALUES (4, 'answer held')",
          FaultProxy.Action.STALL_REPLY);
      CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> {
        try {
          return s.executeUpdate("INSERT INTO fp VALUES (4, 'answer held')");
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      });
      assertTrue(rule.awaitHit(WAIT));
      assertTrue(exists(4), "the statement did not run");
      assertFalse(run.isDone(), "the answer was not held");
      rule.release();
      assertEquals(1, run.get(30, TimeUnit.SECONDS));
    }
  }

  @Test
  void refuseAndCutAll() throws Exception {
    try (Connection open = proxied("simple"); Statement s = open.createStatement()) {
      proxy.refuse();
      SQLException refused = assertThrows(SQLException.class, () -> proxied("simple").close());
      assertEquals("08001", refused.getSQLState(), refused::toString);
      // Open connections are left alone by refuse, and cut by cutAll.
      s.execute("SELECT 1");
      proxy.cutAll();
      SQLException cut = assertThrows(SQLException.class, () -> s.execute("SELECT 1"));
      assertTrue(cut.getSQLState().startsWith("08"), cut::toString);
    }
    proxy.accept();
    proxy.delay(Duration.ofMillis(20));
    try (Connection c = proxied("extended"); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM generate_series(1, 10)")) {
      rs.next();
      assertEquals(10, rs.getInt(1));
    }
  }
}
