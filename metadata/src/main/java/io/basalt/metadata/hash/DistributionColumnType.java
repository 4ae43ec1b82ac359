package io.basalt.metadata.hash;

import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/**
 * The PostgreSQL types Basalt can hash as a distribution column, keyed by type OID, each able to
 * hash a value in either wire format exactly as the type's default hash opclass function does
 * on a worker. (Named for the column rather than "distribution type", which in Citus means
 * hash/range/append.)
 *
 * <p>A domain hashes as its base type: resolve it before looking the type up. Enums are left out
 * on purpose: {@code hashenum} hashes the label's OID, which differs from node to node.
 */
public enum DistributionColumnType {
  BOOL(16, "boolean",
      text -> PgHash.hashBool(PgTextForms.parseBool(text)),
      binary -> PgHash.hashBool(PgBinaryForms.bigEndian(binary, 1, "boolean") != 0)),
  BYTEA(17, "bytea",
      text -> PgHash.hashBytea(PgTextForms.parseBytea(text)),
      PgHash::hashBytea),
  CHAR(18, "\"char\"",
      text -> PgHash.hashChar(PgTextForms.parseChar(text)),
      binary -> PgHash.hashChar((byte) PgBinaryForms.bigEndian(binary, 1, "\"char\""))),
  INT8(20, "bigint",
      text -> PgHash.hashInt8(
          PgTextForms.parseInteger(text, Long.MIN_VALUE, Long.MAX_VALUE, "bigint")),
      binary -> PgHash.hashInt8(PgBinaryForms.bigEndian(binary, 8, "bigint"))),
  INT2(21, "smallint",
      text -> PgHash.hashInt2((short)
          PgTextForms.parseInteger(text, Short.MIN_VALUE, Short.MAX_VALUE, "smallint")),
      binary -> PgHash.hashInt2((short) PgBinaryForms.bigEndian(binary, 2, "smallint"))),
  INT4(23, "integer",
      text -> PgHash.hashInt4((int)
          PgTextForms.parseInteger(text, Integer.MIN_VALUE, Integer.MAX_VALUE, "integer")),
      binary -> PgHash.hashInt4((int) PgBinaryForms.bigEndian(binary, 4, "integer"))),
  TEXT(25, "text", PgHash::hashText, PgHash::hashBytes),
  /** oid's input also accepts negative numbers down to -2^31, as their unsigned bits. */
  OID(26, "oid",
      text -> PgHash.hashOid((int)
          PgTextForms.parseInteger(text, Integer.MIN_VALUE, 0xFFFF_FFFFL, "oid")),
      binary -> PgHash.hashOid((int) PgBinaryForms.bigEndian(binary, 4, "oid"))),
  FLOAT4(700, "real",
      text -> PgHash.hashFloat4(PgTextForms.parseFloat4(text)),
      binary -> PgHash.hashFloat4(
          Float.intBitsToFloat((int) PgBinaryForms.bigEndian(binary, 4, "real")))),
  FLOAT8(701, "double precision",
      text -> PgHash.hashFloat8(PgTextForms.parseFloat8(text)),
      binary -> PgHash.hashFloat8(
          Double.longBitsToDouble(PgBinaryForms.bigEndian(binary, 8, "double precision")))),
  /** Text and binary forms may carry character(n)'s padding; hashbpchar ignores it. */
  BPCHAR(1042, "character", PgHash::hashBpchar, DistributionColumnType::hashPaddedBytes),
  VARCHAR(1043, "character varying", PgHash::hashText, PgHash::hashBytes),
  DATE(1082, "date",
      text -> PgHash.hashDate(PgTextForms.parseDate(text)),
      binary -> PgHash.hashDate((int) PgBinaryForms.bigEndian(binary, 4, "date"))),
  TIMESTAMP(1114, "timestamp without time zone",
      text -> PgHash.hashTimestamp(PgTextForms.parseTimestamp(text, false)),
      binary -> PgHash.hashTimestamp(
          PgBinaryForms.bigEndian(binary, 8, "timestamp without time zone"))),
  /**
   * Text must carry its UTC offset, as PostgreSQL prints it ({@code 2024-01-01 10:00:00+00} under
   * TimeZone UTC); without one, hashText throws IllegalArgumentException.
   */
  TIMESTAMPTZ(1184, "timestamp with time zone",
      text -> PgHash.hashTimestamp(PgTextForms.parseTimestamp(text, true)),
      binary -> PgHash.hashTimestamp(
          PgBinaryForms.bigEndian(binary, 8, "timestamp with time zone"))),
  NUMERIC(1700, "numeric", DistributionColumnType::hashNumericText, PgBinaryForms::hashNumeric),
  UUID(2950, "uuid",
      text -> PgHash.hashBytes(PgTextForms.parseUuid(text)),
      binary -> {
        if (binary.length != 16) {
          throw PgBinaryForms.incorrectFormat("uuid");
        }
        return PgHash.hashBytes(binary);
      });

  private static final Map<Integer, DistributionColumnType> BY_OID = Arrays.stream(values())
      .collect(Collectors.toUnmodifiableMap(DistributionColumnType::oid, Function.identity()));

  private final int oid;
  private final String typeName;
  private final ToIntFunction<String> textHash;
  private final ToIntFunction<byte[]> binaryHash;

  DistributionColumnType(int oid, String typeName, ToIntFunction<String> textHash,
      ToIntFunction<byte[]> binaryHash) {
    this.oid = oid;
    this.typeName = typeName;
    this.textHash = textHash;
    this.binaryHash = binaryHash;
  }

  /** The type's OID in pg_type (the same on every PostgreSQL: these are built-in types). */
  public int oid() {
    return oid;
  }

  /** The type's name as PostgreSQL's format_type prints it. */
  public String typeName() {
    return typeName;
  }

  /**
   * The hash of a value in PostgreSQL's text output form for this type, as the type's output
   * function prints it with DateStyle ISO and bytea_output hex. Some other spellings the type's
   * input accepts are read too: whitespace around numbers, every bool spelling, bytea's escape
   * format, uuid without hyphens or in braces, any UTC offset and extra fraction digits in
   * timestamps; words such as 'today' or 'epoch' are not.
   *
   * @throws BasaltException with PostgreSQL's SQLSTATE and message (22P02 and friends) if the
   *     text is not a value of this type
   */
  public int hashText(String text) {
    return textHash.applyAsInt(text);
  }

  /**
   * {@link #hashText} of the value a column with type modifier {@code typmod} (atttypmod, -1 for
   * none) stores for this text: PostgreSQL coerces a value to the modifier before it stores it,
   * so the hash must be of the coerced value. numeric(p,s) rounds to s fraction digits (half away
   * from zero), character varying(n) drops spaces past n characters, timestamp(p) and
   * timestamptz(p) round to p fraction digits. A value the coercion refuses (too many digits, a
   * non-space past n) is hashed as written: the shard refuses it.
   */
  public int hashText(String text, int typmod) {
    if (typmod < 0) {
      return hashText(text);
    }
    return switch (this) {
      case NUMERIC -> {
        BigDecimal value = PgTextForms.parseNumeric(text);
        if (value == null) {
          yield 0; // NaN and ±Infinity
        }
        // PostgreSQL 15 keeps the scale in the low 11 bits, signed.
        int scale = (((typmod - 4) & 0x7ff) ^ 1024) - 1024;
        yield hashNumericText(value.setScale(scale, java.math.RoundingMode.HALF_UP)
            .toPlainString());
      }
      case VARCHAR -> hashText(withoutSpacesPast(text, typmod - 4));
      case TIMESTAMP, TIMESTAMPTZ -> {
        long micros = PgTextForms.parseTimestamp(text, this == TIMESTAMPTZ);
        yield PgHash.hashTimestamp(roundedMicros(micros, typmod));
      }
      default -> hashText(text);
    };
  }

  /** character varying(n)'s coercion: spaces past n characters are dropped. */
  private static String withoutSpacesPast(String text, int n) {
    if (n < 0 || text.codePointCount(0, text.length()) <= n) {
      return text;
    }
    int cut = text.offsetByCodePoints(0, n);
    for (int i = cut; i < text.length(); i++) {
      if (text.charAt(i) != ' ') {
        return text;
      }
    }
    return text.substring(0, cut);
  }

  /** timestamp(p)'s coercion of microseconds: rounded to p digits, half away from zero. */
  static long roundedMicros(long micros, int precision) {
    if (precision >= 6 || micros == Long.MAX_VALUE || micros == Long.MIN_VALUE) {
      return micros;
    }
    long scale = 1;
    for (int i = precision; i < 6; i++) {
      scale *= 10;
    }
    long offset = scale / 2;
    return micros >= 0 ? ((micros + offset) / scale) * scale
        : -((((-micros) + offset) / scale) * scale);
  }

  /**
   * The hash of a value in PostgreSQL's binary send/receive format for this type.
   *
   * @throws BasaltException (22P03) if the bytes are not a value of this type
   */
  public int hashBinary(byte[] value) {
    return binaryHash.applyAsInt(value);
  }

  public static boolean isHashable(int typeOid) {
    return BY_OID.containsKey(typeOid);
  }

  public static Optional<DistributionColumnType> find(int typeOid) {
    return Optional.ofNullable(BY_OID.get(typeOid));
  }

  /**
   * The type with OID {@code typeOid}, or Citus' error for a column type it cannot distribute by.
   *
   * @param typeName the type's name for the error message, as format_type prints it
   * @throws BasaltException (42883 undefined_function) if the type is not hashable here
   */
  public static DistributionColumnType require(int typeOid, String typeName) {
    return find(typeOid).orElseThrow(() -> BasaltException.of(SqlState.UNDEFINED_FUNCTION,
        "could not identify a hash function for type " + typeName));
  }

  private static int hashPaddedBytes(byte[] value) {
    int end = value.length;
    while (end > 0 && value[end - 1] == ' ') {
      end--;
    }
    return PgHash.hashBytes(value, 0, end);
  }

  private static int hashNumericText(String text) {
    BigDecimal value = PgTextForms.parseNumeric(text);
    if (value == null) {
      return 0; // NaN and ±Infinity
    }
    try {
      return PgHash.hashNumeric(value);
    } catch (IllegalArgumentException e) {
      throw BasaltException.of(SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
          "value overflows numeric format");
    }
  }
}
