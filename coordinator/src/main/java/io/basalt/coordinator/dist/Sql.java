package io.basalt.coordinator.dist;

import io.basalt.coordinator.catalog.Querier;

/** A server session that runs text SQL: the client's coordinator-database session or a worker. */
public interface Sql extends Querier {
  /** Runs statements that return no rows; throws the server's error. */
  void execute(String sql);

  /** A SQL literal, or NULL. */
  static String literal(String s) {
    return s == null ? "NULL" : io.basalt.executor.backend.BackendConnection.literal(s);
  }

  /** A worker or admin connection as {@link Sql}. */
  static Sql of(io.basalt.executor.remote.RemoteConnection c) {
    return new Sql() {
      @Override
      public void execute(String sql) {
        c.execute(sql);
      }

      @Override
      public java.util.List<String[]> query(String sql) {
        return c.query(sql);
      }
    };
  }
}
