package io.basalt.wire.auth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * Picks the exchange for a method and a stored password, following PostgreSQL's auth.c: "md5"
 * with a SCRAM verifier runs SCRAM; a role without a usable password still gets a full (mock)
 * exchange that fails at the end. One instance per server: it holds the secret that makes mock
 * salts stable for a role, so repeated probes see the same salt as for a real role.
 */
public final class PasswordExchanges {
  /** PostgreSQL's SCRAM_RAW_NONCE_LEN. */
  private static final int NONCE_LENGTH = 18;

  private final SecureRandom random;
  private final byte[] mockSecret;

  public PasswordExchanges(SecureRandom random) {
    this.random = random;
    this.mockSecret = new byte[32];
    random.nextBytes(mockSecret);
  }

  /**
   * @param method PASSWORD, MD5 or SCRAM_SHA_256
   * @param stored the role's rolpassword, empty when there is none or no such role
   */
  public PasswordExchange begin(AuthMethod method, String user, Optional<String> stored) {
    StoredPassword password = StoredPassword.classify(stored);
    return switch (method) {
      case PASSWORD -> new CleartextExchange(user, password);
      case MD5 -> switch (password) {
        case StoredPassword.Md5 m -> new Md5Exchange(user, password, randomBytes(4));
        case StoredPassword.Plain p -> new Md5Exchange(user, password, randomBytes(4));
        case StoredPassword.Scram s -> scram(s.verifier());
        // PostgreSQL picks the mock by password_encryption, which defaults to scram-sha-256
        case StoredPassword.Missing m -> mockScram(user);
      };
      case SCRAM_SHA_256 -> password instanceof StoredPassword.Scram s
          ? scram(s.verifier()) : mockScram(user);
      case TRUST, REJECT -> throw new IllegalArgumentException(
          "method " + method.keyword() + " needs no password exchange");
    };
  }

  private ScramExchange scram(ScramVerifier verifier) {
    return new ScramExchange(verifier, false, newNonce());
  }

  private ScramExchange mockScram(String user) {
    byte[] salt = Arrays.copyOf(ScramCrypto.hmac(mockSecret,
        user.getBytes(StandardCharsets.UTF_8)), ScramVerifier.DEFAULT_SALT_LENGTH);
    ScramVerifier fake = new ScramVerifier(ScramVerifier.DEFAULT_ITERATIONS, salt,
        randomBytes(32), randomBytes(32));
    return new ScramExchange(fake, true, newNonce());
  }

  private String newNonce() {
    return Base64.getEncoder().encodeToString(randomBytes(NONCE_LENGTH));
  }

  private byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }
}
