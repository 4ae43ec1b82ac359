package io.basalt.coordinator.dist;

/**
 * How a distributed transaction commits, decided from which of its parts wrote something: the
 * coordinator database's transaction and each worker participant. Pure policy; the I/O is in
 * {@link DistributedTransaction}.
 *
 * <p>A part that only read has nothing to lose: its COMMIT (or ROLLBACK) changes no data, so it
 * is ended plainly after the decision. What needs coordinating is the parts that wrote:
 *
 * <ul>
 *   <li>{@link #COORDINATOR} - no worker wrote: the coordinator database's COMMIT is the decision.
 *   <li>{@link #ONE_PHASE} - one worker wrote and the coordinator database did not: that
 *       worker's plain COMMIT is the decision; the coordinator's commit comes after and has
 *       nothing to lose.
 *   <li>{@link #TWO_PHASE} - two or more parts wrote: PREPARE TRANSACTION on each worker that
 *       wrote, commit records and the coordinator's COMMIT as the decision, COMMIT PREPARED.
 * </ul>
 */
public enum CommitProtocol {
  COORDINATOR, ONE_PHASE, TWO_PHASE;

  /**
   * The protocol for these writers.
   *
   * @param workerWriters how many worker participants wrote
   * @param coordinatorWrote whether the coordinator database's transaction wrote (an xid was
   *     assigned: DDL, catalog rows, local tables)
   */
  public static CommitProtocol choose(int workerWriters, boolean coordinatorWrote) {
    if (workerWriters == 0) {
      return COORDINATOR;
    }
    if (workerWriters == 1 && !coordinatorWrote) {
      return ONE_PHASE;
    }
    return TWO_PHASE;
  }

  /**
   * Whether participants not known to have written must be asked whether they did (a SELECT
   * may call a function that writes, or lock rows). Their answer cannot change anything when the
   * only part that may have written is one of them: whatever it did, its COMMIT decides alone.
   *
   * @param markedWriters participants the executor marked as having written
   * @param unmarked participants not marked
   */
  public static boolean mustAsk(int markedWriters, boolean coordinatorWrote, int unmarked) {
    return unmarked > 0 && (markedWriters > 0 || coordinatorWrote || unmarked > 1);
  }
}
