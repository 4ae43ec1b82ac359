package io.basalt.coordinator.session;

import io.basalt.error.BasaltException;
import io.basalt.executor.result.Column;
import io.basalt.executor.result.ResultSink;
import java.util.List;
import java.util.Map;

/**
 * Merges the results of one statement run on several shards into one result for the client:
 * one RowDescription, every shard's rows, and one command tag with the summed row count. The
 * first error is kept (not sent) for the caller to raise once every shard has been tried. Each
 * task reports through its own {@link #part}; parts may run on different threads at once, so
 * everything that reaches the client goes through this object's lock. Rows reach the client in
 * target order whatever order the tasks run in (the same statement always prints the same way):
 * a target's rows stream while every earlier target is complete, and wait otherwise.
 */
final class MergeSink {
  private final ClientSink target;
  private boolean columnsSent;
  private String verb;
  private long count;
  private BasaltException error;
  /** Rows held per target when the client must get them in another order; else null. */
  private List<List<byte[][]>> held;
  /** Rows of targets that ran ahead of an earlier, unfinished one; by target. */
  private final Map<Integer, List<byte[][]>> waiting = new java.util.HashMap<>();
  private final java.util.Set<Integer> complete = new java.util.HashSet<>();
  /** The first target not complete yet: its rows go straight to the client. */
  private int streaming;

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

  /**
   * The sink of target {@code index}. {@code forward} off keeps its rows and count out (a
   * reference table's other placements report the same rows).
   */
  ResultSink part(int index, boolean forward) {
    return new Part(index, forward);
  }

  private final class Part implements ResultSink {
    private final int index;
    private final boolean forward;

    Part(int index, boolean forward) {
      this.index = index;
      this.forward = forward;
    }

    @Override
    public void columns(List<Column> columns) {
      synchronized (MergeSink.this) {
        if (forward && !columnsSent) {
          columnsSent = true;
          target.columns(columns);
        }
      }
    }

    @Override
    public void row(byte[][] values) {
      synchronized (MergeSink.this) {
        if (held != null) {
          held.get(index).add(values);
        } else if (forward && index == streaming) {
          target.row(values);
        } else if (forward) {
          waiting.computeIfAbsent(index, i -> new java.util.ArrayList<>()).add(values);
        }
      }
    }

    @Override
    public void complete(String tag) {
      synchronized (MergeSink.this) {
        complete.add(index);
        while (complete.contains(streaming)) {
          streaming++;
          List<byte[][]> rows = waiting.remove(streaming);
          if (rows != null) {
            rows.forEach(target::row);
          }
        }
        if (!forward) {
          return;
        }
        int space = tag.lastIndexOf(' ');
        verb = space < 0 ? tag : tag.substring(0, tag.indexOf(' '));
        if (space >= 0) {
          count += Long.parseLong(tag.substring(space + 1));
        }
      }
    }

    @Override
    public void emptyQuery() {}

    @Override
    public void notice(Map<Character, String> fields) {
      synchronized (MergeSink.this) {
        target.notice(fields);
      }
    }

    @Override
    public void error(BasaltException e) {
      synchronized (MergeSink.this) {
        if (error == null) {
          error = e;
        }
      }
    }
  }

  synchronized void throwIfFailed() {
    if (error != null) {
      throw error;
    }
  }

  /**
   * Sends held rows in the order of {@code order} (for each row of the client's statement, the
   * target that ran it), when every target returned one row per statement row as RETURNING
   * does; in target order otherwise (ON CONFLICT DO NOTHING may skip rows). Then the tag.
   */
  synchronized void finish(List<Integer> order) {
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
  synchronized void finish() {
    throwIfFailed();
    // Targets that completed without a tag of their own (none expected): their rows still go.
    new java.util.TreeMap<>(waiting).values().forEach(rows -> rows.forEach(target::row));
    waiting.clear();
    target.complete(verb == null ? "SELECT 0"
        : verb.equals("INSERT") ? "INSERT 0 " + count : verb + " " + count);
  }
}
