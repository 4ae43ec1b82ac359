package io.basalt.wire.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.basalt.wire.codec.ProtocolViolation;
import io.basalt.wire.message.BackendMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ScramExchangeTest {
  // RFC 7677 section 3
  private static final String CLIENT_FIRST = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
  private static final String SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
  private static final String SERVER_FIRST = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
      + "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
  private static final String CLIENT_FINAL = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)"
      + "hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
  private static final String SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

  private static ScramVerifier rfcVerifier() {
    return ScramVerifier.derive("pencil", Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="),
        4096);
  }

  static byte[] initialResponse(String mechanism, String data) {
    byte[] mech = mechanism.getBytes(StandardCharsets.UTF_8);
    byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(mech.length + 1 + 4 + bytes.length)
        .put(mech).put((byte) 0).putInt(bytes.length).put(bytes).array();
  }

  private static String text(AuthStep step) {
    BackendMessage message = assertInstanceOf(AuthStep.Challenge.class, step).message();
    return new String(assertInstanceOf(BackendMessage.AuthenticationSaslContinue.class, message)
        .data(), StandardCharsets.UTF_8);
  }

  @Test
  void rfc7677ExampleExchange() {
    ScramExchange exchange = new ScramExchange(rfcVerifier(), false, SERVER_NONCE);
    assertEquals(new BackendMessage.AuthenticationSasl(java.util.List.of("SCRAM-SHA-256")),
        exchange.start());
    assertEquals(SERVER_FIRST,
        text(exchange.next(initialResponse("SCRAM-SHA-256", CLIENT_FIRST))));
    AuthStep.Success success = assertInstanceOf(AuthStep.Success.class,
        exchange.next(CLIENT_FINAL.getBytes(StandardCharsets.UTF_8)));
    BackendMessage.AuthenticationSaslFinal last = assertInstanceOf(
        BackendMessage.AuthenticationSaslFinal.class, success.finalMessage().orElseThrow());
    assertEquals(SERVER_FINAL, new String(last.data(), StandardCharsets.UTF_8));
  }

  @Test
  void wrongProofFails() {
    ScramExchange exchange = new ScramExchange(ScramVerifier.derive("other",
        Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096), false, SERVER_NONCE);
    exchange.next(initialResponse("SCRAM-SHA-256", CLIENT_FIRST));
    assertInstanceOf(AuthStep.Failure.class,
        exchange.next(CLIENT_FINAL.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void mockExchangeFailsEvenWithTheRightProof() {
    ScramExchange exchange = new ScramExchange(rfcVerifier(), true, SERVER_NONCE);
    exchange.next(initialResponse("SCRAM-SHA-256", CLIENT_FIRST));
    assertInstanceOf(AuthStep.Failure.class,
        exchange.next(CLIENT_FINAL.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void gs2FlagYIsAcceptedAndBoundIntoTheProofCheck() {
    ScramExchange exchange = new ScramExchange(rfcVerifier(), false, SERVER_NONCE);
    exchange.next(initialResponse("SCRAM-SHA-256", "y,,n=user,r=rOprNGfwEbeRWgbNEkqO"));
    // the client-final of the RFC binds "n,," (biws), which no longer matches
    ProtocolViolation e = assertThrows(ProtocolViolation.class,
        () -> exchange.next(CLIENT_FINAL.getBytes(StandardCharsets.UTF_8)));
    assertEquals("SCRAM channel binding check failed", e.getMessage());
  }

  @Test
  void malformedClientFirstMessages() {
    assertViolation("p=tls-server-end-point,,n=,r=abc", "malformed SCRAM message");
    assertViolation("x,,n=,r=abc", "malformed SCRAM message");
    assertViolation("n,a=admin,n=,r=abc",
        "client uses authorization identity, but it is not supported");
    assertViolation("n,,m=ext,n=,r=abc", "client requires an unsupported SCRAM extension");
    assertViolation("n,,n=,x=abc", "malformed SCRAM message");
    assertViolation("n,,n=,r=", "malformed SCRAM message");
    assertViolation("", "malformed SCRAM message");
  }

  @Test
  void wrongMechanism() {
    ScramExchange exchange = new ScramExchange(rfcVerifier(), false, SERVER_NONCE);
    ProtocolViolation e = assertThrows(ProtocolViolation.class,
        () -> exchange.next(initialResponse("SCRAM-SHA-256-PLUS", CLIENT_FIRST)));
    assertEquals("client selected an invalid SASL authentication mechanism", e.getMessage());
  }

  @Test
  void finalNonceMustMatch() {
    ScramExchange exchange = new ScramExchange(rfcVerifier(), false, SERVER_NONCE);
    exchange.next(initialResponse("SCRAM-SHA-256", CLIENT_FIRST));
    ProtocolViolation e = assertThrows(ProtocolViolation.class, () -> exchange.next(
        "c=biws,r=rOprNGfwEbeRWgbNEkqOxxx,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
            .getBytes(StandardCharsets.UTF_8)));
    assertEquals("invalid SCRAM response", e.getMessage());
  }

  @Test
  void nothingAfterTheExchange() {
    ScramExchange exchange = new ScramExchange(rfcVerifier(), false, SERVER_NONCE);
    exchange.next(initialResponse("SCRAM-SHA-256", CLIENT_FIRST));
    exchange.next(CLIENT_FINAL.getBytes(StandardCharsets.UTF_8));
    assertThrows(ProtocolViolation.class, () -> exchange.next(new byte[0]));
  }

  private static void assertViolation(String clientFirst, String message) {
    ScramExchange exchange = new ScramExchange(rfcVerifier(), false, SERVER_NONCE);
    ProtocolViolation e = assertThrows(ProtocolViolation.class,
        () -> exchange.next(initialResponse("SCRAM-SHA-256", clientFirst)), clientFirst);
    assertEquals(message, e.getMessage(), clientFirst);
  }
}
