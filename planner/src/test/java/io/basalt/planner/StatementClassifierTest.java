package io.basalt.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StatementClassifierTest {

  private static List<String> texts(String sql) {
    return StatementClassifier.split(sql).stream().map(Statement::text).toList();
  }

  private static StatementKind kind(String sql) {
    return StatementClassifier.classify(sql).kind();
  }

  // ------------------------------------------------------------------ split

  @Test
  void splitsAtTopLevelSemicolons() {
    assertEquals(List.of("SELECT 1", "SELECT 2", "SELECT 3"),
        texts("SELECT 1; SELECT 2;\n SELECT 3"));
  }

  @Test
  void emptyStatementsBetweenSemicolonsAreDropped() {
    assertEquals(List.of("SELECT 1", "SELECT 2"), texts(";; SELECT 1 ;;; SELECT 2;"));
    assertEquals(List.of(), texts(""));
    assertEquals(List.of(), texts(" ; -- only a comment\n ; /* and another */"));
  }

  @Test
  void semicolonsInsideStringsQuotesCommentsAndParensDoNotSplit() {
    assertEquals(List.of("SELECT 'a;b', E'c\\';d', \"e;f\"", "SELECT 2"),
        texts("SELECT 'a;b', E'c\\';d', \"e;f\"; SELECT 2"));
    assertEquals(List.of("SELECT 1 -- x; y\n + 1", "SELECT 2"),
        texts("SELECT 1 -- x; y\n + 1; SELECT 2 /* ; */"));
    assertEquals(List.of("CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; SELECT 2; $$"
        + " LANGUAGE sql", "SELECT f()"),
        texts("CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; SELECT 2; $$ LANGUAGE sql;"
            + "SELECT f()"));
    assertEquals(List.of("DO $body$ BEGIN PERFORM 1; END $body$"),
        texts("DO $body$ BEGIN PERFORM 1; END $body$;"));
    assertEquals(List.of("CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO u VALUES (1);"
        + " INSERT INTO u VALUES (2))", "SELECT 1"),
        texts("CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO u VALUES (1);"
            + " INSERT INTO u VALUES (2)); SELECT 1"));
  }

  @Test
  void sqlStandardFunctionBodiesAreOneStatement() {
    String function = "CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC"
        + " SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END; SELECT x; END";
    assertEquals(List.of(function, "SELECT f(1)"), texts(function + "; SELECT f(1)"));
    String procedure = "create or replace procedure p() language sql begin atomic"
        + " insert into t values (1); end";
    assertEquals(List.of(procedure, "END"), texts(procedure + "; END;"));
    // Elsewhere BEGIN and END are transaction control and a semicolon still ends them.
    assertEquals(List.of("BEGIN", "SELECT 1", "END"), texts("BEGIN; SELECT 1; END"));
    assertEquals(List.of("CREATE FUNCTION g() RETURNS int LANGUAGE sql"
        + " RETURN CASE WHEN true THEN 1 END", "SELECT 2"),
        texts("CREATE FUNCTION g() RETURNS int LANGUAGE sql"
            + " RETURN CASE WHEN true THEN 1 END; SELECT 2"));
  }

  @Test
  void statementTextExcludesSurroundingSpaceAndTokensPointIntoTheQuery() {
    String sql = "  SELECT 1 ;  SELECT 'x'  ";
    List<Statement> statements = StatementClassifier.split(sql);
    assertEquals(2, statements.size());
    Statement second = statements.get(1);
    assertEquals("SELECT 'x'", second.text());
    assertEquals(List.of("SELECT", "'x'"), second.tokens().stream().map(t -> t.text()).toList());
    assertEquals("'x'", sql.substring(second.tokens().get(1).start(),
        second.tokens().get(1).end()));
  }

  @Test
  void classifyDropsTheFinalSemicolonAndSurroundingSpace() {
    Statement s = StatementClassifier.classify("  SELECT 1 ;  ");
    assertEquals("SELECT 1", s.text());
    assertEquals(2, s.tokens().size());
    assertEquals(StatementKind.OTHER, s.kind());
  }

  // ------------------------------------------------------------------ kinds

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", ";", " -- comment only", "/* c */ ;"})
  void empty(String sql) {
    assertEquals(StatementKind.EMPTY, kind(sql));
  }

  @ParameterizedTest
  @ValueSource(strings = {"COPY t FROM STDIN", "copy t (a, b) from stdin with (format csv)",
      "COPY s.t FROM STDIN WITH CSV HEADER", "COPY \"T\" FROM stdin"})
  void copyFromStdin(String sql) {
    assertEquals(StatementKind.COPY_FROM_STDIN, kind(sql));
  }

  @ParameterizedTest
  @ValueSource(strings = {"COPY t TO STDOUT", "COPY (SELECT 1) TO STDOUT",
      "copy (select * from t where x = 'FROM STDIN') to stdout with (format binary)",
      "COPY t (a) TO STDOUT CSV"})
  void copyToStdout(String sql) {
    assertEquals(StatementKind.COPY_TO_STDOUT, kind(sql));
  }

  @ParameterizedTest
  @ValueSource(strings = {"COPY t FROM '/tmp/file'", "COPY t TO '/tmp/file'",
      "COPY t FROM PROGRAM 'cat x'"})
  void copyWithFilesIsOther(String sql) {
    assertEquals(StatementKind.OTHER, kind(sql));
  }

  @Test
  void setClientEncoding() {
    assertEncoding("SET client_encoding TO 'LATIN1'", "LATIN1");
    assertEncoding("set client_encoding = 'UTF8';", "UTF8");
    assertEncoding("SET client_encoding TO latin1", "latin1");
    assertEncoding("SET \"client_encoding\" TO 'SQL_ASCII'", "SQL_ASCII");
    // Setting names are case-insensitive, quoted or not.
    assertEncoding("SET \"Client_Encoding\" TO 'LATIN1'", "LATIN1");
    assertEncoding("RESET \"CLIENT_ENCODING\"", null);
    assertEncoding("SET SESSION client_encoding TO 'WIN1252'", "WIN1252");
    assertEncoding("SET NAMES 'EUC_JP'", "EUC_JP");
    assertEncoding("SET SESSION NAMES 'UTF8'", "UTF8");
    assertEncoding("SET client_encoding TO 'it''s'", "it's");
    // Every string constant form that SET accepts.
    assertEncoding("SET client_encoding TO E'LATIN1'", "LATIN1");
    assertEncoding("SET NAMES e'it\\'s\\\\'", "it's\\");
    assertEncoding("SET client_encoding TO $$WIN1252$$", "WIN1252");
    assertEncoding("SET client_encoding TO $e$LATIN2$e$", "LATIN2");
    // Forms SET does not take stay as written, so they fail as no encoding.
    assertEncoding("SET client_encoding TO N'LATIN3'", "N'LATIN3'");
    assertEncoding("SET client_encoding TO E'LATIN\\n1'", "LATIN\\n1");
    // DEFAULT, RESET and a bare SET NAMES go back to the connection's default.
    assertEncoding("SET client_encoding TO DEFAULT", null);
    assertEncoding("SET NAMES DEFAULT", null);
    assertEncoding("SET NAMES", null);
    assertEncoding("RESET client_encoding", null);
    assertEncoding("reset CLIENT_ENCODING", null);
  }

  private static void assertEncoding(String sql, String expected) {
    Statement s = StatementClassifier.classify(sql);
    assertEquals(StatementKind.SET_CLIENT_ENCODING, s.kind(), sql);
    assertEquals(expected, s.argument(), sql);
  }

  @ParameterizedTest
  @ValueSource(strings = {"SET LOCAL client_encoding TO 'UTF8'", "SET search_path TO s",
      "RESET ALL", "RESET search_path", "SET client_encoding TO 'a', 'b'"})
  void otherSetsAreNotClientEncoding(String sql) {
    assertEquals(StatementKind.OTHER, kind(sql));
    assertNull(StatementClassifier.classify(sql).argument());
  }

  @ParameterizedTest
  @ValueSource(strings = {"BEGIN", "begin transaction isolation level serializable",
      "START TRANSACTION READ ONLY", "COMMIT", "COMMIT AND CHAIN", "END", "END WORK", "ROLLBACK",
      "ABORT", "SAVEPOINT s1", "RELEASE SAVEPOINT s1", "RELEASE s1",
      "ROLLBACK TO SAVEPOINT s1", "PREPARE TRANSACTION 'gid'", "COMMIT PREPARED 'gid'",
      "ROLLBACK PREPARED 'gid'"})
  void transactionControl(String sql) {
    assertEquals(StatementKind.TRANSACTION_CONTROL, kind(sql));
  }

  @ParameterizedTest
  @ValueSource(strings = {"PREPARE foo AS SELECT 1", "PREPARE q (int) AS SELECT $1",
      "EXECUTE foo", "DEALLOCATE foo"})
  void preparedStatementsAreNotTransactionControl(String sql) {
    assertEquals(StatementKind.OTHER, kind(sql));
  }

  @ParameterizedTest
  @ValueSource(strings = {"SELECT create_distributed_table('t', 'id')",
      "SELECT * FROM citus_add_node('localhost', 5432)",
      "select pg_catalog.create_reference_table('r')"})
  void utilityCall(String sql) {
    assertEquals(StatementKind.UTILITY_CALL, kind(sql));
  }

  @ParameterizedTest
  @ValueSource(strings = {"CREATE INDEX ON t (a)", "CREATE INDEX i ON t (a)",
      "create unique index i on t (a)", "CREATE INDEX CONCURRENTLY i ON t (a)",
      "DROP INDEX i", "DROP INDEX CONCURRENTLY IF EXISTS i", "ALTER TABLE t ADD COLUMN b int",
      "ALTER INDEX i RENAME TO j", "DROP TABLE t, u CASCADE", "TRUNCATE t", "TRUNCATE TABLE t",
      "VACUUM", "VACUUM (ANALYZE) t", "ANALYZE t", "ANALYSE t", "REINDEX TABLE t",
      "CLUSTER t USING i"})
  void ddl(String sql) {
    assertEquals(StatementKind.DDL, kind(sql));
  }

  @ParameterizedTest
  @ValueSource(strings = {"CREATE TABLE t (a int)", "CREATE UNLOGGED TABLE t (a int)",
      "CREATE TABLE \"INDEX\" (a int)", "SELECT 1", "INSERT INTO t VALUES (1)",
      "UPDATE t SET a = 1", "DELETE FROM t", "WITH x AS (SELECT 1) SELECT * FROM x",
      "CREATE VIEW v AS SELECT 1", "DROP VIEW v", "ALTER VIEW v RENAME TO w",
      "CREATE SCHEMA s", "SELECT count(*) FROM t", "SELECT citus_version()",
      "EXPLAIN SELECT create_distributed_table('t', 'id')", "\"BEGIN\"", "(SELECT 1)"})
  void other(String sql) {
    assertEquals(StatementKind.OTHER, kind(sql));
  }

  @Test
  void splitClassifiesEachStatement() {
    List<StatementKind> kinds = StatementClassifier.split("BEGIN; CREATE TABLE t (id int);"
        + " SELECT create_distributed_table('t', 'id'); CREATE INDEX ON t (id);"
        + " COPY t FROM STDIN; COMMIT").stream().map(Statement::kind).toList();
    assertEquals(List.of(StatementKind.TRANSACTION_CONTROL, StatementKind.OTHER,
        StatementKind.UTILITY_CALL, StatementKind.DDL, StatementKind.COPY_FROM_STDIN,
        StatementKind.TRANSACTION_CONTROL), kinds);
  }
}
