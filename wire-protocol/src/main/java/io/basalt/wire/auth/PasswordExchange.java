package io.basalt.wire.auth;

import io.basalt.wire.message.BackendMessage;

/**
 * One authentication conversation. {@link #start()} gives the server's opening request; each
 * 'p' payload from the client goes to {@link #next}. A malformed payload throws
 * {@link io.basalt.wire.codec.ProtocolViolation}.
 */
public sealed interface PasswordExchange
    permits CleartextExchange, Md5Exchange, ScramExchange {

  BackendMessage start();

  AuthStep next(byte[] payload);
}
