package io.basalt.coordinator.copy;

import java.util.List;

/** Where a splitter hands the rows it finds, in input order. */
public interface RowSink {
  void row(CopyRow row);

  /** HEADER MATCH: the header line's fields (null for a NULL field) and its text. */
  default void header(List<String> fields, String lineText, long line) {}
}
