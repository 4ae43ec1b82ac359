package io.basalt.planner.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.basalt.error.BasaltException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PostgreSQL syntax the parser does not accept yet. Each must fail cleanly with 42601; when one
 * starts to parse, move it to sql/roundtrip.sql.
 */
class UnsupportedSyntaxTest {
  @ParameterizedTest
  @ValueSource(strings = {
      // WHERE without FROM: Calcite's SELECT rule only takes WHERE after FROM.
      "SELECT 1 WHERE true",
      // Multi-column SET.
      "UPDATE t SET (a, b) = (1, 2)",
      // Data-modifying statements inside WITH.
      "WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d",
      // Locking clauses in a subquery, or before LIMIT.
      "SELECT * FROM (SELECT * FROM t FOR UPDATE) s",
      "SELECT * FROM t FOR UPDATE LIMIT 1",
      // FROM ONLY, WHERE CURRENT OF.
      "SELECT * FROM ONLY t",
      "DELETE FROM t WHERE CURRENT OF c",
      // Dollar-quoted strings.
      "SELECT $$text$$",
      // ISNULL / NOTNULL postfix operators.
      "SELECT a FROM t WHERE a NOTNULL",

  })
  void failsWithSyntaxError(String sql) {
    BasaltException e = assertThrows(BasaltException.class, () -> SqlParsing.parse(sql));
    assertEquals("42601", e.sqlState());
  }
}
