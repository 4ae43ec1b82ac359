package io.basalt.metadata.hash;

import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;

/**
 * Reads values in PostgreSQL's binary send/receive format (what a client binds with format code
 * 1): fixed-width numbers in network byte order, numeric as its base-10000 digits.
 */
final class PgBinaryForms {
  private static final int NUMERIC_POSITIVE = 0x0000;
  private static final int NUMERIC_NEGATIVE = 0x4000;
  private static final int NUMERIC_NAN = 0xC000;
  private static final int NUMERIC_POSITIVE_INFINITY = 0xD000;
  private static final int NUMERIC_NEGATIVE_INFINITY = 0xF000;

  private PgBinaryForms() {}

  /** A big-endian signed integer of exactly {@code width} bytes (1, 2, 4 or 8). */
  static long bigEndian(byte[] value, int width, String typeName) {
    if (value.length != width) {
      throw incorrectFormat(typeName);
    }
    long result = value[0]; // sign-extends the most significant byte
    for (int i = 1; i < width; i++) {
      result = result << 8 | (value[i] & 0xff);
    }
    return result;
  }

  /**
   * hash_numeric of numeric's binary form: int16 ndigits, int16 weight, uint16 sign, int16
   * dscale, then ndigits int16 base-10000 digits. NaN and ±Infinity hash to 0, as in PostgreSQL.
   */
  static int hashNumeric(byte[] value) {
    if (value.length < 8) {
      throw incorrectFormat("numeric");
    }
    int ndigits = unsigned16(value, 0);
    int weight = (short) unsigned16(value, 2);
    int sign = unsigned16(value, 4);
    if (value.length != 8 + 2 * ndigits) {
      throw incorrectFormat("numeric");
    }
    switch (sign) {
      case NUMERIC_NAN, NUMERIC_POSITIVE_INFINITY, NUMERIC_NEGATIVE_INFINITY:
        return 0;
      case NUMERIC_POSITIVE, NUMERIC_NEGATIVE:
        break;
      default:
        throw BasaltException.of(SqlState.INVALID_BINARY_REPRESENTATION,
            "invalid sign in external \"numeric\" value");
    }
    short[] digits = new short[ndigits];
    for (int i = 0; i < ndigits; i++) {
      digits[i] = (short) unsigned16(value, 8 + 2 * i);
      if (digits[i] < 0 || digits[i] >= 10_000) {
        throw BasaltException.of(SqlState.INVALID_BINARY_REPRESENTATION,
            "invalid digit in external \"numeric\" value");
      }
    }
    return PgHash.hashNumericDigits(digits, weight);
  }

  private static int unsigned16(byte[] bytes, int offset) {
    return (bytes[offset] & 0xff) << 8 | (bytes[offset + 1] & 0xff);
  }

  static BasaltException incorrectFormat(String typeName) {
    return BasaltException.of(SqlState.INVALID_BINARY_REPRESENTATION,
        "incorrect binary data format for type " + typeName);
  }
}
