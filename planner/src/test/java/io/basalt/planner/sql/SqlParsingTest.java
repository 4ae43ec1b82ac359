package io.basalt.planner.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.error.BasaltException;
import java.util.List;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlCollectionTypeNameSpec;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlIntervalLiteral;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWith;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The PostgreSQL extensions of the grammar: the tree each builds, and how it prints back. */
class SqlParsingTest {

  private static SqlNode parse(String sql) {
    return SqlParsing.parse(sql);
  }

  /** The single select item of "SELECT expr". */
  private static SqlNode expr(String expression) {
    SqlSelect select = (SqlSelect) parse("SELECT " + expression);
    return select.getSelectList().get(0);
  }

  private static String print(String sql) {
    return PgSqlDialect.toSql(parse(sql)).replace('\n', ' ');
  }

  private static List<SqlDynamicParam> parameters(SqlNode node) {
    List<SqlDynamicParam> found = new java.util.ArrayList<>();
    node.accept(new SqlBasicVisitor<Void>() {
      @Override public Void visit(SqlDynamicParam param) {
        found.add(param);
        return null;
      }
    });
    return found;
  }

  @Nested
  class Parameters {
    @Test
    void dollarNumbersBecomeIndexesFromZero() {
      List<SqlDynamicParam> params = parameters(parse("SELECT * FROM t WHERE b = $2 AND a = $1"));
      assertEquals(List.of(1, 0), params.stream().map(SqlDynamicParam::getIndex).toList());
      params.forEach(p -> assertInstanceOf(PgDynamicParam.class, p));
    }

    @Test
    void printAsWritten() {
      assertEquals("SELECT $1, ($10 :: text) FROM t WHERE a = $3", print("select $1, $10::text from t where a = $3"));
    }

    @Test
    void allowedInLimitAndOffset() {
      SqlOrderBy orderBy = (SqlOrderBy) parse("SELECT a FROM t ORDER BY a LIMIT $2 OFFSET $1");
      assertEquals(1, ((SqlDynamicParam) orderBy.fetch).getIndex());
      assertEquals(0, ((SqlDynamicParam) orderBy.offset).getIndex());
      assertEquals("SELECT a FROM t ORDER BY a LIMIT $2 OFFSET $1",
          print("SELECT a FROM t ORDER BY a LIMIT $2 OFFSET $1"));
    }

    @Test
    void keepTheStatementNodesWhenTheTreeIsCopied() {
      // Numbering rebuilds the calls above each parameter through their operators.
      PgInsert insert = (PgInsert) parse(
          "INSERT INTO t (a) VALUES ($1) ON CONFLICT (a) DO UPDATE SET a = $2 RETURNING a");
      assertEquals(List.of(0, 1), parameters(insert).stream().map(SqlDynamicParam::getIndex).toList());
      assertEquals(1, insert.returning().size());
      assertEquals(1, insert.onConflict().updateColumns().size());
    }

    @Test
    void questionMarkIsNotPostgresql() {
      BasaltException e = assertThrows(BasaltException.class, () -> parse("SELECT ?"));
      assertEquals("42601", e.sqlState());
      assertEquals("8", e.fields().get('P'));
    }

    @Test
    void dollarZeroDoesNotExist() {
      BasaltException e = assertThrows(BasaltException.class, () -> parse("SELECT $0"));
      assertEquals("42P02", e.sqlState());
    }
  }

  @Nested
  class Insert {
    @Test
    void returning() {
      PgInsert insert = (PgInsert) parse("INSERT INTO t (a, b) VALUES (1, 'x') RETURNING id, a AS x");
      assertEquals(SqlKind.INSERT, insert.getKind());
      assertEquals(2, insert.returning().size());
      assertEquals(SqlKind.AS, insert.returning().get(1).getKind());
      assertNull(insert.onConflict());
      assertEquals("INSERT INTO t (a, b) VALUES (1, 'x') RETURNING id, a AS x",
          print("insert into t (a, b) values (1, 'x') returning id, a as x"));
    }

    @Test
    void returningStarAfterSelectSource() {
      PgInsert insert = (PgInsert) parse("INSERT INTO t SELECT a FROM s RETURNING *");
      assertEquals(SqlKind.SELECT, insert.getSource().getKind());
      assertEquals("*", insert.returning().get(0).toString());
    }

    @Test
    void onConflictDoNothing() {
      PgOnConflict c = ((PgInsert) parse(
          "INSERT INTO t VALUES (1) ON CONFLICT (a, b) DO NOTHING")).onConflict();
      assertTrue(c.isDoNothing());
      assertEquals(2, c.target().size());
      assertEquals("INSERT INTO t VALUES (1) ON CONFLICT (a, b) DO NOTHING",
          print("INSERT INTO t VALUES (1) ON CONFLICT (a, b) DO NOTHING"));
      assertNull(((PgInsert) parse("INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING"))
          .onConflict().target());
    }

    @Test
    void onConflictDoUpdateWithWhere() {
      PgInsert insert = (PgInsert) parse("INSERT INTO t AS k (a, b) VALUES (1, 2) "
          + "ON CONFLICT (a) WHERE b > 0 DO UPDATE SET b = excluded.b + k.b, c = DEFAULT "
          + "WHERE k.a > 0 RETURNING *");
      assertEquals("k", insert.alias().getSimple());
      PgOnConflict c = insert.onConflict();
      assertEquals("b > 0", c.targetWhere().toString().replace("`", ""));
      assertEquals(List.of("b", "c"), c.updateColumns().stream().map(SqlNode::toString).toList());
      assertEquals(SqlKind.DEFAULT, c.updateValues().get(1).getKind());
      assertEquals(SqlKind.GREATER_THAN, c.updateWhere().getKind());
      assertEquals("INSERT INTO t AS k (a, b) VALUES (1, 2) ON CONFLICT (a) WHERE b > 0 "
          + "DO UPDATE SET b = excluded.b + k.b, c = DEFAULT WHERE k.a > 0 RETURNING *",
          PgSqlDialect.toSql(insert).replace('\n', ' '));
    }

    @Test
    void onConflictOnConstraintAndIndexExpressions() {
      assertEquals("t_pkey", ((PgInsert) parse(
          "INSERT INTO t VALUES (1) ON CONFLICT ON CONSTRAINT t_pkey DO NOTHING"))
          .onConflict().constraint().getSimple());
      assertEquals("INSERT INTO t VALUES (1) ON CONFLICT (a, (LOWER(b))) DO NOTHING",
          print("INSERT INTO t VALUES (1) ON CONFLICT (a, lower(b)) DO NOTHING"));
    }

    @Test
    void defaultValues() {
      PgInsert insert = (PgInsert) parse("INSERT INTO t DEFAULT VALUES RETURNING id");
      assertSame(PgOperators.DEFAULT_VALUES, ((SqlCall) insert.getSource()).getOperator());
      assertEquals("INSERT INTO t DEFAULT VALUES RETURNING id",
          print("INSERT INTO t DEFAULT VALUES RETURNING id"));
    }

    @Test
    void withInFront() {
      SqlWith with = (SqlWith) parse(
          "WITH s AS (SELECT 1 AS a) INSERT INTO t SELECT a FROM s RETURNING a");
      assertInstanceOf(PgInsert.class, with.body);
    }
  }

  @Nested
  class UpdateAndDelete {
    @Test
    void updateFromReturning() {
      PgUpdate update = (PgUpdate) parse(
          "UPDATE t x SET a = s.a, b = DEFAULT FROM s WHERE x.id = s.id RETURNING x.a");
      assertEquals(SqlKind.UPDATE, update.getKind());
      assertEquals("x", update.getAlias().getSimple());
      assertEquals("s", update.from().toString());
      assertEquals(1, update.returning().size());
      assertEquals("UPDATE t AS x SET a = s.a, b = DEFAULT FROM s WHERE x.id = s.id RETURNING x.a",
          PgSqlDialect.toSql(update).replace('\n', ' '));
    }

    @Test
    void deleteUsingReturning() {
      PgDelete delete = (PgDelete) parse(
          "DELETE FROM t USING s, u WHERE t.id = s.id RETURNING *");
      assertEquals(SqlKind.DELETE, delete.getKind());
      assertEquals(SqlKind.JOIN, delete.using().getKind());
      assertEquals("DELETE FROM t USING s, u WHERE t.id = s.id RETURNING *",
          PgSqlDialect.toSql(delete).replace('\n', ' '));
    }

    @Test
    void returningIsReservedSoItIsNoAlias() {
      PgDelete delete = (PgDelete) parse("DELETE FROM t RETURNING *");
      assertNull(delete.getAlias());
      assertEquals(1, delete.returning().size());
    }
  }

  @Nested
  class JsonbOperators {
    @ParameterizedTest
    @ValueSource(strings = {"->", "->>", "#>", "#>>", "@>", "<@", "?", "?|", "?&"})
    void eachIsAPostgresqlBinaryOperator(String op) {
      SqlBasicCall call = (SqlBasicCall) expr("data " + op + " x");
      assertEquals(op, call.getOperator().getName());
      assertEquals(PgOperators.OTHER_OPERATOR_PRECEDENCE, call.getOperator().getLeftPrec());
      assertEquals("SELECT data " + op + " x", print("SELECT data " + op + " x"));
    }

    @Test
    void bindLooserThanArithmeticAndTighterThanComparison() {
      SqlCall eq = (SqlCall) expr("data -> 'a' = x + 1");
      assertEquals(SqlKind.EQUALS, eq.getKind());
      assertSame(PgOperators.JSON_FIELD, ((SqlCall) eq.operand(0)).getOperator());
      SqlCall field = (SqlCall) expr("data -> 'a' || 'b' -> 'c'");
      // Left to right at one level, as in PostgreSQL: ((data -> 'a') || 'b') -> 'c'.
      assertSame(PgOperators.JSON_FIELD, field.getOperator());
      assertSame(PgOperators.CONCAT, ((SqlCall) field.operand(0)).getOperator());
    }

    @Test
    void concatenationHasPostgresqlPrecedence() {
      SqlCall concat = (SqlCall) expr("'a' || 1 + 2");
      assertSame(PgOperators.CONCAT, concat.getOperator());
      assertEquals(SqlKind.PLUS, concat.operand(1).getKind());
      SqlCall text = (SqlCall) expr("data ->> 'k' || 'x'");
      assertSame(PgOperators.CONCAT, text.getOperator());
      assertSame(PgOperators.JSON_FIELD_TEXT, ((SqlCall) text.operand(0)).getOperator());
    }

    @Test
    void caretIsExponentiation() {
      SqlCall plus = (SqlCall) expr("1 + 2 * 3 ^ 2");
      SqlCall times = (SqlCall) plus.operand(1);
      assertSame(PgOperators.POWER, ((SqlCall) times.operand(1)).getOperator());
    }

    @Test
    void arrowInFunctionArgumentsIsNoLambda() {
      SqlCall call = (SqlCall) expr("jsonb_typeof(data -> 'a')");
      assertSame(PgOperators.JSON_FIELD, ((SqlCall) call.operand(0)).getOperator());
    }
  }

  @Nested
  class Intervals {
    @Test
    void postgresqlIntervalLiteral() {
      SqlCall interval = (SqlCall) expr("interval '2 hours 30 minutes'");
      assertSame(PgOperators.INTERVAL, interval.getOperator());
      assertEquals("2 hours 30 minutes",
          ((SqlCharStringLiteral) interval.operand(0)).getValueAs(String.class));
      assertEquals("SELECT ts + INTERVAL '1 day'", print("SELECT ts + interval '1 day'"));
    }

    @Test
    void castToInterval() {
      SqlCall cast = (SqlCall) expr("'1 day'::interval");
      assertSame(SqlLibraryOperators.INFIX_CAST, cast.getOperator());
      assertEquals("SELECT ('1 day' :: interval)", print("SELECT '1 day'::interval"));
    }

    @Test
    void withQualifierIsCalcitesIntervalLiteral() {
      assertInstanceOf(SqlIntervalLiteral.class, expr("interval '3' day"));
    }
  }

  @Nested
  class Casts {
    @Test
    void castBindsTighterThanArithmetic() {
      SqlCall plus = (SqlCall) expr("1 + '2'::int");
      assertEquals(SqlKind.PLUS, plus.getKind());
      assertSame(SqlLibraryOperators.INFIX_CAST, ((SqlCall) plus.operand(1)).getOperator());
      assertEquals("SELECT ((a + b) :: INTEGER)", print("SELECT (a + b)::int"));
    }

    @Test
    void arrayTypes() {
      SqlCall cast = (SqlCall) expr("x::text[]");
      SqlDataTypeSpec type = cast.operand(1);
      assertInstanceOf(SqlCollectionTypeNameSpec.class, type.getTypeNameSpec());
      assertEquals("SELECT (x :: text []), CAST(y AS INTEGER [] [])",
          print("SELECT x::text[], CAST(y AS int[][])"));
    }

    @Test
    void postgresqlTypeSpelling() {
      assertEquals("SELECT (x :: DOUBLE PRECISION), (x :: NUMERIC (10, 2)), "
          + "CAST(x AS TIMESTAMP WITH TIME ZONE), (x :: timestamptz), (x :: jsonb)",
          print("SELECT x::double precision, x::numeric(10,2), cast(x AS timestamp with time zone), "
              + "x::timestamptz, x::jsonb"));
    }

    @Test
    void typedLiterals() {
      SqlCall cast = (SqlCall) expr("jsonb '{\"a\": 1}'");
      assertSame(SqlLibraryOperators.INFIX_CAST, cast.getOperator());
      assertEquals("SELECT ('{}' :: jsonb), DATE '2024-01-01'",
          print("SELECT jsonb '{}', date '2024-01-01'"));
    }
  }

  @Nested
  class DistinctOn {
    @Test
    void keysAreReadable() {
      SqlSelect select = (SqlSelect) ((SqlOrderBy) parse(
          "SELECT DISTINCT ON (a, b) a, b, c FROM t ORDER BY a, b, c")).query;
      SqlNodeList keys = PgOperators.distinctOnKeys(select);
      assertEquals(List.of("a", "b"), keys.stream().map(SqlNode::toString).toList());
      assertEquals("SELECT DISTINCT ON (a, b) a, b, c FROM t ORDER BY a, b, c",
          print("SELECT DISTINCT ON (a, b) a, b, c FROM t ORDER BY a, b, c"));
      assertNull(PgOperators.distinctOnKeys((SqlSelect) parse("SELECT DISTINCT a FROM t")));
    }

    @Test
    void starAndAlias() {
      assertEquals("SELECT DISTINCT ON (a) * FROM t", print("SELECT DISTINCT ON (a) * FROM t"));
      assertEquals("SELECT DISTINCT ON (a + 1) b AS x FROM t",
          print("SELECT DISTINCT ON (a + 1) b AS x FROM t"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT ON (a) b FROM t", "SELECT DISTINCT a, ON (a) b FROM t",
        "SELECT a FROM t WHERE ON (a) b"})
    void onlyRightAfterSelectDistinct(String sql) {
      assertEquals("42601", assertThrows(BasaltException.class, () -> parse(sql)).sqlState());
    }
  }

  @Nested
  class Locking {
    @Test
    void forUpdate() {
      PgLockedQuery locked = (PgLockedQuery) parse("SELECT * FROM t WHERE a = 1 FOR UPDATE");
      PgLockingClause clause = (PgLockingClause) locked.lockingClauses().get(0);
      assertEquals(PgLockingClause.Strength.UPDATE, clause.strength());
      assertTrue(clause.tables().isEmpty());
      assertEquals(PgLockingClause.WaitPolicy.WAIT, clause.waitPolicy());
      assertEquals(SqlKind.SELECT, locked.query().getKind());
    }

    @Test
    void strengthsTablesAndWaitPolicies() {
      PgLockedQuery locked = (PgLockedQuery) parse("SELECT * FROM t, s ORDER BY t.a LIMIT 5 "
          + "FOR NO KEY UPDATE OF t NOWAIT FOR KEY SHARE OF s, u SKIP LOCKED FOR SHARE");
      assertEquals(SqlKind.ORDER_BY, locked.query().getKind());
      List<PgLockingClause> clauses = locked.lockingClauses().stream()
          .map(PgLockingClause.class::cast).toList();
      assertEquals(List.of(PgLockingClause.Strength.NO_KEY_UPDATE,
          PgLockingClause.Strength.KEY_SHARE, PgLockingClause.Strength.SHARE),
          clauses.stream().map(PgLockingClause::strength).toList());
      assertEquals(2, clauses.get(1).tables().size());
      assertEquals(PgLockingClause.WaitPolicy.SKIP_LOCKED, clauses.get(1).waitPolicy());
      assertEquals("SELECT * FROM t, s ORDER BY t.a LIMIT 5 FOR NO KEY UPDATE OF t NOWAIT "
          + "FOR KEY SHARE OF s, u SKIP LOCKED FOR SHARE", PgSqlDialect.toSql(locked)
          .replace('\n', ' '));
    }

    @Test
    void queriesWithoutLockingAreCalcitesOwnNodes() {
      assertInstanceOf(SqlSelect.class, parse("SELECT a FROM t"));
      assertInstanceOf(SqlOrderBy.class, parse("WITH x AS (SELECT 1 AS a) SELECT a FROM x ORDER BY a"));
    }
  }

  @Nested
  class Literals {
    @Test
    void arrayConstructor() {
      SqlCall array = (SqlCall) expr("ARRAY[1, 2]");
      assertSame(SqlStdOperatorTable.ARRAY_VALUE_CONSTRUCTOR, array.getOperator());
      assertEquals(2, array.operandCount());
    }

    @Test
    void escapeStrings() {
      SqlLiteral literal = (SqlLiteral) expr("E'a\\nb\\'c\\\\'");
      assertEquals("a\nb'c\\", literal.getValueAs(String.class));
      // Printed as a standard string: PostgreSQL reads it the same.
      assertEquals("SELECT 'a\nb''c\\'", PgSqlDialect.toSql(parse("SELECT E'a\\nb\\'c\\\\'")));
    }

    @Test
    void identifiersFoldToLowerCaseUnlessQuoted() {
      SqlSelect select = (SqlSelect) parse("SELECT Name, \"Mixed\" FROM Tab");
      assertEquals("name", ((SqlIdentifier) select.getSelectList().get(0)).getSimple());
      assertEquals("Mixed", ((SqlIdentifier) select.getSelectList().get(1)).getSimple());
      assertEquals("SELECT name, \"Mixed\" FROM tab", print("SELECT Name, \"Mixed\" FROM Tab"));
    }

    @Test
    void postgresqlColumnNamesThatCalciteReserves() {
      assertEquals("SELECT date, time, timestamp, value FROM t",
          print("SELECT date, time, timestamp, value FROM t"));
    }
  }

  @Nested
  class Errors {
    @Test
    void syntaxErrorHasPositionOfTheToken() {
      BasaltException e = assertThrows(BasaltException.class,
          () -> parse("SELECT a\nFROM t WHERE a = )"));
      assertEquals("42601", e.sqlState());
      assertEquals("syntax error at or near \")\"", e.getMessage());
      assertEquals("27", e.fields().get('P'));
    }

    @Test
    void endOfInput() {
      BasaltException e = assertThrows(BasaltException.class, () -> parse("SELECT 1 +"));
      assertEquals("syntax error at end of input", e.getMessage());
      assertEquals("11", e.fields().get('P'));
    }

    @Test
    void positionCountsTabsAsOneCharacter() {
      BasaltException e = assertThrows(BasaltException.class, () -> parse("SELECT\t1 1"));
      assertEquals("10", e.fields().get('P'));
    }

    @Test
    void oneStatementOnly() {
      assertEquals(SqlKind.SELECT, parse("SELECT 1;").getKind());
      assertEquals("42601", assertThrows(BasaltException.class,
          () -> parse("SELECT 1; SELECT 2")).sqlState());
    }
  }

  @Nested
  class OrderedAggregates {
    @Test
    void orderByIsTheLastOperandOfTheCall() {
      SqlCall call = (SqlCall) expr("jsonb_agg(DISTINCT v ORDER BY id DESC, k)");
      assertEquals(2, call.operandCount());
      SqlNodeList order = assertInstanceOf(SqlNodeList.class, call.operand(1));
      assertEquals(2, order.size());
      assertEquals(SqlKind.DESCENDING, order.get(0).getKind());
      assertTrue(call.getFunctionQuantifier() != null);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT jsonb_agg(v ORDER BY id) FROM t",
        "SELECT json_object_agg(k, v ORDER BY k DESC NULLS FIRST) FILTER (WHERE k > 1) FROM t",
        "SELECT pg_catalog.jsonb_agg(DISTINCT v ORDER BY v) FROM t",
        "SELECT \"MyAgg\"(v, 2 ORDER BY v + 1) FROM t",
        "SELECT count(x ORDER BY y) FROM t",
        "SELECT STRING_AGG(v, ',' ORDER BY id) FROM t",
    })
    void printsBack(String sql) {
      assertEquals(sql, print(sql));
      assertEquals(print(sql), print(print(sql)));
    }

    /** ORDER BY inside a query in parentheses is the query's, not an aggregate's. */
    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT ARRAY(SELECT x FROM t ORDER BY x)",
        "SELECT EXISTS (SELECT x FROM t ORDER BY x)",
        "SELECT f((SELECT x FROM t ORDER BY x LIMIT 1))",
        "SELECT sum(x) OVER (ORDER BY y) FROM t",
        "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM t",
    })
    void otherOrderByIsUntouched(String sql) {
      assertEquals(print(sql), print(print(sql)));
      SqlNode item = ((SqlSelect) parse(sql)).getSelectList().get(0);
      assertTrue(!(item instanceof SqlCall call
          && call.getOperator() instanceof org.apache.calcite.sql.SqlUnresolvedFunction
          && call.operandCount() > 0
          && call.operand(call.operandCount() - 1) instanceof SqlNodeList), print(sql));
    }
  }

  @Nested
  class MaterializedCtes {
    @ParameterizedTest
    @ValueSource(strings = {
        "WITH x AS MATERIALIZED (SELECT 1) SELECT * FROM x",
        "WITH x (a, b) AS NOT MATERIALIZED (SELECT 1, 2), y AS (SELECT 3) SELECT * FROM x, y",
        "WITH RECURSIVE r (n) AS MATERIALIZED (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3)"
            + " SELECT * FROM r",
    })
    void printsBack(String sql) {
      assertEquals(sql, print(sql));
    }

    @Test
    void theHintIsKept() {
      SqlWith with = (SqlWith) parse("WITH x AS NOT MATERIALIZED (SELECT 1), y AS MATERIALIZED"
          + " (SELECT 2), z AS (SELECT 3) SELECT * FROM x, y, z");
      assertEquals(false, ((PgWithItem) with.withList.get(0)).materialized());
      assertEquals(true, ((PgWithItem) with.withList.get(1)).materialized());
      assertTrue(!(with.withList.get(2) instanceof PgWithItem));
    }

    @Test
    void materializedIsStillAColumnName() {
      assertEquals("SELECT materialized FROM t", print("SELECT materialized FROM t"));
    }
  }
}
