package io.basalt.coordinator.server;

import io.basalt.coordinator.cluster.EmbeddedCluster;
import io.basalt.coordinator.cluster.WorkerRegistration;
import io.basalt.coordinator.dist.ClusterServices;
import io.basalt.wire.server.HbaConfig;
import io.basalt.wire.server.PgServer;
import io.basalt.wire.server.SelfSignedCertificates;
import io.basalt.wire.server.TlsConfig;
import io.basalt.wire.server.WireConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Basalt: the embedded cluster, the session factory and the wire server in front.
 * Closing it stops all three, the wire server first so no new session starts on a stopping
 * cluster.
 */
public final class BasaltServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BasaltServer.class);
  static final String DEFAULT_HBA = """
      # Basalt client authentication, pg_hba.conf style:
      # TYPE (host|hostssl|hostnossl)  DATABASE  USER  ADDRESS  METHOD
      # METHOD: trust | reject | password | md5 | scram-sha-256
      # Roles and passwords are those of the coordinator database.
      """ + HbaConfig.LOOPBACK_SCRAM_RULES;

  private final EmbeddedCluster cluster;
  private final ClusterServices services;
  private final CoordinatorSessionFactory sessions;
  private final PgServer wire;

  private BasaltServer(EmbeddedCluster cluster, ClusterServices services,
      CoordinatorSessionFactory sessions, PgServer wire) {
    this.cluster = cluster;
    this.services = services;
    this.sessions = sessions;
    this.wire = wire;
  }

  /**
   * Starts the embedded default under {@code dataDir}: its PostgreSQL servers, then the wire
   * server on host:port (0 = any free port). TLS uses DATA/tls (a self-signed certificate is made
   * on first start); client authentication follows DATA/hba.conf (written with loopback-only
   * SCRAM rules on first start).
   */
  public static BasaltServer startEmbedded(String host, int port, Path dataDir, int workers,
      boolean fsync) {
    EmbeddedCluster cluster = EmbeddedCluster.start(dataDir, workers, fsync);
    CoordinatorSessionFactory sessions = null;
    ClusterServices services = null;
    try {
      TlsConfig tls = SelfSignedCertificates.ensure(dataDir.resolve("tls"));
      Path hbaFile = dataDir.resolve("hba.conf");
      if (!Files.exists(hbaFile)) {
        Files.writeString(hbaFile, DEFAULT_HBA);
      }
      services = ClusterServices.start(cluster.coordinatorEndpoint(), EmbeddedCluster.SUPERUSER,
          "postgres", cluster.nodeEndpoints());
      WorkerRegistration.register(services, cluster);
      sessions = new CoordinatorSessionFactory(cluster.coordinatorEndpoint(),
          EmbeddedCluster.SUPERUSER, "postgres", services);
      WireConfig config = WireConfig.defaults().withHost(host).withPort(port).withTls(tls)
          .withHba(HbaConfig.load(hbaFile));
      PgServer wire = new PgServer(config, sessions);
      int bound = wire.start();
      services.advertise(host, bound);
      LOG.info("Basalt accepts connections on {}:{}", host, bound);
      return new BasaltServer(cluster, services, sessions, wire);
    } catch (IOException | RuntimeException e) {
      if (sessions != null) {
        sessions.close();
      }
      if (services != null) {
        services.close();
      }
      cluster.close();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  public int port() {
    return wire.port();
  }

  public EmbeddedCluster cluster() {
    return cluster;
  }

  public ClusterServices services() {
    return services;
  }

  public CoordinatorSessionFactory sessions() {
    return sessions;
  }

  public int connectionCount() {
    return wire.connectionCount();
  }

  @Override
  public void close() {
    wire.close();
    sessions.close();
    services.close();
    cluster.close();
  }
}
