package io.basalt.planner.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.planner.lexer.Lexer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which statements call transaction-time functions, and the text those calls become. */
class TimeFunctionsTest {
  private static final String AT = "2026-11-24T21:34:43.163555";
  private static final String TS = "'" + AT + "+00'::timestamptz";

  private static boolean calls(String sql) {
    return TimeFunctions.calls(Lexer.tokenize(sql));
  }

  /** The scalar sub-SELECT a call becomes, its column named as PostgreSQL names the call. */
  private static String named(String value, String name) {
    return "(SELECT " + value + " AS \"" + name + "\")";
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "UPDATE t SET at = now() WHERE k = 1",
      "update t set at = NOW ( ) where k = 1",
      "INSERT INTO t VALUES (1, CURRENT_TIMESTAMP)",
      "INSERT INTO t VALUES (1, pg_catalog.now()), (2, transaction_timestamp())",
      "DELETE FROM t WHERE at < CURRENT_DATE - 7",
      "INSERT INTO t VALUES (1, now()) ON CONFLICT (k) DO UPDATE SET at = LOCALTIMESTAMP(3)",
      "SELECT now() FROM t WHERE k = 1",
      "UPDATE t SET at = now() WHERE k = 1 RETURNING at",
      "INSERT INTO t SELECT k, now() FROM s",
      "UPDATE t SET at = (SELECT max(at) FROM s) WHERE at < now()",
      "WITH x AS (SELECT 1) UPDATE t SET at = now()",
      "SELECT count(*) FROM t WHERE at > LOCALTIME",
      "UPDATE t SET at = statement_timestamp() WHERE k = 1"})
  void callsAreFound(String sql) {
    assertTrue(calls(sql), sql);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // A column named now, another schema's now(), a string, a comment, a quoted name.
      "UPDATE t SET now = 1 WHERE k = 1",
      "UPDATE t SET at = clock.now() WHERE k = 1",
      "UPDATE t SET note = 'now()' WHERE k = 1",
      "SELECT \"now\", \"current_date\" FROM t /* now() */ -- CURRENT_DATE",
      "SELECT t.current_time FROM t",
      // Not one value per statement: the worker's own is as good as any.
      "UPDATE t SET at = clock_timestamp() WHERE k = 1",
      "UPDATE t SET at = timeofday()::timestamptz WHERE k = 1"})
  void othersAreNotCalls(String sql) {
    assertFalse(calls(sql), sql);
  }

  @Test
  void eachFunctionBecomesTheTimestampInItsOwnTypePrecisionAndName() {
    assertEquals("UPDATE t SET a = " + named(TS, "now") + ", b = " + named(TS, "now") + ", c = "
        + named(TS, "transaction_timestamp") + " WHERE k = 1",
        TimeFunctions.pin("UPDATE t SET a = now(), b = pg_catalog . now ( ), c = "
            + "transaction_timestamp() WHERE k = 1", AT));
    assertEquals("SELECT " + named(TS, "current_timestamp") + ", "
        + named("CAST(" + TS + " AS timestamptz(2))", "current_timestamp") + ", "
        + named("CAST(" + TS + " AS timestamp)", "localtimestamp") + ", "
        + named("CAST(" + TS + " AS timestamp(0))", "localtimestamp") + ", "
        + named("CAST(" + TS + " AS date)", "current_date") + ", "
        + named("CAST(" + TS + " AS timetz)", "current_time") + ", "
        + named("CAST(" + TS + " AS timetz(3))", "current_time") + ", "
        + named("CAST(" + TS + " AS time)", "localtime") + ", "
        + named("CAST(" + TS + " AS time(6))", "localtime"),
        TimeFunctions.pin("SELECT CURRENT_TIMESTAMP, current_timestamp(2), "
            + "LOCALTIMESTAMP, LOCALTIMESTAMP(0), CURRENT_DATE, CURRENT_TIME, CURRENT_TIME(3), "
            + "LOCALTIME, LOCALTIME(6)", AT));
  }

  @Test
  void statementTimestampTakesTheStatementsTime() {
    String st = "2026-11-24T21:34:44.000001";
    assertEquals("SELECT " + named(TS, "now") + ", "
        + named("'" + st + "+00'::timestamptz", "statement_timestamp"),
        TimeFunctions.pin("SELECT now(), statement_timestamp()", AT + " " + st));
  }

  @Test
  void onlyTheFunctionsChange() {
    String sql = "UPDATE t /* now() */ SET note = 'CURRENT_DATE', now = clock.now(), "
        + "\"now\" = 1, at = now() AT TIME ZONE 'UTC' WHERE k = 1 -- LOCALTIME";
    assertEquals("UPDATE t /* now() */ SET note = 'CURRENT_DATE', now = clock.now(), "
        + "\"now\" = 1, at = " + named(TS, "now") + " AT TIME ZONE 'UTC' WHERE k = 1 -- LOCALTIME",
        TimeFunctions.pin(sql, AT));
  }
}
