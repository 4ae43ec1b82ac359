package io.basalt.executor.backend;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The backend socket's input as pgjdbc sees it: the server's bytes unchanged, except that a
 * ParameterStatus value pgjdbc would refuse is disguised as one it accepts.
 *
 * <p>pgjdbc closes its connection when the server reports a DateStyle that does not begin with
 * "ISO", because it parses dates itself. Basalt never lets pgjdbc parse a value (results are
 * relayed as the server's bytes), so a client's {@code SET DateStyle = 'German'} is as harmless
 * here as on PostgreSQL. The filter rewrites such a value {@code V} to {@code "ISO;" + V}; pgjdbc
 * keeps it in its parameter map, and {@link #reveal(Map)} turns it back into {@code V} for the
 * client. The server only ever reports DateStyle in its canonical form ("German, DMY"), so a real
 * value never starts with the marker. The other values pgjdbc checks cannot go wrong:
 * client_encoding is the coordinator's own (the backend session stays UTF8),
 * standard_conforming_strings and integer_datetimes are only ever "on" or "off".
 *
 * <p>Cheap on the hot path: only message headers are looked at, at message boundaries; the bytes
 * of every other message go through in bulk into the caller's buffer, without copying. Only a
 * ParameterStatus message (rare, small) is gathered whole in a side buffer before it is passed on.
 *
 * <p>The stream must be message-framed from its first byte: pgjdbc must not negotiate SSL or
 * GSS encryption on it ({@link BackendConnection} disables both).
 */
final class ParameterStatusFilter extends InputStream {
  static final String DATE_STYLE = "DateStyle";
  /** Prefix of a disguised value: accepted by pgjdbc, never sent by PostgreSQL. */
  static final String DISGUISE = "ISO;";

  private static final byte PARAMETER_STATUS = 'S';
  private static final int HEADER = 5;
  /** Larger ParameterStatus messages pass unexamined (no GUC value pgjdbc checks is this long). */
  private static final int MAX_EXAMINED = 1 << 20;
  private static final byte[] DATE_STYLE_BYTES = DATE_STYLE.getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DISGUISE_BYTES = DISGUISE.getBytes(StandardCharsets.US_ASCII);

  private final InputStream in;
  /** Bytes still to pass before the next message header. */
  private long skip;
  /**
   * Bytes taken from {@code in} but not delivered yet, delivered before reading {@code in} again:
   * a header split across reads, or a ParameterStatus message being gathered or rewritten.
   */
  private byte[] carry = new byte[256];
  private int carryPos;
  private int carryEnd;
  private final byte[] single = new byte[1];

  ParameterStatusFilter(InputStream in) {
    this.in = Objects.requireNonNull(in, "in");
  }

  /** pgjdbc's parameter map with disguised values revealed; the same map when there is none. */
  static Map<String, String> reveal(Map<String, String> statuses) {
    String dateStyle = statuses.get(DATE_STYLE);
    if (dateStyle == null || !dateStyle.startsWith(DISGUISE)) {
      return statuses;
    }
    Map<String, String> revealed = new LinkedHashMap<>(statuses);
    revealed.put(DATE_STYLE, dateStyle.substring(DISGUISE.length()));
    return revealed;
  }

  @Override
  public int read() throws IOException {
    int n = read(single, 0, 1);
    return n <= 0 ? -1 : single[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    while (true) {
      boolean fromCarry = carryPos < carryEnd;
      int n;
      if (fromCarry) {
        n = Math.min(len, carryEnd - carryPos);
        System.arraycopy(carry, carryPos, b, off, n);
        carryPos += n;
      } else {
        n = in.read(b, off, len);
        if (n <= 0) {
          return n;
        }
      }
      int kept = scan(b, off, n);
      if (kept < n) {
        unread(b, off + kept, n - kept, fromCarry);
      }
      if (kept > 0) {
        return kept;
      }
      // The next message's header is incomplete, or it is a ParameterStatus: gather it.
      if (!gather()) {
        // The stream ended inside a message: hand over what there is; pgjdbc reports it.
        skip = carryEnd - carryPos;
        if (skip == 0) {
          return -1;
        }
      }
    }
  }

  /**
   * Walks the message boundaries in {@code b[off, off + n)} and returns how many bytes may be
   * delivered: all, or those before a header that is incomplete or starts a ParameterStatus.
   */
  private int scan(byte[] b, int off, int n) {
    int p = off;
    int end = off + n;
    while (true) {
      int rest = end - p;
      if (skip >= rest) {
        skip -= rest;
        return n;
      }
      p += (int) skip;
      skip = 0;
      if (end - p < HEADER || b[p] == PARAMETER_STATUS) {
        return p - off;
      }
      skip = messageSize(b, p);
    }
  }

  /** Type byte plus length; a length below 4 is no message at all: stop looking. */
  private static long messageSize(byte[] b, int p) {
    int length = int32(b, p + 1);
    return length < 4 ? Long.MAX_VALUE : 1L + length;
  }

  /** Puts back the undelivered tail of what the last read took, to be read first next time. */
  private void unread(byte[] b, int from, int count, boolean fromCarry) {
    if (fromCarry) {
      carryPos -= count;   // the same bytes are still there
      return;
    }
    if (carry.length < count) {
      carry = new byte[count];
    }
    System.arraycopy(b, from, carry, 0, count);
    carryPos = 0;
    carryEnd = count;
  }

  /**
   * Makes the carried bytes start with a complete header, and with a complete ParameterStatus
   * (rewritten if need be) when the message is one; then {@link #skip} covers that message.
   * Returns false if the stream ends first. Safe to repeat after an exception: what was read
   * stays carried.
   */
  private boolean gather() throws IOException {
    if (!fill(HEADER)) {
      return false;
    }
    long size = messageSize(carry, carryPos);
    if (carry[carryPos] != PARAMETER_STATUS || size > MAX_EXAMINED) {
      skip = size;
      return true;
    }
    if (!fill((int) size)) {
      return false;
    }
    rewrite((int) size);
    skip = messageSize(carry, carryPos);
    return true;
  }

  /** Reads until at least {@code need} bytes are carried; false at end of stream. */
  private boolean fill(int need) throws IOException {
    while (carryEnd - carryPos < need) {
      if (carryPos > 0) {
        System.arraycopy(carry, carryPos, carry, 0, carryEnd - carryPos);
        carryEnd -= carryPos;
        carryPos = 0;
      }
      if (carry.length < need) {
        carry = java.util.Arrays.copyOf(carry, Math.max(need, carry.length * 2));
      }
      int n = in.read(carry, carryEnd, carry.length - carryEnd);
      if (n < 0) {
        return false;
      }
      carryEnd += n;
    }
    return true;
  }

  /** Disguises the carried ParameterStatus of {@code size} bytes if pgjdbc would refuse it. */
  private void rewrite(int size) {
    int nameStart = carryPos + HEADER;
    int end = carryPos + size;
    int nameEnd = indexOfNul(carry, nameStart, end);
    int valueStart = nameEnd + 1;
    if (nameEnd < 0 || indexOfNul(carry, valueStart, end) < 0
        || !java.util.Arrays.equals(carry, nameStart, nameEnd, DATE_STYLE_BYTES, 0,
            DATE_STYLE_BYTES.length)
        || startsWithIso(carry, valueStart, end)) {
      return;
    }
    int grown = size + DISGUISE_BYTES.length;
    byte[] out = new byte[grown + (carryEnd - end)];
    System.arraycopy(carry, carryPos, out, 0, valueStart - carryPos);
    writeInt32(out, 1, grown - 1);
    System.arraycopy(DISGUISE_BYTES, 0, out, valueStart - carryPos, DISGUISE_BYTES.length);
    System.arraycopy(carry, valueStart, out, valueStart - carryPos + DISGUISE_BYTES.length,
        carryEnd - valueStart);
    carry = out;
    carryPos = 0;
    carryEnd = out.length;
  }

  /** pgjdbc's test: the value begins with "ISO", in any case. */
  private static boolean startsWithIso(byte[] b, int from, int end) {
    if (end - from < 3) {
      return false;
    }
    return (b[from] | 0x20) == 'i' && (b[from + 1] | 0x20) == 's' && (b[from + 2] | 0x20) == 'o';
  }

  private static int indexOfNul(byte[] b, int from, int end) {
    for (int i = from; i < end; i++) {
      if (b[i] == 0) {
        return i;
      }
    }
    return -1;
  }

  private static int int32(byte[] b, int p) {
    return (b[p] & 0xff) << 24 | (b[p + 1] & 0xff) << 16 | (b[p + 2] & 0xff) << 8
        | (b[p + 3] & 0xff);
  }

  private static void writeInt32(byte[] b, int p, int v) {
    b[p] = (byte) (v >>> 24);
    b[p + 1] = (byte) (v >>> 16);
    b[p + 2] = (byte) (v >>> 8);
    b[p + 3] = (byte) v;
  }

  /** What can be read without blocking, but for a ParameterStatus still arriving. */
  @Override
  public int available() throws IOException {
    return carryPos < carryEnd ? carryEnd - carryPos : in.available();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
