package io.basalt.planner.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.planner.lexer.Lexer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which statements get their transaction-time functions pinned, and the text they become. */
class TimeFunctionsTest {
  private static final String AT = "2026-11-24T21:34:43.163555";
  private static final String TS = "'" + AT + "+00'::timestamptz";

  private static boolean pinnable(String sql) {
    return TimeFunctions.pinnable(Lexer.tokenize(sql));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "UPDATE t SET at = now() WHERE k = 1",
      "update t set at = NOW ( ) where k = 1",
      "INSERT INTO t VALUES (1, CURRENT_TIMESTAMP)",
      "INSERT INTO t VALUES (1, pg_catalog.now()), (2, transaction_timestamp())",
      "DELETE FROM t WHERE at < CURRENT_DATE - 7",
      "INSERT INTO t VALUES (1, now()) ON CONFLICT (k) DO UPDATE SET at = LOCALTIMESTAMP(3)"})
  void plainWritesCallingThemArePinned(String sql) {
    assertTrue(pinnable(sql), sql);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // Reads, and writes whose replaced expressions could name a result column.
      "SELECT now() FROM t WHERE k = 1",
      "UPDATE t SET at = now() WHERE k = 1 RETURNING at",
      "INSERT INTO t SELECT k, now() FROM s",
      "UPDATE t SET at = (SELECT max(at) FROM s) WHERE at < now()",
      "WITH x AS (SELECT 1) UPDATE t SET at = now()",
      // No transaction-time function: a column named now, another schema's now(), a string.
      "UPDATE t SET now = 1 WHERE k = 1",
      "UPDATE t SET at = clock.now() WHERE k = 1",
      "UPDATE t SET note = 'now()' WHERE k = 1",
      "UPDATE t SET at = clock_timestamp() WHERE k = 1",
      "UPDATE t SET at = statement_timestamp() WHERE k = 1"})
  void othersAreLeftAlone(String sql) {
    assertFalse(pinnable(sql), sql);
  }

  @Test
  void eachFunctionBecomesTheTimestampInItsOwnTypeAndPrecision() {
    assertEquals("UPDATE t SET a = (" + TS + "), b = (" + TS + "), c = (" + TS + ") WHERE k = 1",
        TimeFunctions.pin("UPDATE t SET a = now(), b = pg_catalog . now ( ), c = "
            + "transaction_timestamp() WHERE k = 1", AT));
    assertEquals("INSERT INTO t VALUES ((" + TS + "), CAST(" + TS + " AS timestamptz(2)), CAST("
        + TS + " AS timestamp), CAST(" + TS + " AS timestamp(0)), CAST(" + TS + " AS date), CAST("
        + TS + " AS timetz), CAST(" + TS + " AS timetz(3)), CAST(" + TS + " AS time), CAST(" + TS
        + " AS time(6)))",
        TimeFunctions.pin("INSERT INTO t VALUES (CURRENT_TIMESTAMP, current_timestamp(2), "
            + "LOCALTIMESTAMP, LOCALTIMESTAMP(0), CURRENT_DATE, CURRENT_TIME, CURRENT_TIME(3), "
            + "LOCALTIME, LOCALTIME(6))", AT));
  }

  @Test
  void onlyTheFunctionsChange() {
    String sql = "UPDATE t /* now() */ SET note = 'CURRENT_DATE', now = clock.now(), "
        + "\"now\" = 1, at = now() AT TIME ZONE 'UTC' WHERE k = 1 -- LOCALTIME";
    assertEquals("UPDATE t /* now() */ SET note = 'CURRENT_DATE', now = clock.now(), "
        + "\"now\" = 1, at = (" + TS + ") AT TIME ZONE 'UTC' WHERE k = 1 -- LOCALTIME",
        TimeFunctions.pin(sql, AT));
  }
}
