package io.basalt.coordinator.dist;

import io.basalt.coordinator.catalog.Querier;

/** A server session that runs text SQL: the client's coordinator-database session or a worker. */
public interface Sql extends Querier {
  /** Runs statements that return no rows; throws the server's error. */
  void execute(String sql);

  static String literal(String s) {
    return s == null ? "NULL" : "'" + s.replace("'", "''") + "'";
  }
}
