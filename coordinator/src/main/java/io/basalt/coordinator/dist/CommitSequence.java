package io.basalt.coordinator.dist;

import io.basalt.error.BasaltException;
import io.basalt.executor.remote.RemoteConnection;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The statements that end one distributed transaction with the protocol {@link CommitProtocol}
 * chose, in an order where no failure can leave it half committed. Each sequence returns once the
 * transaction committed (worker failures after the decision are only logged: recovery or the
 * readers' own end covers them) or throws before the decision; the caller then calls
 * {@link #rollbackBeforeDecision}. Used once, on the session's thread.
 */
final class CommitSequence {
  private static final Logger LOG = LoggerFactory.getLogger(CommitSequence.class);

  private final ClusterServices cluster;
  private final int sessionPid;
  private final Sql coordinator;
  /** Participants by key (a node group, or a negative key for a pool's extra connection). */
  private final Map<Integer, RemoteConnection> participants;
  private final java.util.function.IntUnaryOperator groupOf;
  /** Participants prepared so far, with their gids. */
  private final Map<Integer, String> prepared = new java.util.HashMap<>();
  /** The gid of each participant to be prepared, once the two-phase commit named them. */
  private final Map<Integer, String> gidOf = new java.util.LinkedHashMap<>();
  /** The coordinator's COMMIT was sent as the decision of a two-phase commit. */
  private boolean deciding;

  CommitSequence(ClusterServices cluster, int sessionPid, Sql coordinator,
      Map<Integer, RemoteConnection> participants,
      java.util.function.IntUnaryOperator groupOf) {
    this.groupOf = groupOf;
    this.cluster = cluster;
    this.sessionPid = sessionPid;
    this.coordinator = coordinator;
    this.participants = participants;
  }

  /** No worker wrote: the coordinator database's COMMIT decides, the readers follow. */
  void coordinatorOnly() {
    coordinator.execute("COMMIT");
    commitReaders(List.of());
  }

  /**
   * One worker wrote and the coordinator database did not: the worker's COMMIT decides (if it
   * refuses - a deferred constraint, a serialization failure - nothing committed anywhere). The
   * coordinator's transaction commits after it: it has no writes to lose, and it keeps the
   * client's locks until the worker has decided. Then the readers.
   */
  void onePhase(int writer) {
    RemoteConnection c = participants.get(writer);
    c.execute("COMMIT");
    try {
      coordinator.execute("COMMIT");
    } catch (RuntimeException e) {
      LOG.warn("coordinator COMMIT after the one-phase commit on {} failed (it had no writes): {}",
          c.description(), e.getMessage());
      quietlyRollbackCoordinator();
    }
    commitReaders(List.of(writer));
  }

  /**
   * Two or more parts wrote: PREPARE TRANSACTION on each worker that wrote, their commit records
   * and the coordinator database's COMMIT (the decision), then COMMIT PREPARED and the readers.
   */
  void twoPhase(List<Integer> writers) {
    long txNumber = cluster.nextTransactionNumber();
    StringBuilder groupIds = new StringBuilder();
    StringBuilder gidList = new StringBuilder();
    for (int key : writers) {
      String gid = cluster.newGid(sessionPid, txNumber, gidOf.size() + 1);
      cluster.inFlight().add(gid);
      gidOf.put(key, gid);
      String sep = groupIds.isEmpty() ? "" : ", ";
      groupIds.append(sep).append(groupOf.applyAsInt(key));
      gidList.append(sep).append(Sql.literal(gid));
    }
    String records = "SELECT basalt_internal.record_prepared(ARRAY[" + groupIds
        + "]::int[], ARRAY[" + gidList + "]::text[])";
    // The workers prepare at once: each PREPARE waits for its server's WAL flush.
    Map<Integer, RuntimeException> failed = Parallel.statementOnEach(writers,
        participants::get, key -> "PREPARE TRANSACTION " + Sql.literal(gidOf.get(key)));
    for (int key : writers) {
      if (!failed.containsKey(key)) {
        prepared.put(key, gidOf.get(key));
      }
    }
    if (!failed.isEmpty()) {
      throw failed.values().iterator().next();
    }
    // The records and the decision in one round trip. A server error in either leaves the
    // coordinator's transaction uncommitted (the rest of the string does not run), so the
    // prepared ones roll back; only a lost connection leaves the outcome to recovery.
    deciding = true;
    coordinator.execute(records + "; COMMIT");
    // Decided: from here on the transaction is committed, whatever happens to the workers.
    Parallel.statementOnEach(writers, participants::get,
        key -> "COMMIT PREPARED " + Sql.literal(gidOf.get(key))).forEach((key, e) ->
            LOG.warn("COMMIT PREPARED {} failed on {}; recovery will finish it: {}",
                gidOf.get(key), participants.get(key).description(), e.getMessage()));
    gidOf.values().forEach(cluster.inFlight()::remove);
    commitReaders(writers);
  }

  /** After the decision: the participants outside {@code decided} only read; COMMIT ends them. */
  private void commitReaders(List<Integer> decided) {
    List<Integer> readers = new java.util.ArrayList<>();
    for (int key : participants.keySet()) {
      if (!decided.contains(key)) {
        readers.add(key);
      }
    }
    Parallel.statementOnEach(readers, participants::get, key -> "COMMIT").forEach((key, e) ->
        LOG.warn("COMMIT failed on {}: {}", participants.get(key).description(), e.getMessage()));
  }

  /**
   * A sequence failed before its decision: rolls back the prepared transactions, every other
   * participant and the coordinator database. When the connection to the coordinator database
   * broke during the decision itself, the decision may have been made: the prepared
   * transactions are left to recovery, which reads it from pg_dist_transaction.
   */
  void rollbackBeforeDecision(RuntimeException cause) {
    boolean inDoubt = deciding && cause instanceof BasaltException b
        && b.sqlState().startsWith("08");
    if (inDoubt) {
      LOG.warn("connection lost during the commit decision of {}; recovery will finish it",
          gidOf.values());
    }
    participants.forEach((key, c) -> {
      String gid = prepared.get(key);
      if (gid == null) {
        quietly(c, "ROLLBACK");
      } else if (!inDoubt) {
        quietly(c, "ROLLBACK PREPARED " + Sql.literal(gid));
      }
    });
    quietlyRollbackCoordinator();
    gidOf.values().forEach(cluster.inFlight()::remove);
  }

  private static void quietly(RemoteConnection c, String sql) {
    try {
      c.execute(sql);
    } catch (RuntimeException e) {
      LOG.warn("{} failed on {}: {}", sql, c.description(), e.getMessage());
    }
  }

  private void quietlyRollbackCoordinator() {
    try {
      coordinator.execute("ROLLBACK");
    } catch (RuntimeException e) {
      LOG.debug("coordinator rollback after a failed commit: {}", e.getMessage());
    }
  }
}
