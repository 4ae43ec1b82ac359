package io.basalt.coordinator.session;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.basalt.error.BasaltException;
import io.basalt.planner.lexer.Lexer;
import org.junit.jupiter.api.Test;

class ExecutorSettingCheckTest {
  private static void check(String sql) {
    ExecutorSettingCheck.check(Lexer.tokenize(sql));
  }

  @Test
  void badExecutorValuesFailAtTheSet() {
    for (String sql : new String[] {
        "SET citus.multi_shard_modify_mode = 'sideways'",
        "SET LOCAL citus.multi_shard_modify_mode TO sideways",
        "set citus.max_adaptive_executor_pool_size = 0",
        "SET citus.force_max_query_parallelization = maybe",
        "SET SESSION citus.executor_slow_start_interval = '-5'",
        "SET citus.enable_deadlock_prevention = sometimes",
        "SET citus.multi_shard_modify_mode = E'side\\x77ays'"}) {
      BasaltException e = assertThrows(BasaltException.class, () -> check(sql), sql);
      assertEquals("22023", e.sqlState(), sql);
    }
  }

  @Test
  void goodValuesAndOtherStatementsPass() {
    for (String sql : new String[] {
        "SET citus.multi_shard_modify_mode TO 'sequential'",
        "SET citus.multi_shard_modify_mode TO E'sequential'",
        "SET citus.multi_shard_modify_mode TO $$parallel$$",
        "SET citus.max_adaptive_executor_pool_size = 4;",
        "SET citus.executor_slow_start_interval = '20ms'",
        "SET citus.multi_shard_modify_mode TO DEFAULT",
        "SET citus.shard_count = 'anything'",
        "SET LOCAL citus.all_modifications_commutative TO on",
        "SET search_path = a, b",
        "SELECT 1"}) {
      assertDoesNotThrow(() -> check(sql), sql);
    }
  }
}
