package io.basalt.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.basalt.planner.lexer.Lexer;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableReferencesTest {
  private static List<String> refs(String sql) {
    return TableReferences.of(Lexer.tokenize(sql));
  }

  @Test
  void fromJoinAndCommaLists() {
    assertEquals(List.of("events"), refs("SELECT count(*) FROM events"));
    assertEquals(List.of("a", "b", "c"), refs("SELECT * FROM a JOIN b ON a.x = b.x, c WHERE 1=1"));
    assertEquals(List.of("a", "b"), refs("SELECT * FROM a, b"));
    assertEquals(List.of("events"), refs("SELECT * FROM public.events e"));
    assertEquals(List.of("My Table"), refs("SELECT * FROM \"My Table\""));
    assertEquals(List.of("events"), refs("SELECT * FROM ONLY Events"));
    assertEquals(List.of("events", "x"),
        refs("WITH x AS (SELECT * FROM events) SELECT * FROM x"));
    assertEquals(List.of("events", "t"), refs("SELECT (SELECT count(*) FROM events), a FROM t"));
    assertEquals(List.of("t", "events"), refs("SELECT * FROM (SELECT 1 FROM t) s, events"));
  }

  @Test
  void modifications() {
    assertEquals(List.of("events"), refs("INSERT INTO events VALUES (1)"));
    assertEquals(List.of("events", "t"), refs("UPDATE events SET a = 1, b = 2 FROM t"));
    assertEquals(List.of("events", "t"), refs("DELETE FROM events USING t WHERE events.k = t.k"));
    assertEquals(List.of("events"), refs("COPY events (a, b) TO STDOUT"));
    assertEquals(List.of("events"), refs("TABLE events"));
  }

  @Test
  void columnsAliasesAndFunctionsAreNotRelations() {
    assertEquals(List.of("pg_class", "pg_namespace"),
        refs("SELECT c.oid, n.nspname, u FROM pg_catalog.pg_class c"
            + " LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE c.relname OPERATOR(pg_catalog.~) '^(events)$'"));
    assertEquals(List.of(), refs("SELECT events, u FROM generate_series(1, 3) events"));
    assertEquals(List.of("t"), refs("SELECT * FROM t JOIN lateral_fn(1) f ON true"));
    assertEquals(List.of(), refs("SELECT 'FROM events'"));
    assertEquals(List.of("t"), refs("SELECT * FROM t JOIN LATERAL (SELECT 1) s ON true"));
  }

  @Test
  void bodiesOfDoBlocksAndFunctionsAreReadAsSql() {
    assertEquals(List.of("events"), TableReferences.inBodies(Lexer.tokenize(
        "DO $$ BEGIN PERFORM * FROM events; END $$")));
    assertEquals(List.of("events"), TableReferences.inBodies(Lexer.tokenize(
        "CREATE FUNCTION f() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM events'")));
    assertEquals(List.of("t"), TableReferences.inBodies(Lexer.tokenize(
        "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $body$ BEGIN"
            + " EXECUTE 'DELETE FROM t'; END $body$")));
    assertEquals(List.of(), TableReferences.inBodies(Lexer.tokenize(
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1 AS events'")));
    assertEquals("it's", TableReferences.stringBody("'it''s'"));
    assertEquals(" x ", TableReferences.stringBody("$q$ x $q$"));
  }
}
