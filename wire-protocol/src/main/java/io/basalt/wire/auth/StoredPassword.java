package io.basalt.wire.auth;

import java.util.Optional;

/** A role's pg_authid.rolpassword, classified the way PostgreSQL's get_password_type does. */
sealed interface StoredPassword {

  record Scram(ScramVerifier verifier) implements StoredPassword {}

  record Md5(String hash) implements StoredPassword {}

  /** Neither form; PostgreSQL compares such a value as the password itself. */
  record Plain(String password) implements StoredPassword {}

  /** No such role, no password, or the role may not log in. */
  record Missing() implements StoredPassword {}

  static StoredPassword classify(Optional<String> stored) {
    if (stored.isEmpty() || stored.get().isEmpty()) {
      return new Missing();
    }
    String text = stored.get();
    if (Md5Password.isStoredForm(text)) {
      return new Md5(text);
    }
    Optional<ScramVerifier> verifier = ScramVerifier.parse(text);
    if (verifier.isPresent()) {
      return new Scram(verifier.get());
    }
    return new Plain(text);
  }
}
