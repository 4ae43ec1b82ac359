package io.basalt.coordinator.cluster;

import io.basalt.agent.FreePorts;
import io.basalt.agent.PgBinaries;
import io.basalt.agent.PostgresConfig;
import io.basalt.agent.PostgresServer;
import io.basalt.agent.RunAs;
import io.basalt.executor.backend.BackendEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops the servers of the embedded default under one data directory:
 *
 * <pre>
 *   DATA/coordinator/   the coordinator database (catalog, shells, local tables)
 *   DATA/worker-N/      worker N's data
 *   DATA/cluster.json   their ports, kept across restarts
 *   DATA/password       the generated password of the "postgres" superuser (mode 0600)
 * </pre>
 *
 * Restarting reuses every data directory; nothing is re-initialised.
 */
public final class EmbeddedCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedCluster.class);
  public static final String SUPERUSER = "postgres";

  private final Path dataDir;
  private final PostgresServer coordinatorDb;
  private final List<PostgresServer> workers;
  private final String password;
  private final List<Integer> previousWorkerPorts;

  private EmbeddedCluster(Path dataDir, PostgresServer coordinatorDb,
      List<PostgresServer> workers, String password, List<Integer> previousWorkerPorts) {
    this.dataDir = dataDir;
    this.coordinatorDb = coordinatorDb;
    this.workers = List.copyOf(workers);
    this.password = password;
    this.previousWorkerPorts = List.copyOf(previousWorkerPorts);
  }

  /** Prepares (first time) and starts every server; returns once all accept connections. */
  public static EmbeddedCluster start(Path dataDir, int workerCount, boolean fsync) {
    try {
      Files.createDirectories(dataDir);
      PgBinaries binaries = PgBinaries.discover();
      RunAs runAs = RunAs.detect();
      Path stateFile = dataDir.resolve("cluster.json");
      ClusterState state = Files.exists(stateFile) ? ClusterState.load(stateFile)
          : new ClusterState(FreePorts.find(), List.of());
      List<Integer> workerPorts = new ArrayList<>(state.workerPorts());
      while (workerPorts.size() < workerCount) {
        workerPorts.add(FreePorts.find());
      }
      ServerFactory server = (dir, port) -> new PostgresServer(binaries,
          PostgresConfig.defaults(dataDir.resolve(dir), port).withFsync(fsync), runAs);
      int coordPort = portOrNew(state.coordinatorDbPort(), "coordinator", server);
      for (int i = 0; i < workerPorts.size(); i++) {
        workerPorts.set(i, portOrNew(workerPorts.get(i), workerDir(i), server));
      }
      new ClusterState(coordPort, workerPorts).save(stateFile);

      PostgresServer coord = server.create("coordinator", coordPort);
      List<PostgresServer> ws = new ArrayList<>();
      for (int i = 0; i < workerCount; i++) {
        ws.add(server.create(workerDir(i), workerPorts.get(i)));
      }
      List<PostgresServer> all = new ArrayList<>(ws);
      all.add(0, coord);
      startAll(all);
      String password = ensurePassword(dataDir, coord);
      LOG.info("embedded cluster up: coordinator database on port {}, {} worker(s)", coordPort,
          ws.size());
      return new EmbeddedCluster(dataDir, coord, ws, password, state.workerPorts());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private interface ServerFactory {
    PostgresServer create(String dir, int port);
  }

  private static String workerDir(int index) {
    return "worker-" + (index + 1);
  }

  private static int portOrNew(int port, String dir, ServerFactory server) {
    if (port <= 0) {
      return FreePorts.find();
    }
    // The port is still held by this directory's own server when the previous Basalt process
    // was killed (the servers run detached and outlive it): keep it, and start() adopts the
    // server. Taken for someone else's, the port would move and the old server be restarted.
    if (FreePorts.isFree(InetAddress.getLoopbackAddress(), port)
        || server.create(dir, port).isRunningAsConfigured()) {
      return port;
    }
    // A port taken meanwhile gets a new one; PostgresServer moves a running server to it.
    return FreePorts.find();
  }

  private static void startAll(List<PostgresServer> servers) {
    try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> started = new ArrayList<>();
      for (PostgresServer s : servers) {
        started.add(ex.submit(() -> {
          s.start();
          return null;
        }));
      }
      for (Future<?> f : started) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          servers.forEach(PostgresServer::stop);
          throw e.getCause() instanceof RuntimeException re ? re
              : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
  }

  /**
   * The superuser gets a random password on first start (PostgreSQL's initdb leaves it without
   * one, which a password-based login could never use); kept in DATA/password.
   */
  private static String ensurePassword(Path dataDir, PostgresServer coord) throws IOException {
    Path file = dataDir.resolve("password");
    if (Files.exists(file)) {
      return Files.readString(file).trim();
    }
    byte[] raw = new byte[18];
    new SecureRandom().nextBytes(raw);
    String pw = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    coord.psql("postgres", "ALTER ROLE " + SUPERUSER + " PASSWORD '" + pw + "'");
    Path tmp = dataDir.resolve("password.tmp");
    Files.writeString(tmp, pw + "\n");
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return pw;
  }

  /** The coordinator database, reached over its private Unix-domain socket. */
  public BackendEndpoint coordinatorEndpoint() {
    return BackendEndpoint.unixSocket(coordinatorDb.socketFile(), coordinatorDb.port());
  }

  public PostgresServer coordinatorDb() {
    return coordinatorDb;
  }

  public List<PostgresServer> workers() {
    return workers;
  }

  /**
   * The workers' ports at the previous start (empty on the first); a port taken meanwhile moves
   * its worker, and the catalog's pg_dist_node row must follow.
   */
  public List<Integer> previousWorkerPorts() {
    return previousWorkerPorts;
  }

  /**
   * Reaches the embedded servers through their private sockets, other nodes over TCP with the
   * superuser's password.
   */
  public io.basalt.coordinator.dist.NodeEndpoints nodeEndpoints() {
    return (name, port) -> {
      boolean local = name.equals("localhost") || name.equals("127.0.0.1") || name.equals("::1");
      for (PostgresServer s : workers) {
        if (local && s.port() == port) {
          return BackendEndpoint.unixSocket(s.socketFile(), port);
        }
      }
      // Other nodes are reached with the embedded superuser's password (a node added by hand
      // is expected to accept it, or to trust the coordinator's address).
      return BackendEndpoint.tcp(name, port, password);
    };
  }

  public String superuserPassword() {
    return password;
  }

  public Path dataDir() {
    return dataDir;
  }

  @Override
  public void close() {
    List<PostgresServer> all = new ArrayList<>(workers);
    all.add(coordinatorDb);
    for (PostgresServer s : all) {
      try {
        s.stop();
      } catch (RuntimeException e) {
        LOG.warn("could not stop {}", s.dataDir(), e);
      }
    }
  }
}
