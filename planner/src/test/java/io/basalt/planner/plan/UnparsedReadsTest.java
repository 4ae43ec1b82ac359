package io.basalt.planner.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.metadata.catalog.DistributedTable;
import io.basalt.planner.lexer.Lexer;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which queries the parser cannot read still find their distributed tables by position. */
class UnparsedReadsTest {
  private static final DistributedTable ORDERS = new DistributedTable(100, "public", "orders",
      'h', 's', 1, "id", 1, 23, List.of());
  private static final DistributedTable ITEMS = new DistributedTable(101, "shop", "items",
      'h', 's', 1, "id", 1, 23, List.of());

  private static Optional<List<TableSpot>> spots(String sql) {
    return UnparsedReads.spots(Lexer.tokenize(sql), names -> switch (names.get(names.size() - 1)) {
      case "orders" -> Optional.of(ORDERS);
      case "items" -> names.size() == 2 && !names.get(0).equals("shop") ? Optional.empty()
          : Optional.of(ITEMS);
      default -> Optional.empty();
    }, Set.of("orders", "items"));
  }

  /** The gathered statement, each spot replaced by its table's short name in upper case. */
  private static String rewritten(String sql) {
    List<TableSpot> s = spots(sql).orElseThrow();
    return StatementText.withTables(sql, Lexer.tokenize(sql), s,
        spot -> spot.table().name().toUpperCase());
  }

  @Test
  void referencesAreFoundWithTheirAliases() {
    assertEquals("SELECT * FROM ORDERS AS orders ORDER BY k FETCH FIRST 3 ROWS WITH TIES",
        rewritten("SELECT * FROM orders ORDER BY k FETCH FIRST 3 ROWS WITH TIES"));
    assertEquals("SELECT o.id, orders.k FROM ORDERS o JOIN ITEMS AS items ON items.id = o.id,"
        + " ORDERS AS orders WHERE true",
        rewritten("SELECT o.id, orders.k FROM orders o JOIN shop.items ON items.id = o.id,"
            + " orders WHERE true"));
    assertEquals("TABLE ORDERS", rewritten("TABLE orders"));
    assertEquals("SELECT count(*) AS orders FROM ITEMS AS items CROSS JOIN LATERAL f(items.x)"
        + " AS orders (v) GROUP BY 1",
        rewritten("SELECT count(*) AS orders FROM shop.items CROSS JOIN LATERAL f(items.x)"
            + " AS orders (v) GROUP BY 1"));
    assertEquals("WITH x AS MATERIALIZED (SELECT * FROM ORDERS AS orders) SELECT * FROM x",
        rewritten("WITH x AS MATERIALIZED (SELECT * FROM orders) SELECT * FROM x"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // Writes, locking, SELECT INTO.
      "WITH d AS (DELETE FROM orders RETURNING *) SELECT * FROM d",
      "SELECT * FROM orders FOR UPDATE",
      "SELECT * INTO copy FROM orders",
      // A table name in a place the positions do not explain.
      "WITH orders AS (SELECT 1 AS k) SELECT * FROM orders",
      "SELECT * FROM (orders) AS o",
      "SELECT * FROM items orders",
      "SELECT o.orders FROM orders o",
      // No distributed table found.
      "SELECT * FROM other.items",
      "SELECT 1"})
  void doubtfulOrOtherStatementsAreNotGathered(String sql) {
    assertTrue(spots(sql).isEmpty(), sql);
  }
}
