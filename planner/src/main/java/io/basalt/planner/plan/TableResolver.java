package io.basalt.planner.plan;

import io.basalt.metadata.catalog.DistributedTable;
import java.util.List;
import java.util.Optional;

/** What planning needs to know of the session's tables. */
public interface TableResolver {
  /**
   * The distributed or reference table a relation name stands for (its parts as written and
   * folded: [schema, name] or [name], resolved through the session's search_path), or empty for
   * any other relation.
   */
  Optional<DistributedTable> resolve(List<String> names);

  /** The table's columns in order (dropped ones left out), for INSERT without a column list. */
  List<String> columns(DistributedTable table);

  /**
   * The table's columns whose default draws from a sequence (serial, nextval() defaults,
   * identity columns): their shards have no such default, so an INSERT must give them a value.
   */
  List<String> sequenceColumns(DistributedTable table);

  /**
   * The table's columns whose default calls a transaction-time function (now(), CURRENT_DATE,
   * ...): the coordinator pins their value, so an INSERT the shards compute whole must give
   * them a value.
   */
  default List<String> timeDefaultColumns(DistributedTable table) {
    return List.of();
  }

  /**
   * The types (as format_type prints them, without modifiers) of expressions over the table as
   * a query names it ({@code relation}: the table's name, or its alias).
   */
  java.util.Map<String, String> expressionTypes(DistributedTable table, String relation,
      List<String> expressions);

  /**
   * The columns of any relation a name stands for (a distributed or reference table, or a
   * local table, view or other relation of the coordinator database), or empty when the name
   * stands for none.
   */
  default Optional<List<String>> relationColumns(List<String> names) {
    return resolve(names).map(this::columns);
  }
}
