package io.basalt.wire.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client half of SCRAM-SHA-256, written from RFC 5802 with javax.crypto only, so the server is
 * checked against an independent implementation. Also makes PostgreSQL-format verifiers.
 */
public final class ScramClient {
  private final String password;
  private final String clientNonce;
  private final String gs2Header;
  private String clientFirstBare;
  private byte[] saltedPassword;
  private String authMessage;

  public ScramClient(String password, String clientNonce, String gs2Header) {
    this.password = password;
    this.clientNonce = clientNonce;
    this.gs2Header = gs2Header;
  }

  public ScramClient(String password, String clientNonce) {
    this(password, clientNonce, "n,,");
  }

  public String clientFirst() {
    clientFirstBare = "n=,r=" + clientNonce;
    return gs2Header + clientFirstBare;
  }

  /** Answers server-first; returns client-final with the proof. */
  public String clientFinal(String serverFirst) throws Exception {
    String nonce = attribute(serverFirst, "r");
    byte[] salt = Base64.getDecoder().decode(attribute(serverFirst, "s"));
    int iterations = Integer.parseInt(attribute(serverFirst, "i"));
    if (!nonce.startsWith(clientNonce)) {
      throw new AssertionError("server nonce does not extend ours: " + nonce);
    }
    saltedPassword = pbkdf2(password, salt, iterations);
    String withoutProof = "c=" + Base64.getEncoder().encodeToString(
        gs2Header.getBytes(StandardCharsets.UTF_8)) + ",r=" + nonce;
    authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
    byte[] clientKey = hmac(saltedPassword, "Client Key");
    byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
    byte[] signature = hmac(storedKey, authMessage);
    byte[] proof = new byte[clientKey.length];
    for (int i = 0; i < proof.length; i++) {
      proof[i] = (byte) (clientKey[i] ^ signature[i]);
    }
    return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
  }

  /** Whether server-final carries the signature only a server knowing ServerKey can make. */
  public boolean verifyServerFinal(String serverFinal) throws Exception {
    byte[] serverKey = hmac(saltedPassword, "Server Key");
    String expected = "v=" + Base64.getEncoder().encodeToString(hmac(serverKey, authMessage));
    return expected.equals(serverFinal);
  }

  /** A verifier in PostgreSQL's pg_authid format. */
  public static String verifier(String password, byte[] salt, int iterations) throws Exception {
    byte[] salted = pbkdf2(password, salt, iterations);
    byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(hmac(salted, "Client Key"));
    byte[] serverKey = hmac(salted, "Server Key");
    Base64.Encoder b64 = Base64.getEncoder();
    return "SCRAM-SHA-256$" + iterations + ":" + b64.encodeToString(salt) + "$"
        + b64.encodeToString(storedKey) + ":" + b64.encodeToString(serverKey);
  }

  public static String verifier(String password) throws Exception {
    return verifier(password, "0123456789abcdef".getBytes(StandardCharsets.US_ASCII), 4096);
  }

  static String attribute(String message, String name) {
    for (String part : message.split(",")) {
      if (part.startsWith(name + "=")) {
        return part.substring(name.length() + 1);
      }
    }
    throw new AssertionError("no attribute " + name + " in " + message);
  }

  private static byte[] pbkdf2(String password, byte[] salt, int iterations) throws Exception {
    PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
    return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
  }

  private static byte[] hmac(byte[] key, String data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }
}
