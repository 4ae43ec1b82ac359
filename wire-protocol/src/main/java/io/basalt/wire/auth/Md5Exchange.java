package io.basalt.wire.auth;

import io.basalt.wire.message.BackendMessage;
import java.util.Optional;

/** Method "md5" against an md5 or plain stored password: one salted challenge, one answer. */
final class Md5Exchange implements PasswordExchange {
  private final String user;
  private final StoredPassword stored;
  private final byte[] salt;

  Md5Exchange(String user, StoredPassword stored, byte[] salt) {
    this.user = user;
    this.stored = stored;
    this.salt = salt.clone();
  }

  @Override
  public BackendMessage start() {
    return new BackendMessage.AuthenticationMd5Password(salt.clone());
  }

  @Override
  public AuthStep next(byte[] payload) {
    Optional<String> response = PasswordPackets.password(payload);
    Optional<String> hash = switch (stored) {
      case StoredPassword.Md5 m -> Optional.of(m.hash());
      case StoredPassword.Plain p -> Optional.of(Md5Password.encrypt(p.password(), user));
      case StoredPassword.Scram s -> Optional.empty();
      case StoredPassword.Missing m -> Optional.empty();
    };
    boolean ok = hash.isPresent() && response.isPresent()
        && CleartextExchange.equal(Md5Password.saltedResponse(hash.get(), salt), response.get());
    return ok ? new AuthStep.Success(Optional.empty()) : new AuthStep.Failure();
  }
}
