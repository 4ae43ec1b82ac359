package io.basalt.coordinator.copy;

import java.nio.charset.StandardCharsets;

/**
 * How a value the coordinator computed (a sequence default) is written into a row of the
 * client's format: escaped for text, quoted when needed for csv, length-prefixed for binary.
 */
public final class GeneratedValues {
  private GeneratedValues() {}

  /** Appends a text-form value (null: SQL NULL) as one more field of a text or csv row. */
  public static void appendField(ShardBatch b, CopyOptions o, String value) {
    b.write(o.delimiter());
    if (value == null) {
      b.write(o.nullString().getBytes(StandardCharsets.UTF_8), 0,
          o.nullString().getBytes(StandardCharsets.UTF_8).length);
      return;
    }
    byte[] v = value.getBytes(StandardCharsets.UTF_8);
    if (o.format() == CopyFormat.CSV) {
      b.write(o.quote());
      for (byte c : v) {
        if (c == o.quote() || c == o.escape()) {
          b.write(o.escape());
        }
        b.write(c);
      }
      b.write(o.quote());
      return;
    }
    for (byte c : v) {
      switch (c) {
        case '\\' -> b.write(new byte[] {'\\', '\\'}, 0, 2);
        case '\n' -> b.write(new byte[] {'\\', 'n'}, 0, 2);
        case '\r' -> b.write(new byte[] {'\\', 'r'}, 0, 2);
        case '\t' -> b.write(new byte[] {'\\', 't'}, 0, 2);
        default -> {
          if (c == o.delimiter()) {
            b.write((byte) '\\');
          }
          b.write(c);
        }
      }
    }
  }

  /** Appends a binary-form value (null: SQL NULL) as one more field of a binary tuple. */
  public static void appendBinary(ShardBatch b, byte[] value) {
    if (value == null) {
      b.writeInt(-1);
      return;
    }
    b.writeInt(value.length);
    b.write(value, 0, value.length);
  }
}
