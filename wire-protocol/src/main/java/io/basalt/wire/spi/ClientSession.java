package io.basalt.wire.spi;

import io.basalt.wire.message.FrontendMessage;
import java.util.Map;

/**
 * One client's session behind the wire layer. The wire layer calls {@link #handle} in arrival
 * order from the connection's event loop; the session must not block there (it hands work to its
 * own thread) and answers through the {@link BackendOutput} it was opened with. A session may
 * instead read its messages itself ({@link #readsItself()}, {@link ClientReader}). It is the session
 * that implements skip-until-Sync after an error, since errors arise there.
 */
public interface ClientSession {

  /** The ParameterStatus values to report after AuthenticationOk, in order. */
  Map<String, String> initialParameters();

  int processId();

  int secretKey();

  /** One message after startup, in arrival order. Terminate is delivered as well. */
  void handle(FrontendMessage message);

  /** The client's connection closed (Terminate or not): cancel running work, release resources. */
  void closed();

  /**
   * Whether this session would rather read the client's messages itself, on its own thread
   * ({@link #readFrom}). Asked once, on the event loop, when the session opened; the wire layer
   * may still deliver through {@link #handle} (under TLS it always does).
   */
  default boolean readsItself() {
    return false;
  }

  /**
   * From now on the session reads the client's messages from {@code reader}; {@link #handle} is
   * not called again. Called on the event loop, after the answer to startup was written and only
   * if {@link #readsItself()} said so. {@link #closed()} is still called when the connection
   * closes.
   */
  default void readFrom(ClientReader reader) {
    throw new UnsupportedOperationException("this session does not read for itself");
  }
}
