package io.basalt.planner.multi;

import java.util.Set;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlUnresolvedFunction;

/**
 * The functions the combine query may call outside aggregates. There a function runs once per
 * result row over grouping keys and combined aggregates, as in the original statement, unless
 * it is itself an aggregate: a user-defined aggregate cannot be told from a function by its
 * name, so only PostgreSQL's own scalar functions are allowed. Calcite's own operators
 * (arithmetic, comparisons, CAST, CASE, EXTRACT, SUBSTRING, ...) are scalar unless Calcite says
 * otherwise.
 */
final class ScalarFunctions {
  private static final Set<String> BUILT_IN = Set.of(
      // conditional
      "coalesce", "greatest", "least", "nullif",
      // mathematical
      "abs", "cbrt", "ceil", "ceiling", "degrees", "div", "exp", "floor", "gcd", "lcm", "ln",
      "log", "log10", "mod", "pi", "pow", "power", "radians", "round", "scale", "sign", "sqrt",
      "trim_scale", "trunc", "width_bucket",
      // text
      "btrim", "char_length", "character_length", "chr", "concat", "concat_ws", "format",
      "initcap", "left", "length", "lower", "lpad", "ltrim", "md5", "octet_length", "repeat",
      "replace", "reverse", "right", "rpad", "rtrim", "split_part", "starts_with", "strpos",
      "substr", "to_hex", "upper",
      // formatting, date and time
      "age", "date_part", "date_trunc", "isfinite", "justify_days", "justify_hours",
      "justify_interval", "make_date", "make_interval", "make_time", "make_timestamp",
      "make_timestamptz", "to_char", "to_date", "to_number", "to_timestamp");

  private ScalarFunctions() {
  }

  /** Whether the call is known not to aggregate. */
  static boolean isScalar(SqlCall call) {
    if (call.getOperator() instanceof SqlUnresolvedFunction) {
      return AggregateCall.isCatalogFunction(call)
          && BUILT_IN.contains(AggregateCall.functionName(call));
    }
    return !call.getOperator().isAggregator();
  }
}
