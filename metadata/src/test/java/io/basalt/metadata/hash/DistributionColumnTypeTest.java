package io.basalt.metadata.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.error.BasaltException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DistributionColumnTypeTest {

  @Test
  void lookupByOid() {
    assertSame(DistributionColumnType.INT4, DistributionColumnType.require(23, "integer"));
    assertSame(DistributionColumnType.TIMESTAMPTZ, DistributionColumnType.find(1184).orElseThrow());
    assertTrue(DistributionColumnType.isHashable(1043));
    assertFalse(DistributionColumnType.isHashable(3802)); // jsonb
    assertEquals(17, DistributionColumnType.values().length);
  }

  @Test
  void unknownTypeFailsWithCitusError() {
    BasaltException e = assertThrows(BasaltException.class,
        () -> DistributionColumnType.require(3802, "jsonb"));
    assertEquals("42883", e.sqlState());
    assertEquals("could not identify a hash function for type jsonb", e.getMessage());
  }

  @Test
  void textFormsOfTheReferenceVectors() {
    assertEquals(-1905060026, DistributionColumnType.INT4.hashText("1"));
    assertEquals(-1905060026, DistributionColumnType.INT8.hashText("1"));
    assertEquals(-1905060026, DistributionColumnType.INT2.hashText(" +1 "));
    assertEquals(2147483647, DistributionColumnType.INT8.hashText("2608474032"));
    assertEquals(1054520420, DistributionColumnType.TEXT.hashText("tenant_1"));
    assertEquals(1054520420, DistributionColumnType.VARCHAR.hashText("tenant_1"));
    assertEquals(1054520420, DistributionColumnType.BPCHAR.hashText("tenant_1   "));
    assertEquals(1154666245,
        DistributionColumnType.UUID.hashText("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
    assertEquals(289720484, DistributionColumnType.NUMERIC.hashText("10.50"));
    assertEquals(-1, DistributionColumnType.NUMERIC.hashText("0.000"));
    assertEquals(630860146, DistributionColumnType.FLOAT8.hashText("1.5"));
    assertEquals(630860146, DistributionColumnType.FLOAT4.hashText("1.5"));
    assertEquals(-499701663, DistributionColumnType.DATE.hashText("1997-08-08"));
  }

  @Test
  void binaryFormsOfTheReferenceVectors() {
    assertEquals(-1905060026, DistributionColumnType.INT2.hashBinary(hex("0001")));
    assertEquals(-1905060026, DistributionColumnType.INT4.hashBinary(hex("00000001")));
    assertEquals(-1905060026, DistributionColumnType.INT8.hashBinary(hex("0000000000000001")));
    assertEquals(385747274, DistributionColumnType.INT8.hashBinary(hex("ffffffffffffffff")));
    assertEquals(1054520420, DistributionColumnType.TEXT.hashBinary(utf8("tenant_1")));
    assertEquals(1054520420, DistributionColumnType.BPCHAR.hashBinary(utf8("tenant_1  ")));
    assertEquals(1154666245,
        DistributionColumnType.UUID.hashBinary(hex("a0eebc999c0b4ef8bb6d6bb9bd380a11")));
    assertEquals(630860146, DistributionColumnType.FLOAT8.hashBinary(hex("3ff8000000000000")));
    assertEquals(630860146, DistributionColumnType.FLOAT4.hashBinary(hex("3fc00000")));
    assertEquals(-499701663, DistributionColumnType.DATE.hashBinary(hex("fffffc94")));
    // numeric 10.50: ndigits 2, weight 0, sign +, dscale 2, digits 10 5000
    assertEquals(289720484,
        DistributionColumnType.NUMERIC.hashBinary(hex("0002" + "0000" + "0000" + "0002"
            + "000a" + "1388")));
    // numeric -10.5 (sign ignored)
    assertEquals(289720484,
        DistributionColumnType.NUMERIC.hashBinary(hex("0002000040000001000a1388")));
    assertEquals(-1, DistributionColumnType.NUMERIC.hashBinary(hex("0000000000000000")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"NaN", "nan", "Infinity", "-Infinity", "+inf", " -inf "})
  void numericSpecialValuesHashToZero(String text) {
    assertEquals(0, DistributionColumnType.NUMERIC.hashText(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"c000", "d000", "f000"})
  void numericSpecialBinaryValuesHashToZero(String sign) {
    assertEquals(0, DistributionColumnType.NUMERIC.hashBinary(hex("00000000" + sign + "0000")));
  }

  @Test
  void numericTextIgnoresScaleAndSign() {
    int hash = PgHash.hashNumeric(new BigDecimal("123456.78"));
    assertEquals(hash, DistributionColumnType.NUMERIC.hashText("123456.780000"));
    assertEquals(hash, DistributionColumnType.NUMERIC.hashText("-123456.78"));
    assertEquals(hash, DistributionColumnType.NUMERIC.hashText("1.2345678e5"));
  }

  @ParameterizedTest
  @CsvSource({"t, true", "TRUE, true", "yes, true", "on, true", "1, true", " tr , true",
      "f, false", "False, false", "n, false", "of, false", "off, false", "0, false"})
  void boolSpellings(String text, boolean value) {
    assertEquals(PgHash.hashBool(value), DistributionColumnType.BOOL.hashText(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"o", "", "tru e", "2", "yess", "onn"})
  void invalidBool(String text) {
    BasaltException e = assertThrows(BasaltException.class,
        () -> DistributionColumnType.BOOL.hashText(text));
    assertEquals("22P02", e.sqlState());
    assertEquals("invalid input syntax for type boolean: \"" + text + "\"", e.getMessage());
  }

  @Test
  void charTakesTheFirstByteOrAnOctalEscape() {
    assertEquals(PgHash.hashChar((byte) 'a'), DistributionColumnType.CHAR.hashText("abc"));
    assertEquals(PgHash.hashChar((byte) 0), DistributionColumnType.CHAR.hashText(""));
    assertEquals(PgHash.hashChar((byte) 0xe9), DistributionColumnType.CHAR.hashText("\\351"));
    assertEquals(PgHash.hashChar((byte) 0xc3), DistributionColumnType.CHAR.hashText("é"));
    assertEquals(PgHash.hashChar((byte) '\\'), DistributionColumnType.CHAR.hashText("\\"));
    assertEquals(PgHash.hashChar((byte) 0xe9), DistributionColumnType.CHAR.hashBinary(hex("e9")));
  }

  @Test
  void byteaHexAndEscapeFormats() {
    int hash = PgHash.hashBytea(new byte[] {1, 2, (byte) 0xff, '\\', 'a'});
    assertEquals(hash, DistributionColumnType.BYTEA.hashText("\\x0102ff5c61"));
    assertEquals(hash, DistributionColumnType.BYTEA.hashText("\\x01 02 FF 5C 61"));
    assertEquals(hash, DistributionColumnType.BYTEA.hashText("\\001\\002\\377\\\\a"));
    assertEquals(PgHash.hashBytea(new byte[0]), DistributionColumnType.BYTEA.hashText("\\x"));
    assertThrows(BasaltException.class, () -> DistributionColumnType.BYTEA.hashText("\\x012"));
    assertThrows(BasaltException.class, () -> DistributionColumnType.BYTEA.hashText("\\x0g"));
    assertThrows(BasaltException.class, () -> DistributionColumnType.BYTEA.hashText("a\\9"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
      "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}",
      "a0eebc999c0b4ef8bb6d6bb9bd380a11", "a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11"})
  void uuidSpellings(String text) {
    assertEquals(1154666245, DistributionColumnType.UUID.hashText(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a111",
      "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc9-99c0b-4ef8-bb6d-6bb9bd380a11",
      "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1-"})
  void invalidUuid(String text) {
    assertEquals("22P02", assertThrows(BasaltException.class,
        () -> DistributionColumnType.UUID.hashText(text)).sqlState());
  }

  @Test
  void datesIncludingBcAndInfinity() {
    assertEquals(PgHash.hashDate(0), DistributionColumnType.DATE.hashText("2000-01-01"));
    // 1 BC is the proleptic year 0, a leap year: 366 days before 0001-01-01
    assertEquals(PgHash.hashDate(-730119), DistributionColumnType.DATE.hashText("0001-01-01"));
    assertEquals(PgHash.hashDate(-730485), DistributionColumnType.DATE.hashText("0001-01-01 BC"));
    assertEquals(PgHash.hashDate(Integer.MAX_VALUE),
        DistributionColumnType.DATE.hashText("infinity"));
    assertEquals(PgHash.hashDate(Integer.MIN_VALUE),
        DistributionColumnType.DATE.hashText("-infinity"));
    assertEquals("22008", assertThrows(BasaltException.class,
        () -> DistributionColumnType.DATE.hashText("2023-02-29")).sqlState());
    assertEquals("22008", assertThrows(BasaltException.class,
        () -> DistributionColumnType.DATE.hashText("0000-01-01")).sqlState());
    assertEquals("22P02", assertThrows(BasaltException.class,
        () -> DistributionColumnType.DATE.hashText("2024/01/01")).sqlState());
  }

  @Test
  void timestamptzTextDenotesAnInstant() {
    int hash = DistributionColumnType.TIMESTAMPTZ.hashText("2024-01-01 10:00:00+00");
    assertEquals(hash, DistributionColumnType.TIMESTAMPTZ.hashText("2024-01-01 15:30:00+05:30"));
    assertEquals(hash, DistributionColumnType.TIMESTAMPTZ.hashText("2024-01-01 04:00:00-06"));
    assertEquals(hash, DistributionColumnType.TIMESTAMP.hashText("2024-01-01 10:00:00"));
    // timestamp without time zone ignores an offset, as PostgreSQL's input does
    assertEquals(hash, DistributionColumnType.TIMESTAMP.hashText("2024-01-01 10:00:00+07"));
    assertEquals(hash, DistributionColumnType.TIMESTAMPTZ.hashText("2024-01-01 09:59:60+00"));
    assertEquals(hash, DistributionColumnType.TIMESTAMPTZ.hashText("2023-12-31 24:00:00-10"));
    assertThrows(IllegalArgumentException.class,
        () -> DistributionColumnType.TIMESTAMPTZ.hashText("2024-01-01 10:00:00"));
  }

  @Test
  void timestampFractionsRoundToMicrosecondsLikePostgres() {
    long base = PgTextForms.parseTimestamp("2024-01-01 10:00:00", false);
    assertEquals(base + 123456, PgTextForms.parseTimestamp("2024-01-01 10:00:00.123456", false));
    assertEquals(base + 500000, PgTextForms.parseTimestamp("2024-01-01 10:00:00.5", false));
    assertEquals(base + 1, PgTextForms.parseTimestamp("2024-01-01 10:00:00.0000009", false));
    assertEquals(base + 1_000_000,
        PgTextForms.parseTimestamp("2024-01-01 10:00:00.9999999", false));
    assertEquals(Long.MAX_VALUE, PgTextForms.parseTimestamp("infinity", true));
    assertEquals(Long.MIN_VALUE, PgTextForms.parseTimestamp("-infinity", false));
    assertEquals(PgTextForms.parseTimestamp("0044-03-15 00:00:00 BC", false),
        PgTextForms.parseTimestamp("0044-03-15 00:00:00+00 BC", true));
  }

  @Test
  void floatsParseLikeStrtod() {
    assertEquals(0, DistributionColumnType.FLOAT8.hashText("-0"));
    assertEquals(PgHash.hashFloat8(Double.NaN), DistributionColumnType.FLOAT8.hashText("NaN"));
    assertEquals(PgHash.hashFloat8(Double.NEGATIVE_INFINITY),
        DistributionColumnType.FLOAT8.hashText("-Infinity"));
    assertEquals(PgHash.hashFloat8(Double.POSITIVE_INFINITY),
        DistributionColumnType.FLOAT8.hashText("inf"));
    assertEquals(PgHash.hashFloat8(4.9e-324), DistributionColumnType.FLOAT8.hashText("5e-324"));
    assertEquals("22003", assertThrows(BasaltException.class,
        () -> DistributionColumnType.FLOAT8.hashText("1e400")).sqlState());
    assertEquals("22003", assertThrows(BasaltException.class,
        () -> DistributionColumnType.FLOAT8.hashText("1e-400")).sqlState());
    assertEquals("22003", assertThrows(BasaltException.class,
        () -> DistributionColumnType.FLOAT4.hashText("1e39")).sqlState());
    assertEquals("22P02", assertThrows(BasaltException.class,
        () -> DistributionColumnType.FLOAT8.hashText("0x1p3")).sqlState());
    assertEquals("22P02", assertThrows(BasaltException.class,
        () -> DistributionColumnType.FLOAT8.hashText("1.5d")).sqlState());
  }

  @Test
  void integersOutOfRange() {
    BasaltException e = assertThrows(BasaltException.class,
        () -> DistributionColumnType.INT2.hashText("32768"));
    assertEquals("22003", e.sqlState());
    assertEquals("value \"32768\" is out of range for type smallint", e.getMessage());
    assertEquals("22P02", assertThrows(BasaltException.class,
        () -> DistributionColumnType.INT4.hashText("1.0")).sqlState());
    assertEquals(PgHash.hashOid(-1), DistributionColumnType.OID.hashText("4294967295"));
    assertEquals(PgHash.hashOid(-1), DistributionColumnType.OID.hashText("-1"));
    assertEquals("22003", assertThrows(BasaltException.class,
        () -> DistributionColumnType.OID.hashText("4294967296")).sqlState());
  }

  @Test
  void integersOfAnyLengthReadAlike() {
    // Up to 18 digits take a shortcut; longer spellings (leading zeros) go the general way.
    assertEquals(PgHash.hashInt8(42), DistributionColumnType.INT8.hashText(" +42 "));
    assertEquals(PgHash.hashInt8(42), DistributionColumnType.INT8.hashText("0000000000000000042"));
    assertEquals(PgHash.hashInt8(Long.MIN_VALUE),
        DistributionColumnType.INT8.hashText("-9223372036854775808"));
    assertEquals(PgHash.hashInt4(-7), DistributionColumnType.INT4.hashText("-000000000000000007"));
    assertEquals("22003", assertThrows(BasaltException.class,
        () -> DistributionColumnType.INT4.hashText("2147483648")).sqlState());
    assertEquals("22003", assertThrows(BasaltException.class,
        () -> DistributionColumnType.INT8.hashText("9223372036854775808")).sqlState());
    assertEquals("22P02", assertThrows(BasaltException.class,
        () -> DistributionColumnType.INT4.hashText("-")).sqlState());
    assertEquals("22P02", assertThrows(BasaltException.class,
        () -> DistributionColumnType.INT4.hashText("4 2")).sqlState());
  }

  @Test
  void binaryOfTheWrongLengthIsRejected() {
    BasaltException e = assertThrows(BasaltException.class,
        () -> DistributionColumnType.INT4.hashBinary(hex("0001")));
    assertEquals("22P03", e.sqlState());
    assertThrows(BasaltException.class, () -> DistributionColumnType.UUID.hashBinary(new byte[15]));
    assertThrows(BasaltException.class,
        () -> DistributionColumnType.NUMERIC.hashBinary(hex("0001000000000000")));
    assertThrows(BasaltException.class,
        () -> DistributionColumnType.NUMERIC.hashBinary(hex("00000000c0010000")));
  }

  @Test
  void boolBinaryIsAnyNonZeroByte() {
    assertEquals(PgHash.hashBool(true), DistributionColumnType.BOOL.hashBinary(hex("02")));
    assertEquals(PgHash.hashBool(false), DistributionColumnType.BOOL.hashBinary(hex("00")));
  }

  @Test
  void timestampBinaryIsMicrosSince2000() {
    byte[] micros = ByteBuffer.allocate(8).putLong(-1).array();
    assertEquals(PgHash.hashTimestamp(-1), DistributionColumnType.TIMESTAMP.hashBinary(micros));
    assertEquals(PgHash.hashTimestamp(-1),
        DistributionColumnType.TIMESTAMPTZ.hashText("1999-12-31 23:59:59.999999+00"));
  }

  private static byte[] hex(String digits) {
    return HexFormat.of().parseHex(digits);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** numeric(p,s), varchar(n) and timestamp(p) hash the value the column stores after coercion. */
  @Test
  void typeModifiersApplyBeforeHashing() {
    DistributionColumnType numeric = DistributionColumnType.NUMERIC;
    int numeric10x2 = ((10 << 16) | 2) + 4;
    assertEquals(numeric.hashText("1.01"), numeric.hashText("1.005", numeric10x2));
    assertEquals(numeric.hashText("-1.01"), numeric.hashText("-1.005", numeric10x2));
    assertEquals(numeric.hashText("1.00"), numeric.hashText("1", numeric10x2));
    assertEquals(numeric.hashText("NaN"), numeric.hashText("NaN", numeric10x2));
    int numeric2x0 = (2 << 16) + 4;
    assertEquals(numeric.hashText("2"), numeric.hashText("1.6", numeric2x0));
    assertEquals(numeric.hashText("1.6"), numeric.hashText("1.6", -1));

    DistributionColumnType varchar = DistributionColumnType.VARCHAR;
    assertEquals(varchar.hashText("abc"), varchar.hashText("abc   ", 3 + 4));
    assertEquals(varchar.hashText("abc  "), varchar.hashText("abc  ", 10 + 4));
    // Not all spaces past n: PostgreSQL refuses the value, which is hashed as written.
    assertEquals(varchar.hashText("abcd"), varchar.hashText("abcd", 3 + 4));
    assertEquals(varchar.hashText("äöü"), varchar.hashText("äöü ", 3 + 4));

    DistributionColumnType ts = DistributionColumnType.TIMESTAMP;
    assertEquals(ts.hashText("2024-01-01 00:00:01"), ts.hashText("2024-01-01 00:00:00.6", 0));
    assertEquals(ts.hashText("2024-01-01 00:00:00.12"),
        ts.hashText("2024-01-01 00:00:00.123", 2));
    assertEquals(ts.hashText("1999-12-31 23:59:59"), ts.hashText("1999-12-31 23:59:59.4", 0));
    // Before 2000-01-01 the microseconds are negative: half rounds away from zero, down here
    // (PostgreSQL: '1999-12-31 23:59:58.5'::timestamp(0) is 23:59:58).
    assertEquals(ts.hashText("1999-12-31 23:59:58"), ts.hashText("1999-12-31 23:59:58.5", 0));
    assertEquals(ts.hashText("infinity"), ts.hashText("infinity", 0));
    DistributionColumnType tstz = DistributionColumnType.TIMESTAMPTZ;
    assertEquals(tstz.hashText("2024-01-01 00:00:01+00"),
        tstz.hashText("2024-01-01 00:00:00.5+00", 0));
  }

  @Test
  void timestampRoundingIsHalfAwayFromZero() {
    assertEquals(1_000_000, DistributionColumnType.roundedMicros(500_000, 0));
    assertEquals(0, DistributionColumnType.roundedMicros(499_999, 0));
    assertEquals(-1_000_000, DistributionColumnType.roundedMicros(-500_000, 0));
    assertEquals(-0, DistributionColumnType.roundedMicros(-499_999, 0));
    assertEquals(123_460, DistributionColumnType.roundedMicros(123_456, 5));
    assertEquals(123_456, DistributionColumnType.roundedMicros(123_456, 6));
  }
}
