package io.basalt.coordinator.catalog;

import java.util.List;

/** Something that runs a query and returns its rows as text: a server session of some kind. */
@FunctionalInterface
public interface Querier {
  List<String[]> query(String sql);

  default String queryValue(String sql) {
    List<String[]> rows = query(sql);
    return rows.isEmpty() ? null : rows.get(0)[0];
  }
}
