package io.basalt.coordinator.copy;

import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;

/**
 * The value of a SQL string constant token: '...' (standard_conforming_strings on), E'...' with
 * backslash escapes, and dollar quoting.
 */
public final class StringConstants {
  private StringConstants() {}

  /** The value; 0A000 for a form not read here (U&'...'). */
  public static String value(String token) {
    if (token.startsWith("$")) {
      int tagEnd = token.indexOf('$', 1);
      return token.substring(tagEnd + 1, token.length() - (tagEnd + 1));
    }
    if (token.startsWith("E'") || token.startsWith("e'")) {
      return escaped(token.substring(2, token.length() - 1));
    }
    if (token.startsWith("'")) {
      return token.substring(1, token.length() - 1).replace("''", "'");
    }
    throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED,
        "this form of string constant is not supported in COPY options: " + token);
  }

  private static String escaped(String body) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '\'' && i + 1 < body.length() && body.charAt(i + 1) == '\'') {
        out.append('\'');
        i++;
      } else if (c == '\\' && i + 1 < body.length()) {
        char n = body.charAt(++i);
        switch (n) {
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'x' -> {
            int end = i + 1;
            while (end < body.length() && end < i + 3
                && Character.digit(body.charAt(end), 16) >= 0) {
              end++;
            }
            out.append((char) Integer.parseInt(body.substring(i + 1, end), 16));
            i = end - 1;
          }
          case 'u', 'U' -> {
            int len = n == 'u' ? 4 : 8;
            out.appendCodePoint(Integer.parseInt(body.substring(i + 1, i + 1 + len), 16));
            i += len;
          }
          default -> {
            if (n >= '0' && n <= '7') {
              int end = i;
              while (end < body.length() && end < i + 3 && body.charAt(end) >= '0'
                  && body.charAt(end) <= '7') {
                end++;
              }
              out.append((char) Integer.parseInt(body.substring(i, end), 8));
              i = end - 1;
            } else {
              out.append(n);
            }
          }
        }
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
