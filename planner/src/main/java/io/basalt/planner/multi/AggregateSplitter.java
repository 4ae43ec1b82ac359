package io.basalt.planner.multi;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;

/**
 * Splits a single-table aggregate SELECT into a query every shard runs, computing grouping keys
 * and partial aggregates, and a combine query that merges the shards' rows into exactly the
 * result PostgreSQL gives for the original statement on the whole table: same rows, column
 * names and types.
 *
 * <p>Worker: {@code SELECT <keys> AS g1.., <partials> AS p1.. FROM <shard> AS <alias>
 * [WHERE <client's>] [GROUP BY 1..]}. Combine: {@code SELECT [DISTINCT] <items> AS "<name>"
 * FROM R [GROUP BY g1..] [HAVING ..] [ORDER BY ..] [LIMIT ..] [OFFSET ..]}, where the items,
 * HAVING and ORDER BY are the client's text with grouped expressions read from g columns and
 * aggregates combined from p columns (see {@link PartialAggregate} for the forms). Expressions,
 * WHERE and literals keep the client's own text; parameters ($n) stay in both queries.
 */
public final class AggregateSplitter {
  private AggregateSplitter() {
  }

  /**
   * Whether the statement has a shape this class can split (see {@link SplittableQuery}). Types
   * are not needed; {@link #split} may still answer empty.
   */
  public static boolean eligible(SqlNode parsed) {
    return SplittableQuery.of(parsed).isPresent();
  }

  /**
   * The aggregate argument expressions, as written, whose types {@link #split} needs (those of
   * sum and avg), each once, in order of first appearance; an empty list if none. They are
   * expressions over the statement's FROM item.
   *
   * @param sql the client's statement text
   * @param parsed the statement as {@code SqlParsing.parse(sql)} parsed it
   * @throws IllegalArgumentException when the statement is not {@link #eligible}
   */
  public static List<String> arguments(String sql, SqlNode parsed) {
    SplittableQuery query = SplittableQuery.of(parsed).orElseThrow(
        () -> new IllegalArgumentException("not a splittable aggregate query: " + sql));
    SourceText source = new SourceText(sql);
    Set<String> arguments = new LinkedHashSet<>();
    for (AggregateCall call : AggregateCall.in(query.aggregateScope())) {
      if (PartialAggregate.needsArgumentType(call)) {
        try {
          arguments.add(source.of(call.function().operand(0)));
        } catch (NotSplittable e) {
          // split() cannot use this argument either, and will answer empty.
        }
      }
    }
    return List.copyOf(arguments);
  }

  /**
   * The split, or empty when the statement is not eligible or any part has no exact partial
   * form; the caller then gathers rows instead.
   *
   * @param sql the client's statement text
   * @param parsed the statement as {@code SqlParsing.parse(sql)} parsed it
   * @param argumentTypes each of {@link #arguments} to its PostgreSQL type as format_type
   *     prints it ("integer", "numeric", "double precision", ...)
   * @param tableColumns the table's column names, to resolve GROUP BY names as PostgreSQL does
   */
  public static Optional<AggregateSplit> split(String sql, SqlNode parsed,
      Map<String, String> argumentTypes, Set<String> tableColumns) {
    Optional<SplittableQuery> query = SplittableQuery.of(parsed);
    if (query.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(split(new SourceText(sql), query.get(), argumentTypes, tableColumns));
    } catch (NotSplittable e) {
      return Optional.empty();
    }
  }

  private static AggregateSplit split(SourceText source, SplittableQuery query,
      Map<String, String> argumentTypes, Set<String> tableColumns) {
    TableScope scope = new TableScope(query.rangeName(), tableColumns);
    SelectList select = SelectList.of(query.selectItems(), source);
    for (int i = 0; i < select.size(); i++) {
      scope.checkReferences(select.expression(i));
    }
    scope.checkReferences(query.where());
    query.groupBy().forEach(scope::checkReferences);
    scope.checkReferences(query.having());
    query.orderBy().forEach(scope::checkReferences);

    GroupKeys keys = GroupKeys.resolve(query.groupBy(), select, scope);
    Partials partials = Partials.of(AggregateCall.in(query.aggregateScope()), scope, source,
        argumentTypes);
    CombineRewriter combine = new CombineRewriter(source, keys, partials);

    List<String> workerItems = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      workerItems.add(source.of(keys.expression(i)) + " AS " + GroupKeys.column(i));
    }
    workerItems.addAll(partials.workerItems());
    // The shard takes the table's range name, so that t.a in the client's text still resolves.
    StringBuilder workerSuffix = new StringBuilder(" AS ")
        .append(query.alias() != null ? source.of(query.alias()) : quoted(query.rangeName()));
    if (query.where() != null) {
      workerSuffix.append(" WHERE ").append(source.of(query.where()));
    }
    if (!keys.isEmpty()) {
      workerSuffix.append(" GROUP BY ").append(IntStream.rangeClosed(1, keys.size())
          .mapToObj(Integer::toString).collect(Collectors.joining(", ")));
    }

    List<String> combineItems = new ArrayList<>();
    for (int i = 0; i < select.size(); i++) {
      combineItems.add(combine.rewrite(select.expression(i)) + " AS "
          + quoted(select.names().get(i)));
    }
    StringBuilder combineSuffix = new StringBuilder();
    if (!keys.isEmpty()) {
      combineSuffix.append(" GROUP BY ").append(IntStream.range(0, keys.size())
          .mapToObj(GroupKeys::column).collect(Collectors.joining(", ")));
    }
    if (query.having() != null) {
      combineSuffix.append(" HAVING ").append(combine.rewrite(query.having()));
    }
    if (!query.orderBy().isEmpty()) {
      combineSuffix.append(" ORDER BY ").append(query.orderBy().stream()
          .map(item -> orderItem(item, select, combine, source))
          .collect(Collectors.joining(", ")));
    }
    if (query.fetch() != null) {
      combineSuffix.append(" LIMIT ").append(source.of(query.fetch()));
    }
    if (query.offset() != null) {
      combineSuffix.append(" OFFSET ").append(source.of(query.offset()));
    }

    List<String> columns = new ArrayList<>();
    IntStream.range(0, keys.size()).mapToObj(GroupKeys::column).forEach(columns::add);
    columns.addAll(partials.columns());
    return new AggregateSplit(
        "SELECT " + String.join(", ", workerItems) + " FROM ", workerSuffix.toString(),
        "SELECT " + (query.select().isDistinct() ? "DISTINCT " : "")
            + String.join(", ", combineItems) + " FROM ",
        combineSuffix.toString(), columns);
  }

  /**
   * An ORDER BY item: a position or an output column name stays as written (the combine has
   * the same columns under the same names); an expression is rewritten like a select item.
   */
  private static String orderItem(SqlNode item, SelectList select, CombineRewriter combine,
      SourceText source) {
    SqlNode key = item;
    while (key.getKind() == SqlKind.DESCENDING || key.getKind() == SqlKind.NULLS_FIRST
        || key.getKind() == SqlKind.NULLS_LAST) {
      key = ((SqlCall) key).operand(0);
    }
    if (select.position(key).isPresent() || select.named(key).isPresent()) {
      return source.of(item);
    }
    return combine.rewrite(item);
  }

  /** A double-quoted identifier. */
  private static String quoted(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }
}
