package io.basalt.wire.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.wire.testing.Await;
import io.basalt.wire.testing.ScramClient;
import io.basalt.wire.testing.TestSession;
import io.basalt.wire.testing.TestSessionFactory;
import java.net.BindException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pgjdbc, a real PostgreSQL client, against a running PgServer. */
class PgServerJdbcTest {
  private static final String SCRAM_LOOPBACK = """
      host all all 127.0.0.1/32 scram-sha-256
      host all all ::1/128      scram-sha-256
      """;

  private final TestSessionFactory sessions = new TestSessionFactory(true);
  private PgServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private int start(WireConfig config) throws Exception {
    sessions.withRole("alice", ScramClient.verifier("secret"));
    server = new PgServer(config.withPort(0).withEventLoopThreads(2), sessions);
    return server.start();
  }

  private static Connection connect(int port, String password, String sslmode)
      throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", "alice");
    props.setProperty("password", password);
    props.setProperty("preferQueryMode", "simple");
    props.setProperty("sslmode", sslmode);
    props.setProperty("loginTimeout", "10");
    props.setProperty("socketTimeout", "10");
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/app", props);
  }

  @Test
  void scramLoginAndQuery() throws Exception {
    int port = start(WireConfig.defaults().withHba(HbaConfig.parse(SCRAM_LOOPBACK)));
    try (Connection connection = connect(port, "secret", "disable");
         Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("select answer")) {
      assertTrue(rows.next());
      assertEquals(42, rows.getInt("answer"));
      assertFalse(rows.next());
      assertEquals("16.0", connection.getMetaData().getDatabaseProductVersion());
    }
    TestSession session = sessions.sessions().get(0);
    assertEquals("app", session.startup().database());
    assertFalse(session.client().ssl());
    awaitClosed(session);
  }

  @Test
  void wrongPasswordIs28P01() throws Exception {
    int port = start(WireConfig.defaults().withHba(HbaConfig.parse(SCRAM_LOOPBACK)));
    SQLException e = assertThrows(SQLException.class, () -> connect(port, "wrong", "disable"));
    assertEquals("28P01", e.getSQLState());
    assertTrue(e.getMessage().contains("password authentication failed for user \"alice\""),
        e.getMessage());
    assertTrue(sessions.sessions().isEmpty());
  }

  @Test
  void tlsWithSslmodeRequire(@TempDir Path dir) throws Exception {
    TlsConfig tls = SelfSignedCertificates.generate(dir);
    int port = start(WireConfig.defaults().withTls(tls)
        .withHba(HbaConfig.parse("hostssl all all 127.0.0.1/32 scram-sha-256")));
    try (Connection connection = connect(port, "secret", "require");
         ResultSet rows = connection.createStatement().executeQuery("select answer")) {
      assertTrue(rows.next());
      assertEquals(42, rows.getInt(1));
    }
    assertTrue(sessions.sessions().get(0).client().ssl(), "the session saw a TLS connection");

    SQLException plain = assertThrows(SQLException.class, () -> connect(port, "secret", "disable"));
    assertEquals("28000", plain.getSQLState());
    assertTrue(plain.getMessage().contains("no pg_hba.conf entry for host \"127.0.0.1\", "
        + "user \"alice\", database \"app\", no encryption"), plain.getMessage());
  }

  @Test
  void sslmodeRequireFailsWhenTlsIsOff() throws Exception {
    int port = start(WireConfig.defaults().withHba(HbaConfig.parse(SCRAM_LOOPBACK)));
    SQLException e = assertThrows(SQLException.class, () -> connect(port, "secret", "require"));
    assertTrue(e.getMessage().toLowerCase().contains("ssl"), e.getMessage());
  }

  @Test
  void takenPortGivesAClearError() throws Exception {
    int port = start(WireConfig.defaults());
    PgServer second = new PgServer(WireConfig.defaults().withPort(port), sessions);
    BindException e = assertThrows(BindException.class, second::start);
    assertEquals("could not bind 127.0.0.1:" + port + ": address already in use", e.getMessage());
    second.close();
  }

  @Test
  void closingTheServerClosesSessions() throws Exception {
    int port = start(WireConfig.defaults().withHba(HbaConfig.parse(SCRAM_LOOPBACK))
        .withAuthenticationTimeout(Duration.ofSeconds(5)));
    Connection connection = connect(port, "secret", "disable");
    server.close();
    assertEquals(1, sessions.sessions().get(0).closedCalls());
    assertThrows(SQLException.class,
        () -> connection.createStatement().executeQuery("select answer"));
    connection.close();
  }

  static void awaitClosed(TestSession session) throws InterruptedException {
    Await.until(() -> session.closedCalls() > 0, "the session closed");
    assertEquals(1, session.closedCalls());
  }
}
