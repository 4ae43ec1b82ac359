package io.basalt.wire.codec;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The client_encoding of one connection, shared by its decoder, its encoder and its session's
 * output. The session changes it from its own thread (after SET client_encoding) while the event
 * loop reads it, hence volatile.
 */
public final class ClientEncoding {
  private volatile Charset charset = StandardCharsets.UTF_8;

  public Charset charset() {
    return charset;
  }

  public void charset(Charset charset) {
    this.charset = Objects.requireNonNull(charset, "charset");
  }
}
