package io.basalt.coordinator.it;

import static io.basalt.coordinator.it.CopyDifferential.copyIn;
import static io.basalt.coordinator.it.CopyDifferential.copyOut;
import static io.basalt.coordinator.it.CopyDifferential.count;
import static io.basalt.coordinator.it.CopyDifferential.execute;
import static io.basalt.coordinator.it.CopyDifferential.rows;
import static io.basalt.coordinator.it.CopyDifferential.utf8;
import static io.basalt.coordinator.it.CopyDifferential.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.coordinator.it.CopyDifferential.Outcome;
import io.basalt.coordinator.it.CopyDifferential.Output;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * COPY into and out of distributed and reference tables, each case checked against a plain
 * PostgreSQL given the same DDL and the same input (see {@link CopyDifferential}): the same row
 * counts, the same errors (SQLSTATE, message, detail, CONTEXT line), the same rows afterwards;
 * and on the workers themselves, every row in the shard its value hashes to and nothing left
 * behind by a COPY that failed.
 */
class CopyIT {
  private static CopyDifferential diff;

  @BeforeAll
  static void start() throws SQLException {
    diff = CopyDifferential.start();
  }

  @AfterAll
  static void stop() throws SQLException {
    if (diff != null) {
      diff.close();
    }
  }

  /** One input for one COPY statement ({@code %s}: the table) and the rows it loads. */
  record Case(String sql, String input, long rows) {}

  /**
   * Runs each case on a fresh (truncated) table on both servers, whole and again cut into
   * CopyData messages of one byte, comparing outcomes, rows and placement.
   */
  private static void runCases(String table, String key, List<Case> cases) throws SQLException {
    for (Case c : cases) {
      for (int chunk : new int[] {65536, 1}) {
        diff.both("TRUNCATE " + table);
        Outcome o = diff.copyInBoth(c.sql().formatted(table), utf8(c.input()), chunk);
        assertEquals(c.rows(), o.rows(), "rows loaded by " + c.sql() + " from:\n" + c.input()
            + "\n" + o);
        diff.assertSameRows(table);
        diff.assertPlacement(table, key);
      }
    }
  }

  // ------------------------------------------------------------------ text format

  @Test
  void textFormat() throws SQLException {
    String t = "copy_text";
    diff.create(t, "k int, a text, b int, c text", "k");
    try {
      runCases(t, "k", List.of(
          new Case("COPY %s FROM STDIN", "1\tone\t10\tx\n2\t\\N\t\\N\t\n3\t\t30\t\\N\n", 3),
          new Case("COPY %s FROM STDIN (DELIMITER '|', NULL 'nil')",
              "1|a|1|nil\n2|nil|2|\n3|\\N|3|a\\|b\n4|x\ty|4|z\n", 4),
          new Case("COPY %s FROM STDIN (DELIMITER ',')", "30,a\\,b,30,c\n", 1),
          new Case("COPY %s FROM STDIN (NULL '')", "29\t\t29\t\\N\n", 1),
          // Escapes: \t \n \\ octal hex (one and two digits), \b \f \v \r, any other char,
          // a backslash before a real newline or a delimiter, an escaped "\N" that is no NULL.
          new Case("COPY %s FROM STDIN",
              "4\ttab\\there\t4\tnl\\nline\n"
                  + "5\tback\\\\slash\t5\t\\101\\102\\x43\\x4a\\x4\n"
                  + "6\t\\b\\f\\v\\r\t6\tq\\'\\\"\\z\n"
                  + "7\tsplit\\\nline\t7\tz\n"
                  + "8\tdelim\\\there\t8\t\\\\N\n", 5),
          new Case("COPY %s FROM STDIN", "9\tlast\t9\tno newline at the end", 1),
          new Case("COPY %s FROM STDIN", "10\ta\t10\tb\n\\.\n11\tafter the end\tx\ty\n", 1),
          new Case("COPY %s FROM STDIN", "12\ta\t12\tb\n13\tc\t13\td\\.\n", 2),
          new Case("COPY %s FROM STDIN", "14\tcr\t14\tlf\r\n15\tx\t15\ty\r\n", 2),
          new Case("COPY %s FROM STDIN", "14\tcr\t14\tlf\r\n\\.\r\n", 1),
          new Case("COPY %s FROM STDIN",
              "16\tÄpfel ✓ 𝄞\t16\t日本語\n17\t\\xc3\\xa9t\\303\\251\t17\tокно\n", 2),
          new Case("COPY %s (k, c) FROM STDIN", "18\tonly c\n19\t\\N\n", 2),
          new Case("COPY %s (c, b, k, a) FROM STDIN", "cc\t20\t20\taa\n", 1),
          new Case("COPY %s FROM STDIN (HEADER true)",
              "anything\tat\tall\there\n21\ta\t21\tb\n", 1),
          new Case("COPY %s FROM STDIN (HEADER match)", "k\ta\tb\tc\n22\ta\t22\tb\n", 1),
          new Case("COPY %s (c, k) FROM STDIN (HEADER match)", "c\tk\nz\t23\n", 1),
          new Case("COPY %s FROM STDIN (FORMAT text, HEADER)", "k\ta\tb\tc\r\n24\ta\t24\tb\r\n",
              1),
          // Distribution values the coordinator must decode or read as PostgreSQL does.
          new Case("COPY %s FROM STDIN",
              "\\x32\\065\tescaped key\t25\t\n 26 \tspaces\t26\t\n+27\tplus\t27\t\n"
                  + "0028\tzeros\t28\t\n-29\tminus\t-29\t\n", 5),
          new Case("COPY %s FROM STDIN", "", 0)));
    } finally {
      diff.drop(t);
    }
  }

  // ------------------------------------------------------------------ csv format

  @Test
  void csvFormat() throws SQLException {
    String t = "copy_csv";
    diff.create(t, "k int, a text, b text, c int", "k");
    try {
      runCases(t, "k", List.of(
          new Case("COPY %s FROM STDIN (FORMAT csv)",
              "1,plain,text,1\n2,\"quoted, with comma\",\"say \"\"hi\"\"\",2\n"
                  + "3,\"multi\nline\r\nfield\",x,3\n4,,\"\",4\n5,\"\",,\n", 5),
          new Case("COPY %s FROM STDIN (FORMAT csv, HEADER)", "k,a,b,c\n6,a,b,6\n", 1),
          new Case("COPY %s FROM STDIN (FORMAT csv, HEADER true)",
              "\"k\nstill the header\",a,b,c\n7,a,b,7\n", 1),
          new Case("COPY %s FROM STDIN (FORMAT csv, HEADER match)",
              "k,\"a\",b,c\n8,a,b,8\n", 1),
          new Case("COPY %s (c, a, k) FROM STDIN (FORMAT csv, HEADER match)",
              "c,a,k\n9,a,9\n", 1),
          new Case("COPY %s FROM STDIN (FORMAT csv, DELIMITER ';', QUOTE '''', ESCAPE '\\')",
              "10;'it\\'s';'semi;colon';10\n11;'back\\\\slash';'two''quotes';11\n", 2),
          new Case("COPY %s FROM STDIN (FORMAT csv, DELIMITER '|', QUOTE '\"', ESCAPE '\"')",
              "12|\"a|b\"|\"\"\"q\"\"\"|12\n", 1),
          new Case("COPY %s FROM STDIN (FORMAT csv, NULL 'NA', FORCE_NULL (a),"
              + " FORCE_NOT_NULL (b))", "13,\"NA\",NA,13\n14,NA,,14\n15,\"\",\"NA\",NA\n", 3),
          new Case("COPY %s FROM STDIN WITH CSV HEADER", "k,a,b,c\n16,a,b,16\n", 1),
          new Case("COPY %s FROM STDIN WITH DELIMITER ';' CSV QUOTE AS '\"' FORCE NOT NULL b",
              "17;a;;17\n", 1),
          new Case("COPY %s FROM STDIN (FORMAT csv)", "18,a,b,18\n\\.\n19,x,y,19\n", 1),
          new Case("COPY %s FROM STDIN (FORMAT csv)", "20,a,b,20\r\n21,\"x\r\ny\",b,21\r\n", 2),
          new Case("COPY %s FROM STDIN (FORMAT csv)", "\"22\",q,q,22\n\" 23\",s,s,23\n", 2),
          new Case("COPY %s FROM STDIN (FORMAT csv)",
              "24,\"Grüße, \"\"Welt\"\"\",✓,24\n25,\\N,\\.,25\n", 2),
          new Case("COPY %s FROM STDIN (FORMAT csv)", "26,a,b,26", 1),
          new Case("COPY %s (k) FROM STDIN (FORMAT csv)", "27\n\"28\"\n", 2)));
    } finally {
      diff.drop(t);
    }
  }

  /** "\." alone on a line inside a quoted CSV field is data (PostgreSQL 15). */
  @Test
  void csvEndMarkerInsideQuotedField() throws SQLException {
    String t = "copy_csv_marker";
    diff.create(t, "k int, a text, b text, c int", "k");
    try {
      runCases(t, "k", List.of(new Case("COPY %s FROM STDIN (FORMAT csv)",
          "1,\"x\n\\.\ny\",b,1\n", 1)));
    } finally {
      diff.drop(t);
    }
  }

  // ------------------------------------------------------------------ binary format

  @Test
  void binaryFormatBothWays() throws SQLException {
    String t = "copy_bin";
    String back = "copy_bin_back";
    diff.create(t, "k int, t text, n numeric, ts timestamptz, b bytea, arr int[], j jsonb,"
        + " u uuid, d date, f float8", "k");
    diff.create(back, "k int, t text, n numeric, ts timestamptz, b bytea, arr int[], j jsonb,"
        + " u uuid, d date, f float8", null);
    try {
      diff.both("SET TimeZone = 'UTC'");
      execute(diff.postgres, "INSERT INTO " + t + " SELECT g, CASE WHEN g % 10 = 0 THEN NULL"
          + " ELSE 'text ' || g || E'\\t✓' END, g * 1.5 - 100, timestamptz '2024-01-01 00:00+00'"
          + " + g * interval '1 hour 7 seconds', decode(md5(g::text), 'hex'), ARRAY[g, -g, NULL],"
          + " jsonb_build_object('g', g, 's', 'x' || g), md5(g::text)::uuid,"
          + " date '2000-02-28' + g, g / 7.0 FROM generate_series(-50, 250) g");
      Output fromPostgres = copyOut(diff.postgres, "COPY " + t + " TO STDOUT (FORMAT binary)");
      assertEquals(301, fromPostgres.outcome().rows());
      Outcome in = copyIn(diff.basalt, "COPY " + t + " FROM STDIN (FORMAT binary)",
          fromPostgres.data(), 65536);
      assertEquals(301, in.rows(), in.toString());
      diff.assertSameRows(t);
      diff.assertPlacement(t, "k");
      // The same binary input cut into odd pieces.
      execute(diff.basalt, "TRUNCATE " + t);
      assertEquals(301, copyIn(diff.basalt, "COPY " + t + " FROM STDIN (FORMAT binary)",
          fromPostgres.data(), 7).rows());
      diff.assertSameRows(t);

      // Input that stops without the trailer, or one byte into a field count, ends there.
      byte[] noTrailer = Arrays.copyOf(fromPostgres.data(),
          fromPostgres.data().length - 2);
      for (byte[] data : List.of(noTrailer, Arrays.copyOf(noTrailer,
          noTrailer.length + 1))) {
        diff.both("TRUNCATE " + t);
        assertEquals(301, diff.copyInBoth("COPY " + t + " FROM STDIN (FORMAT binary)", data,
            65536).rows());
        diff.assertSameRows(t);
      }
      // Bytes after the trailer: refused, on the line after the last tuple.
      Outcome after = diff.copyInBoth("COPY " + t + " FROM STDIN (FORMAT binary)",
          Arrays.copyOf(fromPostgres.data(), fromPostgres.data().length + 5), 65536);
      assertEquals("22P04", after.state(), after.toString());
      diff.assertSameRows(t);

      // Basalt's binary output read back by a plain PostgreSQL.
      Output fromBasalt = copyOut(diff.basalt, "COPY " + t + " TO STDOUT (FORMAT binary)");
      assertEquals(301, fromBasalt.outcome().rows(), fromBasalt.outcome().toString());
      assertEquals(301, copyIn(diff.postgres, "COPY " + back + " FROM STDIN (FORMAT binary)",
          fromBasalt.data(), 65536).rows());
      assertEquals(rows(diff.basalt, t), rows(diff.postgres, back));
      // And a column list, binary both ways.
      Output someColumns = copyOut(diff.basalt,
          "COPY " + t + " (u, k, j) TO STDOUT (FORMAT binary)");
      assertEquals(301, someColumns.outcome().rows());
      execute(diff.postgres, "TRUNCATE " + back);
      assertEquals(301, copyIn(diff.postgres, "COPY " + back + " (u, k, j) FROM STDIN"
          + " (FORMAT binary)", someColumns.data(), 65536).rows());
      assertEquals(rows(diff.postgres, "SELECT u, k, j FROM " + t),
          rows(diff.postgres, "SELECT u, k, j FROM " + back));
      // Legacy spelling: COPY BINARY t.
      Output legacy = copyOut(diff.basalt, "COPY BINARY " + t + " TO STDOUT");
      assertEquals(301, legacy.outcome().rows());
      assertArrayEquals(CopyStreams.sortedTuples(fromBasalt.data()), CopyStreams.sortedTuples(legacy.data()));
    } finally {
      diff.both("RESET TimeZone");
      diff.drop(t, back);
    }
  }

  // ------------------------------------------------------------------ distribution column types

  @Test
  void distributionColumnTypes() throws SQLException {
    List<String> ints = new ArrayList<>(List.of("0", "1", "-1", "2147483647", "-2147483648",
        " 42", "+43", "007"));
    List<String> bigints = new ArrayList<>(List.of("0", "9223372036854775807",
        "-9223372036854775808", "2147483648", "-2147483649", " 5 "));
    List<String> texts = new ArrayList<>(List.of("", " spaced ", "tab\\there", "new\\nline",
        "back\\\\slash", "\\\\N", "NULL", "Ü", "a,b", "\"quoted\""));
    List<String> uuids = new ArrayList<>(List.of("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
        "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12}", "a0eebc999c0b4ef8bb6d6bb9bd380a13",
        "a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a14"));
    List<String> dates = new ArrayList<>(List.of("epoch", "20240229",
        "January 8, 1999", "1999-Jan-09", "0001-01-01 BC", "5874897-12-31", "4713-11-24 BC",
        "2024-03-05"));
    for (int i = 0; i < 150; i++) {
      ints.add(Integer.toString(i * 7919 - 500_000));
      bigints.add(Long.toString(i * 1_000_000_007L * 9973 - 4_000_000_000_000L));
      texts.add(i % 3 == 0 ? "日本-" + i : "key-" + i);
      uuids.add(UUID.nameUUIDFromBytes(utf8("u" + i)).toString());
      dates.add(LocalDate.of(2020, 1, 1).plusDays(i * 13L).toString());
    }
    keyType("copy_key_int", "int", ints, null);
    keyType("copy_key_bigint", "bigint", bigints, null);
    keyType("copy_key_text", "text", texts, null);
    keyType("copy_key_uuid", "uuid", uuids, null);
    keyType("copy_key_date", "date", dates, null);
    List<String> numerics = new ArrayList<>(List.of("1", "1.0", "1.00", "-0", "0.000", "1e3",
        "1000", "NaN", "123456789012345678901234567890.123", " 7 ", "-0.5"));
    List<String> varchars = new ArrayList<>(List.of("", "a", "a ", "Ü", "12"));
    for (int i = 0; i < 100; i++) {
      numerics.add(i * 37 + "." + (i % 10) + (i % 3 == 0 ? "0" : ""));
      varchars.add("vc-" + i);
    }
    keyType("copy_key_numeric", "numeric", numerics, null);
    keyType("copy_key_varchar", "varchar(20)", varchars, null);
    // Dates the coordinator cannot read without the session's DateStyle: 03/05/2024 is March 5
    // under MDY and May 3 under DMY. (pgjdbc insists on ISO output; psqlCopyBothWays loads
    // such dates under DateStyle 'SQL, MDY'.)
    List<String> mdy = new ArrayList<>(List.of("03/05/2024", "12/31/1999", "1/2/2003"));
    List<String> dmy = new ArrayList<>(List.of("03/05/2024", "31/12/1999", "1/2/2003"));
    for (int i = 1; i <= 60; i++) {
      mdy.add(String.format("%02d/%02d/%d", i % 12 + 1, i % 28 + 1, 1990 + i));
      dmy.add(String.format("%02d/%02d/%d", i % 28 + 1, i % 12 + 1, 1990 + i));
    }
    keyType("copy_key_date_mdy", "date", mdy, "ISO, MDY");
    keyType("copy_key_date_dmy", "date", dmy, "ISO, DMY");
  }

  /**
   * Infinite dates as distribution values; the placement check asks the coordinator database's
   * get_shard_id_for_distribution_column, whose date hash handles them since
   * V4__infinite_date_hash.sql.
   */
  @Test
  void infiniteDatesAsDistributionValues() throws SQLException {
    keyType("copy_key_date_inf", "date", List.of("infinity", "-infinity", "2024-01-01"), null);
  }

  /**
   * Loads the values (text COPY input: escapes allowed) as the distribution column, then checks
   * rows and placement, and that a routed point query through Basalt finds each value as often
   * as PostgreSQL does; then the same rows again as csv and as binary, as PostgreSQL writes them.
   */
  private static void keyType(String table, String type, List<String> values, String dateStyle)
      throws SQLException {
    diff.create(table, "k " + type + ", v int", "k");
    try {
      if (dateStyle != null) {
        diff.both("SET DateStyle = '" + dateStyle + "'");
      }
      StringBuilder input = new StringBuilder();
      for (int i = 0; i < values.size(); i++) {
        input.append(values.get(i)).append('\t').append(i).append('\n');
      }
      Outcome o = diff.copyInBoth("COPY " + table + " FROM STDIN", input.toString());
      assertEquals(values.size(), o.rows(), table + ": " + o);
      diff.assertSameRows(table);
      diff.assertPlacement(table, "k");
      for (String v : values) {
        String literal = "'" + textValue(v).replace("'", "''") + "'";
        String sql = "SELECT count(*) || '/' || coalesce(sum(v), -1) FROM " + table
            + " WHERE k = " + literal;
        String expected = value(diff.postgres, sql);
        assertFalse(expected.startsWith("0/"), sql);
        assertEquals(expected, value(diff.basalt, sql), "point query " + sql);
      }
      for (String format : new String[] {"csv", "binary"}) {
        Output rows = copyOut(diff.postgres, "COPY " + table + " TO STDOUT (FORMAT " + format
            + ")");
        execute(diff.basalt, "TRUNCATE " + table);
        Outcome again = copyIn(diff.basalt, "COPY " + table + " FROM STDIN (FORMAT " + format
            + ")", rows.data(), 65536);
        assertEquals(values.size(), again.rows(), table + " " + format + ": " + again);
        diff.assertSameRows(table);
        diff.assertPlacement(table, "k");
      }
    } finally {
      if (dateStyle != null) {
        diff.both("RESET DateStyle");
      }
      diff.drop(table);
    }
  }

  /** A text-format field's value (the escapes these tests use). */
  private static String textValue(String field) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && i + 1 < field.length()) {
        char n = field.charAt(++i);
        c = switch (n) {
          case 't' -> '\t';
          case 'n' -> '\n';
          default -> n;
        };
      }
      b.append(c);
    }
    return b.toString();
  }

  // ------------------------------------------------------------------ defaults

  @Test
  void sequenceIdentityAndPlainDefaults() throws SQLException {
    String t = "copy_def_serial";
    diff.create(t, "id bigserial, k int, v text, d text DEFAULT 'x', n int DEFAULT 42,"
        + " g int GENERATED ALWAYS AS (k * 2) STORED", "k");
    try {
      StringBuilder text = new StringBuilder();
      StringBuilder csv = new StringBuilder();
      for (int i = 0; i < 300; i++) {
        text.append(i).append("\tv").append(i).append(i % 10 == 0 ? "\\r" : "").append('\n');
        csv.append("\"c,").append(i).append("\",").append(i + 1000).append('\n');
      }
      assertEquals(300, diff.copyInBoth("COPY " + t + " (k, v) FROM STDIN", text.toString())
          .rows());
      assertEquals(300, diff.copyInBoth("COPY " + t + " (v, k) FROM STDIN (FORMAT csv)",
          csv.toString()).rows());
      Output binary = copyOut(diff.postgres, "COPY (SELECT g + 5000, 'b' || g FROM"
          + " generate_series(1, 300) g) TO STDOUT (FORMAT binary)");
      assertEquals(300, diff.copyInBoth("COPY " + t + " (k, v) FROM STDIN (FORMAT binary)",
          binary.data(), 65536).rows());
      // A column list that leaves out a plain default but names the sequence's column.
      assertEquals(2, diff.copyInBoth("COPY " + t + " (id, k) FROM STDIN", "-1\t-1\n-2\t-2\n")
          .rows());
      diff.assertSameRows(t);
      diff.assertPlacement(t, "k");
      assertEquals("902", value(diff.basalt, "SELECT count(DISTINCT id) FROM " + t));
      assertEquals("0", value(diff.basalt, "SELECT count(*) FROM " + t
          + " WHERE d IS DISTINCT FROM 'x' OR n IS DISTINCT FROM 42 OR g <> k * 2"));
    } finally {
      diff.drop(t);
    }

    // The distribution column itself a bigserial the COPY leaves out: the coordinator computes
    // each row's value, then routes the row by it.
    String s = "copy_def_dist_serial";
    diff.create(s, "id bigserial, v text", "id");
    try {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < 500; i++) {
        text.append("row ").append(i).append('\n');
      }
      assertEquals(500, diff.copyInBoth("COPY " + s + " (v) FROM STDIN", text.toString()).rows());
      Output binary = copyOut(diff.postgres, "COPY (SELECT 'b' || g FROM generate_series(1, 100)"
          + " g) TO STDOUT (FORMAT binary)");
      assertEquals(100, diff.copyInBoth("COPY " + s + " (v) FROM STDIN (FORMAT binary)",
          binary.data(), 65536).rows());
      diff.assertSameRows(s);
      diff.assertPlacement(s, "id");
      assertEquals("600", value(diff.basalt, "SELECT count(DISTINCT id) FROM " + s));
    } finally {
      diff.drop(s);
    }

    String id = "copy_def_identity";
    diff.create(id, "k int, id bigint GENERATED ALWAYS AS IDENTITY, v text", "k");
    String idDist = "copy_def_identity_dist";
    diff.create(idDist, "id bigint GENERATED BY DEFAULT AS IDENTITY (START WITH 1000), v text",
        "id");
    try {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < 200; i++) {
        text.append(i).append("\tv").append(i).append('\n');
      }
      assertEquals(200, diff.copyInBoth("COPY " + id + " (k, v) FROM STDIN", text.toString())
          .rows());
      diff.assertSameRows(id);
      diff.assertPlacement(id, "k");
      assertEquals("200", value(diff.basalt, "SELECT count(DISTINCT id) FROM " + id));
      assertEquals(200, diff.copyInBoth("COPY " + idDist + " (v) FROM STDIN (FORMAT csv)",
          text.toString().replace('\t', '-')).rows());
      assertEquals(2, diff.copyInBoth("COPY " + idDist + " FROM STDIN (FORMAT csv)",
          "1,given\n2,given\n").rows());
      diff.assertSameRows(idDist);
      diff.assertPlacement(idDist, "id");
    } finally {
      diff.drop(id, idDist);
    }
  }

  // ------------------------------------------------------------------ errors

  /** Rows k, 1, "row k" for k in [from, from + n), text format. */
  private static String good(int from, int n) {
    StringBuilder b = new StringBuilder();
    for (int k = from; k < from + n; k++) {
      b.append(k).append("\t1\trow ").append(k).append('\n');
    }
    return b.toString();
  }

  private static String goodCsv(int from, int n) {
    return good(from, n).replace('\t', ',');
  }

  /** A failing case: the SQLSTATE PostgreSQL gives, which Basalt must match in every field. */
  record Failure(String sql, byte[] input, String state) {
    Failure(String sql, String input, String state) {
      this(sql, utf8(input), state);
    }
  }

  @Test
  void errorsMatchPostgresAndLeaveNothing() throws SQLException {
    String t = "copy_err";
    diff.create(t, "k int PRIMARY KEY, v int CHECK (v >= 0), s text NOT NULL", "k");
    try {
      assertEquals(20, diff.copyInBoth("COPY " + t + " FROM STDIN", good(1, 20)).rows());
      byte[] badUtf8 = utf8(good(100, 12) + "113\t1\tab");
      badUtf8 = Arrays.copyOf(badUtf8, badUtf8.length + 3);
      badUtf8[badUtf8.length - 3] = (byte) 0xff;
      badUtf8[badUtf8.length - 2] = 'c';
      badUtf8[badUtf8.length - 1] = '\n';
      byte[] binaryRows = copyOut(diff.postgres, "COPY (SELECT g, 1, 'b' || g FROM"
          + " generate_series(500, 540) g) TO STDOUT (FORMAT binary)").data();
      byte[] twoFields = copyOut(diff.postgres, "COPY (SELECT 1, 2) TO STDOUT (FORMAT binary)")
          .data();
      byte[] shortInt = copyOut(diff.postgres, "COPY (SELECT g, CASE WHEN g = 530 THEN 'ab'"
          + " ELSE 'abcd' END, 'x' FROM generate_series(500, 540) g) TO STDOUT (FORMAT binary)")
          .data();
      byte[] withOids = Arrays.copyOf(binaryRows, binaryRows.length);
      withOids[12] = 1;
      byte[] criticalFlag = Arrays.copyOf(binaryRows, binaryRows.length);
      criticalFlag[11] = 1;
      byte[] afterTrailer = Arrays.copyOf(binaryRows, binaryRows.length + 4);
      // A key whose shard none of 300..303 uses: its row starts its shard's batch.
      int alone = keyOnAnotherShard(t, List.of(300, 301, 302, 303));
      List<Failure> failures = List.of(
          // Malformed values, in a non-key column and in the key column, after rows that went
          // to many shards.
          new Failure("COPY %s FROM STDIN", good(100, 40) + "141\tabc\tx\n" + good(200, 5),
              "22P02"),
          new Failure("COPY %s FROM STDIN", good(100, 30) + "zz\t1\tx\n" + good(200, 5),
              "22P02"),
          new Failure("COPY %s FROM STDIN", good(100, 7) + "99999999999\t1\tx\n", "22003"),
          new Failure("COPY %s FROM STDIN (FORMAT csv)", goodCsv(100, 9) + "\"1x\",1,x\n",
              "22P02"),
          // Rows of the wrong shape.
          new Failure("COPY %s FROM STDIN", good(100, 10) + "150\t1\n", "22P04"),
          new Failure("COPY %s FROM STDIN", good(100, 5) + "151\n", "22P04"),
          new Failure("COPY %s FROM STDIN", good(100, 5) + "\n" + good(200, 2), "22P02"),
          new Failure("COPY %s FROM STDIN", good(100, 12) + "152\t1\tx\textra\n", "22P04"),
          new Failure("COPY %s FROM STDIN (FORMAT csv)", goodCsv(100, 12) + "153,1,x,extra\n",
              "22P04"),
          new Failure("COPY %s FROM STDIN (FORMAT csv)", goodCsv(100, 6)
              + "154,1,\"open\n155,1,x\n", "22P04"),
          new Failure("COPY %s FROM STDIN (FORMAT csv)", goodCsv(100, 6) + "156,1,\"open",
              "22P04"),
          new Failure("COPY %s FROM STDIN", good(100, 4) + "157\t1\ta\r\n", "22P04"),
          new Failure("COPY %s FROM STDIN", "158\t1\ta\r\n159\t1\tb\n", "22P04"),
          new Failure("COPY %s FROM STDIN", good(100, 3) + "160\t1\ta\\.x\n", "22P04"),
          new Failure("COPY %s FROM STDIN", good(100, 3) + "161\t1\ta\\000b\n", "22021"),
          new Failure("COPY %s FROM STDIN", badUtf8, "22021"),
          // Line numbers after multi-line csv rows and after a header.
          new Failure("COPY %s FROM STDIN (FORMAT csv)",
              "170,1,\"a\nb\"\n171,1,\"c\nd\ne\"\n172,x,y\n", "22P02"),
          new Failure("COPY %s FROM STDIN (FORMAT csv, HEADER)", "k,v,s\n173,1,a\n174,bad,b\n",
              "22P02"),
          // A multi-line row that is the first of its shard's batch (a shard's server counts
          // the lines of a COPY's first row differently), failing itself or before a failure.
          new Failure("COPY %s FROM STDIN (FORMAT csv)", goodCsv(300, 3) + alone
              + ",bad,\"multi\nline\"\n", "22P02"),
          new Failure("COPY %s FROM STDIN (FORMAT csv)", goodCsv(300, 3) + alone
              + ",bad,\"multi\r\nline\"\n", "22P02"),
          new Failure("COPY %s FROM STDIN (FORMAT csv)", goodCsv(300, 3).replace("\n", "\r\n")
              + alone + ",bad,\"multi\r\nline\"\r\n", "22P02"),
          new Failure("COPY %s FROM STDIN (FORMAT csv)", goodCsv(300, 1) + alone
              + ",1,\"x\ny\"\n" + goodCsv(301, 1) + alone + ",1,dup\n", "23505"),
          new Failure("COPY %s FROM STDIN (FORMAT csv)", goodCsv(300, 1) + alone
              + ",1,\"x\ny\nz\"\n" + goodCsv(301, 1) + alone + ",-1,\"check\nfails\"\n",
              "23514"),
          new Failure("COPY %s FROM STDIN (FORMAT csv)", goodCsv(300, 2) + alone
              + ",1,\"x\ny\nz\"\n" + goodCsv(302, 1) + (alone + 1000) + ",1,\"never\nclosed\n",
              "22P04"),
          new Failure("COPY %s FROM STDIN (HEADER match)", "k\tx\ts\n175\t1\ta\n", "22P04"),
          new Failure("COPY %s FROM STDIN (HEADER match)", "k\tv\n175\t1\ta\n", "22P04"),
          new Failure("COPY %s FROM STDIN (FORMAT csv, HEADER match)", "k,v,\n175,1,a\n",
              "22P04"),
          // Constraints the shards enforce.
          new Failure("COPY %s FROM STDIN", good(100, 8) + good(300, 6) + "105\t1\tdup\n",
              "23505"),
          new Failure("COPY %s FROM STDIN", good(100, 3) + "5\t1\tclash\n", "23505"),
          new Failure("COPY %s FROM STDIN (FORMAT csv)", goodCsv(100, 6) + "180,-1,x\n",
              "23514"),
          new Failure("COPY %s FROM STDIN", good(100, 6) + "181\t1\t\\N\n", "23502"),
          new Failure("COPY %s FROM STDIN", good(100, 6) + "\\N\t1\tx\n", "23502"),
          new Failure("COPY %s (v, s) FROM STDIN", "1\tno key\n", "23502"),
          // Binary input that is not.
          new Failure("COPY %s FROM STDIN (FORMAT binary)", "not binary at all\n", "22P04"),
          new Failure("COPY %s FROM STDIN (FORMAT binary)", "", "22P04"),
          new Failure("COPY %s FROM STDIN (FORMAT binary)",
              Arrays.copyOf(binaryRows, 13), "22P04"),
          new Failure("COPY %s FROM STDIN (FORMAT binary)",
              Arrays.copyOf(binaryRows, 17), "22P04"),
          new Failure("COPY %s FROM STDIN (FORMAT binary)", withOids, "22P04"),
          new Failure("COPY %s FROM STDIN (FORMAT binary)", criticalFlag, "22P04"),
          new Failure("COPY %s FROM STDIN (FORMAT binary)", afterTrailer, "22P04"),
          new Failure("COPY %s FROM STDIN (FORMAT binary)", twoFields, "22P04"),
          new Failure("COPY %s FROM STDIN (FORMAT binary)",
              Arrays.copyOf(binaryRows, binaryRows.length - 7), "22P04"),
          new Failure("COPY %s FROM STDIN (FORMAT binary)", shortInt, "08P01"),
          // Options and columns PostgreSQL refuses.
          new Failure("COPY %s FROM STDIN (FORMAT nope)", "", "22023"),
          new Failure("COPY %s FROM STDIN (DELIMITER '||')", "", "0A000"),
          new Failure("COPY %s FROM STDIN (DELIMITER '')", "", "0A000"),
          new Failure("COPY %s FROM STDIN (DELIMITER 'é')", "", "0A000"),
          new Failure("COPY %s FROM STDIN (FORMAT csv, QUOTE '')", "", "0A000"),
          new Failure("COPY %s FROM STDIN (FORMAT csv, ESCAPE 'ab')", "", "0A000"),
          new Failure("COPY %s FROM STDIN (DELIMITER (k))", "", "22023"),
          new Failure("COPY %s FROM STDIN (FORMAT csv, FORCE_NULL s)", "", "22023"),
          new Failure("COPY %s FROM STDIN WITH DELIMITER", "", "42601"),
          new Failure("COPY %s FROM STDIN (FORMAT", "", "42601"),
          new Failure("COPY %s FROM STDIN (FREEZE)", good(400, 2), "55000"),
          new Failure("COPY %s FROM STDIN (FORMAT csv, DELIMITER ',', QUOTE ',')", "", "22023"),
          new Failure("COPY %s FROM STDIN (QUOTE '\"')", "", "0A000"),
          new Failure("COPY %s FROM STDIN (FORCE_NULL (s))", "", "0A000"),
          new Failure("COPY %s FROM STDIN (FORMAT binary, HEADER)", "", "0A000"),
          new Failure("COPY %s FROM STDIN (NOPE 1)", "", "42601"),
          new Failure("COPY %s (k, nope) FROM STDIN", "", "42703"),
          new Failure("COPY %s (k, k) FROM STDIN", "", "42701"),
          new Failure("COPY %s TO STDOUT (FORMAT nope)", "", "22023"),
          new Failure("COPY %s (nope) TO STDOUT", "", "42703"));
      for (Failure f : failures) {
        String sql = f.sql().formatted(t);
        Outcome o = f.sql().contains(" TO STDOUT") ? copyOutBoth(sql) : diff.copyInBoth(sql,
            f.input(), 65536);
        assertEquals(f.state(), o.state(), sql + ": " + o);
        assertUnchanged(t, 20);
      }
    } finally {
      diff.drop(t);
    }
  }

  /** A key of the table's distribution type whose shard none of {@code taken} hashes to. */
  private static int keyOnAnotherShard(String table, List<Integer> taken) throws SQLException {
    String sql = "SELECT k FROM generate_series(400, 2000) k WHERE"
        + " get_shard_id_for_distribution_column('" + table + "', k) NOT IN (SELECT"
        + " get_shard_id_for_distribution_column('" + table + "', t) FROM unnest(ARRAY"
        + taken + ") t) ORDER BY k LIMIT 1";
    try (Connection direct = TestBasalt.connectDirect(new Properties())) {
      return Integer.parseInt(value(direct, sql));
    }
  }

  private static Outcome copyOutBoth(String sql) {
    Outcome expected = copyOut(diff.postgres, sql).outcome();
    Outcome actual = copyOut(diff.basalt, sql).outcome();
    assertEquals(expected, actual, sql);
    return actual;
  }

  /** The table holds what it did before the failed COPY, through Basalt and on the shards. */
  private static void assertUnchanged(String table, long rows) throws SQLException {
    assertEquals(rows, count(diff.basalt, table));
    assertEquals(rows, diff.rowsOnWorkers(table), "rows of " + table + " on the workers");
    diff.assertSameRows(table);
  }

  /** Errors on a reference table: the same as PostgreSQL's, and no placement changed. */
  @Test
  void referenceTableErrors() throws SQLException {
    String t = "copy_ref_err";
    diff.create(t, "code text PRIMARY KEY, n int CHECK (n > 0)", "reference");
    try {
      assertEquals(3, diff.copyInBoth("COPY " + t + " FROM STDIN (FORMAT csv)",
          "a,1\nb,2\nc,3\n").rows());
      int placements = diff.placements(t).size();
      for (String input : List.of("d,4\ne,5\na,6\n", "d,4\ne,-5\n", "d,x\n", "d,4,extra\n",
          "d,4\nd,5\n")) {
        Outcome o = diff.copyInBoth("COPY " + t + " FROM STDIN (FORMAT csv)", input);
        assertFalse(o.ok(), input);
        diff.assertSameRows(t);
        assertEquals(3L * placements, diff.rowsOnWorkers(t));
      }
    } finally {
      diff.drop(t);
    }
  }

  /** Errors with values the coordinator computes (a bigserial the COPY leaves out). */
  @Test
  void errorsWithComputedColumns() throws SQLException {
    String t = "copy_err_serial";
    diff.create(t, "id bigserial, k int, v int NOT NULL", "k");
    try {
      assertEquals(5, diff.copyInBoth("COPY " + t + " (k, v) FROM STDIN",
          "1\t1\n2\t1\n3\t1\n4\t1\n5\t1\n").rows());
      // Sequences advance differently on a failed COPY (a known difference): each case starts
      // from the same sequence value on both servers, as an error's detail may show it.
      for (Failure f : List.of(
          new Failure("COPY %s (k, v) FROM STDIN", "10\t1\n11\t1\n12\tabc\n", "22P02"),
          new Failure("COPY %s (k, v) FROM STDIN", "10\t1\n11\t1\n12\t1\textra\n", "22P04"),
          new Failure("COPY %s (k, v) FROM STDIN", "10\t1\n11\n", "22P04"),
          new Failure("COPY %s (k, v) FROM STDIN", "10\t1\n11\t\\N\n", "23502"),
          new Failure("COPY %s (v, k) FROM STDIN (FORMAT csv)", "1,10\n\"x\ny\",11\n", "22P02"),
          new Failure("COPY %s (v, k) FROM STDIN (FORMAT csv)", "1,10\n2,\"11", "22P04"))) {
        diff.both("SELECT setval('copy_err_serial_id_seq', 100)");
        Outcome o = diff.copyInBoth(f.sql().formatted(t), f.input(), 65536);
        assertEquals(f.state(), o.state(), f.sql() + ": " + o);
        assertUnchanged(t, 5);
      }
    } finally {
      diff.drop(t);
    }
  }

  /** Quoted, mixed-case names with spaces and quotes, in a schema of their own. */
  @Test
  void quotedNamesInASchema() throws SQLException {
    diff.both("DROP SCHEMA IF EXISTS \"Copy Sch\" CASCADE");
    diff.both("CREATE SCHEMA \"Copy Sch\"");
    String t = "\"Copy Sch\".\"T ab\"";
    diff.create(t, "\"Key\" int, \"va\"\"l\" text, other text", "Key");
    try {
      assertEquals(3, diff.copyInBoth("COPY " + t + " (\"va\"\"l\", \"Key\") FROM STDIN"
          + " (HEADER match)", "va\"l\tKey\nx\t1\ny\t2\n\\N\t3\n").rows());
      assertEquals(2, diff.copyInBoth("COPY " + t + " FROM STDIN (FORMAT csv, FORCE_NULL"
          + " (\"va\"\"l\"), FORCE_NOT_NULL (other))", "4,\"\",\n5,q,\n").rows());
      diff.assertSameRows(t);
      diff.assertPlacement(t, "\"Key\"");
      Outcome bad = diff.copyInBoth("COPY " + t + " FROM STDIN", "6\tx\ty\nseven\tx\ty\n");
      assertEquals("22P02", bad.state());
      Outcome header = diff.copyInBoth("COPY " + t + " (\"Key\") FROM STDIN (HEADER match)",
          "key\n8\n");
      assertEquals("22P04", header.state());
      for (String sql : List.of("COPY " + t + " TO STDOUT (FORMAT csv, HEADER)",
          "COPY " + t + " (\"va\"\"l\") TO STDOUT")) {
        assertEquals(copyOut(diff.postgres, sql).sortedLines(),
            copyOut(diff.basalt, sql).sortedLines(), sql);
      }
      // Through search_path, unqualified.
      diff.both("SET search_path = \"Copy Sch\", public");
      try {
        assertEquals(1, diff.copyInBoth("COPY \"T ab\" FROM STDIN", "9\tz\t\n").rows());
        diff.assertSameRows("\"T ab\"");
      } finally {
        diff.both("RESET search_path");
      }
      assertEquals(6, diff.rowsOnWorkers(t));
    } finally {
      diff.both("DROP SCHEMA IF EXISTS \"Copy Sch\" CASCADE");
    }
  }

  /** Refusals that are Basalt's own: PostgreSQL would load these. */
  @Test
  void basaltOnlyRefusals() throws SQLException {
    String t = "copy_nullkey";
    diff.create(t, "k int, v text", "k");
    try {
      assertEquals(3, diff.copyInBoth("COPY " + t + " FROM STDIN", "1\ta\n2\tb\n3\tc\n").rows());
      // A NULL distribution value in a nullable column: Citus's error, with the client's line.
      Outcome nullKey = copyIn(diff.basalt, "COPY " + t + " FROM STDIN",
          utf8("4\ta\n5\tb\n\\N\tnull key\n6\tc\n"), 65536);
      assertEquals("22004", nullKey.state(), nullKey.toString());
      assertEquals("the partition column of table copy_nullkey cannot be NULL",
          nullKey.message());
      assertEquals("COPY copy_nullkey, line 3", nullKey.where());
      // The same through csv: unquoted empty, and a quoted one under FORCE_NULL.
      assertEquals("22004", copyIn(diff.basalt, "COPY " + t + " FROM STDIN (FORMAT csv)",
          utf8("7,a\n,b\n"), 65536).state());
      assertEquals("22004", copyIn(diff.basalt, "COPY " + t + " FROM STDIN (FORMAT csv,"
          + " FORCE_NULL (k))", utf8("\"\",b\n"), 65536).state());
      // No distribution column in the list: every row's value is NULL.
      assertEquals("22004", copyIn(diff.basalt, "COPY " + t + " (v) FROM STDIN",
          utf8("x\n"), 65536).state());
      // Binary: a NULL field.
      Output binary = copyOut(diff.postgres, "COPY (SELECT NULL::int, 'x'::text) TO STDOUT"
          + " (FORMAT binary)");
      assertEquals("22004", copyIn(diff.basalt, "COPY " + t + " FROM STDIN (FORMAT binary)",
          binary.data(), 65536).state());
      // COPY ... WHERE and a foreign ENCODING are refused.
      Outcome where = copyIn(diff.basalt, "COPY " + t + " FROM STDIN WHERE k > 10",
          utf8("11\ta\n"), 65536);
      assertEquals("0A000", where.state(), where.toString());
      Outcome encoding = copyIn(diff.basalt, "COPY " + t + " FROM STDIN (ENCODING 'LATIN1')",
          utf8("12\ta\n"), 65536);
      assertEquals("0A000", encoding.state(), encoding.toString());
      // ENCODING 'UTF8' is fine.
      assertEquals(1, copyIn(diff.basalt, "COPY " + t + " FROM STDIN (ENCODING 'UTF8')",
          utf8("13\tutf8\n"), 65536).rows());
      assertEquals(4, count(diff.basalt, t));
      assertEquals(4, diff.rowsOnWorkers(t));
    } finally {
      diff.drop(t);
    }
  }

  // ------------------------------------------------------------------ atomicity

  /** CopyFail from the client: PostgreSQL's 57014, nothing loaded, the session usable. */
  @Test
  void copyFailFromClient() throws Exception {
    String t = "copy_fail";
    diff.create(t, "k int, v text", "k");
    try {
      List<String> basalt = copyFail(TestBasalt.port(), "postgres", TestBasalt.password(), t,
          false);
      var login = diff.reference().jdbcLogin();
      List<String> postgres = copyFail(diff.reference().server().port(),
          login.getProperty("user"), login.getProperty("password"), t, false);
      assertEquals(postgres, basalt);
      assertEquals("57014", basalt.get(0), basalt.toString());
      assertEquals(0, count(diff.basalt, t));
      assertEquals(0, diff.rowsOnWorkers(t));
      // Inside a transaction block, the block is then aborted.
      List<String> inBlock = copyFail(TestBasalt.port(), "postgres", TestBasalt.password(), t,
          true);
      assertEquals(copyFail(diff.reference().server().port(), login.getProperty("user"),
          login.getProperty("password"), t, true), inBlock);
      assertEquals(0, count(diff.basalt, t));
      CopyDifferential.awaitWorkersQuiet();
    } finally {
      diff.drop(t);
    }
  }

  /**
   * Sends rows, then CopyFail; returns the error's SQLSTATE, message and the transaction status
   * after it, then the answer to a next query (in a block: BEGIN first, and the next query
   * meets the aborted block; ROLLBACK after).
   */
  private static List<String> copyFail(int port, String user, String password, String table,
      boolean block) throws Exception {
    try (WireClient c = WireClient.connect(port, user, password)) {
      if (block) {
        c.query("BEGIN");
        c.readUntil('Z');
      }
      c.query("COPY " + table + " FROM STDIN");
      c.readUntil('G');
      c.copyData(utf8(good(1, 500).replace("\trow", "")));
      c.copyData(utf8("501\thalf a ro"));
      c.copyFail("the client gave up");
      List<String> seen = new ArrayList<>();
      for (WireClient.Message m : c.readUntil('Z')) {
        if (m.tag() == 'E') {
          seen.add(m.sqlState());
          seen.add(m.fields().get('M'));
        } else if (m.tag() == 'Z') {
          seen.add("status " + (char) m.body()[0]);
        }
      }
      c.query("SELECT count(*) FROM " + table);
      for (WireClient.Message m : c.readUntil('Z')) {
        if (m.tag() == 'E') {
          seen.add(m.sqlState());
        } else if (m.tag() == 'D') {
          seen.add("row");
        }
      }
      if (block) {
        c.query("ROLLBACK");
        seen.add(String.valueOf(c.readUntil('Z').get(0).tag()));
      }
      return seen;
    }
  }

  /**
   * A client that vanishes in the middle of a COPY (the socket closed, no Terminate) after rows
   * reached both workers: nothing is loaded, and the workers are left with no open or prepared
   * transaction.
   */
  @Test
  void clientDisconnectsMidCopy() throws Exception {
    String t = "copy_disconnect";
    diff.create(t, "k int, v text", "k", 4);
    try {
      WireClient c = WireClient.connect(TestBasalt.port(), "postgres", TestBasalt.password());
      try {
        c.query("COPY " + t + " FROM STDIN");
        c.readUntil('G');
        String filler = "x".repeat(200);
        int k = 0;
        // About 6 MB: batches of 512 KB go out to every shard before the client goes away.
        for (int chunk = 0; chunk < 100; chunk++) {
          StringBuilder b = new StringBuilder();
          for (int r = 0; r < 300; r++) {
            b.append(k++).append('\t').append(filler).append('\n');
          }
          c.copyData(utf8(b.toString()));
        }
        awaitCopyOnEveryWorker(t);
      } finally {
        c.close();
      }
      CopyDifferential.awaitWorkersQuiet();
      assertEquals(0, count(diff.basalt, t));
      assertEquals(0, diff.rowsOnWorkers(t));
      // The table is usable: no lock or connection of the lost session is left behind.
      assertEquals(1, copyIn(diff.basalt, "COPY " + t + " FROM STDIN", utf8("1\tafter\n"),
          65536).rows());
      execute(diff.basalt, "TRUNCATE " + t);
    } finally {
      diff.drop(t);
    }
  }

  /** Waits until each worker has a session that has written rows of the table's shards. */
  private static void awaitCopyOnEveryWorker(String table) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    for (var w : CopyDifferential.workers()) {
      while (w.psqlOutput("postgres", "SELECT count(*) FROM pg_stat_activity WHERE query LIKE"
          + " 'COPY %" + table + "%' AND backend_xid IS NOT NULL").equals("0")) {
        assertTrue(System.nanoTime() < deadline, "no COPY into " + table + " on worker "
            + w.port());
        Thread.sleep(100);
      }
    }
  }

  /**
   * A COPY whose rows already reached both workers, failing on a late row: PostgreSQL's error
   * with the client's line, nothing loaded, no prepared transaction left on the workers.
   */
  @Test
  void lateFailureAfterBatchesReachedBothWorkers() throws Exception {
    String t = "copy_late_failure";
    diff.create(t, "k int PRIMARY KEY, v int, s text", "k", 4);
    try {
      assertEquals(20, diff.copyInBoth("COPY " + t + " FROM STDIN", good(1, 20)).rows());
      String filler = "y".repeat(100);
      StringBuilder input = new StringBuilder();
      for (int k = 1000; k < 41_000; k++) {
        input.append(k).append("\t1\t").append(filler).append('\n');
      }
      input.append("50000\tnot a number\tz\n");
      Outcome o = diff.copyInBoth("COPY " + t + " FROM STDIN", utf8(input.toString()), 65536);
      assertEquals("22P02", o.state(), o.toString());
      assertEquals("COPY copy_late_failure, line 40001, column v: \"not a number\"", o.where());
      CopyDifferential.awaitWorkersQuiet();
      assertUnchanged(t, 20);
      // A duplicate key found by a shard late in a large input.
      input.setLength(0);
      for (int k = 1000; k < 41_000; k++) {
        input.append(k).append("\t1\t").append(filler).append('\n');
      }
      input.append("1500\t1\tdup\n");
      Outcome dup = diff.copyInBoth("COPY " + t + " FROM STDIN", utf8(input.toString()), 65536);
      assertEquals("23505", dup.state(), dup.toString());
      CopyDifferential.awaitWorkersQuiet();
      assertUnchanged(t, 20);
      // CSV rows of several lines each, over many batches of every shard, then a bad one that
      // spans lines too: the line count must survive every batch's start.
      input.setLength(0);
      for (int k = 1000; k < 31_000; k++) {
        input.append(k).append(",1,\"").append(filler, 0, k % 50).append(k % 3 == 0 ? "\n" : "")
            .append(k % 7 == 0 ? "\r\n" : "").append("\"\n");
      }
      input.append("50000,\"not\na number\",z\n");
      Outcome multiLine = diff.copyInBoth("COPY " + t + " FROM STDIN (FORMAT csv)",
          utf8(input.toString()), 65536);
      assertEquals("22P02", multiLine.state(), multiLine.toString());
      CopyDifferential.awaitWorkersQuiet();
      assertUnchanged(t, 20);
      // A row larger than a batch, loaded; a long bad line, told as PostgreSQL abbreviates it.
      String huge = "ü".repeat(700_000);
      assertEquals(2, diff.copyInBoth("COPY " + t + " FROM STDIN", "60000\t1\t" + huge
          + "\n60001\t2\tsmall\n").rows());
      assertEquals("1400005", value(diff.basalt, "SELECT sum(octet_length(s)) FILTER (WHERE k"
          + " >= 60000) FROM " + t));
      Outcome longLine = diff.copyInBoth("COPY " + t + " FROM STDIN", "60002\t1\t"
          + "ü".repeat(300) + "\textra\n");
      assertEquals("22P04", longLine.state(), longLine.toString());
      Outcome longValue = diff.copyInBoth("COPY " + t + " FROM STDIN", "60003\t"
          + "ü".repeat(300) + "\tx\n");
      assertEquals("22P02", longValue.state(), longValue.toString());
      assertUnchanged(t, 22);
    } finally {
      diff.drop(t);
    }
  }

  @Test
  void copyInsideTransactionBlocks() throws Exception {
    String t = "copy_block";
    String r = "copy_block_ref";
    diff.create(t, "k int PRIMARY KEY, v int, s text", "k");
    diff.create(r, "code text PRIMARY KEY, name text", "reference");
    try (Connection basalt = TestBasalt.connect(); Connection postgres =
        diff.postgresConnection()) {
      for (Connection c : List.of(basalt, postgres)) {
        c.setAutoCommit(false);
        // Rolled back: nothing stays; inside the block the rows are visible.
        assertEquals(30, copyIn(c, "COPY " + t + " FROM STDIN", utf8(good(1, 30)), 65536)
            .rows());
        assertEquals("30", value(c, "SELECT count(*) FROM " + t));
        c.rollback();
        assertEquals("0", value(c, "SELECT count(*) FROM " + t));
        // Committed, two tables in one block (distributed and reference).
        execute(c, "INSERT INTO " + t + " VALUES (1000, 1, 'inserted')");
        assertEquals(30, copyIn(c, "COPY " + t + " FROM STDIN", utf8(good(1, 30)), 65536)
            .rows());
        assertEquals(2, copyIn(c, "COPY " + r + " FROM STDIN (FORMAT csv)",
            utf8("a,Alpha\nb,\"Beta, the second\"\n"), 65536).rows());
        c.commit();
        // A failing COPY aborts the block: the next statement gets 25P02, ROLLBACK works and
        // takes back what the block did before the COPY.
        execute(c, "INSERT INTO " + t + " VALUES (2000, 1, 'gone')");
        Outcome failed = copyIn(c, "COPY " + t + " FROM STDIN", utf8(good(100, 50)
            + "5\t1\tdup\n"), 65536);
        assertEquals("23505", failed.state(), failed.toString());
        SQLException aborted = assertThrows(SQLException.class,
            () -> value(c, "SELECT count(*) FROM " + t));
        assertEquals("25P02", aborted.getSQLState());
        c.rollback();
        // A COPY that PostgreSQL refuses before any row (options, columns) aborts it as well.
        for (String bad : List.of("COPY " + t + " FROM STDIN (FORMAT nope)",
            "COPY " + t + " (nope) FROM STDIN", "COPY " + t + " TO STDOUT (DELIMITER '')")) {
          execute(c, "SELECT 1");
          Outcome refused = bad.contains("STDOUT") ? copyOut(c, bad).outcome()
              : copyIn(c, bad, utf8("1\t1\tx\n"), 65536);
          assertFalse(refused.ok(), bad);
          SQLException after = assertThrows(SQLException.class, () -> value(c, "SELECT 1"));
          assertEquals("25P02", after.getSQLState(), bad);
          c.rollback();
        }
        c.setAutoCommit(true);
      }
      // Basalt's own refusal inside a block aborts it too.
      basalt.setAutoCommit(false);
      execute(basalt, "SELECT 1");
      assertEquals("0A000", copyIn(basalt, "COPY " + t + " FROM STDIN WHERE k > 0",
          utf8("1\t1\tx\n"), 65536).state());
      assertEquals("25P02", assertThrows(SQLException.class, () -> value(basalt, "SELECT 1"))
          .getSQLState());
      basalt.rollback();
      basalt.setAutoCommit(true);
      assertEquals("31", value(diff.basalt, "SELECT count(*) FROM " + t));
      diff.assertSameRows(t);
      diff.assertSameRows(r);
      assertEquals(31, diff.rowsOnWorkers(t));
      assertEquals(2L * diff.placements(r).size(), diff.rowsOnWorkers(r));
      CopyDifferential.awaitWorkersQuiet();
    } finally {
      diff.drop(t, r);
    }
  }

  // ------------------------------------------------------------------ a larger load

  /**
   * 300 000 rows generated on the fly (never held whole), checked by count, sums and a checksum
   * of every line against what was generated; then COPY TO STDOUT gives the same lines back.
   */
  @Test
  void largeLoadAndCopyOut() throws Exception {
    String t = "copy_large";
    diff.create(t, "id bigint, name text, amount numeric(12,2)", "id");
    try {
      CopyStreams.GeneratedRows rows = new CopyStreams.GeneratedRows(300_000);
      Outcome o = CopyDifferential.copyIn(diff.basalt, "COPY " + t + " FROM STDIN", rows, 65536);
      assertEquals(300_000, o.rows(), o.toString());
      assertEquals(300_000, rows.lines);
      assertEquals("300000|" + rows.idSum + "|" + BigDecimal.valueOf(rows.centSum, 2)
          + "|300000", value(diff.basalt, "SELECT count(*) || '|' || sum(id) || '|' ||"
          + " sum(amount) || '|' || count(DISTINCT id) FROM " + t));
      assertEquals(300_000, diff.rowsOnWorkers(t));
      CopyStreams.LineChecksum out = new CopyStreams.LineChecksum();
      long copied = ((PGConnection) diff.basalt).getCopyAPI().copyOut(
          "COPY " + t + " TO STDOUT", out);
      assertEquals(300_000, copied);
      assertEquals(300_000, out.lines);
      assertEquals(rows.crcSum, out.crcSum, "checksum of the lines COPY TO STDOUT gave");
      assertTrue(out.endsWithNewline());
    } finally {
      diff.drop(t);
    }
  }

  // ------------------------------------------------------------------ COPY TO STDOUT

  @Test
  void copyOutOfTablesAndQueries() throws SQLException {
    String a = "copy_out_a";
    String b = "copy_out_b";
    String r = "copy_out_ref";
    diff.create(a, "k int, g int, v text, d date", "k");
    diff.create(b, "k int, w numeric, note text", "k");
    diff.create(r, "g int PRIMARY KEY, label text", "reference");
    try {
      StringBuilder in = new StringBuilder();
      StringBuilder inB = new StringBuilder();
      for (int k = 1; k <= 400; k++) {
        in.append(k).append('\t').append(k % 9).append('\t').append(k % 13 == 0 ? "\\N"
            : "v\\t" + k + (k % 5 == 0 ? ",\"q\"" : "")).append('\t')
            .append(LocalDate.of(2023, 1, 1).plusDays(k)).append('\n');
        if (k % 3 != 0) {
          inB.append(k).append(',').append(k * 1.25).append(",\"note, ").append(k)
              .append("\"\n");
        }
      }
      assertEquals(400, diff.copyInBoth("COPY " + a + " FROM STDIN", in.toString()).rows());
      assertEquals(267, diff.copyInBoth("COPY " + b + " FROM STDIN (FORMAT csv)",
          inB.toString()).rows());
      StringBuilder labels = new StringBuilder();
      for (int g = 0; g < 9; g++) {
        labels.append(g).append("\tlabel ").append(g).append('\n');
      }
      assertEquals(9, diff.copyInBoth("COPY " + r + " FROM STDIN", labels.toString()).rows());
      assertEquals(9L * diff.placements(r).size(), diff.rowsOnWorkers(r));

      // Whole tables: same lines in any order; a header exactly once, first.
      for (String sql : List.of("COPY %s TO STDOUT", "COPY %s (v, k) TO STDOUT",
          "COPY %s TO STDOUT (FORMAT csv)", "COPY %s TO STDOUT (FORMAT csv, FORCE_QUOTE *)",
          "COPY %s TO STDOUT (DELIMITER '|', NULL 'nil')",
          "COPY %s TO STDOUT WITH CSV QUOTE '''' FORCE QUOTE v")) {
        sameOutput(sql.formatted(a), false);
      }
      for (String sql : List.of("COPY %s TO STDOUT (FORMAT csv, HEADER)",
          "COPY %s TO STDOUT (HEADER true)")) {
        Output expected = copyOut(diff.postgres, sql.formatted(a));
        Output actual = copyOut(diff.basalt, sql.formatted(a));
        assertEquals(expected.outcome(), actual.outcome());
        List<String> e = expected.text().lines().toList();
        List<String> x = actual.text().lines().toList();
        assertEquals(e.get(0), x.get(0), "header line");
        assertEquals(e.subList(1, e.size()).stream().sorted().toList(),
            x.subList(1, x.size()).stream().sorted().toList());
      }
      sameOutput("COPY " + r + " TO STDOUT (FORMAT csv)", false);
      sameOutput("COPY " + b + " TO STDOUT (FORMAT csv)", false);

      // Queries: with ORDER BY byte for byte, in every format.
      String join = "SELECT a.k, a.v, b.w, b.note, r.label FROM " + a + " a JOIN " + b
          + " b ON a.k = b.k JOIN " + r + " r ON r.g = a.g WHERE a.g < 5 AND a.k > 20";
      for (String format : List.of("", " (FORMAT csv, HEADER)", " (FORMAT binary)",
          " (FORMAT csv, FORCE_QUOTE *)")) {
        sameOutput("COPY (" + join + " ORDER BY a.k DESC) TO STDOUT" + format, true);
      }
      sameOutput("COPY (" + join + ") TO STDOUT", false);
      sameOutput("COPY (SELECT g, count(*), sum(k), min(d), max(v) FROM " + a
          + " GROUP BY g ORDER BY g) TO STDOUT (FORMAT csv)", true);
      sameOutput("COPY (SELECT a.k, b.w FROM " + a + " a LEFT JOIN " + b + " b USING (k)"
          + " WHERE a.d BETWEEN '2023-03-01' AND '2023-06-01' ORDER BY a.k LIMIT 50) TO STDOUT",
          true);
      sameOutput("COPY (SELECT * FROM " + a + " WHERE k = 42) TO STDOUT", true);
      // An empty result.
      sameOutput("COPY (SELECT * FROM " + a + " WHERE k < 0) TO STDOUT (FORMAT csv, HEADER)",
          true);
    } finally {
      diff.drop(a, b, r);
    }
  }

  /** The same COPY TO STDOUT on both servers gives the same bytes (or lines, unordered). */
  private static void sameOutput(String sql, boolean ordered) {
    Output expected = copyOut(diff.postgres, sql);
    Output actual = copyOut(diff.basalt, sql);
    assertNotNull(expected.outcome());
    assertTrue(expected.outcome().ok(), sql + ": " + expected.outcome());
    assertEquals(expected.outcome(), actual.outcome(), sql);
    if (ordered) {
      assertArrayEquals(expected.data(), actual.data(), sql + "\nexpected:\n"
          + expected.text() + "\nactual:\n" + actual.text());
    } else {
      assertEquals(expected.sortedLines(), actual.sortedLines(), sql);
    }
  }

  // ------------------------------------------------------------------ psql \copy

  private static Proc.Result psql(String script) throws Exception {
    Proc.Result r = Proc.run(List.of("/usr/bin/psql", "-X", "-v", "ON_ERROR_STOP=1"),
        TestBasalt.libpqEnv(), null, script, Duration.ofSeconds(120));
    assertEquals(0, r.exit(), r.all());
    return r;
  }

  /**
   * Dates as distribution values in DateStyle 'SQL, MDY' (which pgjdbc cannot use), loaded and
   * written by psql: the coordinator must read 03/05/2024 as the session does.
   */
  @Test
  void psqlCopyUnderSqlDateStyle() throws Exception {
    Proc.requireExecutable("/usr/bin/psql");
    String t = "copy_psql_date";
    diff.create(t, "d date, v int", "d");
    Path dir = Files.createTempDirectory(
        Path.of("/tmp"), "basalt-copyit-");
    try {
      StringBuilder text = new StringBuilder("03/05/2024\t0\n12/31/1999\t1\n");
      for (int i = 2; i < 300; i++) {
        text.append(String.format("%02d/%02d/%d\t%d\n", i % 12 + 1, i % 28 + 1, 1800 + i, i));
      }
      Path in = dir.resolve("dates.txt");
      Path out = dir.resolve("dates-dmy.txt");
      Files.writeString(in, text);
      psql("SET DateStyle = 'SQL, MDY';\n\\copy " + t + " from '" + in + "'\n"
          + "SET DateStyle = 'SQL, DMY';\n\\copy " + t + " to '" + out + "'\n");
      diff.both("SET DateStyle = 'ISO, MDY'");
      try {
        assertEquals(300, copyIn(diff.postgres, "COPY " + t + " FROM STDIN", utf8(
            text.toString()), 65536).rows());
      } finally {
        diff.both("RESET DateStyle");
      }
      diff.assertSameRows(t);
      diff.assertPlacement(t, "d");
      assertEquals("1", value(diff.basalt, "SELECT count(*) FROM " + t
          + " WHERE d = '2024-03-05' AND v = 0"));
      assertEquals(copyOut(diff.postgres, "COPY (SELECT to_char(d, 'DD/MM/YYYY'), v FROM " + t
          + ") TO STDOUT").sortedLines(), Files.readString(out).lines().sorted()
          .toList());
    } finally {
      try (var s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
      diff.drop(t);
    }
  }

  @Test
  void psqlCopyBothWays() throws Exception {
    Proc.requireExecutable("/usr/bin/psql");
    String t = "copy_psql";
    diff.create(t, "k int, name text, n numeric, d date", "k");
    Path dir = Files.createTempDirectory(
        Path.of("/tmp"), "basalt-copyit-");
    try {
      StringBuilder text = new StringBuilder();
      StringBuilder csv = new StringBuilder("k,name,n,d\n");
      for (int k = 1; k <= 2000; k++) {
        String name = switch (k % 5) {
          case 0 -> "\\N";
          case 1 -> "tab\\there";
          case 2 -> "line\\nbreak \\\\ back";
          case 3 -> "ünï ✓ " + k;
          default -> "";
        };
        text.append(k).append('\t').append(name).append('\t').append(k / 8.0).append('\t')
            .append(LocalDate.of(2000, 1, 1).plusDays(k)).append('\n');
        csv.append(k + 5000).append(",\"").append(k % 3 == 0 ? "multi\nline" : "a,b \"\"q\"\"")
            .append("\",").append(k % 7 == 0 ? "" : Integer.toString(k)).append(",\n");
      }
      Path in = dir.resolve("in.txt");
      Path inCsv = dir.resolve("in.csv");
      Path out = dir.resolve("out.txt");
      Path outCsv = dir.resolve("out.csv");
      Files.writeString(in, text);
      Files.writeString(inCsv, csv);
      Proc.Result r = psql("\\copy " + t + " from '" + in + "'\n"
          + "\\copy " + t + " from '" + inCsv + "' (format csv, header match)\n"
          + "\\copy " + t + " to '" + out + "'\n"
          + "\\copy " + t + " to '" + outCsv + "' with csv header\n");
      assertTrue(r.out().contains("COPY 2000"), r.all());
      assertEquals(4000, count(diff.basalt, t));
      // The reference loads the same files (from STDIN, through pgjdbc).
      assertEquals(2000, copyIn(diff.postgres, "COPY " + t + " FROM STDIN",
          Files.readAllBytes(in), 65536).rows());
      assertEquals(2000, copyIn(diff.postgres, "COPY " + t + " FROM STDIN (FORMAT csv,"
          + " HEADER match)", Files.readAllBytes(inCsv), 65536).rows());
      diff.assertSameRows(t);
      diff.assertPlacement(t, "k");
      // What \copy to wrote is what PostgreSQL writes, in some order.
      Output expected = copyOut(diff.postgres, "COPY " + t + " TO STDOUT");
      assertEquals(expected.sortedLines(),
          Files.readString(out).lines().sorted().toList());
      List<String> textLines = Files.readString(out).lines().toList();
      assertTrue(textLines.containsAll(text.toString().lines().toList()),
          "the text file's lines come back unchanged");
      Output expectedCsv = copyOut(diff.postgres, "COPY " + t + " TO STDOUT (FORMAT csv,"
          + " HEADER)");
      String csvOut = Files.readString(outCsv);
      assertTrue(csvOut.startsWith("k,name,n,d\n"), csvOut.substring(0, 40));
      assertEquals(expectedCsv.sortedLines(), csvOut.lines().sorted().toList());
      // Reload the csv file into a fresh table on the reference: same rows again.
      diff.both("TRUNCATE " + t);
      assertEquals(4000, copyIn(diff.postgres, "COPY " + t + " FROM STDIN (FORMAT csv,"
          + " HEADER)", utf8(csvOut), 65536).rows());
      psql("\\copy " + t + " from '" + outCsv + "' with csv header\n");
      diff.assertSameRows(t);
    } finally {
      try (var s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
      diff.drop(t);
    }
  }
}
