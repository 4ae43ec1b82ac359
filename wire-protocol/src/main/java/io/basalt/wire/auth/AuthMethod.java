package io.basalt.wire.auth;

import java.util.Arrays;
import java.util.Optional;

/** The authentication methods a pg_hba rule can name, with their pg_hba.conf keywords. */
public enum AuthMethod {
  TRUST("trust"),
  REJECT("reject"),
  PASSWORD("password"),
  MD5("md5"),
  SCRAM_SHA_256("scram-sha-256");

  private final String keyword;

  AuthMethod(String keyword) {
    this.keyword = keyword;
  }

  public String keyword() {
    return keyword;
  }

  public static Optional<AuthMethod> fromKeyword(String keyword) {
    return Arrays.stream(values()).filter(m -> m.keyword.equals(keyword)).findFirst();
  }
}
