package org.postgresql.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.postgresql.util.ServerErrorMessage;

/**
 * A simple-protocol Query whose sending and answer are two separate calls, so that one thread can
 * send a statement to several servers before it waits for any of them (two-phase commit's
 * PREPARE TRANSACTION and COMMIT PREPARED): pgjdbc only offers both in one call, and running each
 * on a thread of its own costs more CPU than the statements themselves. It lives in pgjdbc's
 * package for the session's stream, which pgjdbc keeps to its own package.
 *
 * <p>Only for statements that return no rows and change no session setting (transaction control):
 * the answer is read here as pgjdbc reads it, but pgjdbc's bookkeeping of statements run through
 * it (prepared-statement invalidation by command tag) is not applied.
 */
public final class SplitQuery {
  private SplitQuery() {}

  /** Writes a Query message with {@code sql} and flushes it; the answer is left unread. */
  public static void send(QueryExecutor executor, String sql) throws IOException {
    PGStream stream = ((QueryExecutorBase) executor).pgStream;
    byte[] text = sql.getBytes(StandardCharsets.UTF_8);
    stream.sendChar('Q');
    stream.sendInteger4(text.length + 5);
    stream.send(text);
    stream.sendChar(0);
    stream.flush();
  }

  /**
   * Reads the answer to a {@link #send} up to ReadyForQuery and records the transaction state it
   * reports; throws the statement's error. A broken or confused stream aborts the connection.
   */
  public static void await(QueryExecutor executor) throws SQLException {
    QueryExecutorBase base = (QueryExecutorBase) executor;
    PGStream stream = base.pgStream;
    PSQLException error = null;
    try {
      while (true) {
        int type = stream.receiveChar();
        switch (type) {
          case 'E' -> {
            int length = stream.receiveInteger4();
            PSQLException e = new PSQLException(
                new ServerErrorMessage(stream.receiveErrorString(length - 4)),
                base.logServerErrorDetail);
            if (error == null) {
              error = e;
            }
          }
          case 'S' -> ((org.postgresql.core.v3.QueryExecutorImpl) executor).receiveParameterStatus();
          case 'A' -> {
            stream.receiveInteger4();
            int pid = stream.receiveInteger4();
            String channel = stream.receiveCanonicalString();
            base.addNotification(new Notification(channel, pid, stream.receiveString()));
          }
          // CommandComplete, a notice (pgjdbc only turns it into a warning nobody reads here),
          // EmptyQueryResponse; rows are not expected but would be as harmless.
          case 'C', 'N', 'I', 'T', 'D' -> stream.skip(stream.receiveInteger4() - 4);
          case 'Z' -> {
            if (stream.receiveInteger4() != 5) {
              throw new IOException("unexpected length of ReadyForQuery message");
            }
            base.setTransactionState(switch (stream.receiveChar()) {
              case 'I' -> TransactionState.IDLE;
              case 'T' -> TransactionState.OPEN;
              case 'E' -> TransactionState.FAILED;
              default -> throw new IOException("unexpected transaction state in ReadyForQuery");
            });
            if (error != null) {
              throw error;
            }
            return;
          }
          default -> throw new IOException("unexpected message type " + type + " after a Query");
        }
      }
    } catch (IOException e) {
      base.abort();
      throw new PSQLException("An I/O error occurred while reading from the backend.",
          PSQLState.CONNECTION_FAILURE, e);
    }
  }
}
