package io.basalt.planner.multi;

import io.basalt.planner.sql.PgOperators;
import java.util.Locale;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCollectionTypeNameSpec;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlIntervalLiteral;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlTypeNameSpec;
import org.apache.calcite.sql.SqlUnknownLiteral;
import org.apache.calcite.sql.SqlUnresolvedFunction;
import org.apache.calcite.sql.SqlUserDefinedTypeNameSpec;
import org.apache.calcite.sql.fun.SqlCase;
import org.apache.calcite.sql.fun.SqlTrimFunction;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.Util;

/**
 * The name PostgreSQL gives a result column, so that the combine query can name its columns
 * exactly as the original statement's (the rules of FigureColname in parse_target.c). An alias
 * is the name; otherwise a column reference gives its column's name, a function call its
 * function's, a cast its operand's name or else its type's, CASE its ELSE's name or else "case";
 * anything else is "?column?". A name from a cast's type or "case" is weak: an enclosing cast
 * or CASE replaces it.
 */
final class OutputNames {
  private static final String NO_NAME = "?column?";

  private OutputNames() {
  }

  private record Name(String text, boolean strong) {
  }

  /** The name of a select item (perhaps under AS). */
  static String of(SqlNode item, SourceText source) {
    if (item.getKind() == SqlKind.AS) {
      return ((SqlIdentifier) ((SqlCall) item).operand(1)).getSimple();
    }
    Name name = figure(item, source);
    return name == null ? NO_NAME : name.text();
  }

  private static Name figure(SqlNode node, SourceText source) {
    if (node instanceof SqlIdentifier id) {
      if (id.isStar()) {
        throw new NotSplittable("* in the select list of an aggregate query");
      }
      return new Name(Util.last(id.names), true);
    }
    if (node instanceof SqlIntervalLiteral) {
      return new Name("interval", false);
    }
    if (node instanceof SqlUnknownLiteral literal) {
      // date '...', time '...', timestamp '...': casts of a string in PostgreSQL.
      return new Name(switch (literal.tag) {
        case "DATE" -> "date";
        case "TIME" -> "time";
        case "TIMESTAMP" -> "timestamp";
        default -> throw new NotSplittable("no known column name for " + literal.tag);
      }, false);
    }
    if (node instanceof SqlCase caseExpression) {
      Name otherwise = figure(caseExpression.getElseOperand(), source);
      return otherwise != null && otherwise.strong() ? otherwise : new Name("case", false);
    }
    return node instanceof SqlCall call ? figureCall(call, source) : null;
  }

  private static Name figureCall(SqlCall call, SourceText source) {
    SqlKind kind = call.getKind();
    if (kind == SqlKind.FILTER || kind == SqlKind.ITEM
        || call.getOperator() == PgOperators.COLLATE) {
      // count(*) FILTER (...) is named count, a[1] a, x COLLATE "C" x.
      return figure(call.operand(0), source);
    }
    if (kind == SqlKind.CAST) {
      Name operand = figure(call.operand(0), source);
      return operand != null && operand.strong() ? operand
          : new Name(typeName(call.operand(1)), false);
    }
    if (kind == SqlKind.ARRAY_VALUE_CONSTRUCTOR) {
      return new Name("array", true);
    }
    if (kind == SqlKind.ROW) {
      return new Name("row", true);
    }
    if (kind == SqlKind.TRIM) {
      // PostgreSQL reads TRIM as the function it calls.
      return new Name(switch ((SqlTrimFunction.Flag) ((SqlLiteral) call.operand(0)).getValue()) {
        case BOTH -> "btrim";
        case LEADING -> "ltrim";
        case TRAILING -> "rtrim";
      }, true);
    }
    if (call.getOperator() == PgOperators.INTERVAL) {
      return new Name("interval", false);
    }
    if (call.getOperator() == PgOperators.AT_TIME_ZONE) {
      // x AT TIME ZONE z is PostgreSQL's timezone(z, x).
      return new Name("timezone", true);
    }
    if (call.getOperator() instanceof SqlUnresolvedFunction) {
      return new Name(AggregateCall.functionName(call), true);
    }
    if (call.getOperator() instanceof SqlFunction) {
      return new Name(specialFunctionName(call, source), true);
    }
    return null;
  }

  /**
   * The name of a function Calcite parses as its own operator (ceiling(x) becomes CEIL,
   * substring(s from 1) SUBSTRING): the word it starts with, as the client wrote it.
   */
  private static String specialFunctionName(SqlCall call, SourceText source) {
    String text = source.of(call);
    int start = 0;
    // A parenthesized call's span includes the parentheses.
    while (start < text.length()
        && (text.charAt(start) == '(' || Character.isWhitespace(text.charAt(start)))) {
      start++;
    }
    int end = start;
    while (end < text.length()
        && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
      end++;
    }
    if (end == start) {
      throw new NotSplittable("no function name at the start of " + text);
    }
    return text.substring(start, end).toLowerCase(Locale.ROOT);
  }

  /** The name of a cast's type: the last part of its internal name (int4, float8, bpchar...). */
  private static String typeName(SqlDataTypeSpec type) {
    SqlTypeNameSpec spec = type.getTypeNameSpec();
    while (spec instanceof SqlCollectionTypeNameSpec array) {
      spec = array.getElementTypeName();
    }
    if (spec instanceof SqlUserDefinedTypeNameSpec named) {
      return Util.last(named.getTypeName().names);
    }
    if (spec instanceof SqlBasicTypeNameSpec basic) {
      SqlTypeName typeName = SqlTypeName.get(basic.getTypeName().getSimple());
      if (typeName != null) {
        String name = switch (typeName) {
          case BOOLEAN -> "bool";
          case SMALLINT -> "int2";
          case INTEGER -> "int4";
          case BIGINT -> "int8";
          case DECIMAL -> "numeric";
          case REAL -> "float4";
          case FLOAT, DOUBLE -> "float8";
          case CHAR -> "bpchar";
          case VARCHAR -> "varchar";
          case DATE -> "date";
          case TIME -> "time";
          case TIME_TZ -> "timetz";
          case TIMESTAMP -> "timestamp";
          case TIMESTAMP_TZ, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> "timestamptz";
          default -> null;
        };
        if (name != null) {
          return name;
        }
      }
    }
    throw new NotSplittable("no known column name for type " + spec.getTypeName());
  }
}
