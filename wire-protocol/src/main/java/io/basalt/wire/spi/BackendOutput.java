package io.basalt.wire.spi;

import io.basalt.wire.message.BackendMessage;
import java.nio.charset.Charset;

/**
 * Where a session writes its answers. Safe to call from any single thread at a time (the session's
 * own worker thread). Messages are buffered until {@link #flush()}; a large buffer is written out
 * early. {@link #flush()} blocks while the client is not reading (backpressure), so a session
 * streaming a large result never holds more than a bounded amount in memory.
 */
public interface BackendOutput {

  void write(BackendMessage message);

  /** Writes buffered messages to the client, waiting while the socket is not writable. */
  void flush();

  /** Sets the charset used to decode the client's strings and encode ours (client_encoding). */
  void clientCharset(Charset charset);

  /** Sends the given FATAL error (if any) and closes the connection. */
  void closeWithError(BackendMessage.ErrorResponse error);

  boolean isOpen();

  /**
   * Stops (false) or resumes (true) reading the client's socket: a session that cannot keep up
   * with incoming data (a large COPY) lets TCP make the client wait instead of buffering.
   */
  default void readFromClient(boolean on) {}
}
