package io.basalt.coordinator.copy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.error.BasaltException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The row splitters cut input as PostgreSQL's COPY does, whatever the chunk boundaries: every
 * input is also fed one byte at a time and must give the same rows.
 */
class RowSplitterTest {
  /** What a sink saw of one row. */
  record Seen(String bytes, long line, int lines, int fields, String key, boolean odd) {}

  private static List<Seen> split(CopyOptions o, int distField, String input, int chunk) {
    List<Seen> seen = new ArrayList<>();
    RowSink sink = row -> seen.add(new Seen(
        new String(row.buf(), row.start(), row.next() - row.start(), StandardCharsets.UTF_8),
        row.line(), row.lines(), row.fieldCount(), key(o, row), row.odd()));
    RowSplitter s = RowSplitter.of(o, sink, distField, "t", List.of("a", "b", "c"));
    byte[] b = input.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < b.length; i += chunk) {
      s.feed(b, i, Math.min(chunk, b.length - i));
    }
    s.finish();
    return seen;
  }

  private static String key(CopyOptions o, CopyRow row) {
    if (!row.hasDistField()) {
      return "<none>";
    }
    String v = o.format() == CopyFormat.CSV
        ? FieldValues.csv(row.buf(), row.distStart(), row.distEnd(), o, false, false)
        : FieldValues.text(row.buf(), row.distStart(), row.distEnd(), o.nullString());
    return v == null ? "<null>" : v;
  }

  private static List<Seen> both(CopyOptions o, int distField, String input) {
    List<Seen> whole = split(o, distField, input, 1 << 20);
    assertEquals(whole, split(o, distField, input, 1), "byte-by-byte feeding differs");
    assertEquals(whole, split(o, distField, input, 3), "3-byte chunks differ");
    return whole;
  }

  @Test
  void textRowsFieldsAndEscapes() {
    CopyOptions o = CopyOptions.defaults(CopyFormat.TEXT);
    List<Seen> rows = both(o, 1, "a\tk1\tz\nb\\\tc\tk\\\\2\n\\N\t\\N\n\tx\\ny\nlast\tkey");
    assertEquals(5, rows.size());
    assertEquals("k1", rows.get(0).key());
    assertEquals(3, rows.get(0).fields());
    // An escaped tab is data, not a field separator; "\\" is one backslash.
    assertEquals("k\\2", rows.get(1).key());
    assertEquals("<null>", rows.get(2).key());
    assertEquals("x\ny", rows.get(3).key());
    assertEquals("key", rows.get(4).key());
    assertEquals("last\tkey", rows.get(4).bytes());
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), rows.stream().map(Seen::line).toList());
    assertEquals("<none>", both(o, 2, "only\tone\n").get(0).key());
  }

  @Test
  void textEndMarkerAndDataBeforeIt() {
    CopyOptions o = CopyOptions.defaults(CopyFormat.TEXT);
    assertEquals(1, both(o, 0, "1\n\\.\n2\n").size());
    // PostgreSQL 15 keeps the data before "\." on its line as the last row.
    List<Seen> rows = both(o, 0, "1\n2\\.\n3\n");
    assertEquals(List.of("1", "2"), rows.stream().map(Seen::key).toList());
    assertTrue(both(o, 0, "1\n\\.x\n").get(1).odd(), "a corrupt marker is the server's to reject");
  }

  @Test
  void lineEndsFollowTheFirstLine() {
    CopyOptions o = CopyOptions.defaults(CopyFormat.TEXT);
    List<Seen> rows = both(o, 0, "1\r\n2\r\n");
    assertEquals(List.of("1\r\n", "2\r\n"), rows.stream().map(Seen::bytes).toList());
    BasaltException e = assertThrows(BasaltException.class, () -> split(o, 0, "1\n2\r\n", 64));
    assertEquals("literal carriage return found in data", e.getMessage());
    assertEquals("COPY t, line 2", e.fields().get('W'));
    e = assertThrows(BasaltException.class, () -> split(o, 0, "1\r\n2\n", 64));
    assertEquals("literal newline found in data", e.getMessage());
    CopyOptions csv = CopyOptions.defaults(CopyFormat.CSV);
    e = assertThrows(BasaltException.class, () -> split(csv, 0, "1\n2\r\n", 64));
    assertEquals("unquoted carriage return found in data", e.getMessage());
  }

  @Test
  void csvQuotesAndEmbeddedNewlines() {
    CopyOptions o = CopyOptions.defaults(CopyFormat.CSV);
    List<Seen> rows = both(o, 1, "1,\"a,b\",x\n2,\"multi\nline\",y\n3,,z\n4,\"\",w\n5,\"q\"\"q\",v\n");
    assertEquals(List.of("a,b", "multi\nline", "<null>", "", "q\"q"),
        rows.stream().map(Seen::key).toList());
    // A newline inside quotes counts as a line, as PostgreSQL counts it.
    assertEquals(List.of(1L, 3L, 4L, 5L, 6L), rows.stream().map(Seen::line).toList());
    assertEquals(2, rows.get(1).lines());
    assertEquals(3, rows.get(0).fields());
    assertTrue(both(o, 0, "1,\"open\n").get(0).odd(), "an unterminated quote is the server's");
  }

  @Test
  void csvEscapeOtherThanQuoteAndHeader() {
    CopyOptions base = CopyOptions.defaults(CopyFormat.CSV);
    CopyOptions o = new CopyOptions(CopyFormat.CSV, (byte) ';', "NULL",
        CopyOptions.Header.TRUE, (byte) '\'', (byte) '\\', List.of(), List.of(), List.of(),
        null, false);
    List<Seen> rows = both(o, 0, "k;v\n'a\\'b';1\nNULL;2\n'NULL';3\n");
    assertEquals(List.of("a'b", "<null>", "NULL"), rows.stream().map(Seen::key).toList());
    assertEquals(List.of(2L, 3L, 4L), rows.stream().map(Seen::line).toList());
    assertEquals(1, both(base, 0, "1\n\\.\n").size());
    // In csv "\." ends the data only alone on its line.
    assertEquals(List.of("\\.x", "2"), both(base, 0, "\\.x\n2\n").stream().map(Seen::key)
        .toList());
  }

  @Test
  void headerMatchHandsOverTheHeaderFields() {
    CopyOptions o = new CopyOptions(CopyFormat.CSV, (byte) ',', "", CopyOptions.Header.MATCH,
        (byte) '"', (byte) '"', List.of(), List.of(), List.of(), null, false);
    List<List<String>> headers = new ArrayList<>();
    RowSink sink = new RowSink() {
      @Override
      public void row(CopyRow row) {}

      @Override
      public void header(List<String> fields, String text, long line) {
        headers.add(fields);
      }
    };
    RowSplitter s = RowSplitter.of(o, sink, 0, "t", List.of("a", "b"));
    byte[] b = "\"a\",b\n1,2\n".getBytes(StandardCharsets.UTF_8);
    s.feed(b, 0, b.length);
    s.finish();
    assertEquals(List.of(List.of("a", "b")), headers);
  }

  @Test
  void binaryTuples() {
    ByteArrayOutputStream in = new ByteArrayOutputStream();
    in.writeBytes(BinarySplitter.HEADER);
    in.writeBytes(tuple(new byte[][] {int4(7), "x".getBytes(StandardCharsets.UTF_8), null}));
    in.writeBytes(tuple(new byte[][] {null, new byte[0], int4(9)}));
    in.writeBytes(BinarySplitter.TRAILER);
    List<byte[]> keys = new ArrayList<>();
    List<Long> lines = new ArrayList<>();
    RowSink sink = row -> {
      keys.add(row.distNullBinary() ? null
          : java.util.Arrays.copyOfRange(row.buf(), row.distStart(), row.distEnd()));
      lines.add(row.line());
    };
    byte[] b = in.toByteArray();
    for (int chunk : new int[] {1, 5, b.length}) {
      keys.clear();
      lines.clear();
      RowSplitter s = RowSplitter.of(CopyOptions.defaults(CopyFormat.BINARY), sink, 0, "t", List.of("a", "b", "c"));
      for (int i = 0; i < b.length; i += chunk) {
        s.feed(b, i, Math.min(chunk, b.length - i));
      }
      s.finish();
      assertEquals(2, keys.size());
      assertArrayEquals(int4(7), keys.get(0));
      assertNull(keys.get(1));
      assertEquals(List.of(1L, 2L), lines);
    }
    BasaltException e = assertThrows(BasaltException.class, () -> {
      RowSplitter s = RowSplitter.of(CopyOptions.defaults(CopyFormat.BINARY), sink, 0, "t", List.of("a", "b"));
      s.feed(b, 0, b.length);
    });
    assertEquals("row field count is 3, expected 2", e.getMessage());
    e = assertThrows(BasaltException.class, () -> {
      RowSplitter s = RowSplitter.of(CopyOptions.defaults(CopyFormat.BINARY), sink, 0, "t", List.of("a", "b", "c"));
      s.feed(new byte[] {'N', 'O', 'P', 'E'}, 0, 4);
      s.finish();
    });
    assertEquals("COPY file signature not recognized", e.getMessage());
  }

  private static byte[] int4(int v) {
    return ByteBuffer.allocate(4).putInt(v).array();
  }

  private static byte[] tuple(byte[][] fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(fields.length);
    for (byte[] f : fields) {
      out.writeBytes(ByteBuffer.allocate(4).putInt(f == null ? -1 : f.length).array());
      if (f != null) {
        out.writeBytes(f);
      }
    }
    return out.toByteArray();
  }
}
