package io.basalt.coordinator.cluster;

import io.basalt.agent.PostgresServer;
import io.basalt.coordinator.dist.ClusterServices;
import io.basalt.coordinator.dist.DistributedTransaction;
import io.basalt.coordinator.dist.NodeOps;
import io.basalt.coordinator.dist.OperationContext;
import io.basalt.coordinator.dist.Sql;
import io.basalt.executor.remote.RemoteConnection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the embedded workers in pg_dist_node at start-up through the same code as
 * citus_add_node, and follows a worker that had to move to a new port.
 */
public final class WorkerRegistration {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerRegistration.class);
  static final String HOST = "localhost";

  private WorkerRegistration() {}

  public static void register(ClusterServices services, EmbeddedCluster cluster) {
    try (RemoteConnection admin = services.openAdmin()) {
      Sql sql = Sql.of(admin);
      List<PostgresServer> workers = cluster.workers();
      List<Integer> previous = cluster.previousWorkerPorts();
      for (int i = 0; i < workers.size(); i++) {
        int port = workers.get(i).port();
        if (i < previous.size() && previous.get(i) != port) {
          admin.execute("UPDATE pg_catalog.pg_dist_node SET nodeport = " + port
              + " WHERE nodename = " + Sql.literal(HOST) + " AND nodeport = " + previous.get(i));
        }
        DistributedTransaction tx = new DistributedTransaction(services, 0, sql);
        OperationContext ctx = new OperationContext(services, sql, null, tx,
            services.adminUser(), n -> LOG.info("{}", n.get('M')));
        admin.execute("BEGIN");
        try {
          new NodeOps(ctx).addNode(HOST, port, -1, "primary", "default");
          tx.commit();
        } catch (RuntimeException e) {
          tx.rollback();
          admin.execute("ROLLBACK");
          throw e;
        }
      }
    }
    services.metadata().refresh();
  }
}
