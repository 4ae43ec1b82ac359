package io.basalt.coordinator.session;

import io.basalt.error.BasaltException;
import io.basalt.executor.result.Column;
import io.basalt.executor.result.ResultSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A statement's result kept back from the client until the work it depends on has succeeded
 * (a staged INSERT's count and RETURNING rows go out only once the rows are in the shards).
 */
final class HeldResult implements ResultSink {
  private List<Column> columns;
  private final List<byte[][]> rows = new ArrayList<>();
  private final List<Map<Character, String>> notices = new ArrayList<>();
  private String tag;
  private BasaltException error;

  @Override
  public void columns(List<Column> c) {
    columns = c;
  }

  @Override
  public void row(byte[][] values) {
    rows.add(values);
  }

  @Override
  public void complete(String t) {
    tag = t;
  }

  @Override
  public void emptyQuery() {}

  @Override
  public void notice(Map<Character, String> fields) {
    notices.add(fields);
  }

  @Override
  public void error(BasaltException e) {
    if (error == null) {
      error = e;
    }
  }

  BasaltException error() {
    return error;
  }

  void replay(ResultSink target) {
    notices.forEach(target::notice);
    if (columns != null) {
      target.columns(columns);
    }
    rows.forEach(target::row);
    if (tag != null) {
      target.complete(tag);
    }
  }
}
