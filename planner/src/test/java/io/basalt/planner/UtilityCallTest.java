package io.basalt.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.planner.lexer.Lexer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UtilityCallTest {

  private static Optional<UtilityCall> recognize(String sql) {
    return UtilityCall.recognize(Lexer.tokenize(sql));
  }

  private static Statement statement(String sql) {
    List<Statement> statements = StatementClassifier.split(sql);
    assertEquals(1, statements.size());
    return statements.get(0);
  }

  private static UtilityCall call(Statement s) {
    return UtilityCall.recognize(s.tokens()).orElseThrow(
        () -> new AssertionError("not recognised: " + s.text()));
  }

  @Test
  void plainCall() {
    UtilityCall call = recognize("SELECT create_distributed_table('t', 'id')").orElseThrow();
    assertEquals(UtilityFunction.CREATE_DISTRIBUTED_TABLE, call.function());
    assertEquals(1, call.nameToken());
    assertTrue(call.unaliased());
  }

  @Test
  void functionNamesAreCaseInsensitive() {
    assertEquals(UtilityFunction.CREATE_REFERENCE_TABLE,
        recognize("select CREATE_Reference_Table('r')").orElseThrow().function());
  }

  @Test
  void schemaQualifiedWithPgCatalog() {
    UtilityCall call = recognize("SELECT pg_catalog.create_distributed_table('t', 'id')")
        .orElseThrow();
    assertEquals(UtilityFunction.CREATE_DISTRIBUTED_TABLE, call.function());
    assertEquals(3, call.nameToken());
  }

  @Test
  void fromClauseCall() {
    UtilityCall call = recognize("SELECT * FROM citus_add_node('localhost', 5432)")
        .orElseThrow();
    assertEquals(UtilityFunction.CITUS_ADD_NODE, call.function());
    assertEquals(3, call.nameToken());
    assertTrue(call.unaliased());
    assertEquals(5, recognize("SELECT * FROM pg_catalog.master_add_node('h', 1)").orElseThrow()
        .nameToken());
  }

  @Test
  void aliases() {
    assertFalse(recognize("SELECT create_distributed_table('t', 'id') AS x").orElseThrow()
        .unaliased());
    assertFalse(recognize("SELECT create_distributed_table('t', 'id') x").orElseThrow()
        .unaliased());
    assertFalse(recognize("SELECT create_distributed_table('t', 'id') \"Done\"").orElseThrow()
        .unaliased());
    assertFalse(recognize("SELECT * FROM citus_add_node('localhost', 5432) AS n").orElseThrow()
        .unaliased());
    assertFalse(recognize("SELECT * FROM citus_add_node('localhost', 5432) n").orElseThrow()
        .unaliased());
  }

  @Test
  void namedArgumentsAndNestedParentheses() {
    assertEquals(UtilityFunction.CREATE_DISTRIBUTED_TABLE,
        recognize("SELECT create_distributed_table('t', 'id', colocate_with => 'none',"
            + " shard_count => (2 * (3 + 1)))").orElseThrow().function());
    assertEquals(UtilityFunction.CITUS_ADD_NODE,
        recognize("SELECT citus_add_node(lower('LOCALHOST'), (SELECT 5432), groupid => -1)")
            .orElseThrow().function());
    assertEquals(UtilityFunction.CREATE_DISTRIBUTED_TABLE,
        recognize("SELECT create_distributed_table('t', (ARRAY['id'])[1])").orElseThrow()
            .function());
  }

  @Test
  void everyUtilityFunctionIsRecognised() {
    for (UtilityFunction f : UtilityFunction.values()) {
      assertEquals(f, recognize("SELECT " + f.sqlName() + "()").orElseThrow().function());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT citus_version()",
      "SELECT create_distributed_table_concurrently('t', 'id')",
      "SELECT create_distributed_table('t', 'id') FROM t",
      "SELECT create_distributed_table('t', 'id') WHERE false",
      "SELECT create_distributed_table('a', 'id'), create_distributed_table('b', 'id')",
      "SELECT create_distributed_table('t', 'id') + 1",
      "SELECT create_distributed_table('t', 'id')::text",
      "SELECT (create_distributed_table('t', 'id'))",
      "SELECT public.create_distributed_table('t', 'id')",
      "SELECT \"create_distributed_table\"('t', 'id')",
      "SELECT create_distributed_table",
      "SELECT create_distributed_table('t', 'id'",
      "SELECT * FROM citus_add_node('h', 1) n, t",
      "SELECT * FROM citus_add_node('h', 1) JOIN t ON true",
      "SELECT x FROM citus_add_node('h', 1)",
      "EXPLAIN SELECT create_distributed_table('t', 'id')",
      "INSERT INTO t SELECT create_distributed_table('t', 'id')",
      ""})
  void notAUtilityCall(String sql) {
    assertTrue(recognize(sql).isEmpty(), sql);
  }

  // ------------------------------------------------------------------ rewrite

  @Test
  void rewriteReplacesTheName() {
    Statement s = statement("SELECT create_distributed_table('t', 'id')");
    assertEquals("SELECT basalt_internal.args_create_distributed_table('t', 'id')",
        call(s).rewrite(s, "basalt_internal.args_create_distributed_table"));
  }

  @Test
  void rewriteReplacesTheSchemaToo() {
    Statement s = statement("select pg_catalog . create_distributed_table('t', 'id', "
        + "colocate_with => 'none')");
    assertEquals("select x.y('t', 'id', colocate_with => 'none')", call(s).rewrite(s, "x.y"));
  }

  @Test
  void rewriteKeepsTheStatementTextAroundTheName() {
    Statement s = statement("  SELECT * FROM /* node */ citus_add_node('localhost', 5432) AS n;"
        + "  ");
    assertEquals("SELECT * FROM /* node */ f('localhost', 5432) AS n", call(s).rewrite(s, "f"));
  }

  @Test
  void rewriteOfAStatementInTheMiddleOfAQuery() {
    List<Statement> statements = StatementClassifier.split(
        "BEGIN; SELECT citus_add_node('a', 1); COMMIT");
    Statement s = statements.get(1);
    assertEquals("SELECT g('a', 1)", call(s).rewrite(s, "g"));
  }

  @Test
  void rewriteOfAClassifiedStatement() {
    Statement s = StatementClassifier.classify("\n SELECT citus_add_node('a', 1);\n");
    assertEquals(StatementKind.UTILITY_CALL, s.kind());
    assertEquals("SELECT g('a', 1)", call(s).rewrite(s, "g"));
    assertEquals("SELECT g('a', 1) AS citus_add_node", call(s).rewriteResult(s, "g"));
  }

  @Test
  void rewriteResultNamesAnUnaliasedResultAfterTheFunction() {
    Statement s = statement("SELECT pg_catalog.create_distributed_table('t', 'id')");
    assertEquals("SELECT r('t', 'id') AS create_distributed_table",
        call(s).rewriteResult(s, "r"));
    Statement from = statement("SELECT * FROM citus_add_node('localhost', 5432)");
    assertEquals("SELECT * FROM r('localhost', 5432) AS citus_add_node",
        call(from).rewriteResult(from, "r"));
  }

  @Test
  void rewriteResultKeepsAnAlias() {
    Statement as = statement("SELECT create_distributed_table('t', 'id') AS done");
    assertEquals("SELECT r('t', 'id') AS done", call(as).rewriteResult(as, "r"));
    Statement bare = statement("SELECT * FROM citus_add_node('localhost', 5432) n");
    assertEquals("SELECT * FROM r('localhost', 5432) n", call(bare).rewriteResult(bare, "r"));
  }
}
