package io.basalt.planner.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.metadata.catalog.DistributedTable;
import io.basalt.metadata.catalog.Shard;
import io.basalt.planner.lexer.Lexer;
import io.basalt.planner.lexer.Token;
import io.basalt.planner.shape.Shapes;
import io.basalt.planner.shape.StatementShape;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which UPDATE ... FROM / DELETE ... USING / subquery modifications push down, route or fail. */
class ModifyPushdownTest {
  static DistributedTable hash(long oid, String name, int colocation, String key, int shards) {
    List<Shard> list = new java.util.ArrayList<>();
    long step = (1L << 32) / shards;
    for (int i = 0; i < shards; i++) {
      long min = Integer.MIN_VALUE + i * step;
      long max = i == shards - 1 ? Integer.MAX_VALUE : min + step - 1;
      list.add(new Shard(200000 + oid * 10 + i, oid, (int) min, (int) max, List.of(1 + i % 2)));
    }
    return new DistributedTable(oid, "public", name, 'h', 's', colocation, key, 1, 23, list);
  }

  static final DistributedTable ITEMS = hash(1, "items", 1, "k", 4);
  static final DistributedTable OTHER = hash(2, "other", 1, "k", 4);
  static final DistributedTable FAR = hash(3, "far", 2, "id", 3);
  /** Co-located with items, distributed by a column named otherwise. */
  static final DistributedTable KEYED = hash(5, "keyed", 1, "key", 4);
  static final DistributedTable REF = new DistributedTable(4, "public", "ref", 'n', 't', 3, null,
      0, 0, List.of(new Shard(300000, 4, null, null, List.of(1, 2))));
  static final Map<String, List<String>> COLUMNS = Map.of("items", List.of("k", "id", "v", "n"),
      "other", List.of("k", "w", "m"), "far", List.of("id", "k", "x"),
      "ref", List.of("n", "label"), "keyed", List.of("key", "w"));

  static final TableResolver RESOLVER = new TableResolver() {
    @Override
    public Optional<DistributedTable> resolve(List<String> names) {
      return switch (names.get(names.size() - 1)) {
        case "items" -> Optional.of(ITEMS);
        case "other" -> Optional.of(OTHER);
        case "far" -> Optional.of(FAR);
        case "ref" -> Optional.of(REF);
        case "keyed" -> Optional.of(KEYED);
        default -> Optional.empty();
      };
    }

    @Override
    public List<String> columns(DistributedTable table) {
      return COLUMNS.get(table.name());
    }

    @Override
    public List<String> sequenceColumns(DistributedTable table) {
      return List.of();
    }

    @Override
    public Map<String, String> expressionTypes(DistributedTable table, String relation,
        List<String> expressions) {
      return Map.of();
    }
  };

  private static ShapePlan plan(String sql) {
    List<Token> tokens = Lexer.tokenize(sql);
    StatementShape shape = Shapes.of(tokens);
    return DistributedPlanner.plan(sql, tokens, shape.slots(), RESOLVER);
  }

  private static void refused(String sql, String message) {
    ShapePlan.Refused r = assertInstanceOf(ShapePlan.Refused.class, plan(sql), sql);
    assertEquals("0A000", r.sqlState().code(), sql);
    assertTrue(r.message().contains(message), r.message());
  }

  @Test
  void coLocatedJoinOnDistributionColumnsPushesDown() {
    for (String sql : List.of(
        "UPDATE items SET v = o.w FROM other o WHERE items.k = o.k",
        "UPDATE items i SET v = o.w FROM other o, ref r WHERE o.k = i.k AND r.n = i.n",
        "DELETE FROM items i USING other o WHERE o.k = i.k AND o.m > 3 RETURNING i.id",
        "DELETE FROM items WHERE k IN (SELECT k FROM other WHERE m > 3)",
        "DELETE FROM items i WHERE EXISTS (SELECT 1 FROM other o WHERE o.k = i.k AND o.m > 3)",
        "UPDATE items i SET n = (SELECT max(m) FROM other o WHERE o.k = i.k)",
        "DELETE FROM items WHERE n IN (SELECT n FROM ref WHERE label LIKE 'x%')",
        "UPDATE items i SET v = 'x' FROM other o JOIN ref r ON r.n = o.m WHERE o.k = i.k")) {
      ShapePlan.MultiShardModify m = assertInstanceOf(ShapePlan.MultiShardModify.class, plan(sql),
          sql);
      assertEquals(ITEMS, m.table());
    }
  }

  @Test
  void aPinnedKeyRoutes() {
    for (String sql : List.of(
        "UPDATE items i SET v = o.w FROM other o WHERE i.k = o.k AND i.k = 5",
        "DELETE FROM items i USING other o WHERE i.k = o.k AND o.k = $1",
        "DELETE FROM items i WHERE i.k = 7 AND EXISTS (SELECT 1 FROM other o WHERE o.k = i.k)")) {
      assertInstanceOf(ShapePlan.Router.class, plan(sql), sql);
    }
  }

  @Test
  void otherShapesAreRefused() {
    refused("UPDATE items i SET v = o.w FROM other o WHERE i.id = o.m", "co-located");
    refused("UPDATE items i SET v = f.x FROM far f WHERE i.k = f.id", "co-located");
    refused("DELETE FROM items i USING other o WHERE i.k = o.k OR o.m = 1", "co-located");
    refused("UPDATE items i SET k = o.k FROM other o WHERE i.k = o.k",
        "modifying the partition value");
    refused("UPDATE items i SET v = 'x' FROM localt l WHERE i.k = l.k", "local relation");
    refused("UPDATE ref SET label = 'x' FROM items i WHERE i.n = ref.n", "reference table");
  }

  /**
   * Uncorrelated subqueries that cannot run on the shards with the statement run first
   * (SubqueriesFirst): their spans are the text inside their parentheses.
   */
  @Test
  void uncorrelatedSubqueriesRunFirst() {
    String sql = "DELETE FROM items WHERE id IN (SELECT m FROM other) AND n = (SELECT max(n)"
        + " FROM ref WHERE ref.label = 'x')";
    ShapePlan.SubqueriesFirst f = assertInstanceOf(ShapePlan.SubqueriesFirst.class, plan(sql));
    List<Token> tokens = Lexer.tokenize(sql);
    List<String> texts = new java.util.ArrayList<>();
    for (int[] span : f.subqueries()) {
      texts.add(sql.substring(tokens.get(span[0]).start(), tokens.get(span[1]).end()));
    }
    assertEquals(List.of("SELECT m FROM other", "SELECT max(n) FROM ref WHERE ref.label = 'x'"),
        texts);
    sql = "UPDATE items SET v = (SELECT w FROM other ORDER BY m LIMIT 1) WHERE id > 3";
    f = assertInstanceOf(ShapePlan.SubqueriesFirst.class, plan(sql));
    assertEquals(1, f.subqueries().size());
  }

  /** A subquery that reads the row being written (correlated) stays in the statement. */
  @Test
  void correlatedSubqueriesAreStillRefused() {
    refused("DELETE FROM items i WHERE EXISTS (SELECT 1 FROM other o WHERE o.m = i.id)",
        "co-located");
    // id is items' column only: the subquery reads the row being deleted.
    refused("DELETE FROM items WHERE n IN (SELECT m FROM other WHERE m = id)", "co-located");
    refused("UPDATE items i SET v = (SELECT w FROM other o WHERE o.m = i.n)", "co-located");
  }

  /**
   * An unqualified name that a subquery or function in the same FROM may provide is read there
   * by PostgreSQL, not from the statement's target: here k is g.k, so other is not joined to
   * items and the shards must not each decide with their own rows.
   */
  @Test
  void namesAFromItemMayProvideAreNotTakenForTheTargets() {
    refused("DELETE FROM items WHERE EXISTS (SELECT 1 FROM keyed u,"
        + " generate_series(1, 10) AS g(k) WHERE u.key = k)", "co-located");
    refused("DELETE FROM items WHERE EXISTS (SELECT 1 FROM keyed u, (SELECT 5 AS k) s"
        + " WHERE u.key = k)", "co-located");
    // Qualified, the same join is co-located and pushes down.
    assertInstanceOf(ShapePlan.MultiShardModify.class, plan("DELETE FROM items WHERE EXISTS"
        + " (SELECT 1 FROM keyed u, generate_series(1, 10) AS g(k) WHERE u.key = items.k)"));
  }

  @Test
  void referenceTargetsJoinReferenceTables() {
    assertInstanceOf(ShapePlan.ReferenceWrite.class,
        plan("UPDATE ref SET label = r2.label FROM ref r2 WHERE r2.n = ref.n + 1"));
  }

  @Test
  void writesToLocalTablesStillGather() {
    assertInstanceOf(ShapePlan.Gather.class,
        plan("UPDATE localt SET v = i.v FROM items i WHERE i.k = localt.k"));
  }
}
