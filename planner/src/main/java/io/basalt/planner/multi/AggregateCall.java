package io.basalt.planner.multi;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelectKeyword;
import org.apache.calcite.sql.SqlUnresolvedFunction;
import org.apache.calcite.util.Util;

/**
 * One aggregate call as written: {@code name(argument)}, perhaps with FILTER (WHERE filter) or
 * WITHIN GROUP (ORDER BY ...).
 *
 * <p>Aggregates are recognized by name. PostgreSQL's own aggregate names are all listed, so a
 * built-in aggregate is never taken for a plain function; a user-defined aggregate is not known
 * here, which is why the combine query calls only functions it knows to be scalar
 * ({@link ScalarFunctions}).
 *
 * @param node the whole call, FILTER and WITHIN GROUP included
 * @param function the aggregate function's call
 * @param filter the FILTER condition, or null
 * @param withinGroup whether it is an ordered-set aggregate (WITHIN GROUP)
 */
record AggregateCall(SqlNode node, SqlCall function, SqlNode filter, boolean withinGroup) {
  /** PostgreSQL's built-in aggregates (pg_aggregate), ordered-set and hypothetical ones too. */
  private static final Set<String> AGGREGATE_NAMES = Set.of(
      "any_value", "array_agg", "avg", "bit_and", "bit_or", "bit_xor", "bool_and", "bool_or",
      "corr", "count", "covar_pop", "covar_samp", "cume_dist", "dense_rank", "every", "grouping",
      "json_agg", "json_agg_strict", "json_arrayagg", "json_object_agg", "json_object_agg_strict",
      "json_object_agg_unique", "json_object_agg_unique_strict", "json_objectagg", "jsonb_agg",
      "jsonb_agg_strict", "jsonb_object_agg", "jsonb_object_agg_strict",
      "jsonb_object_agg_unique", "jsonb_object_agg_unique_strict", "max", "min", "mode",
      "percent_rank", "percentile_cont", "percentile_disc", "range_agg", "range_intersect_agg",
      "rank", "regr_avgx", "regr_avgy", "regr_count", "regr_intercept", "regr_r2", "regr_slope",
      "regr_sxx", "regr_sxy", "regr_syy", "stddev", "stddev_pop", "stddev_samp", "string_agg",
      "sum", "var_pop", "var_samp", "variance", "xmlagg");

  /** The aggregate call {@code node} is, or null when it is none. */
  static AggregateCall of(SqlNode node) {
    if (!(node instanceof SqlCall call)) {
      return null;
    }
    SqlNode filter = null;
    if (call.getKind() == SqlKind.FILTER) {
      filter = call.operand(1);
      call = call.operand(0);
    }
    boolean withinGroup = call.getKind() == SqlKind.WITHIN_GROUP;
    if (withinGroup) {
      call = call.operand(0);
    }
    return isAggregate(call) ? new AggregateCall(node, call, filter, withinGroup) : null;
  }

  private static boolean isAggregate(SqlCall call) {
    return call.getOperator() instanceof SqlFunction function
        && (function.isAggregator() || AGGREGATE_NAMES.contains(functionName(call)));
  }

  /**
   * The outermost aggregate calls in the expressions, in the order they are written; an
   * aggregate's own arguments are not searched (PostgreSQL rejects nested aggregates).
   */
  static List<AggregateCall> in(List<SqlNode> expressions) {
    List<AggregateCall> found = new ArrayList<>();
    for (SqlNode expression : expressions) {
      collect(expression, found);
    }
    return found;
  }

  private static void collect(SqlNode node, List<AggregateCall> found) {
    AggregateCall aggregate = of(node);
    if (aggregate != null) {
      found.add(aggregate);
    } else if (node instanceof SqlCall call) {
      call.getOperandList().forEach(operand -> collect(operand, found));
    } else if (node instanceof SqlNodeList list) {
      list.forEach(item -> collect(item, found));
    }
  }

  /** Whether an aggregate call occurs anywhere in the expression. */
  static boolean occursIn(SqlNode expression) {
    return expression != null && !in(List.of(expression)).isEmpty();
  }

  /**
   * A function's name as PostgreSQL reads it: the last part of the name as written, folded
   * (Calcite's own functions are key words, so never quoted).
   */
  static String functionName(SqlCall call) {
    if (call.getOperator() instanceof SqlUnresolvedFunction function
        && function.getSqlIdentifier() != null) {
      return Util.last(function.getSqlIdentifier().names);
    }
    return call.getOperator().getName().toLowerCase(Locale.ROOT);
  }

  /** The unqualified or pg_catalog-qualified built-in function, not one in another schema. */
  static boolean isCatalogFunction(SqlCall call) {
    if (!(call.getOperator() instanceof SqlUnresolvedFunction function)
        || function.getSqlIdentifier() == null) {
      return true;
    }
    List<String> names = function.getSqlIdentifier().names;
    return names.size() == 1 || names.size() == 2 && names.get(0).equals("pg_catalog");
  }

  String name() {
    return functionName(function);
  }

  boolean distinct() {
    SqlLiteral quantifier = function.getFunctionQuantifier();
    return quantifier != null && quantifier.getValue() == SqlSelectKeyword.DISTINCT;
  }

  /** Whether arguments or FILTER hold another aggregate (an error in PostgreSQL). */
  boolean nested() {
    return function.getOperandList().stream().anyMatch(AggregateCall::occursIn)
        || occursIn(filter);
  }
}
