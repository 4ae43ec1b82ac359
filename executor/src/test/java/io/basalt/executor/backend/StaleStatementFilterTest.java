package io.basalt.executor.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.error.BasaltException;
import io.basalt.executor.result.Column;
import io.basalt.executor.result.ResultSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StaleStatementFilterTest {
  private static BasaltException error(String state, String routine) {
    return routine == null
        ? BasaltException.fromFields(Map.of('C', state, 'M', "m"), null)
        : BasaltException.fromFields(Map.of('C', state, 'M', "m", 'R', routine), null);
  }

  @Test
  void onlyTheServersOwnStaleStatementErrorsCount() {
    assertTrue(StaleStatementFilter.isStale(error("26000", "FetchPreparedStatement")));
    assertTrue(StaleStatementFilter.isStale(error("0A000", "RevalidateCachedQuery")));
    // The same SQLSTATEs raised by the statement itself (RAISE ... USING ERRCODE) or elsewhere.
    assertFalse(StaleStatementFilter.isStale(error("26000", "exec_stmt_raise")));
    assertFalse(StaleStatementFilter.isStale(error("26000", null)));
    assertFalse(StaleStatementFilter.isStale(error("0A000", "transformSelectStmt")));
    assertFalse(StaleStatementFilter.isStale(error("42P01", "parserOpenTable")));
  }

  @Test
  void aStaleErrorBeforeAnyResultIsHeldBack() {
    Recorder target = new Recorder();
    StaleStatementFilter f = new StaleStatementFilter(target);
    f.notice(Map.of('M', "n"));
    f.error(error("0A000", "RevalidateCachedQuery"));
    assertTrue(f.stale());
    assertEquals(List.of("notice"), target.events);
    f.giveUp();
    assertEquals(List.of("notice", "error 0A000"), target.events);
  }

  @Test
  void anErrorAfterResultsPassesThrough() {
    Recorder target = new Recorder();
    StaleStatementFilter f = new StaleStatementFilter(target);
    f.columns(List.of());
    f.error(error("26000", "FetchPreparedStatement"));
    assertFalse(f.stale());
    assertEquals(List.of("columns", "error 26000"), target.events);
  }

  private static final class Recorder implements ResultSink {
    final List<String> events = new ArrayList<>();

    @Override
    public void columns(List<Column> columns) {
      events.add("columns");
    }

    @Override
    public void row(byte[][] values) {
      events.add("row");
    }

    @Override
    public void complete(String tag) {
      events.add("complete");
    }

    @Override
    public void emptyQuery() {
      events.add("empty");
    }

    @Override
    public void notice(Map<Character, String> fields) {
      events.add("notice");
    }

    @Override
    public void error(BasaltException error) {
      events.add("error " + error.sqlState());
    }
  }
}
