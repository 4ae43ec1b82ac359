package io.basalt.planner.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.planner.lexer.Lexer;
import io.basalt.planner.lexer.Token;
import io.basalt.planner.shape.Shapes;
import io.basalt.planner.shape.StatementShape;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyParameterTest {

  private static Optional<KeyParameter> key(String sql) {
    List<Token> tokens = Lexer.tokenize(sql);
    StatementShape shape = Shapes.of(tokens);
    ShapePlan plan = DistributedPlanner.plan(sql, tokens, shape.slots(),
        DistributedPlannerTest.RESOLVER);
    return KeyParameter.of(plan, shape.slots());
  }

  @Test
  void aPointSelectSendsItsKeyAsParameter() {
    String sql = "SELECT amount FROM orders WHERE customer_id = 42";
    KeyParameter k = key(sql).orElseThrow();
    assertEquals("42", k.value());
    assertEquals(KeyParameter.INT4, k.typeOid());
    List<Token> tokens = Lexer.tokenize(sql);
    StatementShape shape = Shapes.of(tokens);
    ShapePlan plan = DistributedPlanner.plan(sql, tokens, shape.slots(),
        DistributedPlannerTest.RESOLVER);
    assertEquals("SELECT amount FROM " + TaskSql.shardName(plan.spots().get(0).table(), 1)
        + " AS orders WHERE customer_id = $1", k.text(sql, tokens, plan.spots(), 1));
  }

  @Test
  void writesByKeyQualifyToo() {
    assertTrue(key("UPDATE orders SET amount = amount + amount WHERE customer_id = 7")
        .isPresent());
    assertTrue(key("DELETE FROM orders WHERE customer_id = 7").isPresent());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // another constant: the text varies anyway, keep it as it is
      "SELECT amount FROM orders WHERE customer_id = 42 AND amount > 7",
      // a sign, a string, a decimal, a typed literal, a parameter
      "SELECT amount FROM orders WHERE customer_id = -42",
      "SELECT amount FROM orders WHERE customer_id = '42'",
      "SELECT amount FROM orders WHERE customer_id = 42.0",
      "SELECT amount FROM orders WHERE customer_id = $1",
      // not routed by a slot
      "SELECT amount FROM orders",
      "SELECT * FROM countries"})
  void otherStatementsKeepTheirText(String sql) {
    assertEquals(Optional.empty(), key(sql));
  }

  @Test
  void theParameterHasTheLiteralsType() {
    assertEquals(KeyParameter.INT4, KeyParameter.literalType("2147483647"));
    assertEquals(KeyParameter.INT4, KeyParameter.literalType("0002147483647"));
    assertEquals(KeyParameter.INT4, KeyParameter.literalType("0"));
    assertEquals(KeyParameter.INT8, KeyParameter.literalType("2147483648"));
    assertEquals(KeyParameter.INT8, KeyParameter.literalType("9223372036854775807"));
    assertEquals(KeyParameter.NUMERIC, KeyParameter.literalType("9223372036854775808"));
    assertEquals(KeyParameter.NUMERIC, KeyParameter.literalType("123456789012345678901234"));
  }
}
