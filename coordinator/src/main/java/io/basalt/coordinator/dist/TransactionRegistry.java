package io.basalt.coordinator.dist;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which server backends work for which client's distributed transaction: the client session's
 * coordinator-database backend and its participants' worker backends, each by (node, backend
 * pid). The distributed deadlock detector ({@link DeadlockDetector}) maps the lock waits it reads
 * on every node to transactions through it. Shared by all sessions of a coordinator.
 */
public final class TransactionRegistry {
  /** The node key of the coordinator database (pg_dist_node ids are positive). */
  public static final int COORDINATOR = -1;

  /** A backend: its node's pg_dist_node id (or {@link #COORDINATOR}) and its pid there. */
  public record Backend(int nodeId, int pid) {}

  /**
   * One client transaction that reached a worker. Ids are handed out in start order, so the
   * highest id in a cycle is its youngest transaction.
   */
  public static final class Member {
    private final long id;
    private volatile boolean deadlockVictim;

    Member(long id) {
      this.id = id;
    }

    public long id() {
      return id;
    }

    /** The detector chose this transaction to break a deadlock and cancelled its waits. */
    public boolean deadlockVictim() {
      return deadlockVictim;
    }

    void markVictim() {
      deadlockVictim = true;
    }

    @Override
    public String toString() {
      return "distributed transaction " + id;
    }
  }

  private final AtomicLong ids = new AtomicLong();
  private final Map<Backend, Member> backends = new ConcurrentHashMap<>();

  /** A new transaction, younger than every one before it. */
  public Member begin() {
    return new Member(ids.incrementAndGet());
  }

  public void add(Member member, Backend backend) {
    backends.put(backend, member);
  }

  /** The transaction ended: its backends may serve other transactions from now on. */
  public void end(Member member, Iterable<Backend> of) {
    for (Backend b : of) {
      backends.remove(b, member);
    }
  }

  public boolean isEmpty() {
    return backends.isEmpty();
  }

  /** A copy of the current mapping. */
  public Map<Backend, Member> snapshot() {
    return Map.copyOf(backends);
  }
}
