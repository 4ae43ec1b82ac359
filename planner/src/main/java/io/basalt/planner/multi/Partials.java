package io.basalt.planner.multi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The partial aggregates of a query and the worker columns p1, p2, ... that hold them. An
 * aggregate written twice (the same call after {@link TableScope#same}) is computed once.
 */
final class Partials {
  private record Entry(AggregateCall call, PartialAggregate form, List<String> columns) {
  }

  private final TableScope scope;
  private final List<Entry> entries;

  private Partials(TableScope scope, List<Entry> entries) {
    this.scope = scope;
    this.entries = List.copyOf(entries);
  }

  /**
   * The partials of the aggregates, in order of first appearance.
   *
   * @throws NotSplittable when one has no exact partial form
   */
  static Partials of(List<AggregateCall> calls, TableScope scope, SourceText source,
      Map<String, String> argumentTypes) {
    List<Entry> entries = new ArrayList<>();
    int column = 0;
    for (AggregateCall call : calls) {
      if (entries.stream().anyMatch(e -> scope.same(e.call().node(), call.node()))) {
        continue;
      }
      PartialAggregate form = PartialAggregate.of(call, source, argumentTypes);
      List<String> columns = new ArrayList<>();
      for (int i = 0; i < form.partials().size(); i++) {
        columns.add("p" + ++column);
      }
      entries.add(new Entry(call, form, columns));
    }
    return new Partials(scope, entries);
  }

  /** The worker's select items: "partial AS pN". */
  List<String> workerItems() {
    List<String> items = new ArrayList<>();
    for (Entry entry : entries) {
      for (int i = 0; i < entry.columns().size(); i++) {
        items.add(entry.form().partials().get(i) + " AS " + entry.columns().get(i));
      }
    }
    return items;
  }

  List<String> columns() {
    return entries.stream().flatMap(entry -> entry.columns().stream()).toList();
  }

  /** The combine expression standing for one of the aggregates. */
  String combine(AggregateCall call) {
    for (Entry entry : entries) {
      if (scope.same(entry.call().node(), call.node())) {
        return entry.form().combine().expression(entry.columns());
      }
    }
    throw new IllegalArgumentException("not one of the query's aggregates: " + call.node());
  }
}
