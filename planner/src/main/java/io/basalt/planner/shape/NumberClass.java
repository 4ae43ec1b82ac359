package io.basalt.planner.shape;

/**
 * The type PostgreSQL gives a numeric constant, which the shape keeps because the analysis of a
 * statement depends on it ({@code 1/2} is 0, {@code 1.0/2} is 0.5).
 */
enum NumberClass {
  INT4,
  INT8,
  NUMERIC;

  private static final long INT4_MIN_MAGNITUDE = 2_147_483_648L;
  private static final String INT8_MIN_MAGNITUDE = "9223372036854775808";

  /**
   * The class of a decimal constant, or null when the constant must stay in the shape as written:
   *
   * <ul>
   *   <li>2147483648 and 9223372036854775808 are int8 and numeric, but PostgreSQL folds a unary
   *       minus into a constant (gram.y doNegate), and their negations are int4 and int8; each is
   *       the only value with that behaviour, so keeping it verbatim costs nothing.
   *   <li>0x1F, 0o17, 0b101 and 1_000 are numbers from PostgreSQL 16 on; PostgreSQL 15 reads
   *       {@code 0x1F} as {@code 0 AS x1F}, so their meaning depends on the server.
   *   <li>Anything else the lexer took for a number ({@code 1abc}, {@code 1e}) is not a valid
   *       constant.
   * </ul>
   */
  static NumberClass of(String text) {
    int n = text.length();
    int i = digits(text, 0);
    int intDigits = i;
    boolean fraction = i < n && text.charAt(i) == '.';
    if (fraction) {
      int afterPoint = digits(text, i + 1);
      if (intDigits == 0 && afterPoint == i + 1) {
        return null;
      }
      i = afterPoint;
    } else if (intDigits == 0) {
      return null;
    }
    boolean exponent = i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E');
    if (exponent) {
      int sign = i + 1 < n && (text.charAt(i + 1) == '+' || text.charAt(i + 1) == '-') ? 1 : 0;
      int afterExponent = digits(text, i + 1 + sign);
      if (afterExponent == i + 1 + sign) {
        return null;
      }
      i = afterExponent;
    }
    if (i != n) {
      return null;
    }
    return fraction || exponent ? NUMERIC : integer(text);
  }

  private static NumberClass integer(String digits) {
    String significant = stripLeadingZeros(digits);
    if (significant.length() > INT8_MIN_MAGNITUDE.length()) {
      return NUMERIC;
    }
    if (significant.length() == INT8_MIN_MAGNITUDE.length()) {
      int c = significant.compareTo(INT8_MIN_MAGNITUDE);
      if (c >= 0) {
        return c == 0 ? null : NUMERIC;
      }
    }
    long value = Long.parseLong(significant);
    if (value == INT4_MIN_MAGNITUDE) {
      return null;
    }
    return value <= Integer.MAX_VALUE ? INT4 : INT8;
  }

  private static String stripLeadingZeros(String digits) {
    int i = 0;
    while (i < digits.length() - 1 && digits.charAt(i) == '0') {
      i++;
    }
    return digits.substring(i);
  }

  /** The index after the ASCII digits starting at {@code from}. */
  private static int digits(String text, int from) {
    int i = from;
    while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
      i++;
    }
    return i;
  }
}
