package io.basalt.coordinator.session;

import io.basalt.error.BasaltException;
import io.basalt.executor.result.Column;
import io.basalt.executor.result.ResultSink;
import java.util.List;
import java.util.Map;

/**
 * Merges the results of one statement run on several shards into one result for the client:
 * one RowDescription, every shard's rows, and one command tag with the summed row count. The
 * first error is kept (not sent) for the caller to raise once every shard has been tried.
 * {@link #forward(boolean)} off keeps a shard's rows and count out (a reference table's other
 * placements report the same rows).
 */
final class MergeSink implements ResultSink {
  private final ClientSink target;
  private boolean forward = true;
  private boolean columnsSent;
  private String verb;
  private long count;
  private BasaltException error;

  MergeSink(ClientSink target) {
    this.target = target;
  }

  void forward(boolean on) {
    forward = on;
  }

  @Override
  public void columns(List<Column> columns) {
    if (forward && !columnsSent) {
      columnsSent = true;
      target.columns(columns);
    }
  }

  @Override
  public void row(byte[][] values) {
    if (forward) {
      target.row(values);
    }
  }

  @Override
  public void complete(String tag) {
    if (!forward) {
      return;
    }
    int space = tag.lastIndexOf(' ');
    verb = space < 0 ? tag : tag.substring(0, tag.indexOf(' '));
    if (space >= 0) {
      count += Long.parseLong(tag.substring(space + 1));
    }
  }

  @Override
  public void emptyQuery() {}

  @Override
  public void notice(Map<Character, String> fields) {
    target.notice(fields);
  }

  @Override
  public void error(BasaltException e) {
    if (error == null) {
      error = e;
    }
  }

  void throwIfFailed() {
    if (error != null) {
      throw error;
    }
  }

  /** Sends the merged command tag. */
  void finish() {
    throwIfFailed();
    target.complete(verb == null ? "SELECT 0"
        : verb.equals("INSERT") ? "INSERT 0 " + count : verb + " " + count);
  }
}
