package io.basalt.wire.auth;

import io.basalt.wire.codec.Protocol;
import io.basalt.wire.codec.ProtocolViolation;
import io.basalt.wire.message.BackendMessage;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The server side of SCRAM-SHA-256 (RFC 5802, RFC 7677) without channel binding.
 *
 * <pre>
 *   server: AuthenticationSASL ["SCRAM-SHA-256"]
 *   client: SASLInitialResponse  n,,n=user,r=cnonce           (gs2 flag 'n' or 'y')
 *   server: AuthenticationSASLContinue  r=cnonce+snonce,s=salt,i=iterations
 *   client: SASLResponse  c=biws,r=cnonce+snonce,p=proof
 *   server: AuthenticationSASLFinal  v=server-signature        (or FATAL 28P01)
 * </pre>
 *
 * <p>The user name inside the SCRAM message is ignored, as in PostgreSQL: the startup packet's
 * user is the one authenticated. A role without a usable verifier gets a mock exchange with a
 * stable fake salt that fails only at the end, so probing cannot tell which roles exist.
 */
final class ScramExchange implements PasswordExchange {
  static final String MECHANISM = "SCRAM-SHA-256";
  private static final Base64.Encoder B64 = Base64.getEncoder();

  private enum Step {
    CLIENT_FIRST,
    CLIENT_FINAL,
    DONE
  }

  private final ScramVerifier verifier;
  private final boolean mock;
  private final String serverNonce;
  private Step step = Step.CLIENT_FIRST;
  private String gs2Header;
  private String clientFirstBare;
  private String serverFirst;
  private String nonce;

  /**
   * @param mock true when {@code verifier} is made up; the exchange then always fails
   * @param serverNonce printable nonce without commas (base64 of random bytes)
   */
  ScramExchange(ScramVerifier verifier, boolean mock, String serverNonce) {
    this.verifier = verifier;
    this.mock = mock;
    this.serverNonce = serverNonce;
  }

  @Override
  public BackendMessage start() {
    return new BackendMessage.AuthenticationSasl(List.of(MECHANISM));
  }

  @Override
  public AuthStep next(byte[] payload) {
    return switch (step) {
      case CLIENT_FIRST -> clientFirst(payload);
      case CLIENT_FINAL -> clientFinal(payload);
      case DONE -> throw new ProtocolViolation("unexpected SASL response");
    };
  }

  /** SASLInitialResponse: String mechanism, Int32 length (-1: none), bytes. */
  private AuthStep clientFirst(byte[] payload) {
    int nul = PasswordPackets.indexOfNul(payload);
    if (nul < 0) {
      throw new ProtocolViolation("invalid string in message");
    }
    String mechanism = new String(payload, 0, nul, StandardCharsets.UTF_8);
    if (!mechanism.equals(MECHANISM)) {
      throw new ProtocolViolation("client selected an invalid SASL authentication mechanism");
    }
    ByteBuffer rest = ByteBuffer.wrap(payload, nul + 1, payload.length - nul - 1);
    if (rest.remaining() < 4) {
      throw new ProtocolViolation("insufficient data left in message");
    }
    int length = rest.getInt();
    if (length != -1 && length != rest.remaining()) {
      throw new ProtocolViolation(length < -1 || length > rest.remaining()
          ? "insufficient data left in message" : "invalid message format");
    }
    if (length == -1 && rest.hasRemaining()) {
      throw new ProtocolViolation("invalid message format");
    }
    String message = text(rest);
    if (message.isEmpty()) {
      throw malformed("The message is empty.");
    }
    parseClientFirst(message);
    nonce = nonce + serverNonce;
    serverFirst = "r=" + nonce + ",s=" + B64.encodeToString(verifier.salt()) + ",i="
        + verifier.iterations();
    step = Step.CLIENT_FINAL;
    return new AuthStep.Challenge(
        new BackendMessage.AuthenticationSaslContinue(serverFirst.getBytes(StandardCharsets.UTF_8)));
  }

  private void parseClientFirst(String message) {
    Cursor in = new Cursor(message);
    char flag = in.next();
    switch (flag) {
      case 'n', 'y' -> in.expect(',');
      case 'p' -> throw malformed("The client selected SCRAM-SHA-256 without channel binding, "
          + "but the SCRAM message includes channel binding data.");
      default -> throw malformed("Unexpected channel-binding flag \"" + flag + "\".");
    }
    if (in.peek() == 'a') {
      throw new ProtocolViolation(Protocol.SqlState.FEATURE_NOT_SUPPORTED,
          "client uses authorization identity, but it is not supported", Optional.empty());
    }
    in.expect(',');
    gs2Header = message.substring(0, in.position());
    clientFirstBare = message.substring(in.position());
    if (in.peek() == 'm') {
      throw new ProtocolViolation(Protocol.SqlState.FEATURE_NOT_SUPPORTED,
          "client requires an unsupported SCRAM extension", Optional.empty());
    }
    in.attribute('n');
    nonce = in.attribute('r');
    if (nonce.isEmpty() || !nonce.chars().allMatch(c -> c >= 0x21 && c <= 0x7E)) {
      throw malformed("Malformed nonce in client-first-message.");
    }
    // optional extensions after the nonce are ignored, as PostgreSQL does
  }

  private AuthStep clientFinal(byte[] payload) {
    String message = text(ByteBuffer.wrap(payload));
    int proofAt = message.lastIndexOf(",p=");
    if (proofAt < 0) {
      throw malformed("Could not find proof in client-final-message.");
    }
    String withoutProof = message.substring(0, proofAt);
    Cursor in = new Cursor(withoutProof);
    byte[] channelBinding = base64(in.attribute('c'), "channel-binding");
    if (!MessageDigest.isEqual(channelBinding, gs2Header.getBytes(StandardCharsets.UTF_8))) {
      throw new ProtocolViolation("SCRAM channel binding check failed");
    }
    if (!in.attribute('r').equals(nonce)) {
      throw new ProtocolViolation(Protocol.SqlState.PROTOCOL_VIOLATION, "invalid SCRAM response",
          Optional.of("Nonce does not match."));
    }
    byte[] proof = base64(message.substring(proofAt + 3), "proof");
    if (proof.length != ScramCrypto.KEY_LENGTH) {
      throw malformed("Malformed proof in client-final-message.");
    }
    step = Step.DONE;
    String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
    byte[] storedKey = verifier.storedKey();
    byte[] clientKey = ScramCrypto.xor(proof, ScramCrypto.hmac(storedKey, authMessage));
    if (mock || !MessageDigest.isEqual(ScramCrypto.sha256(clientKey), storedKey)) {
      return new AuthStep.Failure();
    }
    byte[] serverSignature = ScramCrypto.hmac(verifier.serverKey(), authMessage);
    String serverFinal = "v=" + B64.encodeToString(serverSignature);
    return new AuthStep.Success(Optional.of(
        new BackendMessage.AuthenticationSaslFinal(serverFinal.getBytes(StandardCharsets.UTF_8))));
  }

  private static String text(ByteBuffer bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes)
          .toString();
    } catch (CharacterCodingException e) {
      throw malformed("The message is not valid UTF-8.");
    }
  }

  private static byte[] base64(String value, String what) {
    try {
      return Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw malformed("Malformed " + what + " in client-final-message.");
    }
  }

  static ProtocolViolation malformed(String detail) {
    return new ProtocolViolation(Protocol.SqlState.PROTOCOL_VIOLATION, "malformed SCRAM message",
        Optional.of(detail));
  }

  /** Reads "x=value," attributes in the fixed order SCRAM requires. */
  private static final class Cursor {
    private final String text;
    private int position;

    Cursor(String text) {
      this.text = text;
    }

    int position() {
      return position;
    }

    char peek() {
      return position < text.length() ? text.charAt(position) : '\0';
    }

    char next() {
      if (position >= text.length()) {
        throw malformed("Unexpected end of message.");
      }
      return text.charAt(position++);
    }

    void expect(char c) {
      char actual = next();
      if (actual != c) {
        throw malformed("Expected character \"" + c + "\" but found \"" + actual + "\".");
      }
    }

    /** Reads {@code name=value} and the comma after it, if any. */
    String attribute(char name) {
      char actual = next();
      if (actual != name) {
        throw malformed("Expected attribute \"" + name + "\" but found \"" + actual + "\".");
      }
      expect('=');
      int end = text.indexOf(',', position);
      if (end < 0) {
        end = text.length();
      }
      String value = text.substring(position, end);
      position = Math.min(end + 1, text.length());
      return value;
    }
  }
}
