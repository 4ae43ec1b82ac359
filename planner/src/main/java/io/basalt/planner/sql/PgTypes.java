package io.basalt.planner.sql;

import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCollectionTypeNameSpec;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlTypeNameSpec;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Writes a parsed type as PostgreSQL spells it. Calcite's own spelling differs for several
 * (DOUBLE, TINYINT, VARBINARY, TIMESTAMP WITH LOCAL TIME ZONE, INTEGER ARRAY); types it does not
 * know (text, jsonb, uuid, timestamptz, ...) are identifiers and print as written.
 */
final class PgTypes {
  private PgTypes() {
  }

  static void unparse(SqlWriter writer, SqlDataTypeSpec type) {
    unparse(writer, type.getTypeNameSpec());
  }

  private static void unparse(SqlWriter writer, SqlTypeNameSpec spec) {
    if (spec instanceof SqlCollectionTypeNameSpec collection
        && collection.getTypeName().getSimple().equals(SqlTypeName.ARRAY.name())) {
      unparse(writer, collection.getElementTypeName());
      writer.print("[]");
      writer.setNeedWhitespace(true);
    } else if (spec instanceof SqlBasicTypeNameSpec basic && name(typeName(basic)) != null) {
      SqlTypeName typeName = typeName(basic);
      writer.keyword(name(typeName));
      int precision = basic.getPrecision();
      int scale = basic.getScale();
      if (precision >= 0 && hasPrecision(typeName)) {
        boolean withScale = scale >= 0 && typeName == SqlTypeName.DECIMAL;
        writer.print("(" + precision + (withScale ? ", " + scale : "") + ")");
        writer.setNeedWhitespace(true);
      }
      if (withTimeZone(typeName)) {
        writer.keyword("WITH TIME ZONE");
      }
    } else {
      spec.unparse(writer, 0, 0);
    }
  }

  /** A basic type spec names its SqlTypeName by the constant's name. */
  private static SqlTypeName typeName(SqlBasicTypeNameSpec spec) {
    return SqlTypeName.get(spec.getTypeName().getSimple());
  }

  /** PostgreSQL's name for a Calcite basic type, or null to let Calcite print it. */
  private static String name(SqlTypeName typeName) {
    if (typeName == null) {
      return null;
    }
    return switch (typeName) {
      case BOOLEAN -> "BOOLEAN";
      case TINYINT, SMALLINT -> "SMALLINT";
      case INTEGER -> "INTEGER";
      case BIGINT -> "BIGINT";
      case DECIMAL -> "NUMERIC";
      case REAL -> "REAL";
      case FLOAT, DOUBLE -> "DOUBLE PRECISION";
      case CHAR -> "CHAR";
      case VARCHAR -> "VARCHAR";
      case BINARY, VARBINARY -> "BYTEA";
      case DATE -> "DATE";
      case TIME, TIME_TZ, TIME_WITH_LOCAL_TIME_ZONE -> "TIME";
      case TIMESTAMP, TIMESTAMP_TZ, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> "TIMESTAMP";
      default -> null;
    };
  }

  private static boolean hasPrecision(SqlTypeName type) {
    return switch (type) {
      case DECIMAL, CHAR, VARCHAR, TIME, TIME_TZ, TIME_WITH_LOCAL_TIME_ZONE, TIMESTAMP,
          TIMESTAMP_TZ, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> true;
      default -> false;
    };
  }

  private static boolean withTimeZone(SqlTypeName type) {
    return switch (type) {
      case TIME_TZ, TIME_WITH_LOCAL_TIME_ZONE, TIMESTAMP_TZ, TIMESTAMP_WITH_LOCAL_TIME_ZONE ->
          true;
      default -> false;
    };
  }
}
