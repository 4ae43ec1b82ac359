package io.basalt.executor.adaptive;

import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;

/**
 * The citus.* settings that steer one execution's connection pools, as the client's session
 * has them (see citus-reference 6.1 for Citus's defaults, which are these).
 *
 * @param maxPoolSize citus.max_adaptive_executor_pool_size: connections per node per execution
 * @param slowStartIntervalMillis citus.executor_slow_start_interval; 0 opens what is needed at
 *     once
 * @param maxCachedPerNode citus.max_cached_conns_per_worker: idle connections a session keeps
 *     per node after an execution
 * @param cachedLifetimeMillis citus.max_cached_connection_lifetime: older cached connections are
 *     closed instead of kept
 * @param forceMaxParallelization citus.force_max_query_parallelization: a connection per task,
 *     no slow start
 * @param sequentialModify citus.multi_shard_modify_mode = 'sequential': writes use one
 *     connection per node
 * @param connectTimeoutMillis citus.node_connection_timeout
 * @param costBased citus.enable_cost_based_connection_establishment
 */
public record PoolSettings(int maxPoolSize, long slowStartIntervalMillis, int maxCachedPerNode,
    long cachedLifetimeMillis, boolean forceMaxParallelization, boolean sequentialModify,
    long connectTimeoutMillis, boolean costBased) {

  public static final PoolSettings DEFAULTS =
      new PoolSettings(16, 10, 1, 600_000, false, false, 30_000, true);

  /** The setting names, in the order {@link #of} takes their values. */
  public static final java.util.List<String> NAMES = java.util.List.of(
      "citus.max_adaptive_executor_pool_size", "citus.executor_slow_start_interval",
      "citus.max_cached_conns_per_worker", "citus.max_cached_connection_lifetime",
      "citus.force_max_query_parallelization", "citus.multi_shard_modify_mode",
      "citus.node_connection_timeout", "citus.enable_cost_based_connection_establishment");

  /**
   * The settings from their text values (null: never set, the default applies). Times take
   * PostgreSQL's units (ms, s, min, h, d; a bare number is ms as in Citus). A value PostgreSQL
   * itself would reject for Citus's setting gets the same kind of error (22023).
   */
  public static PoolSettings of(java.util.List<String> values) {
    PoolSettings d = DEFAULTS;
    return new PoolSettings(
        integer(values.get(0), NAMES.get(0), d.maxPoolSize, 1, 1000),
        millis(values.get(1), NAMES.get(1), d.slowStartIntervalMillis),
        integer(values.get(2), NAMES.get(2), d.maxCachedPerNode, 0, 1000),
        millis(values.get(3), NAMES.get(3), d.cachedLifetimeMillis),
        bool(values.get(4), NAMES.get(4), d.forceMaxParallelization),
        modifyMode(values.get(5)),
        millis(values.get(6), NAMES.get(6), d.connectTimeoutMillis),
        bool(values.get(7), NAMES.get(7), d.costBased));
  }

  /** The pool size an execution aims for: one connection per node for sequential writes. */
  public int targetPoolSize(boolean write) {
    return write && sequentialModify ? 1 : maxPoolSize;
  }

  private static boolean blank(String v) {
    return v == null || v.isBlank();
  }

  private static int integer(String v, String name, int dflt, int min, int max) {
    if (blank(v)) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n < min || n > max) {
        throw invalid(name, v, "is outside the valid range for parameter \"" + name + "\" ("
            + min + " .. " + max + ")");
      }
      return n;
    } catch (NumberFormatException e) {
      throw invalid(name, v, null);
    }
  }

  private static long millis(String v, String name, long dflt) {
    if (blank(v)) {
      return dflt;
    }
    try {
      return millis(v);
    } catch (IllegalArgumentException e) {
      throw invalid(name, v, null);
    }
  }

  /**
   * A time setting's text in PostgreSQL's units ("0", "1500ms", "5s", "2min", "1h", "1d"; a
   * bare number is milliseconds) as milliseconds; IllegalArgumentException for anything else,
   * negative values included.
   */
  public static long millis(String text) {
    String s = text.trim().toLowerCase(java.util.Locale.ROOT);
    int i = 0;
    while (i < s.length() && Character.isDigit(s.charAt(i))) {
      i++;
    }
    if (i == 0) {
      throw new IllegalArgumentException("not a time setting: " + text);
    }
    long n = Long.parseLong(s.substring(0, i));
    return n * switch (s.substring(i).trim()) {
      case "", "ms" -> 1;
      case "s" -> 1_000;
      case "min" -> 60_000;
      case "h" -> 3_600_000;
      case "d" -> 86_400_000;
      default -> throw new IllegalArgumentException("not a time setting: " + text);
    };
  }

  /** A boolean setting's text as PostgreSQL reads it; blank gives {@code dflt}. */
  public static boolean bool(String v, String name, boolean dflt) {
    if (blank(v)) {
      return dflt;
    }
    return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "on", "true", "yes", "1", "t", "y" -> true;
      case "off", "false", "no", "0", "f", "n" -> false;
      default -> throw BasaltException.of(SqlState.INVALID_PARAMETER_VALUE,
          "parameter \"" + name + "\" requires a Boolean value");
    };
  }

  private static boolean modifyMode(String v) {
    if (blank(v)) {
      return false;
    }
    return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "parallel" -> false;
      case "sequential" -> true;
      default -> throw BasaltException.builder(SqlState.INVALID_PARAMETER_VALUE,
          "invalid value for parameter \"citus.multi_shard_modify_mode\": \"" + v + "\"")
          .hint("Available values: sequential, parallel.").build();
    };
  }

  private static BasaltException invalid(String name, String value, String message) {
    return BasaltException.of(SqlState.INVALID_PARAMETER_VALUE, message != null
        ? value.trim() + " " + message
        : "invalid value for parameter \"" + name + "\": \"" + value + "\"");
  }
}
