package io.basalt.executor.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.basalt.agent.testing.TestPostgres;
import io.basalt.error.BasaltException;
import io.basalt.executor.result.Column;
import io.basalt.executor.result.ResultSink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link BackendConnection#executeKept} on a real PostgreSQL: the server holds one named
 * statement per kept text (seen in pg_prepared_statements of the same session), and a kept
 * statement that the server dropped, or whose row type a schema change altered, is prepared anew
 * and run again without the caller seeing an error.
 */
class KeptStatementsPostgresTest {
  private static final String SELECT = "SELECT * FROM kept WHERE k = $1";
  private static final int INT4 = 23;

  private static TestPostgres postgres;
  private BackendConnection session;
  private BackendConnection other;

  @BeforeAll
  static void start() {
    postgres = TestPostgres.start();
  }

  @AfterAll
  static void stop() {
    postgres.close();
  }

  @BeforeEach
  void connect() {
    session = open();
    other = open();
    run(other, "DROP TABLE IF EXISTS kept; CREATE TABLE kept (k int PRIMARY KEY, v text);"
        + " INSERT INTO kept VALUES (1, 'one'), (2, 'two')");
  }

  @AfterEach
  void close() {
    session.close();
    other.close();
  }

  private static BackendConnection open() {
    return TestBackends.open(postgres);
  }

  @Test
  void aTextRunAgainIsPreparedOnce() {
    assertEquals(List.of("1|one"), select(1).rows);
    assertEquals(List.of("2|two"), select(2).rows);
    assertEquals(List.of("1|one"), select(1).rows);
    assertEquals(1, session.keptStatements());
    assertEquals(List.of("1"), query(session,
        "SELECT count(*) FROM pg_prepared_statements WHERE statement = '" + SELECT + "'"));
    // Other parameter types are another statement.
    Results r = new Results();
    session.executeKept(SELECT, new int[] {20}, List.of(bytes("2")), new short[0], new short[0],
        r);
    assertEquals(List.of("2|two"), r.rows);
    assertEquals(2, session.keptStatements());
  }

  @Test
  void aDroppedStatementIsPreparedAgain() {
    select(1);
    run(session, "DEALLOCATE ALL");
    assertEquals(List.of("2|two"), select(2).rows);
    String name = query(session, "SELECT name FROM pg_prepared_statements").get(0);
    run(session, "DEALLOCATE \"" + name + "\"");
    Results r = select(1);
    assertNull(r.error);
    assertEquals(List.of("1|one"), r.rows);
    run(session, "DISCARD ALL");
    assertEquals(List.of("2|two"), select(2).rows);
  }

  @Test
  void aChangedRowTypeIsPreparedAgain() {
    assertEquals(List.of("1|one"), select(1).rows);
    // Another session changes the table: the kept plan's row type no longer holds.
    run(other, "ALTER TABLE kept ADD COLUMN w int DEFAULT 7");
    Results r = select(1);
    assertNull(r.error);
    assertEquals(List.of("k", "v", "w"), r.columns);
    assertEquals(List.of("1|one|7"), r.rows);
    run(other, "ALTER TABLE kept DROP COLUMN v");
    assertEquals(List.of("2|7"), select(2).rows);
  }

  @Test
  void insideATransactionBlockNothingIsKept() {
    run(session, "BEGIN");
    assertEquals(List.of("1|one"), select(1).rows);
    run(session, "COMMIT");
    assertEquals(0, session.keptStatements());
    assertEquals(List.of("0"), query(session, "SELECT count(*) FROM pg_prepared_statements"));
  }

  @Test
  void aStaleStatementInAFailedRunIsReportedOnce() {
    select(1);
    run(other, "ALTER TABLE kept ADD COLUMN w int");
    run(other, "DROP TABLE kept");
    Results r = select(1);
    assertEquals("42P01", r.error.sqlState());
    assertEquals(List.of(), r.rows);
  }

  @Test
  void failedRunsLeaveNoBrokenStatement() {
    // Fails at execution: the statement was parsed and stays usable.
    Results r = run1("SELECT 10 / $1", "0");
    assertEquals("22012", r.error.sqlState());
    assertEquals(List.of("5"), run1("SELECT 10 / $1", "2").rows);
    // Fails at Parse: pgjdbc forgets the name it had given, so the next run parses again.
    assertEquals("42P01", run1("SELECT k FROM later WHERE k = $1", "1").error.sqlState());
    run(other, "CREATE TABLE later (k int); INSERT INTO later VALUES (1)");
    assertEquals(List.of("1"), run1("SELECT k FROM later WHERE k = $1", "1").rows);
    assertEquals(List.of("2"), query(session, "SELECT count(*) FROM pg_prepared_statements"));
    run(other, "DROP TABLE later");
  }

  private Results run1(String sql, String value) {
    Results r = new Results();
    session.executeKept(sql, new int[] {INT4}, List.of(bytes(value)), new short[0], new short[0],
        r);
    return r;
  }

  @Test
  void theLeastRecentlyUsedStatementIsClosed() {
    for (int i = 0; i <= BackendConnection.KEPT_STATEMENTS; i++) {
      Results r = new Results();
      session.executeKept("SELECT " + i + " + $1", new int[] {INT4}, List.of(bytes("1")),
          new short[0], new short[0], r);
      assertEquals(List.of(Integer.toString(i + 1)), r.rows);
    }
    assertEquals(BackendConnection.KEPT_STATEMENTS, session.keptStatements());
    // The evicted statement's Close went out with the next message.
    assertEquals(List.of(Integer.toString(BackendConnection.KEPT_STATEMENTS)),
        query(session, "SELECT count(*) FROM pg_prepared_statements"));
  }

  private Results select(int k) {
    Results r = new Results();
    session.executeKept(SELECT, new int[] {INT4}, List.of(bytes(Integer.toString(k))),
        new short[0], new short[0], r);
    return r;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void run(BackendConnection c, String sql) {
    Results r = new Results();
    c.simpleQuery(sql, r);
    if (r.error != null) {
      throw r.error;
    }
  }

  private static List<String> query(BackendConnection c, String sql) {
    Results r = new Results();
    c.simpleQuery(sql, r);
    if (r.error != null) {
      throw r.error;
    }
    return r.rows;
  }

  /** Rows as text joined by '|', column names, the first error. */
  private static final class Results implements ResultSink {
    final List<String> rows = new ArrayList<>();
    List<String> columns;
    BasaltException error;

    @Override
    public void columns(List<Column> c) {
      columns = c.stream().map(Column::name).toList();
    }

    @Override
    public void row(byte[][] values) {
      StringBuilder s = new StringBuilder();
      for (byte[] v : values) {
        s.append(s.isEmpty() ? "" : "|").append(v == null ? "NULL"
            : new String(v, StandardCharsets.UTF_8));
      }
      rows.add(s.toString());
    }

    @Override
    public void complete(String tag) {}

    @Override
    public void emptyQuery() {}

    @Override
    public void notice(Map<Character, String> fields) {}

    @Override
    public void error(BasaltException e) {
      if (error == null) {
        error = e;
      }
    }
  }
}
