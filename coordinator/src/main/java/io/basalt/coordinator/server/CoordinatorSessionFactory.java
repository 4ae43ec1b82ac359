package io.basalt.coordinator.server;

import io.basalt.coordinator.session.CoordinatorSession;
import io.basalt.coordinator.session.SessionRegistry;
import io.basalt.coordinator.session.SessionThreads;
import io.basalt.error.BasaltException;
import io.basalt.executor.backend.BackendConnection;
import io.basalt.executor.backend.BackendEndpoint;
import io.basalt.executor.backend.PgErrors;
import io.basalt.executor.backend.SessionOptions;
import io.basalt.wire.message.FrontendMessage;
import io.basalt.wire.spi.BackendOutput;
import io.basalt.wire.spi.ClientInfo;
import io.basalt.wire.spi.ClientSession;
import io.basalt.wire.spi.SessionFactory;
import io.basalt.wire.spi.WireError;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Opens a session per authenticated client: a backend connection to the coordinator database
 * as the client's own role (so PostgreSQL's privileges apply) and a {@link CoordinatorSession}.
 * Blocking work runs on virtual threads (opening a session: see {@link SessionThreads}), never on
 * the wire layer's event loop.
 */
public final class CoordinatorSessionFactory implements SessionFactory, AutoCloseable {
  private final BackendEndpoint coordinatorDb;
  private final io.basalt.coordinator.dist.ClusterServices cluster;
  private final SessionRegistry registry = new SessionRegistry();
  private final RoleStore roles;
  private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
  /** Opens backend connections on the kind of thread that will use them. */
  private final ExecutorService opening = SessionThreads.opener();

  public CoordinatorSessionFactory(BackendEndpoint coordinatorDb, String adminUser,
      String adminDatabase, io.basalt.coordinator.dist.ClusterServices cluster) {
    this.coordinatorDb = coordinatorDb;
    this.cluster = cluster;
    this.roles = new RoleStore(coordinatorDb, adminUser, adminDatabase);
  }

  @Override
  public CompletableFuture<Optional<String>> storedPassword(String role) {
    return CompletableFuture.supplyAsync(() -> roles.storedPassword(role), blocking);
  }

  @Override
  public CompletableFuture<ClientSession> open(FrontendMessage.Startup startup, ClientInfo client,
      BackendOutput output) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        Map<String, String> params = new LinkedHashMap<>(startup.parameters());
        String encoding = params.containsKey("client_encoding")
            ? io.basalt.coordinator.session.ClientEncoding.canonical(params.get("client_encoding")) : "UTF8";
        SessionOptions options = new SessionOptions(params.get("application_name"),
            params.get("options"), params);
        BackendConnection backend = BackendConnection.open(coordinatorDb, startup.user(),
            startup.database(), options);
        return (ClientSession) CoordinatorSession.start(registry, output, backend, encoding,
            cluster, startup.user());
      } catch (RuntimeException e) {
        BasaltException be = PgErrors.from(e);
        Map<Character, String> fields = new LinkedHashMap<>(be.fields());
        fields.put('S', "FATAL");
        fields.put('V', "FATAL");
        throw new WireError(fields, e);
      }
    }, opening);
  }

  @Override
  public void cancel(int processId, int secretKey) {
    blocking.execute(() -> registry.cancel(processId, secretKey));
  }

  public SessionRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    roles.close();
    blocking.shutdown();
    opening.shutdown();
  }
}
