package io.basalt.coordinator.copy;

import io.basalt.error.BasaltException;

/**
 * Errors the coordinator raises itself while reading COPY data, with PostgreSQL's texts and its
 * CONTEXT line ("COPY t, line N" or "COPY t, line N: \"...\"").
 */
public final class CopyDataError {
  /** PostgreSQL shows at most this many bytes of a line in the CONTEXT of an error. */
  private static final int MAX_DISPLAY = 100;

  private CopyDataError() {}

  public static BasaltException of(String message, String hint, String relation, long line,
      String lineText) {
    var b = BasaltException.builder("22P04", message);
    if (hint != null) {
      b.hint(hint);
    }
    return b.field('W', context(relation, line, lineText)).build();
  }

  /** An error about one column's field: "COPY t, line N, column c". */
  public static BasaltException ofColumn(String message, String relation, long line,
      String column) {
    return BasaltException.builder("22P04", message)
        .field('W', "COPY " + relation + ", line " + line + ", column " + column).build();
  }

  public static String context(String relation, long line, String lineText) {
    String c = "COPY " + relation + ", line " + line;
    return lineText == null ? c : c + ": \"" + display(lineText) + "\"";
  }

  /** PostgreSQL's limit_printout_length: the first 100 bytes of UTF-8, then "...". */
  static String display(String s) {
    byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (b.length <= MAX_DISPLAY) {
      return s;
    }
    int len = MAX_DISPLAY;
    while (len > 0 && (b[len] & 0xC0) == 0x80) {
      len--;
    }
    return new String(b, 0, len, java.nio.charset.StandardCharsets.UTF_8) + "...";
  }
}
