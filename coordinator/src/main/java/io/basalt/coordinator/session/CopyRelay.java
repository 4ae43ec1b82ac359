package io.basalt.coordinator.session;

import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import io.basalt.executor.backend.BackendConnection;
import io.basalt.executor.backend.PgErrors;
import io.basalt.wire.message.BackendMessage;
import io.basalt.wire.message.FrontendMessage;
import io.basalt.wire.spi.BackendOutput;
import java.sql.SQLException;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOperation;
import org.postgresql.copy.CopyOut;

/**
 * The COPY sub-protocol between the client and the backend: CopyData flows through unchanged in
 * both directions, so text, csv and binary formats need no parsing here.
 */
final class CopyRelay {
  private final CoordinatorSession session;
  private final BackendOutput out;
  private final BackendConnection backend;

  CopyRelay(CoordinatorSession session, BackendOutput out, BackendConnection backend) {
    this.session = session;
    this.out = out;
    this.backend = backend;
  }

  private static short[] formats(CopyOperation op) {
    short[] f = new short[op.getFieldCount()];
    for (int i = 0; i < f.length; i++) {
      f[i] = (short) op.getFieldFormat(i);
    }
    return f;
  }

  /** COPY ... FROM STDIN; returns false if it failed (the error was sent). */
  boolean copyIn(String sql) throws InterruptedException {
    CopyIn in = start(sql, CopyIn.class, "IN");
    if (in == null) {
      return false;
    }
    out.write(new BackendMessage.CopyInResponse((byte) in.getFormat(), formats(in)));
    out.flush();
    BasaltException failure = null;
    while (true) {
      FrontendMessage m = session.nextMessage();
      if (session.isClosedMessage(m)) {
        cancelQuietly(in);
        throw BasaltException.builder(SqlState.CONNECTION_FAILURE,
            "unexpected EOF on client connection with an open transaction").fatal().build();
      }
      switch (m) {
        case FrontendMessage.CopyData d -> {
          if (failure == null) {
            try {
              in.writeToCopy(d.data(), 0, d.data().length);
            } catch (SQLException e) {
              failure = PgErrors.from(e);
            }
          }
        }
        case FrontendMessage.CopyDone d -> {
          if (failure == null) {
            try {
              long rows = in.endCopy();
              out.write(new BackendMessage.CommandComplete("COPY " + rows));
              return true;
            } catch (SQLException e) {
              failure = PgErrors.from(e);
            }
          }
          session.error(failure);
          return false;
        }
        case FrontendMessage.CopyFail f -> {
          cancelQuietly(in);
          session.error(failure != null ? failure : BasaltException.of(SqlState.QUERY_CANCELED,
              "COPY from stdin failed: " + f.message()));
          return false;
        }
        // PostgreSQL ignores Flush and Sync during COPY IN.
        case FrontendMessage.Flush f -> { }
        case FrontendMessage.Sync s -> { }
        default -> {
          cancelQuietly(in);
          session.error(BasaltException.of(SqlState.PROTOCOL_VIOLATION,
              "unexpected message type during COPY from stdin"));
          return false;
        }
      }
    }
  }

  /** COPY ... TO STDOUT; returns false if it failed (the error was sent). */
  boolean copyOut(String sql) {
    CopyOut o = start(sql, CopyOut.class, "OUT");
    if (o == null) {
      return false;
    }
    out.write(new BackendMessage.CopyOutResponse((byte) o.getFormat(), formats(o)));
    try {
      byte[] chunk;
      while ((chunk = o.readFromCopy()) != null) {
        out.write(new BackendMessage.CopyData(chunk));
      }
      out.write(new BackendMessage.CopyDone());
      out.write(new BackendMessage.CommandComplete("COPY " + o.getHandledRowCount()));
      return true;
    } catch (SQLException e) {
      session.error(PgErrors.from(e));
      return false;
    }
  }

  /** Starts the COPY; null (with the error sent) if it failed or went the other direction. */
  private <T extends CopyOperation> T start(String sql, Class<T> direction, String mode) {
    CopyOperation op;
    try {
      op = backend.startCopy(sql);
    } catch (BasaltException e) {
      session.error(e);
      return null;
    }
    if (!direction.isInstance(op)) {
      cancelQuietly(op);
      session.error(BasaltException.of(SqlState.PROTOCOL_VIOLATION,
          "the server did not enter COPY " + mode + " mode"));
      return null;
    }
    return direction.cast(op);
  }

  private static void cancelQuietly(CopyOperation op) {
    try {
      if (op != null && op.isActive()) {
        op.cancelCopy();
      }
    } catch (SQLException e) {
      // The server already ended the COPY; its error is what the client needs.
    }
  }
}
