package io.basalt.executor.backend;

import io.basalt.error.BasaltException;
import io.basalt.executor.result.Column;
import io.basalt.executor.result.ForwardingSink;
import io.basalt.executor.result.ResultSink;
import io.basalt.executor.result.StatementDescription;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.postgresql.PGNotification;
import org.postgresql.core.Field;
import org.postgresql.core.ParameterList;
import org.postgresql.core.Query;
import org.postgresql.core.QueryExecutor;
import org.postgresql.core.ResultCursor;
import org.postgresql.core.ResultHandler;
import org.postgresql.core.SplitQuery;
import org.postgresql.core.Tuple;
import org.postgresql.core.v3.PgjdbcBridge;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOperation;
import org.postgresql.copy.CopyOut;
import org.postgresql.jdbc.PgConnection;

/**
 * One session on one PostgreSQL server, used as a pass-through: statements run with the client's
 * own SQL and the server's answers come back as raw bytes through a {@link ResultSink}. Built on
 * pgjdbc's protocol layer (QueryExecutor), never on the JDBC ResultSet API, which would decode and
 * re-encode values. Not thread-safe: one session thread uses it at a time, except
 * {@link #cancel()}.
 */
public final class BackendConnection implements AutoCloseable {
  private static final int FLAGS = QueryExecutor.QUERY_SUPPRESS_BEGIN
      | QueryExecutor.QUERY_BOTH_ROWS_AND_STATUS;

  /** How many named statements {@link #executeKept} keeps per connection. */
  static final int KEPT_STATEMENTS = 256;

  private final PgConnection connection;
  private final QueryExecutor executor;
  private KeptStatements kept;
  /**
   * A BEGIN this session owes the server (see {@link #beginWithNext}), or null. It is sent in
   * front of the next simple query, or alone before any other exchange.
   */
  private String owedBegin;
  /** Exchanges with the server so far ({@link #exchanges}). */
  private long exchanges;
  /** A statement went out through {@link #send} and its answer is still unread. */
  private boolean answerOwed;

  private BackendConnection(PgConnection connection) {
    this.connection = connection;
    this.executor = connection.getQueryExecutor();
  }

  /** Opens a session as {@code user} on {@code database}, reproducing the client's options. */
  public static BackendConnection open(BackendEndpoint endpoint, String user, String database,
      SessionOptions options) {
    Properties props = endpoint.jdbcProperties(user);
    // pgjdbc would announce itself as the application otherwise.
    props.setProperty("ApplicationName",
        options.applicationName() == null ? "" : options.applicationName());
    String pgOptions = StartupOptions.combine(options.options(), options.settings());
    if (!pgOptions.isEmpty()) {
      props.setProperty("options", pgOptions);
    }
    try {
      return new BackendConnection((PgConnection) new org.postgresql.Driver().connect(
          endpoint.jdbcUrl(database), props));
    } catch (SQLException e) {
      throw PgErrors.from(e);
    }
  }

  /**
   * A pass-through view of a session opened through plain JDBC (a worker connection the
   * coordinator also uses for its own SQL): both share one server session and its transaction.
   */
  public static BackendConnection over(java.sql.Connection jdbc) {
    try {
      return new BackendConnection(jdbc.unwrap(PgConnection.class));
    } catch (SQLException e) {
      throw PgErrors.from(e);
    }
  }

  /**
   * A SQL string literal, read alike whatever the session's standard_conforming_strings says: a
   * text with a backslash is written as an escape string (E'...').
   */
  public static String literal(String s) {
    return s.indexOf('\\') >= 0 ? "E'" + s.replace("\\", "\\\\").replace("'", "''") + "'"
        : "'" + s.replace("'", "''") + "'";
  }

  // ---------------------------------------------------------------- simple protocol

  /**
   * Runs a Query message's text (possibly several statements) with the simple protocol. An owed
   * BEGIN goes in the same message, in front: the server runs the text inside the block it
   * opens, and the BEGIN's own completion is not passed on.
   */
  public void simpleQuery(String sql, ResultSink sink) {
    String begin = owedBegin;
    if (begin != null && sql.isBlank()) {
      // An empty text must still get its EmptyQueryResponse: the BEGIN goes first on its own.
      if (!settled(sink)) {
        return;
      }
      begin = null;
    }
    owedBegin = null;
    String text = begin == null ? sql : begin + "; " + sql;
    ResultSink target = begin == null ? sink : new SkipFirstCompletion(sink);
    Query q = PgjdbcBridge.query(executor, text, 0, true);
    run(() -> executor.execute(q, null, new Relay(target), 0, 0,
        FLAGS | QueryExecutor.QUERY_EXECUTE_AS_SIMPLE | QueryExecutor.QUERY_ONESHOT), target);
  }

  /** Runs statements whose rows are not wanted, as {@link #simpleQuery}; throws their error. */
  public void execute(String sql) {
    CollectingSink sink = new CollectingSink();
    simpleQuery(sql, sink);
    sink.throwIfFailed();
  }

  /**
   * Sends a statement of the commit protocol (transaction control: no rows, no session setting)
   * without waiting for its answer, so that the caller can send to other servers before it
   * waits; {@link #awaitSent} reads the answer, and nothing else may use the connection before.
   * An owed BEGIN goes in front. Throws if the connection broke.
   */
  public void send(String sql) {
    requireNoAnswerOwed();
    String begin = owedBegin;
    owedBegin = null;
    exchanges++;
    try {
      SplitQuery.send(executor, begin == null ? sql : begin + "; " + sql);
      answerOwed = true;
    } catch (java.io.IOException e) {
      // Part of a message may have gone out: the stream cannot be trusted any more.
      executor.abort();
      throw PgErrors.from(e);
    }
  }

  /** Reads the answer to {@link #send}; throws the statement's error. */
  public void awaitSent() {
    if (!answerOwed) {
      throw new IllegalStateException("no statement was sent");
    }
    answerOwed = false;
    try {
      SplitQuery.await(executor);
    } catch (SQLException e) {
      throw PgErrors.from(e);
    }
  }

  /**
   * Opens a transaction block with {@code beginSql} (a BEGIN statement) without a round trip of
   * its own: it travels with the next simple query ({@link #simpleQuery}), or alone just before
   * any other exchange. Meanwhile {@link #transactionStatus} reports the block as open.
   */
  public void beginWithNext(String beginSql) {
    if (owedBegin != null || transactionStatus() != 'I') {
      throw new IllegalStateException("a transaction block is already open");
    }
    owedBegin = beginSql;
  }

  /** {@link #settleBegin}, its error going to {@code sink}; returns whether it succeeded. */
  private boolean settled(ResultSink sink) {
    try {
      settleBegin();
      return true;
    } catch (BasaltException e) {
      sink.error(e);
      return false;
    }
  }

  /** Sends an owed BEGIN on its own (no-op without one); throws the server's error. */
  public void settleBegin() {
    String begin = owedBegin;
    if (begin == null) {
      return;
    }
    owedBegin = null;
    execute(begin);
  }

  // ---------------------------------------------------------------- extended protocol

  /** A statement for Parse; named ones stay prepared on the server. No round trip yet. */
  public BackendStatement prepare(String sql, int[] declaredTypes, int parameterCount,
      boolean keepPrepared) {
    // The server decides the parameter count from the highest $n; Parse may declare fewer types.
    int[] types = java.util.Arrays.copyOf(declaredTypes,
        Math.max(declaredTypes.length, parameterCount));
    Query q = PgjdbcBridge.query(executor, sql, types.length, false);
    return new BackendStatement(sql, types, keepPrepared, q);
  }

  /**
   * Parses and describes the statement on the server (one round trip, cached). Throws the
   * server's error if the statement does not parse.
   */
  public StatementDescription describe(BackendStatement stmt) {
    if (stmt.description() != null) {
      return stmt.description();
    }
    settleBegin();
    ParameterList params = typedParameters(stmt, stmt.declaredTypes().length);
    CollectingSink sink = new CollectingSink();
    int flags = FLAGS | QueryExecutor.QUERY_DESCRIBE_ONLY;
    run(() -> executor.execute(stmt.query(), params, new Relay(sink), 0, 0, flags), sink);
    sink.throwIfFailed();
    int[] types = PgjdbcBridge.parameterTypes(params);
    Field[] fields = PgjdbcBridge.fields(stmt.query());
    StatementDescription d = new StatementDescription(types, fields == null ? null
        : columns(fields));
    stmt.description(d);
    return d;
  }

  /**
   * Binds and executes a statement. {@code resultFormats} has one code per result column (or is
   * empty for all-text); {@code maxRows} 0 means all rows.
   */
  public void execute(BackendStatement stmt, List<byte[]> values, short[] parameterFormats,
      short[] resultFormats, ResultSink sink) {
    if (!settled(sink)) {
      return;
    }
    boolean anyBinary = false;
    for (short f : resultFormats) {
      anyBinary |= f == 1;
    }
    ParameterList params;
    try {
      params = boundParameters(stmt, values, parameterFormats);
    } catch (SQLException e) {
      sink.error(PgErrors.from(e));
      return;
    }
    int flags = FLAGS;
    if (anyBinary) {
      // Formats are chosen per column at Bind, so the server-side statement and its fields must
      // exist first: describe() prepares it (once, and again after pgjdbc dropped it: a DDL on
      // this connection, such as a gather's temporary table, makes it parse statements anew).
      if (stmt.description() != null && !PgjdbcBridge.isPreparedNow(executor, stmt.query(),
          params)) {
        stmt.description(null);
      }
      describe(stmt);
      PgjdbcBridge.useResultFormats(stmt.query(), resultFormats);
    } else {
      flags |= QueryExecutor.QUERY_NO_BINARY_TRANSFER;
      if (!stmt.keepPrepared()) {
        flags |= QueryExecutor.QUERY_ONESHOT;
      }
    }
    int f = flags;
    run(() -> executor.execute(stmt.query(), params, new Relay(sink), 0, 0, f), sink);
  }

  /**
   * Binds and executes {@code sql} like {@link #prepare} and {@link #execute} of an unnamed
   * statement, but through a named statement this connection keeps (see {@link KeptStatements}),
   * so that text run again is not parsed and planned again. Only outside a transaction block and
   * with text results: there a run that failed because the kept statement was stale left nothing
   * behind, and it runs once more on a statement prepared anew, unseen by the caller. Otherwise
   * it runs as an unnamed statement.
   */
  public void executeKept(String sql, int[] declaredTypes, List<byte[]> values,
      short[] parameterFormats, short[] resultFormats, ResultSink sink) {
    boolean anyBinary = false;
    for (short f : resultFormats) {
      anyBinary |= f == 1;
    }
    if (anyBinary || transactionStatus() != 'I') {
      executeOnce(sql, declaredTypes, values, parameterFormats, resultFormats, sink);
      return;
    }
    int[] types = java.util.Arrays.copyOf(declaredTypes,
        Math.max(declaredTypes.length, values.size()));
    if (kept == null) {
      kept = new KeptStatements(KEPT_STATEMENTS);
    }
    for (int attempt = 0; ; attempt++) {
      BackendStatement st = kept.get(sql, types, () -> prepare(sql, types, types.length, true));
      StaleStatementFilter filter = new StaleStatementFilter(sink);
      execute(st, values, parameterFormats, resultFormats, filter);
      if (!filter.stale()) {
        return;
      }
      kept.drop(st);
      if (attempt > 0 || transactionStatus() != 'I') {
        filter.giveUp();
        return;
      }
    }
  }

  /** Binds and executes {@code sql} as the unnamed statement: for a text not worth keeping. */
  public void executeOnce(String sql, int[] declaredTypes, List<byte[]> values,
      short[] parameterFormats, short[] resultFormats, ResultSink sink) {
    BackendStatement st = prepare(sql, declaredTypes, values.size(), false);
    try {
      execute(st, values, parameterFormats, resultFormats, sink);
    } finally {
      close(st);
    }
  }

  /**
   * Closes every statement {@link #executeKept} kept: the session's settings are about to change,
   * and a server reads a statement's constants (a timestamptz literal under TimeZone, a date
   * under DateStyle, strings under standard_conforming_strings, names under search_path) once,
   * when it prepares it. The text must be read again under the new settings, as a client's own
   * statement would be.
   */
  public void forgetKeptStatements() {
    if (kept != null) {
      kept.clear();
    }
  }

  /** How many named statements {@link #executeKept} keeps on this connection now. */
  public int keptStatements() {
    return kept == null ? 0 : kept.size();
  }

  /** The columns the server described for this statement so far, or null. */
  public List<Column> describedColumns(BackendStatement stmt) {
    Field[] fields = PgjdbcBridge.fields(stmt.query());
    return fields == null ? null : columns(fields);
  }

  /** Releases the server-side statement (pgjdbc closes it lazily with its next message). */
  public void close(BackendStatement stmt) {
    stmt.query().close();
  }

  private ParameterList typedParameters(BackendStatement stmt, int count) {
    ParameterList params = stmt.query().createParameterList();
    int[] declared = stmt.declaredTypes();
    try {
      for (int i = 0; i < count; i++) {
        params.setNull(i + 1, i < declared.length ? declared[i] : 0);
      }
    } catch (SQLException e) {
      throw PgErrors.from(e);
    }
    return params;
  }

  /** Binds the client's values; the caller has checked their count against the statement. */
  private ParameterList boundParameters(BackendStatement stmt, List<byte[]> values,
      short[] formats) throws SQLException {
    ParameterList params = stmt.query().createParameterList();
    int[] declared = stmt.description() != null ? stmt.description().parameterTypes()
        : stmt.declaredTypes();
    for (int i = 0; i < values.size(); i++) {
      int oid = i < declared.length ? declared[i] : 0;
      byte[] v = values.get(i);
      short format = formats.length == 0 ? 0 : formats.length == 1 ? formats[0] : formats[i];
      if (v == null) {
        params.setNull(i + 1, oid);
      } else if (format == 1) {
        params.setBinaryParameter(i + 1, v, oid);
      } else {
        params.setStringParameter(i + 1,
            new String(v, java.nio.charset.StandardCharsets.UTF_8), oid);
      }
    }
    return params;
  }

  // ---------------------------------------------------------------- COPY

  /**
   * Starts a COPY FROM STDIN / TO STDOUT. The returned operation is a {@link CopyIn} or
   * {@link CopyOut}; the server's error is thrown if the statement fails.
   */
  public CopyOperation startCopy(String sql) {
    settleBegin();
    requireNoAnswerOwed();
    exchanges++;
    try {
      return executor.startCopy(sql, true);
    } catch (SQLException e) {
      throw PgErrors.from(e);
    }
  }

  // ---------------------------------------------------------------- state

  /** 'I' idle, 'T' in a transaction block, 'E' in a failed transaction block. */
  public char transactionStatus() {
    if (owedBegin != null) {
      return 'T';
    }
    return switch (executor.getTransactionState()) {
      case IDLE -> 'I';
      case OPEN -> 'T';
      case FAILED -> 'E';
    };
  }

  /**
   * The server's current values of the parameters it reports (GUC_REPORT), as the server reported
   * them (a DateStyle pgjdbc would refuse reaches pgjdbc disguised: see ParameterStatusFilter).
   */
  public Map<String, String> parameterStatuses() {
    return ParameterStatusFilter.reveal(executor.getParameterStatuses());
  }

  /** NOTIFY messages received since the last call. */
  public List<PGNotification> notifications() {
    try {
      PGNotification[] n = executor.getNotifications();
      return n == null ? List.of() : List.of(n);
    } catch (SQLException e) {
      return List.of();
    }
  }

  /**
   * How many times this session has sent the server something to run (queries, Parse/Bind,
   * COPY). Equal counts at two moments mean nothing ran on the server in between through this
   * object.
   */
  public long exchanges() {
    return exchanges;
  }

  /** True until this session next sends the server something to run ({@link #exchanges}). */
  public java.util.function.BooleanSupplier nothingSentSinceNow() {
    long mark = exchanges;
    return () -> exchanges == mark;
  }

  public int backendPid() {
    return executor.getBackendPID();
  }

  /** Asks the server to cancel whatever this session is running. Safe from any thread. */
  public void cancel() {
    try {
      executor.sendQueryCancel();
    } catch (SQLException e) {
      // Nothing is running, or the server is gone: either way there is nothing to cancel.
    }
  }

  public boolean isClosed() {
    return executor.isClosed();
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      // Closing a broken connection has nothing left to release.
    }
  }

  // ---------------------------------------------------------------- plumbing

  /** The stream holds the answer to a {@link #send}: nothing else may be sent or read first. */
  private void requireNoAnswerOwed() {
    if (answerOwed) {
      throw new IllegalStateException("the answer to a statement sent before is unread");
    }
  }

  private interface Call {
    void run() throws SQLException;
  }

  private void run(Call call, ResultSink sink) {
    requireNoAnswerOwed();
    exchanges++;
    try {
      call.run();
    } catch (SQLException e) {
      sink.error(PgErrors.from(e));
    } catch (RuntimeException e) {
      // A failure inside pgjdbc's protocol handling: how much of an exchange went out or came
      // in is unknown, so the session is given up rather than read out of step.
      org.slf4j.LoggerFactory.getLogger(BackendConnection.class)
          .error("protocol exchange failed; closing the server session", e);
      executor.abort();
      sink.error(PgErrors.from(e));
    }
  }

  static List<Column> columns(Field[] fields) {
    List<Column> cols = new ArrayList<>(fields.length);
    for (Field f : fields) {
      cols.add(new Column(f.getColumnLabel(), f.getTableOid(), (short) f.getPositionInTable(),
          f.getOID(), f.getLength(), f.getMod(), (short) f.getFormat()));
    }
    return cols;
  }

  /** Passes everything on except the first CommandComplete (an owed BEGIN's). */
  private static final class SkipFirstCompletion extends ForwardingSink {
    private boolean skipped;

    SkipFirstCompletion(ResultSink sink) {
      super(sink);
    }

    @Override
    public void complete(String tag) {
      if (skipped) {
        target.complete(tag);
      }
      skipped = true;
    }

    @Override
    public void error(BasaltException error) {
      // The BEGIN failed (the text after it did not run), or the text did.
      skipped = true;
      target.error(error);
    }
  }

  /** Turns pgjdbc's callbacks into sink calls, in the order the server sent them. */
  private static final class Relay implements ResultHandler {
    private final ResultSink sink;
    private SQLException first;

    Relay(ResultSink sink) {
      this.sink = sink;
    }

    @Override
    public void handleResultRows(Query fromQuery, Field[] fields, List<Tuple> tuples,
        ResultCursor cursor) {
      sink.columns(columns(fields));
      for (Tuple t : tuples) {
        int n = t.fieldCount();
        byte[][] values = new byte[n][];
        for (int i = 0; i < n; i++) {
          values[i] = t.get(i);
        }
        sink.row(values);
      }
    }

    @Override
    public void handleCommandStatus(String status, long updateCount, long insertOID) {
      if ("EMPTY".equals(status)) {
        sink.emptyQuery();
      } else {
        sink.complete(status);
      }
    }

    @Override
    public void handleWarning(SQLWarning warning) {
      sink.notice(PgErrors.notice(warning));
    }

    @Override
    public void handleError(SQLException error) {
      if (first == null) {
        first = error;
      }
      sink.error(PgErrors.from(error));
    }

    @Override
    public void handleCompletion() {}

    @Override
    public void secureProgress() {}

    @Override
    public SQLException getException() {
      return first;
    }
  }

  /**
   * A sink that keeps results in memory: for the coordinator's own small queries, and for a
   * client's result held back until the work it depends on succeeded ({@link #replay}).
   */
  public static final class CollectingSink implements ResultSink {
    private final List<byte[][]> rows = new ArrayList<>();
    private final List<Map<Character, String>> notices = new ArrayList<>();
    private List<Column> columns;
    private String tag;
    private BasaltException error;

    @Override
    public void columns(List<Column> c) {
      columns = c;
    }

    @Override
    public void row(byte[][] values) {
      rows.add(values);
    }

    @Override
    public void complete(String t) {
      tag = t;
    }

    @Override
    public void emptyQuery() {}

    @Override
    public void notice(Map<Character, String> fields) {
      notices.add(fields);
    }

    /** The error the statement ended with, or null. */
    public BasaltException error() {
      return error;
    }

    /** Sends the kept notices, columns, rows and completion to another sink. */
    public void replay(ResultSink target) {
      notices.forEach(target::notice);
      if (columns != null) {
        target.columns(columns);
      }
      rows.forEach(target::row);
      if (tag != null) {
        target.complete(tag);
      }
    }

    @Override
    public void error(BasaltException e) {
      if (error == null) {
        error = e;
      }
    }

    public void throwIfFailed() {
      if (error != null) {
        throw error;
      }
    }

    public List<byte[][]> rows() {
      return rows;
    }

    public List<Column> columns() {
      return columns;
    }
  }
}
