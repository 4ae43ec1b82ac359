package io.basalt.coordinator.copy;

import io.basalt.metadata.catalog.DistributedTable;
import io.basalt.planner.plan.ShardChoice;
import java.nio.charset.StandardCharsets;

/**
 * The shard of a text or csv integer key read straight from the row's bytes: the usual key of
 * a large load, hashed without building a String. Anything else (spaces, signs beyond one,
 * over 18 digits, out of range, the NULL string) is left to the general path (null).
 */
public final class IntegerKeys {
  private static final int INT2 = 21;
  private static final int INT4 = 23;
  private static final int INT8 = 20;

  private final DistributedTable table;
  private final int type;
  private final byte[] nullString;

  private IntegerKeys(DistributedTable table, String nullString) {
    this.table = table;
    this.type = table.distributionType();
    this.nullString = nullString.getBytes(StandardCharsets.UTF_8);
  }

  /** For a table whose key is smallint, integer or bigint; otherwise null. */
  public static IntegerKeys of(DistributedTable table, CopyOptions options) {
    int t = table.distributionType();
    return table.isHashDistributed() && options.format() != CopyFormat.BINARY
        && (t == INT2 || t == INT4 || t == INT8) ? new IntegerKeys(table, options.nullString())
        : null;
  }

  public Integer shard(byte[] buf, int start, int end) {
    int n = end - start;
    if (n == nullString.length && java.util.Arrays.equals(buf, start, end, nullString, 0, n)) {
      return null;
    }
    int i = start;
    boolean negative = false;
    if (i < end && (buf[i] == '-' || buf[i] == '+')) {
      negative = buf[i] == '-';
      i++;
    }
    if (i == end || end - i > 18) {
      return null;
    }
    long v = 0;
    for (; i < end; i++) {
      int d = buf[i] - '0';
      if (d < 0 || d > 9) {
        return null;
      }
      v = v * 10 + d;
    }
    v = negative ? -v : v;
    byte[] bytes;
    switch (type) {
      case INT2 -> {
        if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
          return null;
        }
        bytes = new byte[] {(byte) (v >>> 8), (byte) v};
      }
      case INT4 -> {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
          return null;
        }
        bytes = new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
      }
      default -> bytes = java.nio.ByteBuffer.allocate(8).putLong(v).array();
    }
    return ShardChoice.ofBinary(table, bytes, 0);
  }
}
