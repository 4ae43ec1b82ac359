package io.basalt.wire.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SCRAM-SHA-256 verifier as PostgreSQL stores it:
 * {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>}, all three in base64. It lets
 * the server check a client's proof without knowing the password.
 */
public record ScramVerifier(int iterations, byte[] salt, byte[] storedKey, byte[] serverKey) {
  /** PostgreSQL's default scram_iterations. */
  public static final int DEFAULT_ITERATIONS = 4096;

  /** PostgreSQL's SCRAM_DEFAULT_SALT_LEN. */
  public static final int DEFAULT_SALT_LENGTH = 16;

  private static final String PREFIX = "SCRAM-SHA-256$";
  private static final Pattern FORMAT =
      Pattern.compile("SCRAM-SHA-256\\$(\\d{1,10}):([^$:]+)\\$([^$:]+):([^$:]+)");

  public ScramVerifier {
    if (iterations < 1) {
      throw new IllegalArgumentException("iterations must be positive: " + iterations);
    }
    if (salt.length == 0) {
      throw new IllegalArgumentException("salt must not be empty");
    }
    if (storedKey.length != ScramCrypto.KEY_LENGTH || serverKey.length != ScramCrypto.KEY_LENGTH) {
      throw new IllegalArgumentException("SCRAM-SHA-256 keys are 32 bytes");
    }
    salt = salt.clone();
    storedKey = storedKey.clone();
    serverKey = serverKey.clone();
  }

  @Override
  public byte[] salt() {
    return salt.clone();
  }

  @Override
  public byte[] storedKey() {
    return storedKey.clone();
  }

  @Override
  public byte[] serverKey() {
    return serverKey.clone();
  }

  /** Parses a stored verifier; empty when the text is not one (PostgreSQL then treats it so). */
  public static Optional<ScramVerifier> parse(String text) {
    if (!text.startsWith(PREFIX)) {
      return Optional.empty();
    }
    Matcher m = FORMAT.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      Base64.Decoder b64 = Base64.getDecoder();
      return Optional.of(new ScramVerifier(Integer.parseInt(m.group(1)), b64.decode(m.group(2)),
          b64.decode(m.group(3)), b64.decode(m.group(4))));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Derives the verifier of a password, as CREATE ROLE ... PASSWORD does. */
  public static ScramVerifier derive(String password, byte[] salt, int iterations) {
    byte[] saltedPassword = ScramCrypto.hi(
        SaslPrep.prepare(password).getBytes(StandardCharsets.UTF_8), salt, iterations);
    byte[] clientKey = ScramCrypto.hmac(saltedPassword, "Client Key");
    byte[] serverKey = ScramCrypto.hmac(saltedPassword, "Server Key");
    return new ScramVerifier(iterations, salt, ScramCrypto.sha256(clientKey), serverKey);
  }

  /** A verifier with a fresh random salt and PostgreSQL's default iteration count. */
  public static ScramVerifier derive(String password) {
    byte[] salt = new byte[DEFAULT_SALT_LENGTH];
    new SecureRandom().nextBytes(salt);
    return derive(password, salt, DEFAULT_ITERATIONS);
  }

  /** Checks a cleartext password (method "password" against a SCRAM-stored role). */
  public boolean matches(String password) {
    if (password.isEmpty()) {
      return false;
    }
    ScramVerifier candidate = derive(password, salt, iterations);
    return MessageDigest.isEqual(candidate.storedKey, storedKey)
        && MessageDigest.isEqual(candidate.serverKey, serverKey);
  }

  /** The text PostgreSQL keeps in pg_authid.rolpassword. */
  public String encode() {
    Base64.Encoder b64 = Base64.getEncoder();
    return PREFIX + iterations + ":" + b64.encodeToString(salt) + "$"
        + b64.encodeToString(storedKey) + ":" + b64.encodeToString(serverKey);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScramVerifier v && v.iterations == iterations
        && MessageDigest.isEqual(v.salt, salt) && MessageDigest.isEqual(v.storedKey, storedKey)
        && MessageDigest.isEqual(v.serverKey, serverKey);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(storedKey);
  }

  @Override
  public String toString() {
    return "ScramVerifier[iterations=" + iterations + "]";
  }
}
