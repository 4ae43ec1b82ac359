package io.basalt.coordinator.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The same tables twice, for differential tests: distributed through Basalt, and plain in a
 * schema of its own in the coordinator database (a plain PostgreSQL). Connections to the plain
 * side find its tables first on their search_path.
 */
final class TwinTables implements AutoCloseable {
  final Connection basalt;
  final Connection plain;
  private final String plainSchema;
  private final String drop;

  private TwinTables(Connection basalt, Connection plain, String plainSchema, String drop) {
    this.basalt = basalt;
    this.plain = plain;
    this.plainSchema = plainSchema;
    this.drop = drop;
  }

  /** Connects both sides; {@code drop} drops the tables (run on each side before loading). */
  static TwinTables open(String plainSchema, String drop) throws SQLException {
    Connection basalt = TestBasalt.connect();
    Connection plain = plain(new Properties(), plainSchema);
    try (Statement s = plain.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + plainSchema + " CASCADE; CREATE SCHEMA " + plainSchema);
    }
    return new TwinTables(basalt, plain, plainSchema, drop);
  }

  /** A further connection to the plain side, with client properties. */
  Connection plain(Properties properties) throws SQLException {
    return plain(properties, plainSchema);
  }

  private static Connection plain(Properties properties, String schema) throws SQLException {
    Connection c = TestBasalt.connectDirect(properties);
    try (Statement s = c.createStatement()) {
      s.execute("SET search_path = " + schema);
    }
    return c;
  }

  /**
   * (Re)creates the tables with their rows on both sides ({@code tables}: DDL and INSERTs), then
   * distributes them on Basalt's side.
   */
  void load(String tables, List<String> distribute) throws SQLException {
    try (Statement s = basalt.createStatement()) {
      s.execute(drop);
      s.execute(tables);
      for (String d : distribute) {
        s.execute(d);
      }
    }
    try (Statement s = plain.createStatement()) {
      s.execute(drop + "; " + tables);
    }
  }

  /**
   * A result as text, for comparing the two sides: a header line of the column labels, then one
   * line a row.
   */
  static List<String> rows(ResultSet rs) throws SQLException {
    List<String> out = new ArrayList<>();
    StringBuilder header = new StringBuilder();
    int n = rs.getMetaData().getColumnCount();
    for (int i = 1; i <= n; i++) {
      header.append(rs.getMetaData().getColumnLabel(i)).append(' ');
    }
    out.add(header.toString());
    while (rs.next()) {
      StringBuilder row = new StringBuilder();
      for (int i = 1; i <= n; i++) {
        row.append(rs.getString(i)).append('|');
      }
      out.add(row.toString());
    }
    return out;
  }

  @Override
  public void close() throws SQLException {
    try (Statement s = basalt.createStatement()) {
      s.execute(drop);
    }
    try (Statement s = plain.createStatement()) {
      s.execute("DROP SCHEMA " + plainSchema + " CASCADE");
    }
    basalt.close();
    plain.close();
  }
}
