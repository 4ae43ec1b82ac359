package io.basalt.executor.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ParameterStatusFilterTest {
  private static final Random RANDOM = new Random(20240305);

  // ------------------------------------------------------------ backend messages, built by hand

  private static byte[] message(char type, byte[] body) {
    byte[] m = new byte[5 + body.length];
    m[0] = (byte) type;
    int length = 4 + body.length;
    m[1] = (byte) (length >>> 24);
    m[2] = (byte) (length >>> 16);
    m[3] = (byte) (length >>> 8);
    m[4] = (byte) length;
    System.arraycopy(body, 0, m, 5, body.length);
    return m;
  }

  private static byte[] parameterStatus(String name, String value) {
    return message('S', (name + "\0" + value + "\0").getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] dataRow(int size) {
    byte[] body = new byte[size];
    RANDOM.nextBytes(body);
    // Plenty of 'S' bytes inside bodies: they must not be taken for headers.
    for (int i = 0; i < body.length; i += 7) {
      body[i] = 'S';
    }
    return message('D', body);
  }

  private static byte[] concat(List<byte[]> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    parts.forEach(out::writeBytes);
    return out.toByteArray();
  }

  /** A session's worth of messages, and what pgjdbc must see of them. */
  private record Stream(byte[] input, byte[] expected) {}

  private static Stream session() {
    List<byte[]> in = new ArrayList<>();
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      byte[] m = switch (i % 8) {
        case 0 -> parameterStatus("application_name", "psql");
        case 1 -> dataRow(RANDOM.nextInt(60));
        case 2 -> message('C', "SELECT 1\0".getBytes(StandardCharsets.UTF_8));
        case 3 -> parameterStatus("DateStyle", "ISO, DMY");
        case 4 -> dataRow(i == 4 ? 1024 * 1024 + 17 : 70_000);
        case 5 -> parameterStatus("TimeZone", "Europe/Berlin");
        case 6 -> message('Z', new byte[] {'I'});
        default -> message('N', new byte[0]);
      };
      in.add(m);
      out.add(m);
      if (i % 5 == 2) {
        String style = List.of("German, DMY", "Postgres, MDY", "SQL, DMY").get(i % 3);
        in.add(parameterStatus("DateStyle", style));
        out.add(parameterStatus("DateStyle", "ISO;" + style));
      }
    }
    // A body of nothing but a header-sized run of bytes, and an empty message at the very end.
    in.add(message('S', "DateStyle\0German, DMY\0".getBytes(StandardCharsets.UTF_8)));
    out.add(parameterStatus("DateStyle", "ISO;German, DMY"));
    in.add(message('1', new byte[0]));
    out.add(message('1', new byte[0]));
    return new Stream(concat(in), concat(out));
  }

  /** Hands out its bytes in chunks of the given sizes (cycled), as a socket might. */
  private static final class ChunkedInput extends InputStream {
    private final byte[] data;
    private final int[] chunks;
    private final boolean timeouts;
    private int pos;
    private int chunk;
    private int reads;
    private boolean timedOutHere;

    ChunkedInput(byte[] data, int[] chunks, boolean timeouts) {
      this.data = data;
      this.chunks = chunks;
      this.timeouts = timeouts;
    }

    @Override
    public int read() {
      throw new AssertionError("the filter must read in bulk");
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      reads++;
      if (pos == data.length) {
        return -1;
      }
      // Now and then a read times out (pgjdbc's 1 ms probe does this), once per position.
      if (timeouts && !timedOutHere && RANDOM.nextInt(4) == 0) {
        timedOutHere = true;
        throw new SocketTimeoutException("Read timed out");
      }
      timedOutHere = false;
      int n = Math.min(Math.min(len, chunks[chunk++ % chunks.length]), data.length - pos);
      System.arraycopy(data, pos, b, off, n);
      pos += n;
      return n;
    }
  }

  private static byte[] readAll(InputStream in, int[] readSizes, boolean retryTimeouts)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[3 + (1 << 16)];
    for (int i = 0; ; i++) {
      int size = readSizes[i % readSizes.length];
      int n;
      try {
        n = size == 0 ? in.read() : in.read(buf, 3, size);
      } catch (SocketTimeoutException e) {
        if (!retryTimeouts) {
          throw e;
        }
        continue;
      }
      if (n < 0) {
        return out.toByteArray();
      }
      if (size == 0) {
        out.write(n);
      } else {
        assertTrue(n > 0 && n <= size, "read returned " + n + " for " + size);
        out.write(buf, 3, n);
      }
    }
  }

  // ------------------------------------------------------------ tests

  @Test
  void disguisesNonIsoDateStyleAndPassesEverythingElse() throws IOException {
    Stream s = session();
    int[][] chunkings = {{Integer.MAX_VALUE}, {1}, {2}, {3}, {4}, {5}, {6}, {7, 1, 13}, {8192},
        {5, 4, 3, 2, 1, 100, 65536}, RANDOM.ints(50, 1, 40).toArray()};
    int[][] readSizes = {{8192}, {65536}, {1}, {0, 5, 0, 17}, {3, 4, 5, 6}, {30_000},
        RANDOM.ints(50, 1, 70).toArray()};
    for (int[] chunks : chunkings) {
      for (int[] reads : readSizes) {
        if (chunks[0] == 1 && reads[0] == 1) {
          continue;   // byte by byte both ways is slow and adds nothing
        }
        byte[] got = readAll(new ParameterStatusFilter(new ChunkedInput(s.input(), chunks,
            false)), reads, false);
        assertArrayEquals(s.expected(), got,
            "chunks " + Arrays.toString(chunks) + ", reads " + Arrays.toString(reads));
      }
    }
  }

  @Test
  void framingOfTheOutputIsIntact() throws IOException {
    Stream s = session();
    byte[] got = readAll(new ParameterStatusFilter(new ChunkedInput(s.input(), new int[] {3, 11},
        false)), new int[] {8192}, false);
    List<String> dateStyles = new ArrayList<>();
    int p = 0;
    int messages = 0;
    while (p < got.length) {
      int length = (got[p + 1] & 0xff) << 24 | (got[p + 2] & 0xff) << 16
          | (got[p + 3] & 0xff) << 8 | (got[p + 4] & 0xff);
      if (got[p] == 'S') {
        String[] nv = new String(got, p + 5, length - 4, StandardCharsets.UTF_8).split("\0");
        if (nv[0].equals("DateStyle")) {
          dateStyles.add(nv[1]);
        }
      }
      p += 1 + length;
      messages++;
    }
    assertEquals(got.length, p);
    assertEquals(40 + 8 + 2, messages);
    assertTrue(dateStyles.stream().allMatch(v -> v.startsWith("ISO")), dateStyles.toString());
    assertTrue(dateStyles.contains("ISO;German, DMY") && dateStyles.contains("ISO, DMY"),
        dateStyles.toString());
  }

  @Test
  void aTimedOutReadCanBeRetriedAnywhere() throws IOException {
    Stream s = session();
    for (int[] chunks : new int[][] {{1}, {2, 3}, {4096}, RANDOM.ints(20, 1, 30).toArray()}) {
      byte[] got = readAll(new ParameterStatusFilter(new ChunkedInput(s.input(), chunks, true)),
          new int[] {8192, 7, 1}, true);
      assertArrayEquals(s.expected(), got, Arrays.toString(chunks));
    }
  }

  @Test
  void bodiesPassInBulk() throws IOException {
    List<byte[]> rows = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      rows.add(dataRow(15));
    }
    byte[] data = concat(rows);
    ChunkedInput source = new ChunkedInput(data, new int[] {Integer.MAX_VALUE}, false);
    byte[] got = readAll(new ParameterStatusFilter(source), new int[] {8192}, false);
    assertArrayEquals(data, got);
    // One underlying read per 8 KiB buffer (plus a few for split headers), not one per message.
    int buffers = data.length / 8192 + 1;
    assertTrue(source.reads <= 2 * buffers + 2,
        source.reads + " reads for " + buffers + " buffers of " + rows.size() + " messages");
  }

  @Test
  void endOfStreamInsideAMessagePassesWhatThereIs() throws IOException {
    byte[] full = concat(List.of(dataRow(10), parameterStatus("DateStyle", "German, DMY")));
    for (int cut = 0; cut < full.length; cut++) {
      byte[] input = Arrays.copyOf(full, cut);
      byte[] got = readAll(new ParameterStatusFilter(new ChunkedInput(input, new int[] {4},
          false)), new int[] {8192}, false);
      assertArrayEquals(input, got, "cut at " + cut);
    }
  }

  @Test
  void skipGoesThroughTheFilter() throws IOException {
    byte[] first = dataRow(100);
    byte[] data = concat(List.of(first, parameterStatus("DateStyle", "SQL, MDY")));
    InputStream in = new ParameterStatusFilter(new ChunkedInput(data, new int[] {9}, false));
    long skipped = 0;
    while (skipped < first.length) {
      skipped += in.skip(first.length - skipped);
    }
    assertArrayEquals(parameterStatus("DateStyle", "ISO;SQL, MDY"), in.readAllBytes());
  }

  @Test
  void leavesIsoValuesInAnyCaseAlone() throws IOException {
    for (String v : List.of("ISO, MDY", "iso, dmy", "Iso")) {
      byte[] m = parameterStatus("DateStyle", v);
      assertArrayEquals(m, new ParameterStatusFilter(new ChunkedInput(m, new int[] {2}, false))
          .readAllBytes());
    }
    byte[] other = parameterStatus("datestyle", "German, DMY");   // the server spells it DateStyle
    assertArrayEquals(other, new ParameterStatusFilter(new ChunkedInput(other, new int[] {64},
        false)).readAllBytes());
  }

  @Test
  void revealRestoresTheTrueValue() {
    Map<String, String> plain = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    plain.put("DateStyle", "ISO, MDY");
    plain.put("TimeZone", "UTC");
    assertSame(plain, ParameterStatusFilter.reveal(plain));
    Map<String, String> empty = new HashMap<>();
    assertSame(empty, ParameterStatusFilter.reveal(empty));
    Map<String, String> disguised = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    disguised.put("DateStyle", "ISO;German, DMY");
    disguised.put("TimeZone", "UTC");
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("DateStyle", "German, DMY");
    expected.put("TimeZone", "UTC");
    assertEquals(expected, ParameterStatusFilter.reveal(disguised));
  }
}
