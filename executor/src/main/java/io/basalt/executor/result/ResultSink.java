package io.basalt.executor.result;

import io.basalt.error.BasaltException;
import java.util.List;
import java.util.Map;

/**
 * Receives one execution's output in protocol order. Implementations forward to a client; they
 * must not throw (a client that went away is the session's concern, not the executor's).
 */
public interface ResultSink {

  /** A result set starts; called before its rows. */
  void columns(List<Column> columns);

  /** One row; a null entry is SQL NULL. The array is owned by the sink afterwards. */
  void row(byte[][] values);

  /** A statement finished with this command tag (e.g. "SELECT 3", "INSERT 0 1"). */
  void complete(String tag);

  /** The statement text was empty. */
  void emptyQuery();

  /** A NoticeResponse, by PostgreSQL's one-letter field codes. */
  void notice(Map<Character, String> fields);

  /** The statement failed; no more results follow for it. */
  void error(BasaltException error);
}
