package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same queries through Basalt and straight to PostgreSQL must give the same answers, in every
 * transfer mode pgjdbc has: simple protocol, extended with text results, and extended with binary
 * transfer forced for every statement.
 */
class JdbcDifferentialIT {
  static final List<String> QUERIES = List.of(
      "SELECT 1::int2, 2::int4, 3::int8, 1.5::float4, 2.25::float8, 'NaN'::float8",
      "SELECT 123456789012345678901234567890.123456789::numeric, 'NaN'::numeric, -0.5::numeric(10,3)",
      "SELECT 'hello'::text, 'x'::varchar(3), 'ab'::char(4), ''::text, NULL::text",
      "SELECT '\\x00ff10'::bytea, ''::bytea, decode('deadbeef', 'hex')",
      "SELECT true, false, NULL::bool",
      "SELECT '2024-02-29'::date, '12:34:56.789'::time, '2024-02-29 12:34:56.123456'::timestamp",
      "SELECT '2024-02-29 12:34:56.123456+02'::timestamptz, 'infinity'::timestamptz",
      "SELECT '1 year 2 months 3 days 04:05:06.7'::interval, '-1 day'::interval",
      "SELECT ARRAY[1,2,NULL,4], ARRAY['a','b c','\"q\"'], ARRAY[[1,2],[3,4]]::int8[], '{}'::int[]",
      "SELECT '{\"a\": [1, 2, {\"b\": null}]}'::jsonb, '[1, \"x\"]'::json",
      "SELECT 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, '192.168.0.1/24'::inet, '08:00:2b:01:02:03'::macaddr",
      "SELECT ROW(1, 'two', 3.0)::diff_composite, 'green'::diff_mood, 7::diff_posint",
      "SELECT n, n * n AS sq, repeat('x', n) FROM generate_series(1, 50) n ORDER BY n",
      "SELECT oid, relname FROM pg_class WHERE relname = 'pg_class'",
      "SELECT point(1,2), '((0,0),(1,1))'::box, 'a & b'::tsquery, 'fat cats'::tsvector",
      "SELECT money(12.34)::text, 12::oid, 'pg_class'::regclass, B'1011'::bit(4), '1/0'::pg_lsn");

  @BeforeAll
  static void types() throws SQLException {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      s.execute("DROP TYPE IF EXISTS diff_composite; DROP TYPE IF EXISTS diff_mood;"
          + " DROP DOMAIN IF EXISTS diff_posint;"
          + " CREATE TYPE diff_composite AS (a int, b text, c numeric);"
          + " CREATE TYPE diff_mood AS ENUM ('red', 'green');"
          + " CREATE DOMAIN diff_posint AS int CHECK (VALUE > 0)");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"simple", "extended-text", "extended-binary"})
  void sameAnswersAsPostgres(String mode) throws SQLException {
    Properties p = new Properties();
    switch (mode) {
      case "simple" -> p.setProperty("preferQueryMode", "simple");
      case "extended-text" -> p.setProperty("binaryTransfer", "false");
      default -> {
        p.setProperty("prepareThreshold", "-1");   // server-prepare (and go binary) at once
        p.setProperty("binaryTransfer", "true");
      }
    }
    try (Connection basalt = TestBasalt.connect(p);
         Connection direct = TestBasalt.connectDirect(p)) {
      for (String q : QUERIES) {
        for (int run = 0; run < 2; run++) {   // second run uses the server-prepared statement
          assertEquals(answer(direct, q), answer(basalt, q), mode + ": " + q);
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"extended-text", "extended-binary"})
  void parametersInEveryType(String mode) throws SQLException {
    Properties p = new Properties();
    if (mode.equals("extended-binary")) {
      p.setProperty("prepareThreshold", "-1");
      p.setProperty("binaryTransfer", "true");
    }
    String q = "SELECT ?::int4 + 1, ?::text || '!', ?::numeric * 2, ?::bytea, ?::timestamptz,"
        + " ?::bool, ?::float8, ?::int8[]";
    try (Connection basalt = TestBasalt.connect(p);
         Connection direct = TestBasalt.connectDirect(p)) {
      assertEquals(bound(direct, q), bound(basalt, q));
    }
  }

  private static List<String> bound(Connection c, String q) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(q)) {
      List<String> all = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        ps.setInt(1, 41 + i);
        ps.setString(2, "héllo " + i);
        ps.setBigDecimal(3, new java.math.BigDecimal("12345.6789"));
        ps.setBytes(4, new byte[] {0, 1, (byte) 0xff, (byte) i});
        ps.setTimestamp(5, java.sql.Timestamp.valueOf("2020-01-02 03:04:05.678"));
        ps.setBoolean(6, i % 2 == 0);
        ps.setDouble(7, 1.0 / 3);
        ps.setArray(8, c.createArrayOf("int8", new Long[] {1L, null, 3L}));
        try (ResultSet rs = ps.executeQuery()) {
          all.addAll(rows(rs));
        }
      }
      return all;
    }
  }

  static List<String> answer(Connection c, String q) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(q); ResultSet rs = ps.executeQuery()) {
      return rows(rs);
    }
  }

  static List<String> rows(ResultSet rs) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    List<String> out = new ArrayList<>();
    StringBuilder header = new StringBuilder();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      header.append(md.getColumnLabel(i)).append(':').append(md.getColumnTypeName(i)).append(' ');
    }
    out.add(header.toString());
    while (rs.next()) {
      StringBuilder row = new StringBuilder();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        Object v = rs.getObject(i);
        row.append(v instanceof byte[] b ? java.util.HexFormat.of().formatHex(b)
            : rs.getString(i)).append('|');
      }
      out.add(row.toString());
    }
    return out;
  }
}
