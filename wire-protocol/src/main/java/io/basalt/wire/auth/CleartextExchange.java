package io.basalt.wire.auth;

import io.basalt.wire.message.BackendMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/** Method "password": the client sends the password itself, checked against any stored form. */
final class CleartextExchange implements PasswordExchange {
  private final String user;
  private final StoredPassword stored;

  CleartextExchange(String user, StoredPassword stored) {
    this.user = user;
    this.stored = stored;
  }

  @Override
  public BackendMessage start() {
    return new BackendMessage.AuthenticationCleartextPassword();
  }

  @Override
  public AuthStep next(byte[] payload) {
    Optional<String> sent = PasswordPackets.password(payload);
    if (sent.isEmpty() || sent.get().isEmpty()) {
      // PostgreSQL refuses empty passwords outright, whatever is stored
      return new AuthStep.Failure();
    }
    String password = sent.get();
    boolean ok = switch (stored) {
      case StoredPassword.Scram s -> s.verifier().matches(password);
      case StoredPassword.Md5 m -> equal(m.hash(), Md5Password.encrypt(password, user));
      case StoredPassword.Plain p -> equal(p.password(), password);
      case StoredPassword.Missing m -> false;
    };
    return ok ? new AuthStep.Success(Optional.empty()) : new AuthStep.Failure();
  }

  static boolean equal(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8),
        b.getBytes(StandardCharsets.UTF_8));
  }
}
