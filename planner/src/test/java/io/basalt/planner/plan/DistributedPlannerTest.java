package io.basalt.planner.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.basalt.error.SqlState;
import io.basalt.metadata.catalog.DistributedTable;
import io.basalt.metadata.catalog.Shard;
import io.basalt.planner.lexer.Lexer;
import io.basalt.planner.lexer.Token;
import io.basalt.planner.shape.Shapes;
import io.basalt.planner.shape.StatementShape;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DistributedPlannerTest {
  static final DistributedTable ORDERS = new DistributedTable(16400, "public", "orders", 'h',
      's', 1, "customer_id", 2, 20, List.of(
          new Shard(102008, 16400, Integer.MIN_VALUE, -1, List.of(1)),
          new Shard(102009, 16400, 0, Integer.MAX_VALUE, List.of(2))));
  static final DistributedTable COUNTRIES = new DistributedTable(16410, "public", "countries",
      'n', 't', 3, null, 0, 0, List.of(new Shard(102040, 16410, null, null, List.of(1, 2))));

  static final TableResolver RESOLVER = new TableResolver() {
    @Override
    public Optional<DistributedTable> resolve(List<String> names) {
      String last = names.get(names.size() - 1);
      if (names.size() == 2 && !names.get(0).equals("public")) {
        return Optional.empty();
      }
      return switch (last) {
        case "orders" -> Optional.of(ORDERS);
        case "countries" -> Optional.of(COUNTRIES);
        default -> Optional.empty();
      };
    }

    @Override
    public List<String> columns(DistributedTable table) {
      return List.of("id", "customer_id", "amount");
    }

    @Override
    public List<String> sequenceColumns(DistributedTable table) {
      return List.of();
    }

    @Override
    public java.util.Map<String, String> expressionTypes(DistributedTable table,
        String relation, List<String> expressions) {
      java.util.Map<String, String> types = new java.util.HashMap<>();
      expressions.forEach(e -> types.put(e, "numeric"));
      return types;
    }
  };

  private static ShapePlan plan(String sql) {
    List<Token> tokens = Lexer.tokenize(sql);
    StatementShape shape = Shapes.of(tokens);
    return DistributedPlanner.plan(sql, tokens, shape.slots(), RESOLVER);
  }

  private static String rewritten(String sql, ShapePlan plan) {
    return StatementText.withTables(sql, Lexer.tokenize(sql), plan.spots(), s -> "T");
  }

  @Test
  void localStatementsHaveNoSpots() {
    assertInstanceOf(ShapePlan.Local.class, plan("SELECT * FROM customers WHERE id = 1"));
    // A common table expression hides nothing here: it has its own name.
    assertInstanceOf(ShapePlan.Local.class, plan("WITH x AS (SELECT 1) SELECT * FROM x"));
  }

  @Test
  void routerTiesTheValueToItsSlot() {
    String sql = "SELECT o.amount FROM public.orders o WHERE o.customer_id = 42 AND amount > 7";
    ShapePlan.Router r = assertInstanceOf(ShapePlan.Router.class, plan(sql));
    assertEquals(new ValueRef.Slot(0, false), r.value());
    assertEquals("SELECT o.amount FROM T o WHERE o.customer_id = 42 AND amount > 7",
        rewritten(sql, r));
  }

  @Test
  void negativeAndStringValues() {
    assertEquals(new ValueRef.Slot(2, true), ((ShapePlan.Router) plan(
        "SELECT 1 FROM orders WHERE amount = 3 AND customer_id = -5")).value());
    assertEquals(new ValueRef.Slot(0, false), ((ShapePlan.Router) plan(
        "DELETE FROM orders WHERE customer_id = 'it''s'")).value());
    // The same constant twice: the plan keeps the value and is not reused.
    ShapePlan twice = plan("SELECT * FROM orders WHERE customer_id = 5 AND id = 5");
    assertEquals(new ValueRef.Fixed("5"), ((ShapePlan.Router) twice).value());
    assertEquals(false, twice.reusable());
  }

  @Test
  void unaliasedTablesKeepTheirNameAsAlias() {
    String sql = "UPDATE orders SET amount = orders.amount + 1 WHERE customer_id = $1";
    ShapePlan.Router r = assertInstanceOf(ShapePlan.Router.class, plan(sql));
    assertEquals(new ValueRef.Parameter(0), r.value());
    assertEquals("UPDATE T AS orders SET amount = orders.amount + 1 WHERE customer_id = $1",
        rewritten(sql, r));
    String table = "TABLE orders";
    assertEquals("TABLE T", rewritten(table, plan(table)));
  }

  @Test
  void insertWithoutColumnListUsesTheTableColumns() {
    ShapePlan.Router r = assertInstanceOf(ShapePlan.Router.class,
        plan("INSERT INTO orders VALUES (1, 77, 2.5)"));
    assertEquals(new ValueRef.Slot(1, false), r.value());
  }

  @Test
  void multiRowInsertKnowsEachRow() {
    String sql = "INSERT INTO orders (id, customer_id) VALUES (1, 10), (2, $1) RETURNING id";
    ShapePlan.MultiRowInsert m = assertInstanceOf(ShapePlan.MultiRowInsert.class, plan(sql));
    List<Token> tokens = Lexer.tokenize(sql);
    assertEquals("(1, 10)", StatementText.between(sql, tokens, m.rows().get(0)[0],
        m.rows().get(0)[1]));
    assertEquals("(2, $1)", StatementText.between(sql, tokens, m.rows().get(1)[0],
        m.rows().get(1)[1]));
    assertEquals(List.of(new ValueRef.Slot(1, false), new ValueRef.Parameter(0)), m.values());
  }

  @Test
  void citusErrorsForPartitionValues() {
    ShapePlan.Refused r = assertInstanceOf(ShapePlan.Refused.class,
        plan("INSERT INTO orders (id) VALUES (1)"));
    assertEquals(SqlState.NOT_NULL_VIOLATION, r.sqlState());
    r = assertInstanceOf(ShapePlan.Refused.class,
        plan("UPDATE orders SET customer_id = 3 WHERE id = 1"));
    assertEquals(SqlState.FEATURE_NOT_SUPPORTED, r.sqlState());
  }

  @Test
  void multiShardReadsGatherWithTheirFilter() {
    String sql = "SELECT * FROM orders WHERE amount > 10 AND (id < 5 OR id > 9)"
        + " ORDER BY 1";
    ShapePlan.Gather g = assertInstanceOf(ShapePlan.Gather.class, plan(sql));
    assertEquals("amount > 10 AND (id < 5 OR id > 9)", StatementText.between(sql,
        Lexer.tokenize(sql), g.filter()[0], g.filter()[1]));
    assertNull(((ShapePlan.Gather) plan("SELECT * FROM orders WHERE amount > $1")).filter());
    assertNull(((ShapePlan.Gather) plan("SELECT * FROM orders WHERE amount > random()"))
        .filter());
    ShapePlan.Gather join = assertInstanceOf(ShapePlan.Gather.class, plan(
        "SELECT * FROM orders o JOIN countries c ON c.code = o.id WHERE o.amount > 1"));
    assertEquals(2, join.spots().size());
    assertNull(join.filter());
    // pinned to one distribution value, the same join runs on that shard group
    assertInstanceOf(ShapePlan.Router.class, plan(
        "SELECT * FROM orders o JOIN countries c ON c.code = o.id WHERE o.customer_id = 1"));
  }

  @Test
  void aggregatesSplitIntoPartials() {
    ShapePlan.AggregatePushdown a = assertInstanceOf(ShapePlan.AggregatePushdown.class,
        plan("SELECT count(*), avg(amount) FROM orders"));
    assertEquals(true, a.reusable());
    assertEquals(false, plan("SELECT sum(amount) FROM orders WHERE id > 4").reusable());
    // No exact partial form: the rows are gathered.
    assertInstanceOf(ShapePlan.Gather.class, plan("SELECT stddev(amount) FROM orders"));
  }

  @Test
  void referenceTablesAndModifications() {
    assertInstanceOf(ShapePlan.ReferenceRead.class, plan("SELECT * FROM countries"));
    assertInstanceOf(ShapePlan.ReferenceWrite.class, plan("DELETE FROM countries"));
    assertInstanceOf(ShapePlan.MultiShardModify.class, plan("DELETE FROM orders WHERE id > 3"));
    // INSERT ... SELECT is computed by the coordinator; the target is the INSERT's own spot.
    ShapePlan.InsertViaCoordinator v = assertInstanceOf(ShapePlan.InsertViaCoordinator.class,
        plan("INSERT INTO orders SELECT * FROM orders"));
    assertEquals(2, v.spots().size());
    assertEquals(v.spots().get(0), v.target());
    ShapePlan.Refused r = assertInstanceOf(ShapePlan.Refused.class,
        plan("INSERT INTO orders SELECT * FROM orders ON CONFLICT DO NOTHING"));
    assertEquals(SqlState.FEATURE_NOT_SUPPORTED, r.sqlState());
    assertInstanceOf(ShapePlan.Gather.class, plan("INSERT INTO local_t SELECT * FROM orders"));
  }

  @Test
  void spansCoverQualifiedAndQuotedNames() {
    String sql = "SELECT * FROM \"public\".\"orders\" WHERE customer_id IN (1, 2)";
    ShapePlan p = plan(sql);
    assertEquals("SELECT * FROM T AS orders WHERE customer_id IN (1, 2)", rewritten(sql, p));
    assertArrayEquals(new int[] {3, 5}, new int[] {p.spots().get(0).firstToken(),
        p.spots().get(0).lastToken()});
  }
}
