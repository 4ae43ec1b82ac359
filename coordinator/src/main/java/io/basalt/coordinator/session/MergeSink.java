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
  /** Rows held per target when the client must get them in another order; else null. */
  private List<List<byte[][]>> held;
  private int current;

  MergeSink(ClientSink target) {
    this.target = target;
  }

  /** Holds each target's rows until {@link #finish(List)} puts them in the client's order. */
  void holdRows(int targets) {
    held = new java.util.ArrayList<>();
    for (int i = 0; i < targets; i++) {
      held.add(new java.util.ArrayList<>());
    }
  }

  /** The target whose results arrive next. */
  void target(int index) {
    current = index;
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
    if (held != null) {
      held.get(current).add(values);
    } else if (forward) {
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

  /**
   * Sends held rows in the order of {@code order} (for each row of the client's statement, the
   * target that ran it), when every target returned one row per statement row as RETURNING
   * does; in target order otherwise (ON CONFLICT DO NOTHING may skip rows). Then the tag.
   */
  void finish(List<Integer> order) {
    throwIfFailed();
    int[] expected = new int[held.size()];
    order.forEach(t -> expected[t]++);
    boolean oneEach = true;
    for (int t = 0; t < held.size(); t++) {
      oneEach &= held.get(t).size() == expected[t];
    }
    if (oneEach) {
      int[] next = new int[held.size()];
      for (int t : order) {
        target.row(held.get(t).get(next[t]++));
      }
    } else {
      held.forEach(rows -> rows.forEach(target::row));
    }
    held = null;
    finish();
  }

  /** Sends the merged command tag. */
  void finish() {
    throwIfFailed();
    target.complete(verb == null ? "SELECT 0"
        : verb.equals("INSERT") ? "INSERT 0 " + count : verb + " " + count);
  }
}
