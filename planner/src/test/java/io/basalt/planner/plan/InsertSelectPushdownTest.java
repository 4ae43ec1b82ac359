package io.basalt.planner.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.planner.lexer.Lexer;
import io.basalt.planner.lexer.Token;
import io.basalt.planner.shape.Shapes;
import io.basalt.planner.shape.StatementShape;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which INSERT ... SELECT statements run on the shard groups and which go through the
 * coordinator; tables as in {@link ModifyPushdownTest}: items and other co-located (key k),
 * keyed co-located with them (key "key"), far not co-located, ref a reference table.
 */
class InsertSelectPushdownTest {
  private static ShapePlan plan(String sql) {
    List<Token> tokens = Lexer.tokenize(sql);
    StatementShape shape = Shapes.of(tokens);
    return DistributedPlanner.plan(sql, tokens, shape.slots(), ModifyPushdownTest.RESOLVER);
  }

  private static void pushed(String sql) {
    ShapePlan.MultiShardModify m = assertInstanceOf(ShapePlan.MultiShardModify.class, plan(sql),
        sql);
    assertEquals(1, m.table().colocationId(), sql);
  }

  private static void throughCoordinator(String sql) {
    ShapePlan p = plan(sql);
    assertTrue(p instanceof ShapePlan.InsertViaCoordinator || p instanceof ShapePlan.Refused,
        sql + " => " + p);
  }

  @Test
  void coLocatedRowsStayInTheirShardGroup() {
    pushed("INSERT INTO other (k, w, m) SELECT k, v, n FROM items WHERE v > 3");
    pushed("INSERT INTO other (k, w) SELECT i.k, count(*) FROM items i GROUP BY i.k");
    pushed("INSERT INTO other (k, w) SELECT i.k, sum(i.v) FROM items i GROUP BY 1, i.n"
        + " HAVING sum(i.v) > 0");
    pushed("INSERT INTO other (w, k) SELECT o.w + 1, o.k FROM other o");
    pushed("INSERT INTO other (k, w) SELECT i.k AS key, y.w FROM items i JOIN keyed y"
        + " ON y.key = i.k JOIN ref r ON r.n = i.n");
    pushed("INSERT INTO keyed (key, w) SELECT DISTINCT k, v FROM items");
    pushed("INSERT INTO other (k, w) SELECT k, v FROM items ON CONFLICT (k) DO UPDATE"
        + " SET w = other.w + EXCLUDED.w RETURNING *");
    pushed("INSERT INTO other (k, w) SELECT k, v FROM items i WHERE EXISTS (SELECT 1"
        + " FROM keyed y WHERE y.key = i.k)");
  }

  /** A constraint named in ON CONFLICT is the shard's, named after it as its table is. */
  @Test
  void onConflictOnConstraintNamesTheShardsConstraint() {
    String sql = "INSERT INTO other (k, w) SELECT k, v FROM items"
        + " ON CONFLICT ON CONSTRAINT other_pkey DO NOTHING";
    ShapePlan plan = plan(sql);
    long shardId = ModifyPushdownTest.OTHER.shards().get(2).shardId();
    String text = TaskSql.onShards(sql, Lexer.tokenize(sql), plan.spots(), 2);
    assertTrue(text.endsWith("ON CONFLICT ON CONSTRAINT other_pkey_" + shardId
        + " DO NOTHING"), text);
  }

  @Test
  void rowsThatMayCrossShardGroupsGoThroughTheCoordinator() {
    // the key computed, or another column's
    throughCoordinator("INSERT INTO other (k, w) SELECT k + 1, v FROM items");
    throughCoordinator("INSERT INTO other (k, w) SELECT v, k FROM items");
    throughCoordinator("INSERT INTO other (k, w) SELECT id, v FROM far");
    // groups or limits over every shard
    throughCoordinator("INSERT INTO other (k, w) SELECT i.k, count(*) FROM items i"
        + " GROUP BY i.k, i.v LIMIT 3");
    throughCoordinator("INSERT INTO other (k, w) SELECT max(k), count(*) FROM items GROUP BY v");
    throughCoordinator("INSERT INTO other (k, w) SELECT k, count(*) FROM items"
        + " GROUP BY ROLLUP (k)");
    throughCoordinator("INSERT INTO other (k, w) SELECT k, row_number() OVER () FROM items");
    throughCoordinator("INSERT INTO other (k, w) SELECT DISTINCT ON (v) k, v FROM items");
    // tables not tied on the key, an outer join that may give it NULL
    throughCoordinator("INSERT INTO other (k, w) SELECT i.k, y.w FROM items i JOIN keyed y"
        + " ON y.w = i.v");
    throughCoordinator("INSERT INTO other (k, w) SELECT y.key, i.v FROM items i LEFT JOIN"
        + " keyed y ON y.key = i.k");
    throughCoordinator("INSERT INTO other (k, w) SELECT k, v FROM items WHERE v IN"
        + " (SELECT w FROM keyed)");
    // sequences, a star, ON CONFLICT changing the key, a reference target
    throughCoordinator("INSERT INTO other (k, w) SELECT k, nextval('s') FROM items");
    throughCoordinator("INSERT INTO other SELECT * FROM items");
    throughCoordinator("INSERT INTO other (k, w) SELECT k, v FROM items ON CONFLICT (k)"
        + " DO UPDATE SET k = EXCLUDED.k");
    throughCoordinator("INSERT INTO ref (n, label) SELECT n, 'x' FROM ref");
    throughCoordinator("INSERT INTO other (k, w) SELECT k, v FROM items UNION ALL"
        + " SELECT k, w FROM other");
  }
}
