package io.basalt.metadata.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.basalt.agent.testing.TestPostgres;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hashes thousands of values per type in Java and in a real PostgreSQL and requires every one
 * to agree. PostgreSQL's side calls the support function #1 of the type's default hash operator
 * class, looked up in the catalog (what Citus calls), on the value cast from text; it also returns
 * the value's text output and binary send form, which Java must hash to the same number.
 */
class PostgresHashAgreementTest {
  private static final int SAMPLES_PER_TYPE = 3000;
  private static final long MICROS_PER_SECOND = 1_000_000L;
  /** PostgreSQL's first date and timestamp: 4714-11-24 BC, proleptic year -4713. */
  private static final LocalDate PG_FIRST_DAY = LocalDate.of(-4713, 11, 24);
  private static final LocalDate PG_LAST_DATE = LocalDate.of(5874897, 12, 31);
  private static final LocalDateTime PG_LAST_TIMESTAMP =
      LocalDateTime.of(294276, 12, 31, 23, 59, 59, 999_999_000);

  private static TestPostgres postgres;
  private static Connection connection;

  /** One value: the text PostgreSQL casts to the type, and the hashes Java computes for it. */
  private record Sample(String input, List<Integer> javaHashes) {
    Sample(String input, int... hashes) {
      this(input, Arrays.stream(hashes).boxed().toList());
    }
  }

  @BeforeAll
  static void startPostgres() throws SQLException {
    postgres = TestPostgres.start();
    connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.jdbcLogin());
    try (Statement statement = connection.createStatement()) {
      // The text forms DistributionColumnType reads: PostgreSQL's defaults, and UTC offsets.
      statement.execute("SET TimeZone = 'UTC'");
      statement.execute("SET DateStyle = 'ISO, MDY'");
      statement.execute("SET extra_float_digits = 1");
      statement.execute("SET bytea_output = 'hex'");
    }
  }

  @AfterAll
  static void stopPostgres() throws SQLException {
    try {
      if (connection != null) {
        connection.close();
      }
    } finally {
      if (postgres != null) {
        postgres.close();
      }
    }
  }

  @Test
  void serverHashesUtf8() throws SQLException {
    assertEquals("UTF8", queryString("SHOW server_encoding"));
  }

  @ParameterizedTest
  @EnumSource(DistributionColumnType.class)
  void javaAgreesWithPostgres(DistributionColumnType type) throws SQLException {
    List<Sample> samples = samples(type, new Random(20240601L + type.ordinal()));
    assertTrue(samples.size() >= 2000, "too few samples: " + samples.size());
    String hashFunction = createHashFunction(type);
    String sql = "SELECT textin(" + regprocOf(type, "typoutput") + "(v)), " + hashFunction
        + "(v), encode(" + regprocOf(type, "typsend") + "(v), 'hex')"
        + " FROM unnest(?::text[]) WITH ORDINALITY AS u(s, i),"
        + " LATERAL (SELECT u.s::" + sqlType(type) + " AS v) AS cast_value ORDER BY u.i";
    List<String> mismatches = new ArrayList<>();
    int rows = 0;
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setArray(1, connection.createArrayOf("text",
          samples.stream().map(Sample::input).toArray()));
      try (ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          Sample sample = samples.get(rows++);
          String text = result.getString(1);
          int postgresHash = result.getInt(2);
          byte[] binary = HexFormat.of().parseHex(result.getString(3));
          check(mismatches, sample, "Java value", sample.javaHashes(), postgresHash);
          check(mismatches, sample, "hashText(output '" + text + "')",
              List.of(type.hashText(text)), postgresHash);
          check(mismatches, sample, "hashText(input)", List.of(type.hashText(sample.input())),
              postgresHash);
          check(mismatches, sample, "hashBinary(" + result.getString(3) + ")",
              List.of(type.hashBinary(binary)), postgresHash);
        }
      }
    }
    assertEquals(samples.size(), rows);
    if (!mismatches.isEmpty()) {
      fail(mismatches.size() + " mismatches for " + type + ", first:\n"
          + String.join("\n", mismatches.subList(0, Math.min(20, mismatches.size()))));
    }
  }

  private static void check(List<String> mismatches, Sample sample, String what,
      List<Integer> javaHashes, int postgresHash) {
    for (int javaHash : javaHashes) {
      if (javaHash != postgresHash) {
        mismatches.add("input '" + sample.input() + "': " + what + " hashed to " + javaHash
            + ", PostgreSQL " + postgresHash);
      }
    }
  }

  /**
   * A SQL function running the C function of the type's default hash opclass, support #1: the
   * function Citus calls through the type cache. Declared on this type so that types that borrow
   * another type's function (date uses hashint4) can call it.
   */
  private static String createHashFunction(DistributionColumnType type) throws SQLException {
    // varchar has no opclass of its own: it uses text's, being binary-coercible to text
    int opclassType = type == DistributionColumnType.VARCHAR ? 25 : type.oid();
    String cFunction = queryString("SELECT p.prosrc FROM pg_opclass c"
        + " JOIN pg_am am ON am.oid = c.opcmethod AND am.amname = 'hash'"
        + " JOIN pg_amproc ap ON ap.amprocfamily = c.opcfamily AND ap.amprocnum = 1"
        + " AND ap.amproclefttype = c.opcintype AND ap.amprocrighttype = c.opcintype"
        + " JOIN pg_proc p ON p.oid = ap.amproc"
        + " WHERE c.opcdefault AND c.opcintype = " + opclassType);
    assertEquals(expectedHashFunction(type), cFunction, "hash function of " + type);
    String name = "basalt_hash_" + type.name().toLowerCase(Locale.ROOT);
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE OR REPLACE FUNCTION " + name + "(" + sqlType(type)
          + ") RETURNS int4 LANGUAGE internal IMMUTABLE STRICT AS '" + cFunction + "'");
    }
    return name;
  }

  /** The C functions the Citus reference names; PgHash mirrors each. */
  private static String expectedHashFunction(DistributionColumnType type) {
    return switch (type) {
      case BOOL, CHAR -> "hashchar";
      case BYTEA -> "hashvarlena";
      case INT2 -> "hashint2";
      case INT4, DATE -> "hashint4";
      case INT8 -> "hashint8";
      case OID -> "hashoid";
      case TEXT, VARCHAR -> "hashtext";
      case BPCHAR -> "hashbpchar";
      case FLOAT4 -> "hashfloat4";
      case FLOAT8 -> "hashfloat8";
      case TIMESTAMP, TIMESTAMPTZ -> "timestamp_hash";
      case NUMERIC -> "hash_numeric";
      case UUID -> "uuid_hash";
    };
  }

  private static String regprocOf(DistributionColumnType type, String column)
      throws SQLException {
    return queryString("SELECT " + column + "::text FROM pg_type WHERE oid = " + type.oid());
  }

  /** The type's own name: "character" would mean char(1), where bpchar keeps any length. */
  private static String sqlType(DistributionColumnType type) throws SQLException {
    return queryString("SELECT quote_ident(typname) FROM pg_type WHERE oid = " + type.oid());
  }

  private static String queryString(String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      assertTrue(result.next(), sql);
      return result.getString(1);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Sample values: edge values first, then random ones from a fixed seed.

  private static List<Sample> samples(DistributionColumnType type, Random random) {
    List<Sample> samples = new ArrayList<>();
    switch (type) {
      case INT2 -> {
        for (short v : new short[] {Short.MIN_VALUE, Short.MAX_VALUE, 0, -1, 1}) {
          samples.add(new Sample(Short.toString(v), PgHash.hashInt2(v)));
        }
        fill(samples, () -> {
          short v = (short) random.nextInt();
          return new Sample(Short.toString(v), PgHash.hashInt2(v));
        });
      }
      case INT4 -> {
        for (int v : new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1, 1, 123}) {
          samples.add(new Sample(Integer.toString(v), PgHash.hashInt4(v)));
        }
        fill(samples, () -> {
          int v = random.nextBoolean() ? random.nextInt() : random.nextInt(2001) - 1000;
          return new Sample(Integer.toString(v), PgHash.hashInt4(v));
        });
      }
      case INT8 -> {
        for (long v : new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, 1L << 31,
            -(1L << 31) - 1, 1L << 32, 1L << 40, -(1L << 40), 2608474032L, 963809240L}) {
          samples.add(new Sample(Long.toString(v), PgHash.hashInt8(v)));
        }
        fill(samples, () -> {
          long v = random.nextBoolean() ? random.nextLong() : random.nextInt();
          return new Sample(Long.toString(v), PgHash.hashInt8(v));
        });
      }
      case OID -> {
        for (int v : new int[] {0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 16384}) {
          samples.add(new Sample(Integer.toUnsignedString(v), PgHash.hashOid(v)));
        }
        fill(samples, () -> {
          int v = random.nextInt();
          return new Sample(Integer.toUnsignedString(v), PgHash.hashOid(v));
        });
      }
      case BOOL -> {
        String[] yes = {"t", "true", "TRUE", "yes", "on", "1", " y "};
        String[] no = {"f", "false", "False", "no", "off", "0", "of"};
        fill(samples, () -> {
          boolean v = random.nextBoolean();
          String[] spellings = v ? yes : no;
          return new Sample(spellings[random.nextInt(spellings.length)], PgHash.hashBool(v));
        });
      }
      case CHAR -> {
        for (int b = 0; b < 256; b++) {
          samples.add(charSample((byte) b));
        }
        fill(samples, () -> charSample((byte) random.nextInt()));
      }
      case TEXT, VARCHAR -> {
        for (String v : new String[] {"", "a", "hello", "abc", "tenant_1", "ü日本🙂", " ",
            "a ", "quote ' \" \\ , { } NULL", "\t\n"}) {
          samples.add(new Sample(v, PgHash.hashText(v)));
        }
        fill(samples, () -> {
          String v = randomString(random, 64);
          return new Sample(v, PgHash.hashText(v));
        });
      }
      case BPCHAR -> {
        for (String v : new String[] {"", " ", "   ", "a", "a ", " a", "ü日本🙂  ", "a\t "}) {
          samples.add(new Sample(v, PgHash.hashBpchar(v)));
        }
        fill(samples, () -> {
          String v = " ".repeat(random.nextInt(3)) + randomString(random, 40)
              + " ".repeat(random.nextInt(6));
          return new Sample(v, PgHash.hashBpchar(v));
        });
      }
      case BYTEA -> {
        fill(samples, () -> {
          byte[] v = new byte[random.nextInt(10) == 0 ? random.nextInt(300) : random.nextInt(40)];
          random.nextBytes(v);
          return new Sample("\\x" + HexFormat.of().formatHex(v), PgHash.hashBytea(v));
        });
      }
      case UUID -> {
        for (UUID v : new UUID[] {new UUID(0, 0), new UUID(-1, -1),
            UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")}) {
          samples.add(new Sample(v.toString(), PgHash.hashUuid(v)));
        }
        fill(samples, () -> {
          UUID v = random.nextBoolean() ? new UUID(random.nextLong(), random.nextLong())
              : UUID.nameUUIDFromBytes(Long.toString(random.nextLong()).getBytes());
          return new Sample(v.toString(), PgHash.hashUuid(v));
        });
      }
      case DATE -> {
        samples.add(new Sample("infinity", PgHash.hashDate(Integer.MAX_VALUE)));
        samples.add(new Sample("-infinity", PgHash.hashDate(Integer.MIN_VALUE)));
        for (LocalDate v : new LocalDate[] {PG_FIRST_DAY, PG_LAST_DATE, LocalDate.of(2000, 1, 1),
            LocalDate.of(1999, 12, 31), LocalDate.of(1997, 8, 8), LocalDate.of(0, 12, 31),
            LocalDate.of(1, 1, 1), LocalDate.of(2024, 2, 29), LocalDate.of(10000, 1, 1)}) {
          samples.add(dateSample(v));
        }
        long first = PG_FIRST_DAY.toEpochDay();
        long last = PG_LAST_DATE.toEpochDay();
        fill(samples, () -> dateSample(LocalDate.ofEpochDay(random.nextBoolean()
            ? random.nextLong(first, last + 1)
            : random.nextLong(-80_000, 80_000))));
      }
      case TIMESTAMP, TIMESTAMPTZ -> {
        boolean withZone = type == DistributionColumnType.TIMESTAMPTZ;
        samples.add(new Sample("infinity", PgHash.hashTimestamp(Long.MAX_VALUE)));
        samples.add(new Sample("-infinity", PgHash.hashTimestamp(Long.MIN_VALUE)));
        for (LocalDateTime v : new LocalDateTime[] {PG_FIRST_DAY.atStartOfDay(),
            PG_LAST_TIMESTAMP, LocalDateTime.of(2000, 1, 1, 0, 0),
            LocalDateTime.of(1999, 12, 31, 23, 59, 59, 999_999_000),
            LocalDateTime.of(2024, 1, 1, 10, 0), LocalDateTime.of(1, 1, 1, 0, 0),
            LocalDateTime.of(0, 12, 31, 23, 59, 59), LocalDateTime.of(1970, 1, 1, 0, 0)}) {
          samples.add(timestampSample(v, ZoneOffset.UTC, withZone));
        }
        long first = PG_FIRST_DAY.atStartOfDay().toEpochSecond(ZoneOffset.UTC);
        long last = PG_LAST_TIMESTAMP.toEpochSecond(ZoneOffset.UTC);
        // stay a day inside the range so that any offset's local time is valid too
        fill(samples, () -> {
          long second = random.nextInt(3) == 0 ? random.nextLong(first + 86_400, last - 86_400)
              : 946_684_800L + random.nextLong(-4_000_000_000L, 4_000_000_000L);
          int nanos = switch (random.nextInt(3)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            default -> random.nextInt(1_000_000) * 1000;
          };
          ZoneOffset offset = withZone && random.nextBoolean()
              ? ZoneOffset.ofTotalSeconds(random.nextInt(-15 * 3600, 15 * 3600) / 60 * 60)
              : ZoneOffset.UTC;
          return timestampSample(LocalDateTime.ofEpochSecond(second, nanos, ZoneOffset.UTC),
              offset, withZone);
        });
      }
      case NUMERIC -> {
        // NaN and the infinities have no BigDecimal; PostgreSQL hashes them to 0.
        for (String special : new String[] {"NaN", "Infinity", "-Infinity"}) {
          samples.add(new Sample(special, 0));
        }
        for (String v : new String[] {"0", "0.000", "-0", "1", "-1", "1.000", "100", "10000",
            "10.50", "123456.78", "0.0001", "9999.9999", "99990000", "1E+1000", "1E-1000",
            "-12345678901234567890.12345678901234567890", "1E+131071", "1E-16383"}) {
          samples.add(numericSample(new BigDecimal(v), v));
        }
        fill(samples, () -> {
          BigInteger unscaled = new BigInteger(1 + random.nextInt(random.nextBoolean() ? 64 : 400),
              random);
          if (random.nextBoolean()) {
            unscaled = unscaled.negate();
          }
          BigDecimal v = new BigDecimal(unscaled, random.nextInt(-40, 80));
          return numericSample(v, random.nextBoolean() ? v.toPlainString() : v.toString());
        });
      }
      case FLOAT8 -> {
        for (double v : new double[] {0.0, -0.0, 1.5, 0.1, -1, Double.MIN_VALUE,
            Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, Double.NaN,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e15, 1e16, 123456789012345678.0}) {
          samples.add(new Sample(Double.toString(v), PgHash.hashFloat8(v)));
        }
        fill(samples, () -> {
          double v = switch (random.nextInt(3)) {
            case 0 -> Double.longBitsToDouble(random.nextLong());
            case 1 -> random.nextGaussian() * Math.pow(10, random.nextInt(-20, 20));
            default -> random.nextInt(100_000) - 50_000;
          };
          return new Sample(Double.toString(v), PgHash.hashFloat8(v));
        });
      }
      case FLOAT4 -> {
        for (float v : new float[] {0.0f, -0.0f, 1.5f, 0.1f, -1, Float.MIN_VALUE,
            Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, Float.NaN,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 16777217f}) {
          samples.add(new Sample(Float.toString(v), PgHash.hashFloat4(v)));
        }
        fill(samples, () -> {
          float v = switch (random.nextInt(3)) {
            case 0 -> Float.intBitsToFloat(random.nextInt());
            case 1 -> (float) (random.nextGaussian() * Math.pow(10, random.nextInt(-10, 10)));
            default -> random.nextInt(100_000) - 50_000;
          };
          return new Sample(Float.toString(v), PgHash.hashFloat4(v));
        });
      }
    }
    return samples;
  }

  private static void fill(List<Sample> samples, Supplier<Sample> next) {
    while (samples.size() < SAMPLES_PER_TYPE) {
      samples.add(next.get());
    }
  }

  /** "char" input: bytes with the high bit set in PostgreSQL 15's octal escape, 0 as ''. */
  private static Sample charSample(byte b) {
    String input;
    if (b == 0) {
      input = "";
    } else if (b < 0) {
      input = String.format("\\%03o", b & 0xff);
    } else {
      input = Character.toString((char) b);
    }
    return new Sample(input, PgHash.hashChar(b));
  }

  private static Sample dateSample(LocalDate date) {
    int days = Math.toIntExact(date.toEpochDay() - LocalDate.of(2000, 1, 1).toEpochDay());
    return new Sample(isoDate(date), PgHash.hashDate(date), PgHash.hashDate(days));
  }

  /** A timestamp written in {@code offset} (timestamptz only), hashed as the UTC instant. */
  private static Sample timestampSample(LocalDateTime utc, ZoneOffset offset, boolean withZone) {
    LocalDateTime local = utc.plusSeconds(offset.getTotalSeconds());
    StringBuilder text = new StringBuilder(isoDate(local.toLocalDate()).replace(" BC", ""));
    text.append(String.format(" %02d:%02d:%02d", local.getHour(), local.getMinute(),
        local.getSecond()));
    if (local.getNano() != 0) {
      text.append(String.format(".%06d", local.getNano() / 1000));
    }
    if (withZone) {
      text.append(offset.getTotalSeconds() == 0 ? "+00" : offset.getId());
    }
    if (local.getYear() <= 0) {
      text.append(" BC");
    }
    long micros = (utc.toEpochSecond(ZoneOffset.UTC) - 946_684_800L) * MICROS_PER_SECOND
        + utc.getNano() / 1000;
    if (withZone) {
      Instant instant = utc.toInstant(ZoneOffset.UTC);
      return new Sample(text.toString(), PgHash.hashTimestamptz(instant),
          PgHash.hashTimestamptz(OffsetDateTime.ofInstant(instant, offset)),
          PgHash.hashTimestamp(micros));
    }
    return new Sample(text.toString(), PgHash.hashTimestamp(utc), PgHash.hashTimestamp(micros));
  }

  /** ISO date as PostgreSQL prints it: at least four year digits, BC years counted from 1. */
  private static String isoDate(LocalDate date) {
    int year = date.getYear();
    String text = String.format("%04d-%02d-%02d", year <= 0 ? 1 - year : year,
        date.getMonthValue(), date.getDayOfMonth());
    return year <= 0 ? text + " BC" : text;
  }

  private static Sample numericSample(BigDecimal value, String input) {
    return new Sample(input, PgHash.hashNumeric(value));
  }

  /** Text mixing ASCII, Latin, CJK, emoji (4-byte UTF-8) and combining marks; never NUL. */
  private static String randomString(Random random, int maxLength) {
    int length = random.nextInt(maxLength + 1);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      int codePoint = switch (random.nextInt(6)) {
        case 0, 1, 2 -> random.nextInt(0x20, 0x7f);
        case 3 -> random.nextInt(0xa0, 0x250);
        case 4 -> random.nextInt(0x4e00, 0x9fff);
        default -> random.nextBoolean() ? random.nextInt(0x1f600, 0x1f650)
            : random.nextInt(0x300, 0x370);
      };
      text.appendCodePoint(codePoint);
    }
    return text.toString();
  }
}
