package io.basalt.wire.server;

import io.basalt.wire.auth.AuthMethod;
import io.basalt.wire.codec.Protocol;
import io.basalt.wire.codec.Protocol.SqlState;
import io.basalt.wire.message.BackendMessage;
import io.basalt.wire.message.FrontendMessage.Startup;
import io.basalt.wire.spi.ClientInfo;
import io.netty.util.NetUtil;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a StartupMessage leads to, decided without I/O: the protocol version and options to
 * negotiate down, the startup parameters the session sees, and whether the client is refused,
 * asked for a password, or let in (trust).
 *
 * @param startup the message as the session sees it: protocol 3.0, no "_pq_." options
 * @param negotiation sent first when the client asked for 3.x with x > 0 or for protocol options
 */
record StartupDecision(Startup startup,
    Optional<BackendMessage.NegotiateProtocolVersion> negotiation, Outcome outcome) {

  sealed interface Outcome {}

  /** trust: open the session right away. */
  record Admit() implements Outcome {}

  /** password, md5 or scram-sha-256. */
  record Authenticate(AuthMethod method) implements Outcome {}

  /** No user, a reject rule, or no rule at all: FATAL and close. */
  record Refuse(BackendMessage.ErrorResponse error) implements Outcome {}

  static StartupDecision decide(Startup received, ClientInfo client, HbaConfig hba) {
    Map<String, String> parameters = new LinkedHashMap<>();
    received.parameters().forEach((name, value) -> {
      if (!name.startsWith(Protocol.PROTOCOL_OPTION_PREFIX)) {
        parameters.put(name, value);
      }
    });
    List<String> unrecognized = received.parameters().keySet().stream()
        .filter(name -> name.startsWith(Protocol.PROTOCOL_OPTION_PREFIX))
        .toList();
    Optional<BackendMessage.NegotiateProtocolVersion> negotiation =
        received.protocolMinor() > Protocol.LATEST_MINOR_VERSION || !unrecognized.isEmpty()
            ? Optional.of(new BackendMessage.NegotiateProtocolVersion(
                Protocol.LATEST_MINOR_VERSION, unrecognized))
            : Optional.empty();
    Startup startup = new Startup(Protocol.MAJOR_VERSION,
        Math.min(received.protocolMinor(), Protocol.LATEST_MINOR_VERSION), parameters);
    return new StartupDecision(startup, negotiation, outcome(startup, client, hba));
  }

  private static Outcome outcome(Startup startup, ClientInfo client, HbaConfig hba) {
    String user = startup.user();
    if (user == null || user.isEmpty()) {
      return refuse("no PostgreSQL user name specified in startup packet");
    }
    String database = startup.database();
    String connection = FatalErrors.connectionDescription(
        NetUtil.toAddressString(client.remoteAddress().getAddress()), user, database,
        client.ssl());
    Optional<HbaRule> rule =
        hba.match(client.ssl(), database, user, client.remoteAddress().getAddress());
    if (rule.isEmpty()) {
      return refuse("no pg_hba.conf entry for " + connection);
    }
    return switch (rule.get().method()) {
      case TRUST -> new Admit();
      case REJECT -> refuse("pg_hba.conf rejects connection for " + connection);
      case PASSWORD, MD5, SCRAM_SHA_256 -> new Authenticate(rule.get().method());
    };
  }

  private static Refuse refuse(String message) {
    return new Refuse(
        FatalErrors.fatal(SqlState.INVALID_AUTHORIZATION_SPECIFICATION, message));
  }
}
