package io.basalt.wire.spi;

import io.basalt.wire.message.FrontendMessage;

/**
 * The client's messages, for a session that reads them on its own thread
 * ({@link ClientSession#readsItself()}) instead of having the event loop hand each one over.
 * Only the session's thread calls it.
 */
public interface ClientReader {

  /**
   * The client's next message, waiting for it at most {@code timeoutMillis} (0: no limit); null
   * if none came in time. Once the connection is over (the client sent Terminate or closed it,
   * or broke the protocol and was sent a FATAL error) every call returns a Terminate.
   */
  FrontendMessage read(long timeoutMillis) throws InterruptedException;

  /**
   * The session is over, however it ended: frees what the reader holds and closes the
   * connection, unless the session is already closing it with an error
   * ({@link BackendOutput#closeWithError}). Nobody else reads the client's socket, so without
   * this a session that died would leave its client's connection open for good.
   */
  void close();
}
