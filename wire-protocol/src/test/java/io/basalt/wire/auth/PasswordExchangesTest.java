package io.basalt.wire.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.wire.codec.ProtocolViolation;
import io.basalt.wire.message.BackendMessage;
import io.basalt.wire.testing.ScramClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PasswordExchangesTest {
  private final PasswordExchanges exchanges = new PasswordExchanges(new SecureRandom());

  private static String md5Hex(String s) throws Exception {
    return HexFormat.of().formatHex(
        MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  /** What a libpq client answers: md5(md5(password + user) + salt), computed independently. */
  private static String md5Response(String password, String user, byte[] salt) throws Exception {
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    md5.update(md5Hex(password + user).getBytes(StandardCharsets.US_ASCII));
    md5.update(salt);
    return "md5" + HexFormat.of().formatHex(md5.digest());
  }

  private static byte[] cstring(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, out, 0, bytes.length);
    return out;
  }

  @Test
  void md5StoredFormMatchesPostgres() throws Exception {
    assertEquals("md5" + md5Hex("secretalice"), Md5Password.encrypt("secret", "alice"));
  }

  @Test
  void md5ExchangeAcceptsTheRightSaltedHashOnly() throws Exception {
    String stored = Md5Password.encrypt("secret", "alice");
    PasswordExchange exchange = exchanges.begin(AuthMethod.MD5, "alice", Optional.of(stored));
    byte[] salt = assertInstanceOf(BackendMessage.AuthenticationMd5Password.class,
        exchange.start()).salt();
    String saltText = new String(salt, StandardCharsets.ISO_8859_1);
    String right = md5Response("secret", "alice", salt);
    assertInstanceOf(AuthStep.Success.class, exchange.next(cstring(right)));

    PasswordExchange again = exchanges.begin(AuthMethod.MD5, "alice", Optional.of(stored));
    again.start();
    assertInstanceOf(AuthStep.Failure.class, again.next(cstring(right + saltText.length())));
  }

  @Test
  void md5MethodWithScramVerifierRunsScram() throws Exception {
    PasswordExchange exchange = exchanges.begin(AuthMethod.MD5, "alice",
        Optional.of(ScramClient.verifier("secret")));
    assertInstanceOf(BackendMessage.AuthenticationSasl.class, exchange.start());
  }

  @Test
  void md5MethodWithPlainStoredPasswordStillWorks() throws Exception {
    PasswordExchange exchange = exchanges.begin(AuthMethod.MD5, "bob", Optional.of("plain"));
    byte[] salt = ((BackendMessage.AuthenticationMd5Password) exchange.start()).salt();
    String answer = md5Response("plain", "bob", salt);
    assertInstanceOf(AuthStep.Success.class, exchange.next(cstring(answer)));
  }

  @Test
  void unknownRoleGetsAMockScramExchangeWithAStableSalt() throws Exception {
    String first = serverFirst(exchanges.begin(AuthMethod.SCRAM_SHA_256, "ghost",
        Optional.empty()));
    String second = serverFirst(exchanges.begin(AuthMethod.MD5, "ghost", Optional.empty()));
    assertEquals(attribute(first, "s"), attribute(second, "s"));
    assertEquals("4096", attribute(first, "i"));
  }

  @Test
  void scramAgainstAnMd5StoredPasswordFailsLikePostgres() throws Exception {
    PasswordExchange exchange = exchanges.begin(AuthMethod.SCRAM_SHA_256, "alice",
        Optional.of(Md5Password.encrypt("secret", "alice")));
    exchange.start();
    ScramClient client = new ScramClient("secret", "nonce123");
    AuthStep first = exchange.next(ScramExchangeTest.initialResponse("SCRAM-SHA-256",
        client.clientFirst()));
    String serverFirst = new String(((BackendMessage.AuthenticationSaslContinue)
        ((AuthStep.Challenge) first).message()).data(), StandardCharsets.UTF_8);
    assertInstanceOf(AuthStep.Failure.class, exchange.next(
        client.clientFinal(serverFirst).getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void cleartextAgainstEveryStoredForm() throws Exception {
    assertCleartext(Optional.of(ScramClient.verifier("secret")), "secret", true);
    assertCleartext(Optional.of(ScramClient.verifier("secret")), "Secret", false);
    assertCleartext(Optional.of(Md5Password.encrypt("secret", "alice")), "secret", true);
    assertCleartext(Optional.of(Md5Password.encrypt("secret", "alice")), "secret2", false);
    assertCleartext(Optional.of("secret"), "secret", true);
    assertCleartext(Optional.empty(), "secret", false);
    assertCleartext(Optional.of(""), "", false);
  }

  @Test
  void passwordPacketMustBeOneString() {
    PasswordExchange exchange = exchanges.begin(AuthMethod.PASSWORD, "alice", Optional.empty());
    assertThrows(ProtocolViolation.class, () -> exchange.next(new byte[] {'a', 0, 'b', 0}));
    assertThrows(ProtocolViolation.class, () -> exchange.next(new byte[] {'a'}));
  }

  @Test
  void verifierRoundTripsAndAgreesWithAnIndependentDerivation() throws Exception {
    String text = ScramClient.verifier("secret");
    ScramVerifier verifier = ScramVerifier.parse(text).orElseThrow();
    assertEquals(text, verifier.encode());
    assertEquals(verifier, ScramVerifier.derive("secret", verifier.salt(), 4096));
    assertTrue(verifier.matches("secret"));
    assertFalse(verifier.matches("secret "));
    assertTrue(ScramVerifier.parse("SCRAM-SHA-256$4096:c2FsdA==$bad").isEmpty());
    assertTrue(ScramVerifier.parse("md5abc").isEmpty());
  }

  @Test
  void saslPrepMapsAndNormalises() {
    assertEquals("pass word", SaslPrep.prepare("pass word"));
    assertEquals("a b", SaslPrep.prepare("a\u00A0b"));
    assertEquals("ab", SaslPrep.prepare("a\u00ADb"));
    assertEquals("\u00C5", SaslPrep.prepare("A\u030A"));
    assertArrayEquals(ScramVerifier.derive("a b", new byte[] {1}, 1).storedKey(),
        ScramVerifier.derive("a\u2003b", new byte[] {1}, 1).storedKey());
  }

  private void assertCleartext(Optional<String> stored, String sent, boolean ok) {
    PasswordExchange exchange = exchanges.begin(AuthMethod.PASSWORD, "alice", stored);
    assertInstanceOf(BackendMessage.AuthenticationCleartextPassword.class, exchange.start());
    AuthStep step = exchange.next(cstring(sent));
    assertEquals(ok, step instanceof AuthStep.Success, stored + " / " + sent);
  }

  private static String serverFirst(PasswordExchange exchange) {
    exchange.start();
    AuthStep step = exchange.next(ScramExchangeTest.initialResponse("SCRAM-SHA-256",
        "n,,n=,r=abcdef"));
    return new String(((BackendMessage.AuthenticationSaslContinue)
        ((AuthStep.Challenge) step).message()).data(), StandardCharsets.UTF_8);
  }

  private static String attribute(String message, String name) {
    for (String part : message.split(",")) {
      if (part.startsWith(name + "=")) {
        return part.substring(2);
      }
    }
    throw new AssertionError(name + " missing in " + message);
  }
}
