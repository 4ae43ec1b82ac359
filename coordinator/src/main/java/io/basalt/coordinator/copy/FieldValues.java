package io.basalt.coordinator.copy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A field's value as PostgreSQL's COPY reads it (null for SQL NULL). */
public final class FieldValues {
  private FieldValues() {}

  /**
   * Text format: the raw field equal to the NULL string is NULL (compared before escapes are
   * read, as PostgreSQL does); otherwise backslash escapes are decoded.
   */
  public static String text(byte[] buf, int start, int end, String nullString) {
    if (rawEquals(buf, start, end, nullString)) {
      return null;
    }
    if (indexOf(buf, start, end, (byte) '\\') < 0) {
      return new String(buf, start, end - start, StandardCharsets.UTF_8);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(end - start);
    for (int i = start; i < end; i++) {
      byte b = buf[i];
      if (b != '\\' || i + 1 >= end) {
        out.write(b);
        continue;
      }
      byte c = buf[++i];
      if (c >= '0' && c <= '7') {
        int v = c - '0';
        for (int k = 0; k < 2 && i + 1 < end && buf[i + 1] >= '0' && buf[i + 1] <= '7'; k++) {
          v = v * 8 + (buf[++i] - '0');
        }
        out.write(v & 0xff);
      } else if (c == 'x' && i + 1 < end && hex(buf[i + 1]) >= 0) {
        int v = hex(buf[++i]);
        if (i + 1 < end && hex(buf[i + 1]) >= 0) {
          v = v * 16 + hex(buf[++i]);
        }
        out.write(v);
      } else {
        out.write(switch (c) {
          case 'b' -> '\b';
          case 'f' -> '\f';
          case 'n' -> '\n';
          case 'r' -> '\r';
          case 't' -> '\t';
          case 'v' -> 0x0b;
          default -> c;
        });
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /**
   * CSV: quotes group (and are removed), the escape character inside quotes makes the next
   * quote or escape character literal. An unquoted field equal to the NULL string is NULL,
   * unless the column is FORCE_NOT_NULL; a quoted one is NULL only if FORCE_NULL.
   */
  public static String csv(byte[] buf, int start, int end, CopyOptions o, boolean forceNull,
      boolean forceNotNull) {
    if (indexOf(buf, start, end, o.quote()) < 0) {
      // No quotes: the raw text is the value.
      if (!forceNotNull && rawEquals(buf, start, end, o.nullString())) {
        return null;
      }
      return new String(buf, start, end - start, StandardCharsets.UTF_8);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(end - start);
    boolean sawQuote = false;
    boolean inQuote = false;
    for (int i = start; i < end; i++) {
      byte b = buf[i];
      if (!inQuote) {
        if (b == o.quote()) {
          inQuote = true;
          sawQuote = true;
        } else {
          out.write(b);
        }
        continue;
      }
      if (b == o.escape() && i + 1 < end && (buf[i + 1] == o.escape()
          || buf[i + 1] == o.quote())) {
        out.write(buf[++i]);
      } else if (b == o.quote()) {
        inQuote = false;
      } else {
        out.write(b);
      }
    }
    String value = out.toString(StandardCharsets.UTF_8);
    if (!sawQuote && !forceNotNull && rawEquals(buf, start, end, o.nullString())) {
      return null;
    }
    if (sawQuote && forceNull && value.equals(o.nullString())) {
      return null;
    }
    return value;
  }

  private static boolean rawEquals(byte[] buf, int start, int end, String s) {
    if (end - start > s.length() * 4) {
      return false;
    }
    byte[] n = s.getBytes(StandardCharsets.UTF_8);
    if (n.length != end - start) {
      return false;
    }
    for (int i = 0; i < n.length; i++) {
      if (buf[start + i] != n[i]) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(byte[] buf, int start, int end, byte b) {
    for (int i = start; i < end; i++) {
      if (buf[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static int hex(byte b) {
    return Character.digit(b, 16);
  }
}
