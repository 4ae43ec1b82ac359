package io.basalt.planner.plan;

import io.basalt.error.BasaltException;
import io.basalt.metadata.catalog.DistributedTable;
import io.basalt.metadata.hash.DistributionColumnType;
import io.basalt.planner.route.FastPathRouter;
import java.nio.ByteBuffer;
import java.util.regex.Pattern;

/**
 * The shard of a hash-distributed table that holds a distribution column value, or null when
 * the value cannot be hashed here exactly as PostgreSQL would read it (the caller then runs the
 * statement on every shard, or refuses it). Dates and times are hashed only in ISO form, and
 * timestamptz only with an explicit offset: other spellings depend on the session's DateStyle
 * and TimeZone.
 */
public final class ShardChoice {
  private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  private static final Pattern ISO_TIMESTAMP = Pattern.compile(
      "\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,6})?)?");
  private static final Pattern ISO_TIMESTAMPTZ = Pattern.compile(
      "\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,6})?)?"
          + "([+-]\\d{2}(:?\\d{2}(:?\\d{2})?)?|Z)");
  private static final int INT2 = 21;
  private static final int INT4 = 23;
  private static final int INT8 = 20;
  private static final int TEXT = 25;
  private static final int VARCHAR = 1043;
  private static final int NUMERIC = 1700;

  private ShardChoice() {}

  /**
   * The shard index for a value in PostgreSQL's text form, as the column stores it (coerced to
   * the column's type modifier first).
   */
  public static Integer ofText(DistributedTable table, String text) {
    DistributionColumnType type = DistributionColumnType.find(table.distributionType())
        .orElse(null);
    if (type == null || !readsAsPostgresDoes(table.distributionType(), text.strip())) {
      return null;
    }
    try {
      return index(table, type.hashText(text, table.distributionTypmod()));
    } catch (BasaltException e) {
      return null;
    }
  }

  /**
   * The shard index for a bound parameter in text form; {@code declaredType} is the type the
   * client gave at Parse. A parameter of another type than the column's is compared (or stored)
   * after a conversion PostgreSQL chooses, which may equate several stored values with it
   * (character(n) ignores trailing spaces, float8 rounds numeric): no single shard is known then
   * (null), except for types whose values convert exactly (integers, text and varchar).
   */
  public static Integer ofText(DistributedTable table, String text, int declaredType) {
    int column = table.distributionType();
    boolean exact = declaredType == 0 || declaredType == column
        || (isInteger(declaredType) && (isInteger(column) || column == NUMERIC))
        || (isText(declaredType) && isText(column));
    return exact ? ofText(table, text) : null;
  }

  private static boolean isText(int oid) {
    return oid == TEXT || oid == VARCHAR;
  }

  /**
   * The shard index for a bound parameter in binary form; {@code declaredType} is the type the
   * client gave at Parse (0: unspecified, so PostgreSQL takes the column's type).
   */
  public static Integer ofBinary(DistributedTable table, byte[] value, int declaredType) {
    int column = table.distributionType();
    DistributionColumnType type = DistributionColumnType.find(column).orElse(null);
    if (type == null) {
      return null;
    }
    try {
      if (declaredType == 0 || declaredType == column) {
        return index(table, type.hashBinary(value));
      }
      if (isInteger(declaredType) && isInteger(column)) {
        long v = switch (value.length) {
          case 2 -> ByteBuffer.wrap(value).getShort();
          case 4 -> ByteBuffer.wrap(value).getInt();
          case 8 -> ByteBuffer.wrap(value).getLong();
          default -> throw new IllegalArgumentException("integer of " + value.length + " bytes");
        };
        return ofText(table, Long.toString(v));
      }
      return null;
    } catch (BasaltException | IllegalArgumentException e) {
      return null;
    }
  }

  private static boolean isInteger(int oid) {
    return oid == INT2 || oid == INT4 || oid == INT8;
  }

  private static boolean readsAsPostgresDoes(int typeOid, String text) {
    return switch (typeOid) {
      case 1082 -> ISO_DATE.matcher(text).matches();
      case 1114 -> ISO_TIMESTAMP.matcher(text).matches();
      case 1184 -> ISO_TIMESTAMPTZ.matcher(text).matches();
      default -> true;
    };
  }

  private static Integer index(DistributedTable table, int hash) {
    int i = FastPathRouter.shardIndex(table, hash);
    return i < 0 ? null : i;
  }
}
