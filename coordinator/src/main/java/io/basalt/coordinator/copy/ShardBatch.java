package io.basalt.coordinator.copy;

import java.util.Arrays;

/**
 * Rows bound for one shard placement, in COPY's wire format, with the client's line number of
 * each row so that an error the shard's server reports ("line 3" of this batch) can be told in
 * the client's lines. A batch is sent as one COPY command, then dropped: memory stays bounded
 * by the batch size whatever the input's size.
 */
public final class ShardBatch {
  private final int target;
  private byte[] data;
  private int size;
  private long[] lines = new long[256];
  private int[] spans = new int[256];
  /** Where each row's client text starts in {@code data}, and how long it is. */
  private int[] starts = new int[256];
  private int[] lengths = new int[256];
  private int rows;

  public ShardBatch(int target, int capacity) {
    this.target = target;
    this.data = new byte[capacity];
  }

  public int target() {
    return target;
  }

  public byte[] data() {
    return data;
  }

  public int size() {
    return size;
  }

  public int rows() {
    return rows;
  }

  /** Appends bytes of the current row. */
  public void write(byte[] src, int off, int len) {
    ensure(len);
    System.arraycopy(src, off, data, size, len);
    size += len;
  }

  public void write(byte b) {
    ensure(1);
    data[size++] = b;
  }

  public void writeShort(int v) {
    ensure(2);
    data[size++] = (byte) (v >>> 8);
    data[size++] = (byte) v;
  }

  public void writeInt(int v) {
    ensure(4);
    data[size++] = (byte) (v >>> 24);
    data[size++] = (byte) (v >>> 16);
    data[size++] = (byte) (v >>> 8);
    data[size++] = (byte) v;
  }

  /**
   * Ends a row: {@code line} is the client's line number, {@code span} its lines, and the
   * client's own text of the row is {@code length} bytes from {@code start} (without values
   * the coordinator appended).
   */
  public void rowEnd(long line, int span, int start, int length) {
    if (rows == lines.length) {
      lines = Arrays.copyOf(lines, rows * 2);
      spans = Arrays.copyOf(spans, rows * 2);
      starts = Arrays.copyOf(starts, rows * 2);
      lengths = Arrays.copyOf(lengths, rows * 2);
    }
    lines[rows] = line;
    spans[rows] = span;
    starts[rows] = start;
    lengths[rows] = length;
    rows++;
  }

  /** The client's text of the row at a server-reported line, or null. */
  public String clientText(long batchLine) {
    int r = rowAt(batchLine);
    return r < 0 ? null : new String(data, starts[r], lengths[r],
        java.nio.charset.StandardCharsets.UTF_8);
  }

  private int rowAt(long batchLine) {
    long counted = 0;
    for (int r = 0; r < rows; r++) {
      counted += spans[r];
      if (counted >= batchLine) {
        return r;
      }
    }
    return -1;
  }

  /**
   * The client's line for a line number a server reported for this batch (counted from 1), or
   * -1 if the batch has no such line.
   */
  public long clientLine(long batchLine) {
    long counted = 0;
    for (int r = 0; r < rows; r++) {
      counted += spans[r];
      if (counted >= batchLine) {
        return lines[r] - (counted - batchLine);
      }
    }
    return -1;
  }

  private void ensure(int more) {
    if (size + more > data.length) {
      data = Arrays.copyOf(data, Math.max(data.length * 2, size + more));
    }
  }
}
