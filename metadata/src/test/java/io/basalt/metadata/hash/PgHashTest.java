package io.basalt.metadata.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Test vectors from the Citus reference (re-computed there against PostgreSQL 15 and Citus'
 * expected outputs), plus the equalities PostgreSQL's hash functions promise.
 */
class PgHashTest {

  @ParameterizedTest
  @CsvSource({
      "1, -1905060026", "2, 1134484726", "3, -28094569", "4, -1011077333", "5, -1330264708",
      "6, 566031088", "7, -978793473", "8, -2047600124", "9, 1672378334", "10, -1547814713",
      "123, -205084363"})
  void int4AndInt8InInt32RangeHashAlike(int value, int expected) {
    assertEquals(expected, PgHash.hashInt4(value));
    assertEquals(expected, PgHash.hashInt8(value));
    assertEquals(expected, PgHash.hashInt2((short) value));
  }

  @ParameterizedTest
  @CsvSource({
      "0, -272711505", "-1, 385747274", "2147483648, -1524351049",
      "1099511627776, 1851357687", "-1099511627776, -1811739487",
      "2608474032, 2147483647", "963809240, -2147483648"})
  void int8EdgeValues(long value, int expected) {
    assertEquals(expected, PgHash.hashInt8(value));
  }

  @ParameterizedTest
  @CsvSource(value = {
      "a|1075015857", "hello|-1870292951", "abc|-785388649", "tenant_1|1054520420",
      "''|-1477818771"}, delimiter = '|', quoteCharacter = '\'')
  void text(String value, int expected) {
    assertEquals(expected, PgHash.hashText(value));
    assertEquals(expected, PgHash.hashBytes(value.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void uuid() {
    assertEquals(1154666245,
        PgHash.hashUuid(UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")));
  }

  @ParameterizedTest
  @CsvSource({"1, 1324868424", "10.50, 289720484", "123456.78, -2124782048", "0, -1"})
  void numeric(String value, int expected) {
    assertEquals(expected, PgHash.hashNumeric(new BigDecimal(value)));
  }

  @Test
  void numericIgnoresScaleAndSign() {
    int one = PgHash.hashNumeric(BigDecimal.ONE);
    assertEquals(one, PgHash.hashNumeric(new BigDecimal("1.000")));
    assertEquals(one, PgHash.hashNumeric(new BigDecimal("1E+0")));
    assertEquals(one, PgHash.hashNumeric(new BigDecimal("-1")));
    assertEquals(PgHash.hashNumeric(new BigDecimal("100")),
        PgHash.hashNumeric(new BigDecimal("1E+2")));
    assertEquals(PgHash.hashNumeric(new BigDecimal("10000")),
        PgHash.hashNumeric(new BigDecimal("1.0000E+4")));
    assertEquals(-1, PgHash.hashNumeric(new BigDecimal("0E-20")));
    assertEquals(-1, PgHash.hashNumeric(new BigDecimal("0E+20")));
    assertNotEquals(one, PgHash.hashNumeric(new BigDecimal("10000")),
        "same digit, different weight");
  }

  @Test
  void numericBeyondPostgresRangeIsRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> PgHash.hashNumeric(new BigDecimal("1E+200000")));
  }

  @Test
  void numericDigitsSkipZeroDigitsAtEitherEnd() {
    // 1 as PostgreSQL might hold it unnormalised: 0000 0001 0000 with weight 1
    assertEquals(PgHash.hashNumeric(BigDecimal.ONE),
        PgHash.hashNumericDigits(new short[] {0, 1, 0}, 1));
    assertEquals(-1, PgHash.hashNumericDigits(new short[] {0, 0}, 3));
    assertEquals(-1, PgHash.hashNumericDigits(new short[0], 0));
  }

  @Test
  void float8() {
    assertEquals(630860146, PgHash.hashFloat8(1.5));
    assertEquals(0, PgHash.hashFloat8(0.0));
    assertEquals(0, PgHash.hashFloat8(-0.0));
    assertEquals(-1275764840, PgHash.hashFloat8(Double.NaN));
    // a NaN with another payload hashes as the standard NaN
    assertEquals(-1275764840, PgHash.hashFloat8(Double.longBitsToDouble(0xfff0000000000001L)));
  }

  @Test
  void float4WidensToFloat8() {
    assertEquals(630860146, PgHash.hashFloat4(1.5f));
    assertEquals(PgHash.hashFloat8(0.1f), PgHash.hashFloat4(0.1f));
    assertEquals(0, PgHash.hashFloat4(-0.0f));
    assertEquals(-1275764840, PgHash.hashFloat4(Float.NaN));
  }

  @Test
  void date() {
    assertEquals(-499701663, PgHash.hashDate(-876));
    assertEquals(-499701663, PgHash.hashDate(LocalDate.of(1997, 8, 8)));
    assertEquals(PgHash.hashInt4(0), PgHash.hashDate(LocalDate.of(2000, 1, 1)));
  }

  @Test
  void timestampIsHashint8OfMicrosecondsSince2000() {
    long micros = 86_400_000_000L + 1;
    LocalDateTime local = LocalDateTime.of(2000, 1, 2, 0, 0, 0, 1000);
    assertEquals(PgHash.hashInt8(micros), PgHash.hashTimestamp(micros));
    assertEquals(PgHash.hashInt8(micros), PgHash.hashTimestamp(local));
    assertEquals(PgHash.hashInt8(micros), PgHash.hashTimestamptz(local.toInstant(ZoneOffset.UTC)));
    assertEquals(PgHash.hashInt8(micros), PgHash.hashTimestamptz(
        OffsetDateTime.of(2000, 1, 2, 5, 30, 0, 1000, ZoneOffset.ofHoursMinutes(5, 30))));
    assertEquals(PgHash.hashInt8(-1), PgHash.hashTimestamptz(Instant.parse(
        "1999-12-31T23:59:59.999999Z")));
    assertThrows(IllegalArgumentException.class,
        () -> PgHash.hashTimestamp(LocalDateTime.of(2000, 1, 1, 0, 0, 0, 1)));
  }

  @Test
  void boolAndCharHashTheirByteWidened() {
    assertEquals(PgHash.hashInt4(1), PgHash.hashBool(true));
    assertEquals(PgHash.hashInt4(0), PgHash.hashBool(false));
    assertEquals(PgHash.hashInt4('a'), PgHash.hashChar((byte) 'a'));
    assertEquals(PgHash.hashInt4(-1), PgHash.hashChar((byte) 0xff));
  }

  @Test
  void bpcharDropsTrailingSpacesOnly() {
    assertEquals(PgHash.hashText("ab"), PgHash.hashBpchar("ab   "));
    assertEquals(PgHash.hashText("  ab"), PgHash.hashBpchar("  ab "));
    assertEquals(PgHash.hashText(""), PgHash.hashBpchar("   "));
    assertEquals(PgHash.hashText("ab\t"), PgHash.hashBpchar("ab\t"));
  }

  @Test
  void hashBytesOfASliceEqualsHashOfACopy() {
    Random random = new Random(42);
    for (int length = 0; length <= 40; length++) {
      byte[] bytes = new byte[length + 7];
      random.nextBytes(bytes);
      byte[] slice = Arrays.copyOfRange(bytes, 3, 3 + length);
      assertEquals(PgHash.hashBytes(slice), PgHash.hashBytes(bytes, 3, length));
    }
    assertThrows(IndexOutOfBoundsException.class, () -> PgHash.hashBytes(new byte[4], 2, 3));
  }
}
