package io.basalt.wire.spi;

import io.basalt.wire.message.FrontendMessage;
import java.util.Map;

/**
 * One client's session behind the wire layer. The wire layer calls {@link #handle} in arrival
 * order from the connection's event loop; the session must not block there (it hands work to its
 * own thread) and answers through the {@link BackendOutput} it was opened with. It is the session
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
}
