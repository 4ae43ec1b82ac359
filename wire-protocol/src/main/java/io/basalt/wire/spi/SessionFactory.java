package io.basalt.wire.spi;

import io.basalt.wire.message.FrontendMessage;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Implemented by the coordinator: opens sessions for authenticated clients. */
public interface SessionFactory {

  /**
   * The stored password of a role as PostgreSQL keeps it in pg_authid.rolpassword: a
   * "SCRAM-SHA-256$..." verifier, an "md5..." hash, or empty when the role does not exist, cannot
   * log in, has no password or its password has expired. Never completes on the caller's thread
   * with blocking I/O: the wire layer calls this from a Netty event loop.
   */
  CompletableFuture<Optional<String>> storedPassword(String role);

  /**
   * Opens a session after authentication succeeded. Completes exceptionally with a
   * {@link WireError} (e.g. 3D000 for an unknown database) when the session cannot start.
   */
  CompletableFuture<ClientSession> open(FrontendMessage.Startup startup, ClientInfo client,
      BackendOutput output);

  /** A CancelRequest arrived; cancels the matching session's running statement, if any. */
  void cancel(int processId, int secretKey);
}
