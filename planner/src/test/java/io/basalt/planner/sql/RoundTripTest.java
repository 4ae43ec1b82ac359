package io.basalt.planner.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.agent.testing.TestPostgres;
import io.basalt.error.BasaltException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Parses every statement of sql/roundtrip.sql, prints it back with {@link PgSqlDialect}, and runs
 * both texts on a real PostgreSQL holding sql/roundtrip-schema.sql: results (and, for DML, the
 * tables afterwards) must be equal. The printed text must also print back to itself. All
 * failures are collected and reported together, and written to
 * target/roundtrip-report.txt with the printed SQL of every statement.
 */
class RoundTripTest {
  private static final List<String> TABLES = List.of("customers", "orders", "items", "docs",
      "counters");

  private static TestPostgres postgres;
  private static Connection connection;

  /** A corpus statement and the parameter values from its "-- params:" line, if any. */
  record CorpusStatement(int line, String sql, String params) {
  }

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = TestPostgres.start();
    connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.jdbcLogin());
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET TimeZone = 'UTC'");
      statement.execute(resource("sql/roundtrip-schema.sql"));
    }
  }

  @AfterAll
  static void stopPostgres() throws SQLException {
    if (connection != null) {
      connection.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void everyStatementMeansTheSameAfterPrinting() throws Exception {
    List<CorpusStatement> corpus = corpus(resource("sql/roundtrip.sql"));
    assertTrue(corpus.size() >= 60, "corpus has " + corpus.size() + " statements");
    List<String> failures = new ArrayList<>();
    StringBuilder report = new StringBuilder();
    for (CorpusStatement statement : corpus) {
      String printed;
      SqlNode parsed;
      try {
        parsed = SqlParsing.parse(statement.sql());
        printed = PgSqlDialect.toSql(parsed);
      } catch (BasaltException e) {
        failures.add("line " + statement.line() + " does not parse: " + e.getMessage() + " at "
            + e.fields().get('P') + ": " + statement.sql());
        continue;
      }
      report.append("-- line ").append(statement.line()).append('\n')
          .append(statement.sql()).append("\n=>\n").append(printed).append("\n\n");
      String reprinted = PgSqlDialect.toSql(SqlParsing.parse(printed));
      if (!reprinted.equals(printed)) {
        failures.add("line " + statement.line() + " prints differently the second time:\n"
            + printed + "\n---\n" + reprinted);
      }
      boolean ordered = isOrdered(parsed);
      String expected = run(statement.sql(), statement.params(), ordered);
      String actual = run(printed, statement.params(), ordered);
      if (expected.startsWith("error")) {
        failures.add("line " + statement.line() + " fails on PostgreSQL as written ("
            + expected + "): " + statement.sql());
      } else if (!expected.equals(actual)) {
        failures.add("line " + statement.line() + " gives a different result:\n"
            + statement.sql() + "\n=> " + printed + "\nexpected " + expected + "\nactual   "
            + actual);
      }
    }
    Path out = Path.of("target", "roundtrip-report.txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report + "FAILURES\n" + String.join("\n\n", failures));
    assertEquals(List.of(), failures, String.join("\n\n", failures));
  }

  /** A top-level ORDER BY makes row order part of the result. */
  private static boolean isOrdered(SqlNode node) {
    if (node instanceof PgLockedQuery locked) {
      node = locked.query();
    }
    return node.getKind() == SqlKind.ORDER_BY;
  }

  /**
   * Runs a statement in a transaction that is rolled back, and describes what it returned or
   * counted, then (for DML) every table's rows. Errors are part of the description.
   */
  private static String run(String sql, String params, boolean ordered) throws SQLException {
    StringBuilder result = new StringBuilder();
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      String text = sql;
      if (params != null) {
        statement.execute("PREPARE roundtrip AS " + sql);
        text = "EXECUTE roundtrip (" + params + ")";
      }
      try {
        if (statement.execute(text)) {
          result.append(rows(statement.getResultSet(), ordered));
        } else {
          result.append("count ").append(statement.getUpdateCount());
        }
      } catch (SQLException e) {
        result.append("error ").append(e.getSQLState());
      }
      if (!sql.stripLeading().toUpperCase().startsWith("SELECT")) {
        for (String table : TABLES) {
          try (ResultSet rs = connection.createStatement()
              .executeQuery("SELECT * FROM " + table + " ORDER BY 1, 2")) {
            result.append(" | ").append(table).append(' ').append(rows(rs, true));
          } catch (SQLException e) {
            result.append(" | ").append(table).append(" error ").append(e.getSQLState());
            break;
          }
        }
      }
    } finally {
      connection.rollback();
      connection.setAutoCommit(true);
      if (params != null) {
        try (Statement statement = connection.createStatement()) {
          statement.execute("DEALLOCATE ALL");
        }
      }
    }
    return result.toString();
  }

  private static String rows(ResultSet rs, boolean ordered) throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    List<String> rows = new ArrayList<>();
    while (rs.next()) {
      StringBuilder row = new StringBuilder("(");
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        row.append(i > 1 ? ", " : "").append(rs.getString(i));
      }
      rows.add(row.append(')').toString());
    }
    if (!ordered) {
      rows.sort(null);
    }
    return meta.getColumnCount() + " columns " + rows;
  }

  /** Statements end with ";" at the end of a line; "--" lines are comments. */
  static List<CorpusStatement> corpus(String text) {
    List<CorpusStatement> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    String params = null;
    int start = 0;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (current.isEmpty() && line.startsWith("-- params:")) {
        params = line.substring("-- params:".length()).strip();
        continue;
      }
      if (current.isEmpty() && (line.isBlank() || line.startsWith("--"))) {
        continue;
      }
      if (current.isEmpty()) {
        start = i + 1;
      } else {
        current.append('\n');
      }
      current.append(line);
      if (line.endsWith(";")) {
        current.setLength(current.length() - 1);
        statements.add(new CorpusStatement(start, current.toString(), params));
        current.setLength(0);
        params = null;
      }
    }
    return statements;
  }

  static String resource(String name) throws IOException {
    try (InputStream in = RoundTripTest.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("no resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
