package io.basalt.coordinator.dist;

import io.basalt.coordinator.catalog.CatalogMigrations;
import io.basalt.coordinator.catalog.MetadataCache;
import io.basalt.error.BasaltException;
import io.basalt.executor.backend.BackendEndpoint;
import io.basalt.executor.remote.RemoteConnection;
import io.basalt.metadata.catalog.MetadataSnapshot;
import io.basalt.metadata.catalog.Node;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every session shares to reach the cluster: the coordinator database (as Basalt's admin
 * role), the nodes, the metadata snapshot, and the background jobs (2PC recovery, shard
 * clean-up, distributed deadlock detection). Created once per coordinator.
 */
public final class ClusterServices implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterServices.class);
  /** citus.recover_2pc_interval's default. */
  private static final long RECOVERY_INTERVAL_SECONDS = 60;
  /** The periodic recovery leaves younger prepared transactions to the commit under way. */
  private static final int RECOVERY_MIN_AGE_SECONDS = 30;

  private final BackendEndpoint coordinatorDb;
  private final String adminUser;
  private final String database;
  private final NodeEndpoints endpoints;
  private final MetadataCache metadata;
  /**
   * Numbers the two-phase commits for their gids. Session pids start again at every start of
   * Basalt, and commit records of the previous run may still be in pg_dist_transaction until
   * recovery removes them, so the numbers start above any earlier run's: at the start time in
   * microseconds (a run would need a million commits a second to catch up with the next one).
   */
  private final AtomicLong transactionNumbers =
      new AtomicLong(System.currentTimeMillis() * 1000);
  private volatile String selfHost = "localhost";
  private volatile int selfPort = 5432;
  /** gids between PREPARE and their COMMIT/ROLLBACK PREPARED: recovery leaves them alone. */
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService background =
      Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("basalt-2pc-recovery")
          .factory());

  private final CopyProgress copyProgress = new CopyProgress();
  /** citus.max_shared_pool_size over the client sessions' worker connections. */
  private final io.basalt.executor.adaptive.SharedConnections sharedConnections =
      new io.basalt.executor.adaptive.SharedConnections(
          io.basalt.executor.adaptive.SharedConnections.UNLIMITED);
  /** Jobs of a second: COPY progress, and the server's citus.max_shared_pool_size. */
  private final ScheduledExecutorService progressPublisher =
      Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("basalt-each-second")
          .factory());
  private RemoteConnection progressConnection;
  private RemoteConnection settingsConnection;
  private final NodeHistory nodeHistory = new NodeHistory();
  private final TransactionRegistry transactions = new TransactionRegistry();
  private final TypeOids typeOids = new TypeOids(this);
  private final DeadlockDetector deadlocks = new DeadlockDetector(this, transactions);

  private ClusterServices(BackendEndpoint coordinatorDb, String adminUser, String database,
      NodeEndpoints endpoints) {
    this.coordinatorDb = coordinatorDb;
    this.adminUser = adminUser;
    this.database = database;
    this.endpoints = endpoints;
    try (RemoteConnection admin = openAdmin()) {
      CatalogMigrations.apply(admin);
    }
    this.metadata = new MetadataCache(this::openAdmin);
  }

  /** Migrates the catalog, loads the snapshot and starts the background jobs. */
  public static ClusterServices start(BackendEndpoint coordinatorDb, String adminUser,
      String database, NodeEndpoints endpoints) {
    ClusterServices c = new ClusterServices(coordinatorDb, adminUser, database, endpoints);
    c.background.scheduleWithFixedDelay(c::backgroundWork, 0, RECOVERY_INTERVAL_SECONDS,
        TimeUnit.SECONDS);
    c.progressPublisher.scheduleWithFixedDelay(c::publishCopyProgress, 1, 1, TimeUnit.SECONDS);
    c.progressPublisher.scheduleWithFixedDelay(c::readSharedPoolSize, 0, 1, TimeUnit.SECONDS);
    c.deadlocks.start();
    return c;
  }

  private void backgroundWork() {
    try {
      TransactionRecovery.recover(this, RECOVERY_MIN_AGE_SECONDS);
      ShardCleanup.run(this);
    } catch (RuntimeException e) {
      LOG.warn("background recovery failed, will retry: {}", e.getMessage());
    }
  }

  /** Which backends work for which client transaction (distributed deadlock detection). */
  public TransactionRegistry transactions() {
    return transactions;
  }

  /** Workers' type OIDs as the coordinator database knows them. */
  public TypeOids typeOids() {
    return typeOids;
  }

  /** Running COPY commands, for basalt_stat_progress_copy. */
  public CopyProgress copyProgress() {
    return copyProgress;
  }

  private void publishCopyProgress() {
    if (copyProgress.idle()) {
      return;
    }
    try {
      if (progressConnection == null || progressConnection.isClosed()) {
        progressConnection = openAdmin();
      }
      copyProgress.publish(progressConnection);
    } catch (RuntimeException e) {
      LOG.debug("publishing COPY progress failed, will retry: {}", e.getMessage());
      if (progressConnection != null) {
        progressConnection.close();
        progressConnection = null;
      }
    }
  }

  /**
   * Follows the server's citus.max_shared_pool_size (ALTER SYSTEM and a reload, like Citus's
   * SIGHUP setting), read in a session of Basalt's own, which never SETs it: a client's SET of it
   * changes nothing for anyone.
   */
  private void readSharedPoolSize() {
    try {
      if (settingsConnection == null || settingsConnection.isClosed()) {
        settingsConnection = openAdmin();
      }
      String[] row = settingsConnection.query("SELECT pg_catalog.current_setting("
          + "'citus.max_shared_pool_size', true), pg_catalog.current_setting('max_connections')")
          .get(0);
      Integer limit = sharedLimit(row[0], row[1]);
      if (limit != null) {
        sharedConnections.limit(limit);
      }
    } catch (RuntimeException e) {
      LOG.debug("reading citus.max_shared_pool_size failed, will retry: {}", e.getMessage());
      if (settingsConnection != null) {
        settingsConnection.close();
        settingsConnection = null;
      }
    }
  }

  /**
   * citus.max_shared_pool_size as a cap: -1 none, 0 (the default) the coordinator database's
   * max_connections; null when the value cannot be read as a number.
   */
  static Integer sharedLimit(String configured, String maxConnections) {
    try {
      int v = configured == null || configured.isBlank() ? 0 : Integer.parseInt(configured.trim());
      if (v < 0) {
        return io.basalt.executor.adaptive.SharedConnections.UNLIMITED;
      }
      return v == 0 ? Integer.parseInt(maxConnections.trim()) : v;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** What executions learnt about each node (connection times, busy verdicts). */
  public NodeHistory nodeHistory() {
    return nodeHistory;
  }

  /** The cap on client sessions' connections per worker node (citus.max_shared_pool_size). */
  public io.basalt.executor.adaptive.SharedConnections sharedConnections() {
    return sharedConnections;
  }

  /** The address clients use for this coordinator (reported by the health check). */
  public void advertise(String host, int port) {
    this.selfHost = host;
    this.selfPort = port;
  }

  public String selfHost() {
    return selfHost;
  }

  public int selfPort() {
    return selfPort;
  }

  public MetadataCache metadata() {
    return metadata;
  }

  public MetadataSnapshot snapshot() {
    return metadata.current();
  }

  public String database() {
    return database;
  }

  public String adminUser() {
    return adminUser;
  }

  /** A session on the coordinator database as Basalt's admin (superuser) role. */
  public RemoteConnection openAdmin() {
    return RemoteConnection.open(coordinatorDb, adminUser, database, "basalt internal");
  }

  public BackendEndpoint endpoint(Node node) {
    return endpoints.resolve(node.name(), node.port());
  }

  public BackendEndpoint endpointFor(String name, int port) {
    return endpoints.resolve(name, port);
  }

  /** An admin session on a node. */
  public RemoteConnection openNodeAdmin(Node node) {
    return RemoteConnection.open(endpoint(node), adminUser, database, "basalt internal");
  }

  /**
   * A session on a node as {@code user}, so the node's own privileges apply. A role that exists
   * on the coordinator but not yet on the node is created there first, with the same
   * attributes (roles are cluster-wide in Citus).
   */
  public RemoteConnection openNode(Node node, String user) {
    return openNode(node, user, false);
  }

  /** {@code relay}: for a client session that also relays its statements (see RemoteConnection). */
  public RemoteConnection openNode(Node node, String user, boolean relay) {
    return openNode(node, user, relay, 0);
  }

  /** {@code connectTimeoutMillis}: citus.node_connection_timeout (0: the driver's default). */
  public RemoteConnection openNode(Node node, String user, boolean relay,
      long connectTimeoutMillis) {
    long start = System.nanoTime();
    try {
      RemoteConnection c = RemoteConnection.open(endpoint(node), user, database, "basalt",
          relay, connectTimeoutMillis);
      nodeHistory.connected(node, System.nanoTime() - start);
      return c;
    } catch (BasaltException e) {
      if (!"28000".equals(e.sqlState()) || !String.valueOf(e.getMessage()).contains("does not exist")) {
        throw e;
      }
    }
    WorkerRoles.copyRole(this, node, user);
    return RemoteConnection.open(endpoint(node), user, database, "basalt", relay,
        connectTimeoutMillis);
  }

  /** A new global transaction identifier in Citus's form citus_&lt;group&gt;_&lt;pid&gt;_&lt;n&gt;_&lt;c&gt;. */
  String newGid(int sessionPid, long transactionNumber, int connection) {
    return "citus_0_" + sessionPid + "_" + transactionNumber + "_" + connection;
  }

  long nextTransactionNumber() {
    return transactionNumbers.incrementAndGet();
  }

  Set<String> inFlight() {
    return inFlight;
  }

  @Override
  public void close() {
    background.shutdownNow();
    progressPublisher.shutdownNow();
    deadlocks.close();
    if (progressConnection != null) {
      progressConnection.close();
    }
    if (settingsConnection != null) {
      settingsConnection.close();
    }
    metadata.close();
  }
}
