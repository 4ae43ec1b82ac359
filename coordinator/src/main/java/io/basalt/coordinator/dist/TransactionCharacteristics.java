package io.basalt.coordinator.dist;

import java.util.List;
import java.util.Locale;

/**
 * The isolation level, access mode and deferrability of the client's transaction, as the
 * coordinator database's transaction has them. They come from the client's BEGIN or START
 * TRANSACTION, SET TRANSACTION, SET SESSION CHARACTERISTICS or the default_transaction_* settings;
 * reading the result instead of the statements covers every way to set them. Each worker
 * transaction opened for the client's transaction begins with the same characteristics.
 *
 * @param isolation {@code transaction_isolation} as PostgreSQL shows it, e.g. "repeatable read"
 */
public record TransactionCharacteristics(String isolation, boolean readOnly, boolean deferrable) {
  private static final List<String> LEVELS = List.of("read uncommitted", "read committed",
      "repeatable read", "serializable");

  /** The query that reads them in the coordinator database, inside the transaction. */
  public static final String QUERY = "SELECT pg_catalog.current_setting('transaction_isolation'),"
      + " pg_catalog.current_setting('transaction_read_only'),"
      + " pg_catalog.current_setting('transaction_deferrable')";

  public TransactionCharacteristics {
    isolation = isolation.toLowerCase(Locale.ROOT);
    if (!LEVELS.contains(isolation)) {
      throw new IllegalArgumentException("not an isolation level: " + isolation);
    }
  }

  /** From the row {@link #QUERY} returns. */
  public static TransactionCharacteristics of(String[] row) {
    return new TransactionCharacteristics(row[0], "on".equals(row[1]), "on".equals(row[2]));
  }

  /**
   * The worker's BEGIN. Every part is spelled out: the worker connection may carry other
   * defaults (a client's default_transaction_read_only reaches it for statements outside a
   * block, while this block may be READ WRITE).
   */
  public String beginSql() {
    return "BEGIN ISOLATION LEVEL " + isolation.toUpperCase(Locale.ROOT)
        + (readOnly ? " READ ONLY" : " READ WRITE")
        + (deferrable ? " DEFERRABLE" : " NOT DEFERRABLE");
  }

  /**
   * Whether the transaction keeps one snapshot for all its statements (REPEATABLE READ,
   * SERIALIZABLE): then every read inside it must go through the transaction's worker
   * connections, not through a connection of its own whose snapshot would be newer.
   */
  public boolean keepsSnapshot() {
    return isolation.equals("repeatable read") || isolation.equals("serializable");
  }
}
