package io.basalt.executor.remote;

import io.basalt.executor.backend.BackendEndpoint;
import io.basalt.executor.backend.PgErrors;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * A plain JDBC session on a PostgreSQL server (a worker, or the coordinator database for
 * Basalt's own bookkeeping), used for text SQL the coordinator generates: DDL on shards, COPY of
 * rows into shards, and the statements of two-phase commit. Autocommit is on: callers send BEGIN
 * and the ending statements themselves, so what runs on the server is exactly what they wrote.
 * Not thread-safe; errors come out as BasaltException with the server's fields.
 */
public final class RemoteConnection implements AutoCloseable {
  private final java.sql.Connection connection;
  private final String description;
  private io.basalt.executor.backend.BackendConnection relay;
  /** Run once when the connection is closed (a shared-pool slot going back), or null. */
  private Runnable onClose;
  private final long openedNanos = System.nanoTime();

  private RemoteConnection(java.sql.Connection connection, String description) {
    this.connection = connection;
    this.description = description;
  }

  public static RemoteConnection open(BackendEndpoint endpoint, String user, String database,
      String applicationName) {
    return open(endpoint, user, database, applicationName, false);
  }

  /**
   * {@code relay}: the session also relays clients' extended-protocol statements through
   * {@link #relay()}, which needs pgjdbc's extended query mode (in simple mode pgjdbc would put
   * the parameter values into the text itself).
   */
  public static RemoteConnection open(BackendEndpoint endpoint, String user, String database,
      String applicationName, boolean relay) {
    return open(endpoint, user, database, applicationName, relay, 0);
  }

  /** {@code connectTimeoutMillis}: give up opening after this long (0: pgjdbc's default). */
  public static RemoteConnection open(BackendEndpoint endpoint, String user, String database,
      String applicationName, boolean relay, long connectTimeoutMillis) {
    Properties props = endpoint.jdbcProperties(user);
    if (connectTimeoutMillis > 0) {
      // pgjdbc counts whole seconds.
      String seconds = String.valueOf(Math.max(1, (connectTimeoutMillis + 999) / 1000));
      props.setProperty("connectTimeout", seconds);
      props.setProperty("loginTimeout", seconds);
    }
    props.setProperty("ApplicationName", applicationName);
    // Simple protocol: DDL text and PREPARE TRANSACTION go through unchanged, no statement cache.
    props.setProperty("preferQueryMode", relay ? "extended" : "simple");
    if (relay) {
      props.setProperty("prepareThreshold", "0");
    }
    String url = endpoint.jdbcUrl(database);
    try {
      java.sql.Connection c = new org.postgresql.Driver().connect(url, props);
      return new RemoteConnection(c, endpoint.describe());
    } catch (SQLException e) {
      throw PgErrors.from(e);
    }
  }

  /**
   * The same session as a pass-through {@link io.basalt.executor.backend.BackendConnection}, for
   * a client's statement whose results go back to the client as the server sent them.
   */
  public io.basalt.executor.backend.BackendConnection relay() {
    if (relay == null) {
      relay = io.basalt.executor.backend.BackendConnection.over(connection);
    }
    return relay;
  }

  /**
   * Runs statements that return no rows (several may be separated by semicolons), as one simple
   * Query message: no JDBC escape processing, and a BEGIN owed by {@link #beginWithNext} goes in
   * the same message.
   */
  public void execute(String sql) {
    relay().execute(sql);
  }

  /**
   * Sends a transaction-control statement without waiting for the answer, which
   * {@link #awaitSent} reads (see BackendConnection#send): one thread can send to several
   * servers before it waits.
   */
  public void send(String sql) {
    relay().send(sql);
  }

  /** Reads the answer to {@link #send}; throws the statement's error. */
  public void awaitSent() {
    relay().awaitSent();
  }

  /**
   * Opens a transaction block with {@code beginSql} without a round trip of its own: it is sent
   * with this session's next statement (see BackendConnection#beginWithNext).
   */
  public void beginWithNext(String beginSql) {
    relay().beginWithNext(beginSql);
  }

  /** Sends a BEGIN owed by {@link #beginWithNext} now, before JDBC talks to the server. */
  private void settleBegin() {
    if (relay != null) {
      relay.settleBegin();
    }
  }

  /** Runs a query and returns its rows as text (SQL NULL as Java null). */
  public List<String[]> query(String sql) {
    settleBegin();
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      List<String[]> rows = new ArrayList<>();
      while (rs.next()) {
        String[] row = new String[n];
        for (int i = 0; i < n; i++) {
          row[i] = rs.getString(i + 1);
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw PgErrors.from(e);
    }
  }

  /** The first column of the first row, or null. */
  public String queryValue(String sql) {
    List<String[]> rows = query(sql);
    return rows.isEmpty() ? null : rows.get(0)[0];
  }

  /** COPY ... FROM STDIN with the given bytes; returns the row count. */
  public long copyIn(String sql, byte[] data, int length) {
    return copyIn(sql, new ByteArrayInputStream(data, 0, length));
  }

  public long copyIn(String sql, InputStream data) {
    settleBegin();
    try {
      return copyManager().copyIn(sql, data);
    } catch (SQLException | IOException e) {
      throw PgErrors.from(e);
    }
  }

  /** COPY ... TO STDOUT into the given stream; returns the row count. */
  public long copyOut(String sql, OutputStream out) {
    settleBegin();
    try {
      return copyManager().copyOut(sql, out);
    } catch (SQLException | IOException e) {
      throw PgErrors.from(e);
    }
  }

  private CopyManager copyManager() throws SQLException {
    return connection.unwrap(PGConnection.class).getCopyAPI();
  }

  /**
   * Waits up to timeoutMillis for notifications of channels this session LISTENs to; returns how
   * many arrived.
   */
  public int awaitNotifications(int timeoutMillis) {
    try {
      org.postgresql.PGNotification[] n = connection.unwrap(PGConnection.class)
          .getNotifications(timeoutMillis);
      return n == null ? 0 : n.length;
    } catch (SQLException e) {
      throw PgErrors.from(e);
    }
  }

  public boolean isClosed() {
    try {
      return connection.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }

  /** Runs {@code action} once, when this connection is closed. */
  public synchronized void onClose(Runnable action) {
    this.onClose = action;
  }

  /** When the connection was opened (System.nanoTime). */
  public long openedNanos() {
    return openedNanos;
  }

  public String description() {
    return description;
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      // Closing a broken connection: nothing to do.
    }
    Runnable action;
    synchronized (this) {
      action = onClose;
      onClose = null;
    }
    if (action != null) {
      action.run();
    }
  }
}
