package io.basalt.executor.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.agent.testing.TestPostgres;
import io.basalt.error.BasaltException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link BackendConnection#send} and {@link BackendConnection#awaitSent} on a real PostgreSQL:
 * statements sent on two sessions before either answer is read both run, the answers leave each
 * session in the state the server reports (transaction status, reported parameters), and errors
 * come back with the server's SQLSTATE while the session stays usable.
 */
class SplitQueryPostgresTest {
  private static TestPostgres postgres;
  private final List<BackendConnection> sessions = new ArrayList<>();
  private BackendConnection a;
  private BackendConnection b;
  private BackendConnection observer;

  @BeforeAll
  static void start() {
    postgres = TestPostgres.start();
  }

  @AfterAll
  static void stop() {
    postgres.close();
  }

  @BeforeEach
  void connect() {
    a = open();
    b = open();
    observer = open();
    observer.execute("DROP TABLE IF EXISTS split; CREATE TABLE split (k int PRIMARY KEY)");
  }

  @AfterEach
  void close() {
    for (String gid : value("SELECT string_agg(gid, ' ') FROM pg_prepared_xacts").split(" ")) {
      if (!gid.isEmpty()) {
        observer.execute("ROLLBACK PREPARED '" + gid + "'");
      }
    }
    sessions.forEach(BackendConnection::close);
  }

  private BackendConnection open() {
    BackendConnection c = TestBackends.open(postgres);
    sessions.add(c);
    return c;
  }

  @Test
  void twoSessionsPrepareAndCommitBeforeEitherAnswerIsRead() {
    a.execute("BEGIN; INSERT INTO split VALUES (1)");
    b.execute("BEGIN; INSERT INTO split VALUES (2)");
    a.send("PREPARE TRANSACTION 'split_a'");
    b.send("PREPARE TRANSACTION 'split_b'");
    a.awaitSent();
    b.awaitSent();
    assertEquals('I', a.transactionStatus());
    assertEquals('I', b.transactionStatus());
    assertEquals("split_a split_b",
        value("SELECT string_agg(gid, ' ' ORDER BY gid) FROM pg_prepared_xacts"));
    assertEquals("0", value("SELECT count(*) FROM split"));

    a.send("COMMIT PREPARED 'split_a'");
    b.send("COMMIT PREPARED 'split_b'");
    b.awaitSent();
    a.awaitSent();
    assertEquals("2", value("SELECT count(*) FROM split"));
    assertEquals("0", value("SELECT count(*) FROM pg_prepared_xacts"));
    // The sessions go on with ordinary statements.
    assertEquals("1", value(a, "SELECT min(k) FROM split"));
  }

  @Test
  void anOwedBeginGoesInFront() {
    a.beginWithNext("BEGIN");
    a.send("INSERT INTO split VALUES (3)");
    a.awaitSent();
    assertEquals('T', a.transactionStatus());
    assertEquals("0", value("SELECT count(*) FROM split"));
    a.execute("COMMIT");
    assertEquals("1", value("SELECT count(*) FROM split"));
  }

  @Test
  void anErrorComesBackWithItsStateAndTheSessionGoesOn() {
    a.send("COMMIT PREPARED 'no_such_gid'");
    BasaltException e = assertThrows(BasaltException.class, a::awaitSent);
    assertEquals("42704", e.sqlState());
    assertTrue(e.getMessage().contains("no_such_gid"), e.getMessage());
    assertEquals('I', a.transactionStatus());

    a.execute("BEGIN");
    a.send("INSERT INTO split VALUES (1 / 0)");
    assertEquals("22012", assertThrows(BasaltException.class, a::awaitSent).sqlState());
    assertEquals('E', a.transactionStatus());
    a.execute("ROLLBACK");
    assertEquals('I', a.transactionStatus());
    assertEquals("0", value(a, "SELECT count(*) FROM split"));
  }

  @Test
  void parametersTheServerReportsOnTheWayAreRecorded() {
    String before = a.parameterStatuses().get("application_name");
    a.execute("BEGIN; SET LOCAL application_name = 'inside'; INSERT INTO split VALUES (4)");
    assertEquals("inside", a.parameterStatuses().get("application_name"));
    // Ending the transaction reverts the setting, and the server reports it.
    a.send("PREPARE TRANSACTION 'split_params'");
    a.awaitSent();
    assertEquals(before, a.parameterStatuses().get("application_name"));
    a.send("ROLLBACK PREPARED 'split_params'");
    a.awaitSent();
  }

  @Test
  void theSessionIsNotUsedWhileAnAnswerIsOwed() {
    a.send("COMMIT");
    assertThrows(IllegalStateException.class, () -> a.execute("SELECT 1"));
    assertThrows(IllegalStateException.class, () -> a.send("COMMIT"));
    a.awaitSent();
    assertThrows(IllegalStateException.class, a::awaitSent);
    assertEquals("1", value(a, "SELECT 1"));
  }

  @Test
  void aSessionEndedByTheServerFailsAsALostConnection() {
    a.execute("BEGIN; INSERT INTO split VALUES (5)");
    observer.execute("SELECT pg_terminate_backend(" + a.backendPid() + ")");
    BasaltException e = assertThrows(BasaltException.class, () -> {
      a.send("PREPARE TRANSACTION 'split_gone'");
      a.awaitSent();
    });
    assertTrue(e.sqlState().startsWith("08"), e.sqlState() + " " + e.getMessage());
    assertTrue(a.isClosed());
    assertEquals("0", value("SELECT count(*) FROM pg_prepared_xacts"));
    assertEquals("0", value("SELECT count(*) FROM split"));
  }

  private String value(String sql) {
    return value(observer, sql);
  }

  private static String value(BackendConnection c, String sql) {
    BackendConnection.CollectingSink sink = new BackendConnection.CollectingSink();
    c.simpleQuery(sql, sink);
    sink.throwIfFailed();
    byte[] v = sink.rows().get(0)[0];
    return v == null ? "" : new String(v, java.nio.charset.StandardCharsets.UTF_8);
  }
}
