package io.basalt.wire.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.basalt.wire.auth.AuthMethod;
import io.basalt.wire.message.BackendMessage;
import io.basalt.wire.message.FrontendMessage.Startup;
import io.basalt.wire.spi.ClientInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StartupDecisionTest {
  private static final ClientInfo PLAIN = new ClientInfo(EmbeddedConnection.PEER, false);
  private static final ClientInfo TLS = new ClientInfo(EmbeddedConnection.PEER, true);
  private static final HbaConfig HBA = HbaConfig.parse("""
      hostssl all all all scram-sha-256
      host all blocked all reject
      host all all 127.0.0.1/32 md5
      """);

  @Test
  void plainThreeZeroNeedsNoNegotiation() {
    StartupDecision d = StartupDecision.decide(
        new Startup(3, 0, Map.of("user", "alice")), PLAIN, HBA);
    assertEquals(Optional.empty(), d.negotiation());
    assertEquals(new StartupDecision.Authenticate(AuthMethod.MD5), d.outcome());
  }

  @Test
  void newerVersionAndOptionsAreNegotiatedAndStripped() {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("user", "alice");
    parameters.put("_pq_.a", "1");
    parameters.put("_pq_.b", "2");
    StartupDecision d = StartupDecision.decide(new Startup(3, 2, parameters), TLS, HBA);
    assertEquals(Optional.of(new BackendMessage.NegotiateProtocolVersion(0,
        List.of("_pq_.a", "_pq_.b"))), d.negotiation());
    assertEquals(new Startup(3, 0, Map.of("user", "alice")), d.startup());
    assertEquals(new StartupDecision.Authenticate(AuthMethod.SCRAM_SHA_256), d.outcome());
  }

  @Test
  void refusalsUsePostgresWording() {
    assertRefused(new Startup(3, 0, Map.of("database", "d")), PLAIN,
        "no PostgreSQL user name specified in startup packet");
    assertRefused(new Startup(3, 0, Map.of("user", "blocked", "database", "d")), PLAIN,
        "pg_hba.conf rejects connection for host \"127.0.0.1\", user \"blocked\", "
            + "database \"d\", no encryption");
    HbaConfig none = HbaConfig.parse("host all bob all trust");
    StartupDecision d = StartupDecision.decide(new Startup(3, 0, Map.of("user", "alice")), TLS,
        none);
    StartupDecision.Refuse refuse = assertInstanceOf(StartupDecision.Refuse.class, d.outcome());
    assertEquals("no pg_hba.conf entry for host \"127.0.0.1\", user \"alice\", "
        + "database \"alice\", SSL encryption", refuse.error().fields().get('M'));
  }

  private static void assertRefused(Startup startup, ClientInfo client, String message) {
    StartupDecision.Refuse refuse = assertInstanceOf(StartupDecision.Refuse.class,
        StartupDecision.decide(startup, client, HBA).outcome());
    assertEquals("28000", refuse.error().fields().get('C'));
    assertEquals("FATAL", refuse.error().fields().get('S'));
    assertEquals(message, refuse.error().fields().get('M'));
  }
}
