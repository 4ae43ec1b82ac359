package io.basalt.coordinator.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.error.BasaltException;
import io.basalt.planner.lexer.Lexer;
import java.util.List;
import org.junit.jupiter.api.Test;

class CopyStatementTest {
  private static CopyStatement parse(String sql) {
    return CopyStatement.parse(sql, Lexer.tokenize(sql));
  }

  @Test
  void modernOptions() {
    CopyStatement c = parse("COPY public.\"Items\" (a, \"B\") FROM STDIN WITH (FORMAT csv,"
        + " HEADER match, DELIMITER ';', NULL 'n', QUOTE '''', ESCAPE E'\\\\',"
        + " FORCE_NULL (a), FORCE_NOT_NULL (\"B\"))");
    assertEquals(List.of("public", "Items"), c.table());
    assertEquals(List.of("a", "B"), c.columns());
    assertTrue(c.from());
    CopyOptions o = c.options();
    assertEquals(CopyFormat.CSV, o.format());
    assertEquals(CopyOptions.Header.MATCH, o.header());
    assertEquals(';', o.delimiter());
    assertEquals("n", o.nullString());
    assertEquals('\'', o.quote());
    assertEquals('\\', o.escape());
    assertEquals(List.of("a"), o.forceNull());
    assertEquals(List.of("B"), o.forceNotNull());
  }

  @Test
  void legacyOptionsAndDefaults() {
    CopyOptions o = parse("COPY t FROM STDIN WITH CSV HEADER DELIMITER AS '|' NULL AS 'x'"
        + " FORCE NOT NULL a, b").options();
    assertEquals(CopyFormat.CSV, o.format());
    assertEquals(CopyOptions.Header.TRUE, o.header());
    assertEquals('|', o.delimiter());
    assertEquals('"', o.escape(), "ESCAPE defaults to QUOTE");
    assertEquals(List.of("a", "b"), o.forceNotNull());
    CopyOptions text = parse("copy t to stdout").options();
    assertEquals('\t', text.delimiter());
    assertEquals("\\N", text.nullString());
    assertEquals(CopyFormat.BINARY, parse("COPY BINARY t FROM STDIN").options().format());
    assertEquals(CopyFormat.BINARY, parse("COPY t FROM STDIN (FORMAT binary)").options().format());
  }

  @Test
  void queryAndWhere() {
    String sql = "COPY (SELECT * FROM t WHERE (a) > 1) TO STDOUT (FORMAT csv)";
    CopyStatement c = parse(sql);
    assertTrue(c.isQuery());
    assertEquals("SELECT * FROM t WHERE (a) > 1", sql.substring(c.queryStart(), c.queryEnd()));
    assertNull(c.columns());
    assertTrue(parse("COPY t FROM STDIN WHERE a > 1").hasWhere());
  }

  @Test
  void shardOptionsDropTheHeaderAndReadBackTheSame() {
    CopyOptions o = parse("COPY t FROM STDIN (FORMAT csv, HEADER, DELIMITER E'\\t',"
        + " NULL '\\N')").options();
    assertEquals("(FORMAT csv, DELIMITER '\\t', NULL E'\\\\N', QUOTE '\"', ESCAPE '\"')",
        o.shardOptions(false).replace("\t", "\\t"));
    CopyOptions again = parse("COPY t FROM STDIN " + o.shardOptions(false)).options();
    assertEquals(o.delimiter(), again.delimiter());
    assertEquals(o.nullString(), again.nullString());
  }

  @Test
  void filesAreNotForDistributedTables() {
    BasaltException e = org.junit.jupiter.api.Assertions.assertThrows(BasaltException.class,
        () -> parse("COPY t FROM '/tmp/x.csv'"));
    assertEquals("0A000", e.sqlState());
  }
}
