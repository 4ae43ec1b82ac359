package io.basalt.coordinator.dist;

import io.basalt.executor.remote.RemoteConnection;
import io.basalt.metadata.catalog.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Distributed deadlock detection: every citus.distributed_deadlock_detection_factor ×
 * deadlock_timeout (the coordinator server's settings, 2 × 1 s by default; a factor of -1 turns
 * it off), reads the lock waits of every node (pg_blocking_pids), maps waiting and blocking
 * backends to client transactions ({@link TransactionRegistry}), and cancels the youngest
 * transaction of each cycle ({@link DeadlockCycles}): its waiting backends get
 * pg_cancel_backend, and its session reports 40P01 instead of the cancel.
 *
 * <p>Each node's own detector sees cycles within the node; this one sees cycles that pass
 * through several nodes, which no single PostgreSQL can. The mapping is read before and after
 * the nodes are asked, and a backend counts only when it belonged to the same transaction both
 * times, so a transaction that ended in between (its backend serving a new one) adds no edge.
 */
public final class DeadlockDetector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeadlockDetector.class);
  /** How often to look again at the settings while detection is off. */
  private static final long DISABLED_RECHECK_MILLIS = 5_000;
  private static final String WAITS = "SELECT w.pid, b.pid FROM pg_catalog.pg_stat_activity w,"
      + " LATERAL unnest(pg_catalog.pg_blocking_pids(w.pid)) AS b(pid)"
      + " WHERE w.wait_event_type = 'Lock'";
  private static final String INTERVAL = "SELECT (extract(epoch FROM pg_catalog.current_setting("
      + "'deadlock_timeout')::interval) * 1000)::bigint,"
      + " pg_catalog.current_setting('citus.distributed_deadlock_detection_factor', true)";

  private final ClusterServices cluster;
  private final TransactionRegistry registry;
  private final Map<Integer, RemoteConnection> connections = new HashMap<>();
  private volatile boolean closed;
  private Thread thread;

  DeadlockDetector(ClusterServices cluster, TransactionRegistry registry) {
    this.cluster = cluster;
    this.registry = registry;
  }

  void start() {
    thread = Thread.ofVirtual().name("basalt-deadlock-detector").start(this::loop);
  }

  private void loop() {
    while (!closed) {
      long wait = DISABLED_RECHECK_MILLIS;
      try {
        wait = runOnce();
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        LOG.warn("distributed deadlock detection failed, will retry: {}", e.getMessage());
        closeConnections();
      }
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** One round; returns how long to wait before the next. */
  long runOnce() {
    String[] setting = connection(TransactionRegistry.COORDINATOR).query(INTERVAL).get(0);
    double factor = setting[1] == null || setting[1].isEmpty() ? 2.0
        : Double.parseDouble(setting[1]);
    if (factor <= 0) {
      return DISABLED_RECHECK_MILLIS;
    }
    long interval = Math.max(10, Math.round(Long.parseLong(setting[0]) * factor));
    if (!registry.isEmpty()) {
      detect();
    }
    return interval;
  }

  /** A wait seen on a node: backend {@code waiter} waits for {@code blocker}. */
  private record Wait(int nodeId, int waiter, int blocker) {}

  /** Reads the waits, breaks the cycles; returns the victims' ids. */
  List<Long> detect() {
    Map<TransactionRegistry.Backend, TransactionRegistry.Member> before = registry.snapshot();
    List<Wait> waits = new ArrayList<>();
    List<Integer> nodes = new ArrayList<>();
    nodes.add(TransactionRegistry.COORDINATOR);
    for (Node n : cluster.snapshot().nodes()) {
      if (n.isActivePrimary() && !n.isCoordinator()) {
        nodes.add(n.nodeId());
      }
    }
    for (int node : nodes) {
      for (String[] row : connection(node).query(WAITS)) {
        waits.add(new Wait(node, Integer.parseInt(row[0]), Integer.parseInt(row[1])));
      }
    }
    if (waits.isEmpty()) {
      return List.of();
    }
    Map<TransactionRegistry.Backend, TransactionRegistry.Member> after = registry.snapshot();
    Map<Long, TransactionRegistry.Member> members = new HashMap<>();
    Map<Long, Set<Long>> graph = new HashMap<>();
    Map<Long, List<Wait>> waitsOf = new HashMap<>();
    for (Wait w : waits) {
      TransactionRegistry.Member waiter = stable(before, after, w.nodeId(), w.waiter());
      TransactionRegistry.Member blocker = stable(before, after, w.nodeId(), w.blocker());
      if (waiter == null || blocker == null || waiter == blocker) {
        continue;
      }
      members.put(waiter.id(), waiter);
      graph.computeIfAbsent(waiter.id(), k -> new HashSet<>()).add(blocker.id());
      waitsOf.computeIfAbsent(waiter.id(), k -> new ArrayList<>()).add(w);
    }
    List<Long> victims = DeadlockCycles.victims(graph);
    for (long id : victims) {
      TransactionRegistry.Member victim = members.get(id);
      LOG.info("distributed deadlock: cancelling {} (the youngest in its cycle)", victim);
      victim.markVictim();
      Map<TransactionRegistry.Backend, TransactionRegistry.Member> now = registry.snapshot();
      for (Wait w : waitsOf.get(id)) {
        // A backend that left the transaction since may run someone else's statement now.
        if (now.get(new TransactionRegistry.Backend(w.nodeId(), w.waiter())) == victim) {
          connection(w.nodeId()).query("SELECT pg_catalog.pg_cancel_backend(" + w.waiter()
              + ")");
        }
      }
    }
    return victims;
  }

  private static TransactionRegistry.Member stable(
      Map<TransactionRegistry.Backend, TransactionRegistry.Member> before,
      Map<TransactionRegistry.Backend, TransactionRegistry.Member> after, int node, int pid) {
    TransactionRegistry.Backend b = new TransactionRegistry.Backend(node, pid);
    TransactionRegistry.Member m = before.get(b);
    return m != null && m == after.get(b) ? m : null;
  }

  /** The detector's own admin session on a node (or the coordinator database). */
  private RemoteConnection connection(int nodeId) {
    RemoteConnection c = connections.get(nodeId);
    if (c != null && !c.isClosed()) {
      return c;
    }
    if (nodeId == TransactionRegistry.COORDINATOR) {
      c = cluster.openAdmin();
    } else {
      Node node = cluster.snapshot().nodes().stream().filter(n -> n.nodeId() == nodeId)
          .findFirst().orElseThrow(() -> new IllegalStateException("no node " + nodeId));
      c = cluster.openNodeAdmin(node);
    }
    connections.put(nodeId, c);
    return c;
  }

  private void closeConnections() {
    connections.values().forEach(RemoteConnection::close);
    connections.clear();
  }

  @Override
  public void close() {
    closed = true;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    closeConnections();
  }
}
