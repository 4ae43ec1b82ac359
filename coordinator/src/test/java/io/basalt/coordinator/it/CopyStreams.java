package io.basalt.coordinator.it;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/** Streams for COPY tests: rows generated as they are read, output checked as it arrives. */
final class CopyStreams {
  private CopyStreams() {}

  /** Rows "id TAB name TAB amount", generated as they are read; sums kept for the checks. */
  static final class GeneratedRows extends InputStream {
    private final int total;
    private int next = 1;
    private byte[] line = new byte[0];
    private int pos;
    long lines;
    long idSum;
    long centSum;
    long crcSum;

    GeneratedRows(int total) {
      this.total = total;
    }

    private boolean advance() {
      if (next > total) {
        return false;
      }
      int i = next++;
      long cents = (i % 1000) * 100L + i % 100;
      String text = i + "\tname-" + Integer.toHexString(i * 0x9E3779B1) + (i % 97 == 0
          ? "-ünï ✓" : "") + "\t" + BigDecimal.valueOf(cents, 2).toPlainString();
      byte[] b = text.getBytes(StandardCharsets.UTF_8);
      crcSum += crc(b, b.length);
      idSum += i;
      centSum += cents;
      lines++;
      line = Arrays.copyOf(b, b.length + 1);
      line[b.length] = '\n';
      pos = 0;
      return true;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      int n = 0;
      while (n < len) {
        if (pos == line.length && !advance()) {
          return n == 0 ? -1 : n;
        }
        int take = Math.min(len - n, line.length - pos);
        System.arraycopy(line, pos, b, off + n, take);
        pos += take;
        n += take;
      }
      return n;
    }
  }

  static long crc(byte[] b, int len) {
    CRC32 crc = new CRC32();
    crc.update(b, 0, len);
    return crc.getValue();
  }

  /** Counts the lines written to it and sums their CRC32s, holding one line at a time. */
  static final class LineChecksum extends OutputStream {
    private byte[] line = new byte[256];
    private int len;
    private int last = -1;
    long lines;
    long crcSum;

    @Override
    public void write(int b) {
      last = b & 0xff;
      if (b == '\n') {
        crcSum += crc(line, len);
        lines++;
        len = 0;
        return;
      }
      if (len == line.length) {
        line = Arrays.copyOf(line, len * 2);
      }
      line[len++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int n) {
      for (int i = off; i < off + n; i++) {
        write(b[i]);
      }
    }

    boolean endsWithNewline() {
      return last == '\n' && len == 0;
    }
  }

  /** A binary COPY stream's tuples (header and trailer cut off), for order-free comparison. */
  static byte[] sortedTuples(byte[] data) {
    ByteBuffer b = ByteBuffer.wrap(data);
    b.position(19);
    List<byte[]> tuples = new ArrayList<>();
    while (true) {
      int start = b.position();
      short fields = b.getShort();
      if (fields == -1) {
        break;
      }
      for (int f = 0; f < fields; f++) {
        int len = b.getInt();
        if (len > 0) {
          b.position(b.position() + len);
        }
      }
      tuples.add(Arrays.copyOfRange(data, start, b.position()));
    }
    tuples.sort(Arrays::compare);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    tuples.forEach(out::writeBytes);
    return out.toByteArray();
  }
}
