package io.basalt.planner;

/** What the coordinator needs to know about a statement before it runs it. */
public enum StatementKind {
  EMPTY,
  COPY_FROM_STDIN,
  COPY_TO_STDOUT,
  /** SET/RESET client_encoding or SET NAMES: the coordinator owns the client encoding. */
  SET_CLIENT_ENCODING,
  /** BEGIN, START TRANSACTION, COMMIT, ROLLBACK, SAVEPOINT, ... */
  TRANSACTION_CONTROL,
  /** SELECT of a Citus function that changes the cluster (see {@link UtilityCall}). */
  UTILITY_CALL,
  /**
   * A table DDL that Citus propagates to shards when it names a distributed table: CREATE/DROP/
   * ALTER INDEX, ALTER TABLE, DROP TABLE, TRUNCATE, VACUUM, ANALYZE, REINDEX, CLUSTER; and
   * ALTER/DROP TYPE, for the enum types whose copies the workers hold.
   */
  DDL,
  OTHER
}
