package io.basalt.coordinator.session;

import io.basalt.coordinator.dist.Sql;
import java.util.List;

/**
 * The client's settings that change what a worker prints or how it reads the client's text:
 * read from the coordinator database session (where the client's SET statements run) after a
 * statement that may have changed them, and turned into one statement that gives a worker
 * connection the same values.
 */
final class SessionSettings {
  static final List<String> NAMES = List.of("DateStyle", "IntervalStyle", "TimeZone",
      "extra_float_digits", "bytea_output", "search_path", "standard_conforming_strings",
      "lc_monetary", "lc_numeric", "lc_time", "default_text_search_config", "xmloption");

  private boolean stale = true;
  private List<String> values;
  private String applySql;

  /** A statement ran that may have changed settings (SET, RESET, a transaction's end). */
  void markStale() {
    stale = true;
  }

  /** The statement that applies the session's settings on a worker connection. */
  String applySql(Sql coordinator) {
    refresh(coordinator);
    return applySql;
  }

  /** The session's search_path as PostgreSQL prints it. */
  String searchPath(Sql coordinator) {
    refresh(coordinator);
    return values.get(NAMES.indexOf("search_path"));
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
    values = List.of(coordinator.query(q.toString()).get(0));
    StringBuilder set = new StringBuilder("SELECT ");
    for (int i = 0; i < NAMES.size(); i++) {
      set.append(i == 0 ? "" : ", ").append("pg_catalog.set_config(")
          .append(Sql.literal(NAMES.get(i))).append(", ").append(Sql.literal(values.get(i)))
          .append(", false)");
    }
    applySql = set.toString();
    stale = false;
  }

  /** Whether a statement (by its first word) may change a setting. */
  static boolean mayChange(String firstWordUpper) {
    return switch (firstWordUpper) {
      case "SET", "RESET", "DISCARD", "COMMIT", "END", "ROLLBACK", "ABORT", "RELEASE" -> true;
      default -> false;
    };
  }
}
