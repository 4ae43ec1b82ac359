package io.basalt.metadata.hash;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.UUID;

/**
 * PostgreSQL's hash functions, bit for bit: {@code hash_bytes} (Bob Jenkins' lookup3, from
 * {@code src/common/hashfn.c}), {@code hash_uint32}, and the support function #1 of each type's
 * default hash operator class. Citus routes a row to the shard whose hash range holds this value,
 * so any difference here would put rows on the wrong shard.
 *
 * <p>Every result is the signed int32 PostgreSQL returns. PostgreSQL feeds some types to
 * {@code hash_bytes} in native byte order (float4/8, numeric digits); these methods use little
 * endian, the order of every platform Basalt's workers run on (x86-64, AArch64).
 */
public final class PgHash {
  /** lookup3's seed as PostgreSQL sets it: the golden ratio plus an arbitrary constant. */
  private static final int SEED = 0x9e3779b9 + 3923095;
  /** PostgreSQL's date and timestamp epoch, 2000-01-01, as days and seconds from 1970-01-01. */
  static final int PG_EPOCH_DAY = 10957;
  private static final long PG_EPOCH_SECOND = PG_EPOCH_DAY * 86_400L;

  private PgHash() {}

  /** {@code hash_bytes} over all of {@code data}. */
  public static int hashBytes(byte[] data) {
    return hashBytes(data, 0, data.length);
  }

  /** PostgreSQL's {@code hash_bytes(k, keylen)} (also called {@code hash_any}). */
  public static int hashBytes(byte[] data, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, data.length);
    int a = SEED + length;
    int b = a;
    int c = a;
    int p = offset;
    int remaining = length;
    while (remaining >= 12) {
      a += littleEndianInt(data, p);
      b += littleEndianInt(data, p + 4);
      c += littleEndianInt(data, p + 8);
      // lookup3's mix(a, b, c)
      a -= c;
      a ^= Integer.rotateLeft(c, 4);
      c += b;
      b -= a;
      b ^= Integer.rotateLeft(a, 6);
      a += c;
      c -= b;
      c ^= Integer.rotateLeft(b, 8);
      b += a;
      a -= c;
      a ^= Integer.rotateLeft(c, 16);
      c += b;
      b -= a;
      b ^= Integer.rotateLeft(a, 19);
      a += c;
      c -= b;
      c ^= Integer.rotateLeft(b, 4);
      b += a;
      p += 12;
      remaining -= 12;
    }
    // The last 0..11 bytes fill a, b and c from their low byte up, except that c's lowest byte
    // stays clear (lookup3 reserves it for the length in the variant PostgreSQL uses).
    for (int i = 0; i < remaining; i++) {
      int v = data[p + i] & 0xff;
      if (i < 4) {
        a += v << (8 * i);
      } else if (i < 8) {
        b += v << (8 * (i - 4));
      } else {
        c += v << (8 * (i - 7));
      }
    }
    // Unlike Jenkins' original, PostgreSQL runs final() even when no bytes were left over.
    return finalMix(a, b, c);
  }

  /** PostgreSQL's {@code hash_uint32(k)}: lookup3 specialised to one 4-byte key. */
  public static int hashUint32(int k) {
    int a = SEED + 4;
    return finalMix(a + k, a, a);
  }

  /** {@code hashint2}: the value sign-extended to int32, then {@link #hashUint32}. */
  public static int hashInt2(short value) {
    return hashUint32(value);
  }

  /** {@code hashint4}. */
  public static int hashInt4(int value) {
    return hashUint32(value);
  }

  /**
   * {@code hashint8}: folds the high half into the low half so that int8 values within int32
   * range hash like int4 (cross-type hash joins rely on that), then {@link #hashUint32}.
   */
  public static int hashInt8(long value) {
    int lo = (int) value;
    int hi = (int) (value >>> 32);
    lo ^= value >= 0 ? hi : ~hi;
    return hashUint32(lo);
  }

  /** {@code hashoid}: an OID is an unsigned 32-bit number; pass its bits. */
  public static int hashOid(int oid) {
    return hashUint32(oid);
  }

  /** bool's hash opclass uses {@code hashchar}: true is 1, false 0. */
  public static int hashBool(boolean value) {
    return hashUint32(value ? 1 : 0);
  }

  /**
   * {@code hashchar} for the one-byte type {@code "char"}. PostgreSQL widens the C {@code char},
   * which is signed on x86-64, so bytes 0x80..0xFF hash as negative numbers, as here. (C's char is
   * unsigned on AArch64, where PostgreSQL hashes those bytes as 128..255 instead.)
   */
  public static int hashChar(byte value) {
    return hashUint32(value);
  }

  /** {@code hashtext} (text, varchar) under a deterministic collation: the UTF-8 bytes. */
  public static int hashText(String value) {
    return hashBytes(value.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * {@code hashbpchar} (character(n)): trailing spaces are insignificant to bpchar's equality, so
   * they are dropped before hashing.
   */
  public static int hashBpchar(String value) {
    int end = value.length();
    while (end > 0 && value.charAt(end - 1) == ' ') {
      end--;
    }
    return hashText(value.substring(0, end));
  }

  /** {@code hashvarlena} for bytea: the raw bytes. */
  public static int hashBytea(byte[] value) {
    return hashBytes(value);
  }

  /** {@code uuid_hash}: the 16 bytes in the order the text form shows them. */
  public static int hashUuid(UUID value) {
    byte[] bytes = new byte[16];
    putBigEndianLong(bytes, 0, value.getMostSignificantBits());
    putBigEndianLong(bytes, 8, value.getLeastSignificantBits());
    return hashBytes(bytes);
  }

  /** date's hash opclass uses {@code hashint4} on the days since 2000-01-01. */
  public static int hashDate(int daysSince2000) {
    return hashInt4(daysSince2000);
  }

  /**
   * {@link #hashDate(int)} of a calendar date (proleptic Gregorian, as PostgreSQL counts).
   *
   * @throws ArithmeticException if the date is too far from 2000 for an int day count
   */
  public static int hashDate(LocalDate date) {
    return hashDate(Math.toIntExact(date.toEpochDay() - PG_EPOCH_DAY));
  }

  /**
   * {@code timestamp_hash}, the hash of both timestamp and timestamptz: {@code hashint8} of
   * microseconds since 2000-01-01 00:00:00 (UTC for timestamptz). PostgreSQL's {@code -infinity}
   * and {@code infinity} are {@link Long#MIN_VALUE} and {@link Long#MAX_VALUE}.
   */
  public static int hashTimestamp(long microsSince2000) {
    return hashInt8(microsSince2000);
  }

  /**
   * {@link #hashTimestamp(long)} of a timestamp without time zone.
   *
   * @throws IllegalArgumentException if it has a fraction of a microsecond, which PostgreSQL
   *     cannot hold, so which value it would store depends on how the caller rounds
   */
  public static int hashTimestamp(LocalDateTime timestamp) {
    return hashTimestamp(microsSince2000(timestamp.toEpochSecond(ZoneOffset.UTC),
        timestamp.getNano()));
  }

  /**
   * {@link #hashTimestamp(long)} of a timestamptz: PostgreSQL stores the instant, so the time
   * zone it was written in does not matter.
   *
   * @throws IllegalArgumentException if it has a fraction of a microsecond
   */
  public static int hashTimestamptz(Instant instant) {
    return hashTimestamp(microsSince2000(instant.getEpochSecond(), instant.getNano()));
  }

  /** {@link #hashTimestamptz(Instant)} of the instant {@code timestamp} denotes. */
  public static int hashTimestamptz(OffsetDateTime timestamp) {
    return hashTimestamptz(timestamp.toInstant());
  }

  /**
   * {@code hash_numeric} of a finite numeric. PostgreSQL hashes the base-10000 digits without
   * leading and trailing zero digits, XORed with the weight (the power of 10000 of the first
   * digit), so values that compare equal (1, 1.0, 1.000) hash equal; the sign is ignored (1 and
   * -1 collide), and zero hashes to -1. NaN and ±Infinity, which BigDecimal cannot represent, hash
   * to 0 in PostgreSQL ({@link DistributionColumnType#NUMERIC} handles their text and binary
   * forms).
   *
   * @throws IllegalArgumentException if the value is beyond numeric's range (its first base-10000
   *     digit's weight does not fit numeric's int16)
   */
  public static int hashNumeric(BigDecimal value) {
    if (value.signum() == 0) {
      return -1;
    }
    // Align the scale to a whole base-10000 digit: value = aligned * 10000^-fractionDigits.
    long fractionDigits = Math.ceilDiv((long) value.scale(), 4);
    int pad = (int) (4 * fractionDigits - value.scale());
    BigInteger aligned = value.unscaledValue().abs().multiply(BigInteger.TEN.pow(pad));
    String decimal = aligned.toString();
    int count = (decimal.length() + 3) / 4;
    short[] digits = new short[count];
    int end = decimal.length();
    for (int i = count - 1; i >= 0; i--) {
      int start = Math.max(0, end - 4);
      digits[i] = (short) Integer.parseInt(decimal, start, end, 10);
      end = start;
    }
    long weight = count - 1 - fractionDigits;
    if (weight < Short.MIN_VALUE || weight > Short.MAX_VALUE) {
      throw new IllegalArgumentException("value is outside numeric's range: " + value);
    }
    return hashNumericDigits(digits, (int) weight);
  }

  /**
   * {@code hash_numeric} of a finite numeric given as PostgreSQL holds it: base-10000
   * {@code digits}, most significant first, the first of weight {@code weight} (possibly with
   * zero digits at either end, which do not count).
   */
  static int hashNumericDigits(short[] digits, int weight) {
    int start = 0;
    while (start < digits.length && digits[start] == 0) {
      start++;
      weight--;
    }
    if (start == digits.length) {
      return -1;
    }
    int end = digits.length;
    while (digits[end - 1] == 0) {
      end--;
    }
    byte[] bytes = new byte[2 * (end - start)];
    for (int i = start; i < end; i++) {
      bytes[2 * (i - start)] = (byte) digits[i];
      bytes[2 * (i - start) + 1] = (byte) (digits[i] >> 8);
    }
    return hashBytes(bytes) ^ weight;
  }

  /**
   * {@code hashfloat8}: zero and minus zero compare equal, so both return 0 (not a hash of
   * zero); every NaN hashes as the standard NaN; otherwise {@code hash_bytes} of the IEEE bits.
   */
  public static int hashFloat8(double value) {
    if (value == 0.0) {
      return 0;
    }
    byte[] bytes = new byte[8];
    // doubleToLongBits maps every NaN to 0x7ff8000000000000, the C library's NAN.
    long bits = Double.doubleToLongBits(value);
    for (int i = 0; i < 8; i++) {
      bytes[i] = (byte) (bits >>> (8 * i));
    }
    return hashBytes(bytes);
  }

  /**
   * {@code hashfloat4}: widens to float8 first, so that a float4 and an equal float8 hash equal.
   */
  public static int hashFloat4(float value) {
    return hashFloat8(value);
  }

  static long microsSince2000(long epochSecond, int nanos) {
    if (nanos % 1000 != 0) {
      throw new IllegalArgumentException("PostgreSQL timestamps hold whole microseconds; got "
          + nanos + " nanoseconds");
    }
    return Math.addExact(Math.multiplyExact(epochSecond - PG_EPOCH_SECOND, 1_000_000L),
        nanos / 1000);
  }

  private static int finalMix(int a, int b, int c) {
    c ^= b;
    c -= Integer.rotateLeft(b, 14);
    a ^= c;
    a -= Integer.rotateLeft(c, 11);
    b ^= a;
    b -= Integer.rotateLeft(a, 25);
    c ^= b;
    c -= Integer.rotateLeft(b, 16);
    a ^= c;
    a -= Integer.rotateLeft(c, 4);
    b ^= a;
    b -= Integer.rotateLeft(a, 14);
    c ^= b;
    c -= Integer.rotateLeft(b, 24);
    return c;
  }

  private static int littleEndianInt(byte[] data, int p) {
    return (data[p] & 0xff) | (data[p + 1] & 0xff) << 8 | (data[p + 2] & 0xff) << 16
        | (data[p + 3] & 0xff) << 24;
  }

  private static void putBigEndianLong(byte[] bytes, int offset, long value) {
    for (int i = 0; i < 8; i++) {
      bytes[offset + i] = (byte) (value >>> (56 - 8 * i));
    }
  }
}
