package io.basalt.executor.result;

import io.basalt.error.BasaltException;
import java.util.List;
import java.util.Map;

/** A sink that passes everything to another; subclasses change what they need to. */
public abstract class ForwardingSink implements ResultSink {
  protected final ResultSink target;

  protected ForwardingSink(ResultSink target) {
    this.target = target;
  }

  @Override
  public void columns(List<Column> columns) {
    target.columns(columns);
  }

  @Override
  public void row(byte[][] values) {
    target.row(values);
  }

  @Override
  public void complete(String tag) {
    target.complete(tag);
  }

  @Override
  public void emptyQuery() {
    target.emptyQuery();
  }

  @Override
  public void notice(Map<Character, String> fields) {
    target.notice(fields);
  }

  @Override
  public void error(BasaltException error) {
    target.error(error);
  }
}
