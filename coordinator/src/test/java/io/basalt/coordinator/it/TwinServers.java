package io.basalt.coordinator.it;

import io.basalt.agent.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Basalt and a separate plain PostgreSQL holding the same tables, for the differential tests
 * that compare whole sessions (writes, parameters, driver features, schema changes): the tables
 * are created and filled on both, then distributed on Basalt only; closing drops them on both and
 * stops the plain server.
 */
final class TwinServers implements AutoCloseable {
  final TestPostgres reference;
  final Connection basalt;
  final Connection postgres;
  private final String drop;

  private TwinServers(TestPostgres reference, Connection basalt, Connection postgres,
      String drop) {
    this.reference = reference;
    this.basalt = basalt;
    this.postgres = postgres;
    this.drop = drop;
  }

  /**
   * {@code drop} runs first on both sides, then {@code setup} (CREATE TABLE, rows) on both, then
   * {@code distribute} on Basalt.
   */
  static TwinServers open(String drop, List<String> setup, List<String> distribute)
      throws SQLException {
    TestBasalt.server();
    TestPostgres reference = TestPostgres.start();
    TwinServers twin = new TwinServers(reference, TestBasalt.connect(),
        DriverManager.getConnection(reference.jdbcUrl(), reference.jdbcLogin()), drop);
    for (Connection c : List.of(twin.basalt, twin.postgres)) {
      try (Statement s = c.createStatement()) {
        s.execute(drop);
        for (String sql : setup) {
          s.execute(sql);
        }
      }
    }
    try (Statement s = twin.basalt.createStatement()) {
      for (String sql : distribute) {
        s.execute(sql);
      }
    }
    return twin;
  }

  /** A further connection to the plain server. */
  Connection connectPostgres(java.util.Properties extra) throws SQLException {
    java.util.Properties p = new java.util.Properties();
    p.putAll(reference.jdbcLogin());
    p.putAll(extra);
    return DriverManager.getConnection(reference.jdbcUrl(), p);
  }

  /** Ends a block a test may have left open, drops the tables on both sides, stops the server. */
  @Override
  public void close() throws SQLException {
    try {
      for (Connection c : List.of(basalt, postgres)) {
        try (Statement s = c.createStatement()) {
          if (!c.getAutoCommit()) {
            c.rollback();
          } else {
            s.execute("ROLLBACK");
          }
        } catch (SQLException e) {
          // No block open.
        }
        try (Statement s = c.createStatement()) {
          s.execute(drop);
        } finally {
          c.close();
        }
      }
    } finally {
      reference.close();
    }
  }

  /** A result's column labels (added to {@code labels}) and its rows as text, in order. */
  static List<String> rows(ResultSet rs, List<String> labels) throws SQLException {
    return rows(rs, labels, false);
  }

  /**
   * As above; {@code byteaAsHex} shows bytea values in hex whatever their wire format (pgjdbc's
   * getString of a bytea received in binary, past prepareThreshold, is the Java array's
   * identity), at the price of not showing bytea_output.
   */
  static List<String> rows(ResultSet rs, List<String> labels, boolean byteaAsHex)
      throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    for (int i = 1; i <= n; i++) {
      labels.add(md.getColumnLabel(i));
    }
    List<String> rows = new ArrayList<>();
    while (rs.next()) {
      StringBuilder row = new StringBuilder("(");
      for (int i = 1; i <= n; i++) {
        String v = byteaAsHex && "bytea".equals(md.getColumnTypeName(i)) && rs.getBytes(i) != null
            ? "\\x" + java.util.HexFormat.of().formatHex(rs.getBytes(i)) : rs.getString(i);
        row.append(i == 1 ? "" : ", ").append(v == null ? "NULL" : "'" + v + "'");
      }
      rows.add(row.append(')').toString());
    }
    return rows;
  }

  /**
   * A statement's outcome on one side: an error's SQLSTATE, or an update count, or labels and
   * rows. The error's message is shown but not compared.
   */
  record Outcome(String sqlState, long updateCount, List<String> labels, List<String> rows,
      String message) {
    Outcome(String sqlState, long updateCount, List<String> labels, List<String> rows) {
      this(sqlState, updateCount, labels, rows, null);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Outcome r && java.util.Objects.equals(sqlState, r.sqlState)
          && updateCount == r.updateCount && java.util.Objects.equals(labels, r.labels)
          && java.util.Objects.equals(rows, r.rows);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(sqlState, updateCount, labels, rows);
    }

    @Override
    public String toString() {
      if (sqlState != null) {
        return "error " + sqlState + (message == null ? "" : " \"" + message + "\"");
      }
      if (labels == null) {
        return "update count " + updateCount;
      }
      return labels + " " + rows.size() + " rows " + rows;
    }

    /** For a log line: at most three rows. */
    String brief() {
      if (labels == null) {
        return toString();
      }
      List<String> shown = rows.size() <= 3 ? rows : rows.subList(0, 3);
      return labels + " " + rows.size() + " rows " + shown + (rows.size() > 3 ? "..." : "");
    }
  }
}
