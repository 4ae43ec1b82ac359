package io.basalt.planner.multi;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;

/**
 * One aggregate computed in two steps: the partial expressions every shard computes over its
 * rows, and how the combine query merges their columns into PostgreSQL's own result (same
 * value, same type).
 *
 * @param partials the worker's expressions, in the client's text
 * @param combine how the combine merges the partial columns
 */
record PartialAggregate(List<String> partials, Combine combine) {
  /** Combine expressions, over the partial columns in order. */
  enum Combine {
    /** count: shards' counts add up; no shard at all still counts 0. */
    COUNT("coalesce(sum(%s), 0)::bigint"),
    /** sum of smallint or integer: PostgreSQL sums them as bigint. */
    SUM_BIGINT("sum(%s)::bigint"),
    /** sum of a type whose sum keeps the partial's type (numeric, real, interval, ...). */
    SUM("sum(%s)"),
    MIN("min(%s)"),
    MAX("max(%s)"),
    BOOL_AND("bool_and(%s)"),
    BOOL_OR("bool_or(%s)"),
    BIT_AND("bit_and(%s)"),
    BIT_OR("bit_or(%s)"),
    BIT_XOR("bit_xor(%s)"),
    /**
     * avg of integers or numeric: PostgreSQL divides the numeric sum by the count with
     * numeric_div, as this does; the sum of no rows is null, and so is the average.
     */
    AVG_NUMERIC("sum(%s)::numeric / nullif(sum(%s), 0)"),
    /** avg of real, double precision or interval: the sum divided by the count as float8. */
    AVG_FLOAT("sum(%s) / nullif(sum(%s), 0)::float8");

    private final String template;

    Combine(String template) {
      this.template = template;
    }

    /** The combine expression, parenthesized so that it can stand for the aggregate anywhere. */
    String expression(List<String> columns) {
      return "(" + String.format(Locale.ROOT, template, columns.toArray()) + ")";
    }
  }

  /**
   * The two steps of an aggregate call.
   *
   * @param argumentTypes argument text to PostgreSQL type name, for sum and avg
   * @throws NotSplittable when the aggregate has no exact partial form
   */
  static PartialAggregate of(AggregateCall call, SourceText source,
      Map<String, String> argumentTypes) {
    if (!hasSimpleForm(call)) {
      throw new NotSplittable("no partial form for " + source.of(call.node()));
    }
    String name = call.name();
    String whole = source.of(call.node());
    return switch (name) {
      case "count" -> new PartialAggregate(List.of(whole), Combine.COUNT);
      case "min" -> new PartialAggregate(List.of(whole), Combine.MIN);
      case "max" -> new PartialAggregate(List.of(whole), Combine.MAX);
      case "bool_and", "every" -> new PartialAggregate(List.of(whole), Combine.BOOL_AND);
      case "bool_or" -> new PartialAggregate(List.of(whole), Combine.BOOL_OR);
      case "bit_and" -> new PartialAggregate(List.of(whole), Combine.BIT_AND);
      case "bit_or" -> new PartialAggregate(List.of(whole), Combine.BIT_OR);
      case "bit_xor" -> new PartialAggregate(List.of(whole), Combine.BIT_XOR);
      case "sum" -> switch (argumentType(call, source, argumentTypes)) {
        case "smallint", "integer" -> new PartialAggregate(List.of(whole), Combine.SUM_BIGINT);
        case "bigint", "numeric", "real", "double precision", "interval", "money" ->
            new PartialAggregate(List.of(whole), Combine.SUM);
        default -> throw new NotSplittable("no exact sum for " + whole);
      };
      case "avg" -> average(call, source, argumentTypes);
      default -> throw new NotSplittable("no partial form for " + name);
    };
  }

  /**
   * Whether the call is {@code name(argument)} of a built-in aggregate: one argument (count may
   * have *), no DISTINCT, ORDER BY or WITHIN GROUP, no aggregate inside.
   */
  private static boolean hasSimpleForm(AggregateCall call) {
    if (call.withinGroup() || call.distinct() || call.nested()
        || !AggregateCall.isCatalogFunction(call.function())
        || call.function().operandCount() != 1) {
      return false;
    }
    SqlNode argument = call.function().operand(0);
    boolean star = argument instanceof SqlIdentifier id && id.isStar();
    return !(argument instanceof SqlNodeList) && (!star || call.name().equals("count"));
  }

  /** Whether split needs the type of the call's argument (see {@link #of}). */
  static boolean needsArgumentType(AggregateCall call) {
    return hasSimpleForm(call) && (call.name().equals("sum") || call.name().equals("avg"));
  }

  private static PartialAggregate average(AggregateCall call, SourceText source,
      Map<String, String> argumentTypes) {
    String argument = source.of(call.function().operand(0));
    String filter = call.filter() == null ? ""
        : " FILTER (WHERE " + source.of(call.filter()) + ")";
    String count = "count(" + argument + ")" + filter;
    return switch (argumentType(call, source, argumentTypes)) {
      case "smallint", "integer", "bigint", "numeric" -> new PartialAggregate(
          List.of("sum(" + argument + ")" + filter, count), Combine.AVG_NUMERIC);
      // PostgreSQL averages real values as float8, converting each before adding.
      case "real", "double precision" -> new PartialAggregate(
          List.of("sum((" + argument + ")::float8)" + filter, count), Combine.AVG_FLOAT);
      case "interval" -> new PartialAggregate(
          List.of("sum(" + argument + ")" + filter, count), Combine.AVG_FLOAT);
      default -> throw new NotSplittable("no exact average for " + source.of(call.node()));
    };
  }

  /** The argument's type as format_type prints it, without a type modifier. */
  private static String argumentType(AggregateCall call, SourceText source,
      Map<String, String> argumentTypes) {
    String argument = source.of(call.function().operand(0));
    String type = argumentTypes.get(argument);
    if (type == null) {
      throw new NotSplittable("no type for " + argument);
    }
    int modifier = type.indexOf('(');
    return (modifier < 0 ? type : type.substring(0, modifier)).strip();
  }
}
