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

  /** A SET made inside a transaction block, which the block's end may undo. */
  private boolean setInBlock;

  /**
   * A statement ran in the coordinator database: SET, RESET and DISCARD change settings; the end
   * of a transaction block changes them only if one of those ran inside it (a rolled back or
   * SET LOCAL value goes away), so a plain BEGIN ... COMMIT costs no reread.
   */
  void ran(String firstWordUpper, boolean inBlock) {
    switch (firstWordUpper) {
      case "SET", "RESET", "DISCARD" -> {
        stale = true;
        setInBlock |= inBlock;
      }
      case "COMMIT", "END", "ROLLBACK", "ABORT", "RELEASE" -> {
        if (setInBlock) {
          stale = true;
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


}
