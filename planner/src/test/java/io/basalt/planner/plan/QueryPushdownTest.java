package io.basalt.planner.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.basalt.planner.lexer.Lexer;
import io.basalt.planner.lexer.Token;
import io.basalt.planner.shape.Shapes;
import io.basalt.planner.shape.StatementShape;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which queries over several tables one shard group answers (a router plan) and which are left
 * to the gather; tables as in {@link ModifyPushdownTest}: items and other co-located (key k),
 * keyed co-located with them (key "key"), far not co-located, ref a reference table.
 */
class QueryPushdownTest {
  private static ShapePlan plan(String sql) {
    List<Token> tokens = Lexer.tokenize(sql);
    StatementShape shape = Shapes.of(tokens);
    return DistributedPlanner.plan(sql, tokens, shape.slots(), ModifyPushdownTest.RESOLVER);
  }

  private static void routed(String sql) {
    ShapePlan.Router r = assertInstanceOf(ShapePlan.Router.class, plan(sql), sql);
    assertEquals(1, r.table().colocationId(), sql);
  }

  private static void gathered(String sql) {
    assertInstanceOf(ShapePlan.Gather.class, plan(sql), sql);
  }

  @Test
  void coLocatedTablesPinnedToOneValueAreRouted() {
    routed("SELECT * FROM items i JOIN other o ON o.k = i.k WHERE i.k = 5");
    routed("SELECT * FROM items i JOIN other o ON o.k = i.k WHERE o.k = $1");
    routed("SELECT i.v, o.w FROM items i, other o WHERE i.k = o.k AND i.k = 5 ORDER BY 1 LIMIT 3");
    routed("SELECT * FROM items JOIN other ON other.k = items.k WHERE items.k = 'x'");
    routed("SELECT * FROM items i LEFT JOIN other o ON o.k = i.k WHERE i.k = 5");
    routed("SELECT * FROM items i RIGHT JOIN other o ON o.k = i.k WHERE o.k = 5");
    routed("SELECT * FROM items i JOIN keyed y ON y.key = i.k WHERE y.key = 5");
    routed("SELECT count(*), sum(o.w) FROM items i JOIN other o ON o.k = i.k WHERE i.k = 5"
        + " GROUP BY i.v HAVING count(*) > 1");
    // a contradiction has no rows anywhere: any of its values picks a right group
    routed("SELECT * FROM items i JOIN other o ON o.k = i.k WHERE i.k = 5 AND o.k = 6");
  }

  @Test
  void referenceTablesJoinFreely() {
    routed("SELECT * FROM items i JOIN ref r ON r.n = i.n WHERE i.k = 5");
    routed("SELECT * FROM items i, ref r WHERE i.k = 5");
    routed("SELECT * FROM items i WHERE i.k = 5 AND i.n IN (SELECT n FROM ref)");
    assertInstanceOf(ShapePlan.ReferenceRead.class,
        plan("SELECT * FROM ref a JOIN ref b ON a.n = b.label"));
  }

  @Test
  void subqueriesTiedToTheKeyAreRouted() {
    routed("SELECT * FROM items i WHERE i.k = 5 AND EXISTS (SELECT 1 FROM other o"
        + " WHERE o.k = i.k AND o.w > 2)");
    routed("SELECT * FROM items i WHERE i.k = 5 AND NOT EXISTS (SELECT 1 FROM other o"
        + " WHERE o.k = i.k)");
    routed("SELECT i.v, (SELECT max(o.w) FROM other o WHERE o.k = i.k) FROM items i"
        + " WHERE i.k = 5");
    routed("SELECT * FROM items i WHERE i.k = 5 AND i.k IN (SELECT o.k FROM other o"
        + " WHERE o.w = 1)");
  }

  @Test
  void whatOneGroupCannotAnswerIsGathered() {
    // not pinned: every group
    gathered("SELECT * FROM items i JOIN other o ON o.k = i.k");
    // a value only in an outer join's ON keeps the outer side's other rows
    gathered("SELECT * FROM items i LEFT JOIN other o ON o.k = i.k AND o.k = 5");
    gathered("SELECT * FROM items i JOIN other o ON o.k = i.k WHERE i.k = 5 OR o.k = 5");
    // not tied on the distribution columns, or not co-located
    gathered("SELECT * FROM items i JOIN other o ON o.w = i.v WHERE i.k = 5");
    gathered("SELECT * FROM items i JOIN far f ON f.id = i.k WHERE i.k = 5");
    gathered("SELECT * FROM items i JOIN other o ON o.k = i.k JOIN far f ON f.id = o.k"
        + " WHERE i.k = 5");
    // a subquery not tied to the key reads other groups
    gathered("SELECT * FROM items i WHERE i.k = 5 AND i.v IN (SELECT w FROM other)");
    gathered("SELECT * FROM items i WHERE i.k = 5 AND i.k NOT IN (SELECT k FROM other)");
    gathered("SELECT * FROM items i WHERE i.k = 5 AND i.k IN (SELECT max(o.k) FROM other o)");
    gathered("SELECT * FROM items i WHERE i.k = 5 AND i.k IN (SELECT o.k FROM other o"
        + " ORDER BY o.w LIMIT 1)");
    gathered("SELECT * FROM items i WHERE i.k = 5 AND i.k IN (SELECT o.k FROM other o"
        + " LIMIT 1)");
    gathered("SELECT * FROM items i WHERE i.k = 5 AND EXISTS (SELECT 1 FROM other o"
        + " WHERE o.k = 5)");
    // a subquery with ORDER BY is not read here (its LIMIT could pick among other groups)
    gathered("SELECT * FROM items i WHERE i.k = 5 AND i.v = (SELECT o.w FROM other o"
        + " WHERE o.k = i.k ORDER BY o.w LIMIT 1)");
    // subqueries in FROM, WITH, set operations, USING, a local table
    gathered("SELECT * FROM items i JOIN (SELECT k, w FROM other) o ON o.k = i.k"
        + " WHERE i.k = 5");
    gathered("WITH o AS (SELECT * FROM other) SELECT * FROM items i JOIN o ON o.k = i.k"
        + " WHERE i.k = 5");
    gathered("SELECT * FROM items i JOIN other o USING (k) WHERE k = 5");
    gathered("SELECT * FROM items i JOIN local_table l ON l.k = i.k WHERE i.k = 5");
    // a renamed column list hides which column is the key
    gathered("SELECT * FROM items i JOIN other AS o (a, b, c) ON o.a = i.k WHERE i.k = 5");
  }
}
