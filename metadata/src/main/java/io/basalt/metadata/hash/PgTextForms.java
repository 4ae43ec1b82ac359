package io.basalt.metadata.hash;

import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads values in PostgreSQL's text form, as the type's output function writes them (DateStyle
 * ISO, bytea_output hex, timestamptz with an explicit UTC offset), plus the other spellings of
 * the same values that the type's input function accepts where that is cheap to get right
 * (whitespace around numbers, 'yes'/'on' for bool, bytea's escape format). Anything else is
 * rejected with PostgreSQL's own error, rather than hashed to a value PostgreSQL would not store.
 * Errors PostgreSQL raises only for range (an offset beyond ±15 hours, a date past 5874897 AD)
 * are left for PostgreSQL to raise.
 */
final class PgTextForms {
  /** C's isspace() in the C locale, what PostgreSQL's input functions skip. */
  private static final String C_SPACE = " \t\n\u000B\f\r";
  private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");
  private static final Pattern DATE = Pattern.compile("([0-9]{4,})-([0-9]{2})-([0-9]{2})( BC)?");
  private static final Pattern TIMESTAMP = Pattern.compile(
      "([0-9]{4,})-([0-9]{2})-([0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\\.([0-9]+))?"
          + "(?:([+-])([0-9]{2})(?::([0-9]{2}))?(?::([0-9]{2}))?)?( BC)?");
  private static final long MICROS_PER_SECOND = 1_000_000L;
  private static final long MICROS_PER_DAY = 86_400L * MICROS_PER_SECOND;

  private PgTextForms() {}

  /** int2, int4, int8 and oid: an optionally signed decimal integer within [min, max]. */
  static long parseInteger(String text, long min, long max, String typeName) {
    String trimmed = trimSpace(text);
    if (isShortInteger(trimmed)) {
      // Up to 18 digits fit a long: no pattern, no BigInteger (a routed statement's usual key).
      long value = Long.parseLong(trimmed);
      if (value < min || value > max) {
        throw BasaltException.of(SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
            "value \"" + text + "\" is out of range for type " + typeName);
      }
      return value;
    }
    if (!INTEGER.matcher(trimmed).matches()) {
      throw invalidSyntax(typeName, text);
    }
    BigInteger value = new BigInteger(trimmed);
    if (value.compareTo(BigInteger.valueOf(min)) < 0
        || value.compareTo(BigInteger.valueOf(max)) > 0) {
      throw BasaltException.of(SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
          "value \"" + text + "\" is out of range for type " + typeName);
    }
    return value.longValueExact();
  }

  /** An optional sign and 1 to 18 ASCII digits. */
  private static boolean isShortInteger(String s) {
    int start = !s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-') ? 1 : 0;
    int digits = s.length() - start;
    if (digits < 1 || digits > 18) {
      return false;
    }
    for (int i = start; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * bool: PostgreSQL prints 't' and 'f', and accepts any case-insensitive prefix of true, false,
   * yes and no, "on", "of(f)", "1" and "0".
   */
  static boolean parseBool(String text) {
    String s = trimSpace(text);
    if (!s.isEmpty()) {
      switch (Character.toLowerCase(s.charAt(0))) {
        case 't':
          if (isPrefixIgnoringCase(s, "true")) {
            return true;
          }
          break;
        case 'f':
          if (isPrefixIgnoringCase(s, "false")) {
            return false;
          }
          break;
        case 'y':
          if (isPrefixIgnoringCase(s, "yes")) {
            return true;
          }
          break;
        case 'n':
          if (isPrefixIgnoringCase(s, "no")) {
            return false;
          }
          break;
        case 'o':
          // "o" alone is ambiguous between on and off
          if (s.length() >= 2 && isPrefixIgnoringCase(s, "on")) {
            return true;
          }
          if (s.length() >= 2 && isPrefixIgnoringCase(s, "off")) {
            return false;
          }
          break;
        case '1':
        case '0':
          if (s.length() == 1) {
            return s.charAt(0) == '1';
          }
          break;
        default:
          break;
      }
    }
    throw invalidSyntax("boolean", text);
  }

  /**
   * "char": PostgreSQL 15 prints bytes 0x80..0xFF as a backslash and three octal digits, and
   * reads any other text as its first byte (zero when empty). Never an error.
   */
  static byte parseChar(String text) {
    if (text.length() == 4 && text.charAt(0) == '\\' && isOctal(text.charAt(1))
        && isOctal(text.charAt(2)) && isOctal(text.charAt(3))) {
      return (byte) Integer.parseInt(text, 1, 4, 8);
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return bytes.length == 0 ? 0 : bytes[0];
  }

  /** bytea: hex format ({@code \x0102}, the default output) or escape format. */
  static byte[] parseBytea(String text) {
    if (text.startsWith("\\x")) {
      return parseByteaHex(text);
    }
    byte[] in = text.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[in.length];
    int n = 0;
    for (int i = 0; i < in.length; i++) {
      if (in[i] != '\\') {
        out[n++] = in[i];
      } else if (i + 1 < in.length && in[i + 1] == '\\') {
        out[n++] = '\\';
        i++;
      } else if (i + 3 < in.length && in[i + 1] >= '0' && in[i + 1] <= '3'
          && isOctal((char) in[i + 2]) && isOctal((char) in[i + 3])) {
        out[n++] = (byte) ((in[i + 1] - '0') << 6 | (in[i + 2] - '0') << 3 | (in[i + 3] - '0'));
        i += 3;
      } else {
        throw invalidSyntax("bytea", text);
      }
    }
    return Arrays.copyOf(out, n);
  }

  /**
   * uuid: 32 hex digits, optionally in braces, with an optional hyphen after any group of four
   * digits, as PostgreSQL's uuid_in allows; returns the 16 bytes in text order.
   */
  static byte[] parseUuid(String text) {
    int p = 0;
    boolean braces = text.startsWith("{");
    if (braces) {
      p++;
    }
    byte[] bytes = new byte[16];
    for (int i = 0; i < 16; i++) {
      if (p + 2 > text.length()) {
        throw invalidSyntax("uuid", text);
      }
      int hi = Character.digit(text.charAt(p), 16);
      int lo = Character.digit(text.charAt(p + 1), 16);
      if (hi < 0 || lo < 0 || !isAscii(text.charAt(p)) || !isAscii(text.charAt(p + 1))) {
        throw invalidSyntax("uuid", text);
      }
      bytes[i] = (byte) (hi << 4 | lo);
      p += 2;
      if (i % 2 == 1 && i < 15 && p < text.length() && text.charAt(p) == '-') {
        p++;
      }
    }
    if (braces) {
      if (p >= text.length() || text.charAt(p) != '}') {
        throw invalidSyntax("uuid", text);
      }
      p++;
    }
    if (p != text.length()) {
      throw invalidSyntax("uuid", text);
    }
    return bytes;
  }

  /** date: days since 2000-01-01; {@code -infinity} and {@code infinity} are int32's extremes. */
  static int parseDate(String text) {
    String s = trimSpace(text);
    if (s.equalsIgnoreCase("infinity")) {
      return Integer.MAX_VALUE;
    }
    if (s.equalsIgnoreCase("-infinity")) {
      return Integer.MIN_VALUE;
    }
    Matcher m = DATE.matcher(s);
    if (!m.matches()) {
      throw invalidSyntax("date", text);
    }
    long day = epochDay(m.group(1), m.group(2), m.group(3), m.group(4) != null, text);
    try {
      return Math.toIntExact(day - PgHash.PG_EPOCH_DAY);
    } catch (ArithmeticException e) {
      throw BasaltException.of(SqlState.DATETIME_FIELD_OVERFLOW,
          "date out of range: \"" + text + "\"");
    }
  }

  /**
   * timestamp and timestamptz: microseconds since 2000-01-01 00:00:00 (UTC for timestamptz);
   * {@code -infinity} and {@code infinity} are int64's extremes. A UTC offset is required for
   * timestamptz and ignored for timestamp, as PostgreSQL's timestamp input ignores it.
   *
   * @throws IllegalArgumentException for timestamptz text without an offset: its instant depends
   *     on the session's TimeZone, which is not known here
   */
  static long parseTimestamp(String text, boolean withTimeZone) {
    String typeName = withTimeZone ? "timestamp with time zone" : "timestamp";
    String s = trimSpace(text);
    if (s.equalsIgnoreCase("infinity")) {
      return Long.MAX_VALUE;
    }
    if (s.equalsIgnoreCase("-infinity")) {
      return Long.MIN_VALUE;
    }
    Matcher m = TIMESTAMP.matcher(s);
    if (!m.matches()) {
      throw invalidSyntax(typeName, text);
    }
    long day = epochDay(m.group(1), m.group(2), m.group(3), m.group(12) != null, text);
    int hour = Integer.parseInt(m.group(4));
    int minute = Integer.parseInt(m.group(5));
    int second = Integer.parseInt(m.group(6));
    long fraction = m.group(7) == null ? 0 : fractionMicros(m.group(7));
    // PostgreSQL accepts 24:00:00 (the next midnight) and a leap second 60, never more.
    if (hour > 24 || minute > 59 || second > 60
        || hour == 24 && (minute > 0 || second > 0 || fraction > 0)) {
      throw fieldOutOfRange(text);
    }
    long offsetSeconds = 0;
    if (withTimeZone) {
      if (m.group(8) == null) {
        throw new IllegalArgumentException("timestamptz text without a UTC offset means a"
            + " different instant in each session TimeZone: " + text);
      }
      offsetSeconds = Integer.parseInt(m.group(9)) * 3600L
          + (m.group(10) == null ? 0 : Integer.parseInt(m.group(10)) * 60L)
          + (m.group(11) == null ? 0 : Integer.parseInt(m.group(11)));
      if (m.group(8).equals("-")) {
        offsetSeconds = -offsetSeconds;
      }
    }
    try {
      long seconds = hour * 3600L + minute * 60L + second - offsetSeconds;
      return Math.addExact(Math.multiplyExact(day - PgHash.PG_EPOCH_DAY, MICROS_PER_DAY),
          seconds * MICROS_PER_SECOND + fraction);
    } catch (ArithmeticException e) {
      throw BasaltException.of(SqlState.DATETIME_FIELD_OVERFLOW,
          "timestamp out of range: \"" + text + "\"");
    }
  }

  /**
   * numeric: {@code null} for NaN and ±Infinity (all of which hash to 0), else the value.
   *
   * @throws BasaltException if the text is not a number
   */
  static BigDecimal parseNumeric(String text) {
    String s = trimSpace(text);
    if (s.equalsIgnoreCase("nan") || infinitySign(s) != 0) {
      return null;
    }
    if (!DECIMAL.matcher(s).matches()) {
      throw invalidSyntax("numeric", text);
    }
    try {
      return new BigDecimal(s);
    } catch (NumberFormatException e) {
      // an exponent beyond int range
      throw BasaltException.of(SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
          "value overflows numeric format");
    }
  }

  /** float8, read like C's strtod: correctly rounded, out-of-range values are errors. */
  static double parseFloat8(String text) {
    String s = trimSpace(text);
    Double special = specialFloat(s);
    if (special != null) {
      return special;
    }
    if (!DECIMAL.matcher(s).matches()) {
      throw invalidSyntax("double precision", text);
    }
    double value = Double.parseDouble(s);
    if (Double.isInfinite(value) || value == 0 && hasNonZeroDigit(s)) {
      throw BasaltException.of(SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
          "\"" + text + "\" is out of range for type double precision");
    }
    return value;
  }

  /** float4, read like C's strtof. */
  static float parseFloat4(String text) {
    String s = trimSpace(text);
    Double special = specialFloat(s);
    if (special != null) {
      return special.floatValue();
    }
    if (!DECIMAL.matcher(s).matches()) {
      throw invalidSyntax("real", text);
    }
    float value = Float.parseFloat(s);
    if (Float.isInfinite(value) || value == 0 && hasNonZeroDigit(s)) {
      throw BasaltException.of(SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
          "\"" + text + "\" is out of range for type real");
    }
    return value;
  }

  static BasaltException invalidSyntax(String typeName, String text) {
    return BasaltException.of(SqlState.INVALID_TEXT_REPRESENTATION,
        "invalid input syntax for type " + typeName + ": \"" + text + "\"");
  }

  private static byte[] parseByteaHex(String text) {
    byte[] out = new byte[(text.length() - 2) / 2];
    int n = 0;
    int p = 2;
    while (p < text.length()) {
      char ch = text.charAt(p);
      if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
        p++;
        continue;
      }
      int hi = hexDigit(ch);
      int lo = p + 1 < text.length() ? hexDigit(text.charAt(p + 1)) : -1;
      if (hi < 0 || lo < 0) {
        throw invalidSyntax("bytea", text);
      }
      out[n++] = (byte) (hi << 4 | lo);
      p += 2;
    }
    return Arrays.copyOf(out, n);
  }

  /** The day number (days since 1970-01-01) of an ISO date whose year may be BC. */
  private static long epochDay(String year, String month, String day, boolean bc, String text) {
    try {
      long y = Long.parseLong(year);
      // There is no year 0: 1 BC is followed by 1 AD. Proleptic year 0 is 1 BC.
      if (y == 0 || y > Integer.MAX_VALUE) {
        throw fieldOutOfRange(text);
      }
      int prolepticYear = bc ? (int) (1 - y) : (int) y;
      return LocalDate.of(prolepticYear, Integer.parseInt(month), Integer.parseInt(day))
          .toEpochDay();
    } catch (DateTimeException | NumberFormatException e) {
      throw fieldOutOfRange(text);
    }
  }

  /**
   * Fractional seconds rounded to microseconds as PostgreSQL does: strtod of the fraction, times
   * a million, rint (ties to even). Java's parseDouble and rint round exactly as C's do.
   */
  private static long fractionMicros(String digits) {
    return (long) Math.rint(Double.parseDouble("0." + digits) * MICROS_PER_SECOND);
  }

  private static BasaltException fieldOutOfRange(String text) {
    return BasaltException.of(SqlState.DATETIME_FIELD_OVERFLOW,
        "date/time field value out of range: \"" + text + "\"");
  }

  /** PostgreSQL's spellings of infinity and NaN for float4 and float8, any case. */
  private static Double specialFloat(String s) {
    if (s.equalsIgnoreCase("nan")) {
      return Double.NaN;
    }
    int sign = infinitySign(s);
    if (sign != 0) {
      return sign * Double.POSITIVE_INFINITY;
    }
    return null;
  }

  /** 1 for "infinity", "+inf" etc., -1 for "-infinity" or "-inf", 0 otherwise. */
  private static int infinitySign(String s) {
    String unsigned = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
    if (!unsigned.equalsIgnoreCase("infinity") && !unsigned.equalsIgnoreCase("inf")) {
      return 0;
    }
    return s.startsWith("-") ? -1 : 1;
  }

  /** Whether the mantissa (before any exponent) has a non-zero digit: then 0 is underflow. */
  private static boolean hasNonZeroDigit(String decimal) {
    for (int i = 0; i < decimal.length(); i++) {
      char ch = decimal.charAt(i);
      if (ch == 'e' || ch == 'E') {
        return false;
      }
      if (ch >= '1' && ch <= '9') {
        return true;
      }
    }
    return false;
  }

  private static String trimSpace(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && C_SPACE.indexOf(text.charAt(start)) >= 0) {
      start++;
    }
    while (end > start && C_SPACE.indexOf(text.charAt(end - 1)) >= 0) {
      end--;
    }
    return text.substring(start, end);
  }

  private static boolean isPrefixIgnoringCase(String s, String word) {
    return s.length() <= word.length() && word.regionMatches(true, 0, s, 0, s.length());
  }

  private static boolean isOctal(char ch) {
    return ch >= '0' && ch <= '7';
  }

  private static boolean isAscii(char ch) {
    return ch < 128;
  }

  private static int hexDigit(char ch) {
    return isAscii(ch) ? Character.digit(ch, 16) : -1;
  }
}
