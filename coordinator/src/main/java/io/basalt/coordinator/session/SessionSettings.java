package io.basalt.coordinator.session;

import io.basalt.coordinator.dist.Sql;
import io.basalt.coordinator.dist.TransactionCharacteristics;
import io.basalt.executor.adaptive.PoolSettings;
import java.util.List;

/**
 * The client's settings that change what a worker prints, how it reads the client's text or how
 * its statements run: read from the coordinator database session (where the client's SET
 * statements run) after a statement that may have changed them, and turned into one statement
 * that gives a worker connection the same values. Worker connections belong to one session, so
 * one client's values never reach another's statements.
 *
 * <p>statement_timeout and lock_timeout bound each worker statement as they bound the client's
 * statement; the
 * default_transaction_* settings make a worker's statements outside a transaction block behave
 * as the client's (a write under default_transaction_read_only fails). Blocks begin with the
 * client transaction's own characteristics ({@code TransactionCharacteristics}).
 * idle_in_transaction_session_timeout is not given to workers (a worker connection waits
 * idle in transaction while the client works elsewhere); the session enforces it itself.
 */
final class SessionSettings {
  static final List<String> NAMES = List.of("DateStyle", "IntervalStyle", "TimeZone",
      "extra_float_digits", "bytea_output", "search_path", "standard_conforming_strings",
      "lc_monetary", "lc_numeric", "lc_time", "default_text_search_config", "xmloption",
      "statement_timeout", "lock_timeout", "default_transaction_isolation",
      "default_transaction_read_only", "default_transaction_deferrable");

  /**
   * Citus's placeholder settings that decide how the coordinator runs a statement (never sent
   * to workers); unset reads as null. Read in the same query as {@link #NAMES}.
   */
  static final List<String> COORDINATOR_NAMES = List.of("citus.enable_deadlock_prevention",
      "citus.all_modifications_commutative");

  private boolean stale = true;
  private boolean idleTimeoutStale = true;
  private long idleTimeoutMillis;
  private List<String> values;
  private PoolSettings poolSettings;
  private boolean deadlockPrevention;
  private boolean allModificationsCommutative;
  private String applySql;

  /** A SET made inside a transaction block, which the block's end may undo. */
  private boolean setInBlock;

  /**
   * A statement ran in the coordinator database: SET, RESET, DISCARD and a call of set_config
   * ({@code SET_CONFIG}, whatever statement it is in) change settings; the end
   * of a transaction block changes them only if one of those ran inside it (a rolled back or
   * SET LOCAL value goes away), so a plain BEGIN ... COMMIT costs no reread.
   */
  void ran(String firstWordUpper, boolean inBlock) {
    switch (firstWordUpper) {
      case "SET", "RESET", "DISCARD", "SET_CONFIG" -> {
        stale = true;
        idleTimeoutStale = true;
        setInBlock |= inBlock;
      }
      case "COMMIT", "END", "ROLLBACK", "ABORT", "RELEASE" -> {
        if (setInBlock) {
          stale = true;
          idleTimeoutStale = true;
          setInBlock = inBlock;
        }
      }
      default -> { }
    }
  }

  /** The statement that applies the session's settings on a worker connection. */
  String applySql(Sql coordinator) {
    refresh(coordinator);
    return applySql;
  }

  /**
   * idle_in_transaction_session_timeout in milliseconds (0: none). It is read with SHOW, which
   * takes no snapshot (SET TRANSACTION ISOLATION LEVEL may still follow); when it cannot be read
   * ({@code canQuery} false: the block failed) the last value read is used.
   */
  long idleInTransactionTimeout(Sql coordinator, boolean canQuery) {
    if (idleTimeoutStale && canQuery) {
      idleTimeoutMillis = PoolSettings.millis(
          coordinator.queryValue("SHOW idle_in_transaction_session_timeout"));
      idleTimeoutStale = false;
    }
    return idleTimeoutMillis;
  }

  /**
   * Whether a multi-shard write's shard locks are weakened to shared ones
   * (citus.enable_deadlock_prevention off, citus.all_modifications_commutative on).
   */
  boolean deadlockPrevention(Sql coordinator) {
    refresh(coordinator);
    return deadlockPrevention;
  }

  boolean allModificationsCommutative(Sql coordinator) {
    refresh(coordinator);
    return allModificationsCommutative;
  }

  /**
   * The characteristics a transaction begun with a plain BEGIN gets: the session's
   * default_transaction_isolation, default_transaction_read_only and
   * default_transaction_deferrable; null when they would have to be read first (a query in the
   * new transaction would take its snapshot, and SET TRANSACTION ISOLATION LEVEL must come
   * before any query).
   */
  TransactionCharacteristics transactionDefaults() {
    if (stale) {
      return null;
    }
    int at = NAMES.indexOf("default_transaction_isolation");
    return TransactionCharacteristics.of(new String[] {values.get(at), values.get(at + 1),
        values.get(at + 2)});
  }

  /** standard_conforming_strings: "on" or "off". */
  String standardConformingStrings(Sql coordinator) {
    refresh(coordinator);
    return values.get(NAMES.indexOf("standard_conforming_strings"));
  }

  /** The search_path last read (null before the first read), without reading it again. */
  String lastSearchPath() {
    return values == null ? null : values.get(NAMES.indexOf("search_path"));
  }

  /** The session's search_path as PostgreSQL prints it. */
  String searchPath(Sql coordinator) {
    refresh(coordinator);
    return values.get(NAMES.indexOf("search_path"));
  }

  /**
   * The citus.* executor settings of the session (citus.max_shared_pool_size is the server's,
   * which ClusterServices follows).
   */
  PoolSettings poolSettings(Sql coordinator) {
    refresh(coordinator);
    return poolSettings;
  }

  private void refresh(Sql coordinator) {
    if (!stale) {
      return;
    }
    StringBuilder q = new StringBuilder("SELECT ");
    for (int i = 0; i < NAMES.size(); i++) {
      q.append(i == 0 ? "" : ", ").append("pg_catalog.current_setting(")
          .append(Sql.literal(NAMES.get(i))).append(")");
    }
    // Placeholder settings, null while unset: the executor's, then the coordinator's own.
    for (String name : PoolSettings.NAMES) {
      q.append(", pg_catalog.current_setting(").append(Sql.literal(name)).append(", true)");
    }
    for (String name : COORDINATOR_NAMES) {
      q.append(", pg_catalog.current_setting(").append(Sql.literal(name)).append(", true)");
    }
    String[] row = coordinator.query(q.toString()).get(0);
    values = List.of(java.util.Arrays.copyOf(row, NAMES.size()));
    int coordinatorAt = NAMES.size() + PoolSettings.NAMES.size();
    poolSettings = PoolSettings.of(java.util.Arrays.asList(
        java.util.Arrays.copyOfRange(row, NAMES.size(), coordinatorAt)));
    deadlockPrevention = PoolSettings.bool(row[coordinatorAt], COORDINATOR_NAMES.get(0), true);
    allModificationsCommutative =
        PoolSettings.bool(row[coordinatorAt + 1], COORDINATOR_NAMES.get(1), false);
    StringBuilder set = new StringBuilder("SELECT ");
    for (int i = 0; i < NAMES.size(); i++) {
      set.append(i == 0 ? "" : ", ").append("pg_catalog.set_config(")
          .append(Sql.literal(NAMES.get(i))).append(", ").append(Sql.literal(values.get(i)))
          .append(", false)");
    }
    applySql = set.toString();
    stale = false;
  }


}
