package io.basalt.wire.auth;

import io.basalt.wire.message.BackendMessage;
import java.util.Optional;

/** What a password exchange wants next after a client message. */
public sealed interface AuthStep {

  /** Send this to the client and wait for its next 'p' message. */
  record Challenge(BackendMessage message) implements AuthStep {}

  /** Authenticated; send {@code finalMessage} (SCRAM's server signature) before AuthenticationOk. */
  record Success(Optional<BackendMessage> finalMessage) implements AuthStep {}

  /** Wrong password, unknown role, or no usable password: all look the same to the client. */
  record Failure() implements AuthStep {}
}
