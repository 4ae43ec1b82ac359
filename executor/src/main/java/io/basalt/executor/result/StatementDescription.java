package io.basalt.executor.result;

import java.util.List;

/**
 * What Describe of a statement tells: the parameter types the server resolved, and the result
 * columns (null when the statement returns no rows, i.e. NoData).
 */
public record StatementDescription(int[] parameterTypes, List<Column> columns) {
  public StatementDescription {
    parameterTypes = parameterTypes.clone();
    columns = columns == null ? null : List.copyOf(columns);
  }

  public boolean returnsRows() {
    return columns != null;
  }
}
