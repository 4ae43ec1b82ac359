package io.basalt.executor.backend;

import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import io.basalt.executor.result.Column;
import io.basalt.executor.result.ForwardingSink;
import io.basalt.executor.result.ResultSink;
import java.util.List;

/**
 * Passes an execution of a kept statement through, except an error that only says the kept
 * statement itself is unusable, when it comes before any result: the server no longer has the
 * statement (26000), or a schema change altered the row type its plan was made for ("cached plan
 * must not change result type", 0A000 from RevalidateCachedQuery). Nothing of such an execution
 * reached the client, so the caller can prepare the statement again and run it once more.
 */
final class StaleStatementFilter extends ForwardingSink {
  private boolean started;
  private BasaltException held;

  StaleStatementFilter(ResultSink target) {
    super(target);
  }

  /** Whether the execution failed only because the kept statement was stale. */
  boolean stale() {
    return held != null;
  }

  /** Passes on the held error after all: the execution cannot be run again. */
  void giveUp() {
    if (held != null) {
      BasaltException e = held;
      held = null;
      started = true;
      target.error(e);
    }
  }

  /**
   * By SQLSTATE and the server function that raised it, so that the same SQLSTATE raised by the
   * statement itself (RAISE in a function it calls) is never taken for a stale statement.
   */
  static boolean isStale(BasaltException e) {
    String routine = e.fields().get('R');
    if (SqlState.UNDEFINED_PREPARED_STATEMENT.code().equals(e.sqlState())) {
      return "FetchPreparedStatement".equals(routine);
    }
    return SqlState.FEATURE_NOT_SUPPORTED.code().equals(e.sqlState())
        && ("RevalidateCachedQuery".equals(routine) || "RevalidateCachedPlan".equals(routine));
  }

  @Override
  public void columns(List<Column> columns) {
    started = true;
    target.columns(columns);
  }

  @Override
  public void row(byte[][] values) {
    started = true;
    target.row(values);
  }

  @Override
  public void complete(String tag) {
    started = true;
    target.complete(tag);
  }

  @Override
  public void emptyQuery() {
    started = true;
    target.emptyQuery();
  }

  @Override
  public void error(BasaltException error) {
    if (!started && held == null && isStale(error)) {
      held = error;
      return;
    }
    started = true;
    target.error(error);
  }
}
