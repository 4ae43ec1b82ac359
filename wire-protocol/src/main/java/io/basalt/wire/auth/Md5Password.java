package io.basalt.wire.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * PostgreSQL's md5 scheme. The stored form is {@code "md5" + md5hex(password + user)}; the client
 * answers a 4-byte salt with {@code "md5" + md5hex(md5hex(password + user) + salt)}.
 */
public final class Md5Password {
  static final String PREFIX = "md5";

  private Md5Password() {}

  /** The stored form of a password, as CREATE ROLE ... PASSWORD with md5 encryption makes it. */
  public static String encrypt(String password, String user) {
    return PREFIX + md5Hex(password.getBytes(StandardCharsets.UTF_8),
        user.getBytes(StandardCharsets.UTF_8));
  }

  /** What a client sends for the stored form {@code stored} and the given salt. */
  public static String saltedResponse(String stored, byte[] salt) {
    return PREFIX + md5Hex(stored.substring(PREFIX.length()).getBytes(StandardCharsets.US_ASCII),
        salt);
  }

  /** Whether text has the shape of a stored md5 password: "md5" and 32 hex digits. */
  static boolean isStoredForm(String text) {
    return text.length() == 35 && text.startsWith(PREFIX)
        && text.substring(3).chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  }

  private static String md5Hex(byte[] first, byte[] second) {
    try {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      md5.update(first);
      md5.update(second);
      return HexFormat.of().formatHex(md5.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is a required JDK algorithm", e);
    }
  }
}
