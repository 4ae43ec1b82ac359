package io.basalt.coordinator.dist;

import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import io.basalt.executor.remote.RemoteConnection;
import io.basalt.metadata.catalog.Identifiers;
import io.basalt.metadata.catalog.Node;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker side of one client transaction: a connection per node group that took part, each
 * with a transaction open (begun with the client's isolation level and access mode), ended
 * together with the coordinator database's transaction.
 *
 * <p>The commit depends on which parts wrote ({@link CommitProtocol}). Participants that only
 * read are committed plainly after the decision. One worker that wrote, with a coordinator
 * transaction that wrote nothing: that worker's COMMIT is the decision (one-phase). Two or more
 * parts that wrote: two-phase commit - PREPARE TRANSACTION on every worker that wrote, a commit
 * record per prepared transaction in pg_dist_transaction written in the coordinator database's
 * transaction, the coordinator database's COMMIT (the decision), then COMMIT PREPARED. A failure
 * before the decision rolls everything back; after it, {@link TransactionRecovery} finishes the
 * commit from the records.
 *
 * <p>The executor marks the participants it sent a write to ({@link #wrote}); at commit, the
 * others are asked whether their transaction got an xid (a SELECT may call a function that
 * writes) whenever that could change the protocol.
 */
public final class DistributedTransaction {
  private static final Logger LOG = LoggerFactory.getLogger(DistributedTransaction.class);
  private static final String HAS_XID =
      "SELECT pg_catalog.pg_current_xact_id_if_assigned() IS NOT NULL";

  private final ClusterServices cluster;
  private final int sessionPid;
  private final WorkerConnections workers;
  private final Sql coordinator;
  private final Map<Integer, RemoteConnection> participants = new LinkedHashMap<>();
  private final Map<Integer, Node> nodes = new LinkedHashMap<>();
  /** How many savepoints were open when each participant joined. */
  private final Map<Integer, Integer> joinedAtDepth = new LinkedHashMap<>();
  /** Groups of the participants a write (DML, DDL, COPY) was sent to. */
  private final Set<Integer> writers = new HashSet<>();
  /** The client's open savepoints, innermost last. */
  private final List<String> savepoints = new ArrayList<>();
  /** The client transaction's characteristics, read once it needs them; null before. */
  private TransactionCharacteristics characteristics;
  /**
   * The characteristics the client's plain BEGIN gave its transaction (the session's defaults),
   * used instead of reading them while {@link #assumedHolds} says nothing has run in the
   * coordinator database since; null when there is no such BEGIN.
   */
  private TransactionCharacteristics assumed;
  private java.util.function.BooleanSupplier assumedHolds;
  /**
   * True while the coordinator database has run nothing since the BEGIN that opened the
   * client's block, so its transaction has no xid; null when that is not known.
   */
  private java.util.function.BooleanSupplier coordinatorUntouched;
  private boolean catalogChanged;
  private final List<String> pendingNames = new ArrayList<>();
  /** Keys of extra participants (a pool's further connections to a node): -1, -2, ... */
  private int extras;
  /** The client session's coordinator-database backend pid; -1: not tracked for deadlocks. */
  private int coordinatorPid = -1;
  /** This transaction in the deadlock detector's registry, once a worker joined; else null. */
  private volatile TransactionRegistry.Member member;
  private final List<TransactionRegistry.Backend> registered = new ArrayList<>();

  /** A transaction of Basalt's own, on {@code coordinator}, with connections of its own. */
  public DistributedTransaction(ClusterServices cluster, int sessionPid, Sql coordinator) {
    this(cluster, sessionPid, new WorkerConnections(cluster, false), coordinator);
  }

  /**
   * A client session's transaction: {@code coordinator} is the client's coordinator-database
   * session, and participants come from (and go back to) the session's connections.
   */
  public DistributedTransaction(ClusterServices cluster, int sessionPid,
      WorkerConnections workers, Sql coordinator) {
    this.cluster = cluster;
    this.sessionPid = sessionPid;
    this.workers = workers;
    this.coordinator = coordinator;
  }

  /**
   * A client session's transaction: registers its coordinator-database backend and its
   * participants' backends with the distributed deadlock detector while it has participants.
   */
  public void trackDeadlocks(int coordinatorBackendPid) {
    this.coordinatorPid = coordinatorBackendPid;
  }

  /** The deadlock detector cancelled this transaction's waits to break a distributed deadlock. */
  public boolean deadlockVictim() {
    TransactionRegistry.Member m = member;
    return m != null && m.deadlockVictim();
  }

  /** Synchronized: extra connections are registered from the threads that open them. */
  private synchronized void register(int nodeId, int pid) {
    TransactionRegistry.Backend b = new TransactionRegistry.Backend(nodeId, pid);
    registered.add(b);
    cluster.transactions().add(member, b);
  }

  /** A backend that left the transaction: its waits are no longer this transaction's. */
  private synchronized void unregister(int nodeId, int pid) {
    if (member != null) {
      TransactionRegistry.Backend b = new TransactionRegistry.Backend(nodeId, pid);
      registered.remove(b);
      cluster.transactions().end(member, List.of(b));
    }
  }

  /**
   * An extra connection an execution just opened for this transaction (thread-safe): its waits
   * belong to this transaction for the distributed deadlock detector from now on, though it
   * joins the commit only once it wrote ({@link #joinExtra}).
   */
  public synchronized void trackExtra(Node node, RemoteConnection c) {
    if (member != null) {
      register(node.nodeId(), c.relay().backendPid());
    }
  }

  /** The participant on the node's group, or null if the group has not joined. */
  public RemoteConnection participant(Node node) {
    return participants.get(node.groupId());
  }

  public boolean isActive() {
    return !participants.isEmpty();
  }

  /**
   * The connection of this transaction on the node's group, opened with BEGIN on first use (sent
   * in front of the first statement that goes to it).
   */
  public RemoteConnection connection(Node node, String user) {
    RemoteConnection c = participants.get(node.groupId());
    if (c == null) {
      String begin = characteristics().beginSql();
      c = workers.acquire(node, user);
      // The BEGIN travels with the connection's first statement: one round trip fewer.
      c.beginWithNext(begin);
      participants.put(node.groupId(), c);
      nodes.put(node.groupId(), node);
      joinedAtDepth.put(node.groupId(), savepoints.size());
      if (coordinatorPid >= 0) {
        if (member == null) {
          member = cluster.transactions().begin();
          register(TransactionRegistry.COORDINATOR, coordinatorPid);
        }
        register(node.nodeId(), c.relay().backendPid());
      }
    }
    return c;
  }

  /**
   * A further connection to a node that an execution opened (and began with {@link #beginSql})
   * and wrote through: it takes part in the commit like the node's own participant. Only
   * outside the client's blocks, so it never has savepoints to follow.
   */
  public void joinExtra(Node node, RemoteConnection c) {
    int key = --extras;
    participants.put(key, c);
    nodes.put(key, node);
    joinedAtDepth.put(key, savepoints.size());
    writers.add(key);
  }

  /** The statement that begins a worker transaction like the client's. */
  public String beginSql() {
    return characteristics().beginSql();
  }

  /** {@link #connection} for a write: the participant is marked as having written. */
  public RemoteConnection connectionForWrite(Node node, String user) {
    RemoteConnection c = connection(node, user);
    wrote(node);
    return c;
  }

  /**
   * Notes that the participant on the node's group was sent a write (DML, DDL, COPY): it takes
   * part in the commit decision. Reads need no mark.
   */
  public void wrote(Node node) {
    if (!participants.containsKey(node.groupId())) {
      throw new IllegalStateException("no participant on group " + node.groupId());
    }
    writers.add(node.groupId());
  }

  /**
   * The client transaction's isolation level and access mode, read from the coordinator
   * database's transaction on first use.
   */
  public TransactionCharacteristics characteristics() {
    if (characteristics == null) {
      characteristics = assumed != null && assumedHolds.getAsBoolean() ? assumed
          : TransactionCharacteristics.of(
              coordinator.query(TransactionCharacteristics.QUERY).get(0));
      assumed = null;
    }
    return characteristics;
  }

  /**
   * The client's transaction block began with a plain BEGIN or START TRANSACTION, so its
   * characteristics are the session's default_transaction_* values ({@code defaults}) for as
   * long as {@code holds} answers true: it must turn false once anything else ran in the
   * coordinator database's transaction (a SET TRANSACTION, or a function that sets
   * transaction_isolation), after which they are read there as usual. Saves that read, a round
   * trip, in every block.
   */
  public void assumeCharacteristics(TransactionCharacteristics defaults,
      java.util.function.BooleanSupplier holds) {
    if (participants.isEmpty()) {
      characteristics = null;
      assumed = defaults;
      assumedHolds = holds;
    }
  }

  /**
   * The client's BEGIN just opened a block in the coordinator database; {@code untouched} says
   * whether anything ran there since. At commit, a transaction with one writing worker then
   * needs no question to the coordinator database whether it wrote.
   */
  public void coordinatorBegun(java.util.function.BooleanSupplier untouched) {
    coordinatorUntouched = untouched;
  }

  /** Whether nothing ran in the coordinator database since the block's BEGIN (false: unknown). */
  public boolean coordinatorUntouched() {
    return coordinatorUntouched != null && coordinatorUntouched.getAsBoolean();
  }

  /**
   * A SET ran in the client's open transaction: SET TRANSACTION READ ONLY may follow the first
   * query, so participants already begun READ WRITE switch too. (The other characteristics
   * cannot change after the first query, and a transaction cannot return to READ WRITE.)
   */
  public void settingsChanged() {
    if (participants.isEmpty()) {
      characteristics = null;
      assumed = null;
      return;
    }
    TransactionCharacteristics now = TransactionCharacteristics.of(
        coordinator.query(TransactionCharacteristics.QUERY).get(0));
    if (now.readOnly() && !characteristics().readOnly()) {
      forward("SET TRANSACTION READ ONLY");
    }
    characteristics = now;
  }

  /** The client's transaction ended without participants: forget its savepoints. */
  public void ended() {
    coordinatorUntouched = null;
    if (participants.isEmpty()) {
      savepoints.clear();
      characteristics = null;
      assumed = null;
    }
  }

  /** Whether a participant has a savepoint of the client's to go back to. */
  public boolean hasSavepoints() {
    return !savepoints.isEmpty();
  }

  /** SAVEPOINT name: taken on every participant, and remembered for later joiners. */
  public void savepoint(String name) {
    forward("SAVEPOINT " + Identifiers.quote(name));
    savepoints.add(name);
  }

  /**
   * ROLLBACK TO SAVEPOINT name. A participant that joined after the savepoint did all its work
   * after it, so its whole transaction is rolled back and it leaves.
   */
  public void rollbackTo(String name) {
    // A savepoint taken before any participant joined is not tracked: all joined after it.
    int depth = savepoints.lastIndexOf(name);
    for (var it = participants.entrySet().iterator(); it.hasNext();) {
      var p = it.next();
      if (joinedAtDepth.get(p.getKey()) > depth) {
        quietly(p.getValue(), "ROLLBACK");
        Node node = nodes.remove(p.getKey());
        unregister(node.nodeId(), p.getValue().relay().backendPid());
        workers.release(node, p.getValue(), true);
        joinedAtDepth.remove(p.getKey());
        writers.remove(p.getKey());
        it.remove();
      } else {
        p.getValue().execute("ROLLBACK TO SAVEPOINT " + Identifiers.quote(name));
        // A SET made after the savepoint is undone with it.
        workers.forgetSettings(p.getValue());
      }
    }
    savepoints.subList(Math.max(depth + 1, 0), savepoints.size()).clear();
  }

  /** RELEASE SAVEPOINT name, on the participants that have it. */
  public void release(String name) {
    int depth = savepoints.lastIndexOf(name);
    if (depth < 0) {
      // Taken before anyone joined: releasing it releases every tracked one too.
      savepoints.clear();
      joinedAtDepth.replaceAll((g, d) -> 0);
      return;
    }
    for (var p : participants.entrySet()) {
      if (joinedAtDepth.get(p.getKey()) <= depth) {
        p.getValue().execute("RELEASE SAVEPOINT " + Identifiers.quote(name));
      } else {
        joinedAtDepth.put(p.getKey(), depth);
      }
    }
    savepoints.subList(depth, savepoints.size()).clear();
  }

  /** A table this transaction distributes: refused everywhere until the snapshot has it. */
  public void distributing(String tableName) {
    cluster.metadata().markPending(tableName);
    pendingNames.add(tableName);
  }

  /** After the snapshot was reloaded (or the transaction rolled back). */
  public void releasePending() {
    pendingNames.forEach(cluster.metadata()::unmarkPending);
    pendingNames.clear();
  }

  /** Notes that this transaction changed the catalog: the snapshot is reloaded when it ends. */
  public void catalogChanged() {
    catalogChanged = true;
  }

  public boolean hasCatalogChanges() {
    return catalogChanged;
  }

  private void forward(String sql) {
    for (RemoteConnection c : participants.values()) {
      c.execute(sql);
    }
  }

  /**
   * Commits the coordinator database's transaction and every participant, with the protocol
   * {@link CommitProtocol} chooses ({@link CommitSequence} sends it). Throws if the transaction
   * could not commit; everything is rolled back then (or, when the decision itself may have been
   * lost, left to recovery).
   */
  public void commit() {
    if (participants.isEmpty()) {
      coordinator.execute("COMMIT");
      return;
    }
    CommitSequence sequence = new CommitSequence(cluster, sessionPid, coordinator, participants,
        key -> nodes.get(key).groupId());
    try {
      for (RemoteConnection c : participants.values()) {
        if (c.relay().transactionStatus() == 'E') {
          throw BasaltException.of(SqlState.IN_FAILED_SQL_TRANSACTION,
              "a worker transaction of this transaction failed: " + c.description());
        }
      }
      Writes wrote = writersAtCommit();
      switch (CommitProtocol.choose(wrote.workers().size(), wrote.coordinator())) {
        case COORDINATOR -> sequence.coordinatorOnly();
        case ONE_PHASE -> sequence.onePhase(wrote.workers().get(0));
        case TWO_PHASE -> sequence.twoPhase(wrote.workers());
      }
    } catch (RuntimeException e) {
      sequence.rollbackBeforeDecision(e);
      end(true);
      throw e;
    }
    end(false);
  }

  /** Which parts wrote: worker groups in joining order, and the coordinator database. */
  private record Writes(List<Integer> workers, boolean coordinator) {}

  /**
   * The marked participants, the others that got an xid when asking them can change the
   * protocol, and whether the coordinator database's transaction wrote.
   */
  private Writes writersAtCommit() {
    List<Integer> wrote = new ArrayList<>();
    List<Integer> unmarked = new ArrayList<>();
    for (int group : participants.keySet()) {
      (writers.contains(group) ? wrote : unmarked).add(group);
    }
    // With two writers it is two-phase whatever the coordinator did: no need to ask it.
    boolean coordinatorWrote = catalogChanged || (wrote.size() < 2
        && !coordinatorUntouched()
        && "t".equals(coordinator.queryValue(HAS_XID)));
    if (CommitProtocol.mustAsk(wrote.size(), coordinatorWrote, unmarked.size())) {
      Set<Integer> withXid = java.util.concurrent.ConcurrentHashMap.newKeySet();
      Parallel.forEach(unmarked, g -> {
        if ("t".equals(participants.get(g).queryValue(HAS_XID))) {
          withXid.add(g);
        }
      });
      wrote.clear();
      for (int group : participants.keySet()) {
        if (writers.contains(group) || withXid.contains(group)) {
          wrote.add(group);
        }
      }
    }
    return new Writes(wrote, coordinatorWrote);
  }

  /** Rolls back every participant (the caller rolls back the coordinator database). */
  public void rollback() {
    for (RemoteConnection c : participants.values()) {
      quietly(c, "ROLLBACK");
    }
    end(true);
  }

  private void end(boolean rolledBack) {
    participants.forEach((group, c) -> workers.release(nodes.get(group), c, rolledBack));
    participants.clear();
    nodes.clear();
    joinedAtDepth.clear();
    writers.clear();
    savepoints.clear();
    characteristics = null;
    extras = 0;
    synchronized (this) {
      if (member != null) {
        cluster.transactions().end(member, registered);
        registered.clear();
        member = null;
      }
    }
  }

  private static void quietly(RemoteConnection c, String sql) {
    try {
      c.execute(sql);
    } catch (RuntimeException e) {
      LOG.warn("{} failed on {}: {}", sql, c.description(), e.getMessage());
    }
  }

  /** The transaction rolled back: its catalog changes and pending names are gone. */
  public void discardCatalogChanges() {
    catalogChanged = false;
    releasePending();
  }

  /** Called when the transaction has ended (either way): reloads the snapshot if it changed. */
  public boolean takeCatalogChange() {
    boolean changed = catalogChanged;
    catalogChanged = false;
    return changed;
  }
}
