package io.basalt.coordinator.session;

import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import io.basalt.executor.backend.BackendConnection;
import io.basalt.executor.backend.PgErrors;
import io.basalt.planner.Statement;
import io.basalt.planner.StatementClassifier;
import io.basalt.planner.StatementKind;
import io.basalt.planner.explain.ExplainStatement;
import io.basalt.planner.lexer.Token;
import io.basalt.wire.message.BackendMessage;
import io.basalt.wire.message.FrontendMessage;
import io.basalt.wire.spi.BackendOutput;
import io.basalt.wire.spi.ClientReader;
import io.basalt.wire.spi.ClientSession;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's session. One thread per session runs the client's messages in order, blocking on
 * the backend as needed ({@link SessionThreads}: a platform thread, beside the PostgreSQL process
 * the session's backend connection already costs). On plain TCP that thread also reads the
 * messages from the client's socket ({@link ClientReader}); under TLS (or with virtual threads)
 * the wire layer delivers them on its event loop and they queue here ({@link Inbox}).
 *
 * <p>At this stage every statement runs in the coordinator database on the session's own backend
 * connection, as the client's role (the Local plan). Extended-protocol messages are gathered
 * until Sync or Flush and then run as one batch ({@link ExtendedQuery}), because PostgreSQL only
 * answers at those points and a whole batch must share one implicit transaction.
 */
public final class CoordinatorSession implements ClientSession {
  private static final Logger LOG = LoggerFactory.getLogger(CoordinatorSession.class);
  private static final FrontendMessage CLOSED = new FrontendMessage.Terminate();
  /** In the inbox: from now on messages come from {@link #reader}. */
  private static final FrontendMessage READER = new FrontendMessage.Flush();

  private final int processId;
  private final int secretKey;
  private final BackendOutput out;
  private final BackendConnection backend;
  private final SessionRegistry registry;
  private final Inbox inbox = new Inbox();
  /** Set when the session reads its client's socket itself; then the inbox is not used. */
  private volatile ClientReader reader;
  /** COPY data waiting in the inbox; above the first mark the client's socket is not read. */
  private static final long PAUSE_READING_AT = 8L << 20;
  private static final long RESUME_READING_AT = 2L << 20;
  private long queuedCopyBytes;
  private boolean readingPaused;
  private final Map<String, String> reported = new LinkedHashMap<>();
  /** The backend's exchange count when parameter changes were last reported; -1: never. */
  private long reportedAtExchange = -1;
  private final ExtendedQuery extended;
  private final SqlPrepared sqlPrepared = new SqlPrepared(this);
  private final ClusterSession cluster;
  private final Thread worker;
  private volatile boolean running;
  /** Worker sessions running this session's statement now (an execution may run several). */
  private final java.util.Set<BackendConnection> runningRemotes =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile boolean closed;
  /** ReadyForQuery was sent and no message has arrived since: the client is idle. */
  private boolean idle;
  private String clientEncoding;
  private final String startupClientEncoding;

  CoordinatorSession(SessionRegistry registry, BackendOutput out, BackendConnection backend,
      String clientEncoding, io.basalt.coordinator.dist.ClusterServices services, String user) {
    this.registry = registry;
    this.processId = registry.allocatePid();
    this.secretKey = registry.newSecret();
    this.out = out;
    this.backend = backend;
    this.clientEncoding = clientEncoding;
    this.startupClientEncoding = clientEncoding;
    this.extended = new ExtendedQuery(this);
    this.cluster = new ClusterSession(this, services, backend, user);
    reported.putAll(backend.parameterStatuses());
    reported.put("client_encoding", clientEncoding);
    registry.register(this);
    this.worker = SessionThreads.newThread("session-" + processId, this::loop);
  }

  /** Opens a session on an already-connected backend and starts its thread. */
  public static CoordinatorSession start(SessionRegistry registry, BackendOutput out,
      BackendConnection backend, String clientEncoding,
      io.basalt.coordinator.dist.ClusterServices services, String user) {
    CoordinatorSession s = new CoordinatorSession(registry, out, backend, clientEncoding,
        services, user);
    s.worker.start();
    return s;
  }

  @Override
  public Map<String, String> initialParameters() {
    return new LinkedHashMap<>(reported);
  }

  @Override
  public int processId() {
    return processId;
  }

  @Override
  public int secretKey() {
    return secretKey;
  }

  @Override
  public void handle(FrontendMessage message) {
    if (message instanceof FrontendMessage.CopyData d) {
      copyQueued(d.data().length);
    }
    inbox.add(message);
  }

  @Override
  public void closed() {
    closed = true;
    if (running) {
      // A client that went away mid-statement must not leave it running on the server.
      backend.cancel();
    }
    runningRemotes.forEach(BackendConnection::cancel);
    inbox.add(CLOSED);
  }

  @Override
  public boolean readsItself() {
    return SessionThreads.readClient();
  }

  @Override
  public void readFrom(ClientReader clientReader) {
    reader = clientReader;
    inbox.add(READER);
  }

  void cancelRunning() {
    if (running) {
      backend.cancel();
    }
    runningRemotes.forEach(BackendConnection::cancel);
  }

  /** Runs work on a worker session, which a cancel or a disconnect then interrupts. */
  void onRemote(BackendConnection remote, Runnable work) {
    runningRemotes.add(remote);
    try {
      work.run();
    } finally {
      runningRemotes.remove(remote);
    }
  }

  // ------------------------------------------------------------------ the session thread

  private void loop() {
    try {
      while (true) {
        FrontendMessage m = nextCommand();
        if (m == null) {
          // PostgreSQL's own end for a session idle in transaction for too long; closing the
          // session (finally, below) rolls back its worker transactions.
          out.closeWithError(new BackendMessage.ErrorResponse(fatal(BasaltException.of(
              SqlState.IDLE_IN_TRANSACTION_SESSION_TIMEOUT,
              "terminating connection due to idle-in-transaction timeout"))));
          return;
        }
        idle = false;
        if (m == CLOSED || m instanceof FrontendMessage.Terminate) {
          return;
        }
        try {
          dispatch(m);
        } catch (BasaltException e) {
          if (e.isFatal() || backend.isClosed()) {
            out.closeWithError(new BackendMessage.ErrorResponse(fatal(e)));
            return;
          }
          throw e;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("session {} failed", processId, e);
      out.closeWithError(new BackendMessage.ErrorResponse(
          fatal(PgErrors.from(e))));
    } finally {
      registry.unregister(this);
      extended.closeAll();
      cluster.close();
      backend.close();
      ClientReader r = reader;
      if (r != null) {
        // last, as a PostgreSQL backend's socket closes when it exits: its transactions are
        // rolled back by then
        r.close();
      }
    }
  }

  /**
   * The client's next message, or null when it stayed idle in a transaction block for longer
   * than its idle_in_transaction_session_timeout.
   */
  private FrontendMessage nextCommand() throws InterruptedException {
    return receive(idle ? Math.max(0, cluster.idleInTransactionTimeout()) : 0);
  }

  private static Map<Character, String> fatal(BasaltException e) {
    Map<Character, String> f = new LinkedHashMap<>(e.fields());
    f.put('S', "FATAL");
    f.put('V', "FATAL");
    return f;
  }

  private void dispatch(FrontendMessage m) throws InterruptedException {
    if (LOG.isTraceEnabled()) {
      LOG.trace("session {} <- {}", processId, m);
    }
    switch (m) {
      case FrontendMessage.Query q -> simpleQuery(q.sql());
      case FrontendMessage.Parse p -> extended.add(p);
      case FrontendMessage.Bind b -> extended.add(b);
      case FrontendMessage.Describe d -> extended.add(d);
      case FrontendMessage.Execute e -> extended.add(e);
      case FrontendMessage.Close c -> extended.add(c);
      case FrontendMessage.Sync s -> extended.sync();
      case FrontendMessage.Flush f -> extended.flush();
      case FrontendMessage.FunctionCall fc -> {
        error(BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED,
            "the fast-path function call interface is not supported",
            "Call the function with a SELECT statement instead."));
        readyForQuery();
      }
      // Outside COPY these are dropped, as PostgreSQL does (they may trail a failed COPY).
      case FrontendMessage.CopyData d -> { }
      case FrontendMessage.CopyDone d -> { }
      case FrontendMessage.CopyFail f -> { }
      case FrontendMessage.Terminate t -> { }
      case FrontendMessage.SslRequest r -> protocolViolation("unexpected SSLRequest");
      case FrontendMessage.GssEncRequest r -> protocolViolation("unexpected GSSENCRequest");
      case FrontendMessage.CancelRequest r -> protocolViolation("unexpected CancelRequest");
      case FrontendMessage.Startup s -> protocolViolation("unexpected StartupMessage");
      case FrontendMessage.PasswordData p -> protocolViolation("unexpected password message");
    }
  }

  private void protocolViolation(String message) {
    throw BasaltException.builder(SqlState.PROTOCOL_VIOLATION, message).fatal().build();
  }

  // ------------------------------------------------------------------ simple query

  private void simpleQuery(String sql) throws InterruptedException {
    List<Statement> statements = StatementClassifier.split(sql);
    if (statements.isEmpty()) {
      out.write(new BackendMessage.EmptyQueryResponse());
    } else if (statements.size() == 1 || (!cluster.active() && statements.stream().allMatch(
        s -> s.kind() == StatementKind.OTHER || s.kind() == StatementKind.TRANSACTION_CONTROL))) {
      if (statements.size() == 1) {
        runOne(statements.get(0), sql, true);
      } else if (distributedIn(statements)) {
        runInImplicitTransaction(statements);
      } else {
        // Several statements go to the server as one string, so they share its implicit
        // transaction exactly as they would on PostgreSQL.
        ClientSink sink = new ClientSink(out, true);
        char before = backend.transactionStatus();
        runOnBackend(() -> backend.simpleQuery(sql, sink));
        for (Statement s : statements) {
          // A SET among them changes what workers must be told, as on its own (a BEGIN among
          // them is followed by the rest: nothing can be assumed of its transaction).
          if (!s.tokens().isEmpty() && !s.tokens().get(0).isWord("BEGIN")
              && !s.tokens().get(0).isWord("START")) {
            cluster.ranLocally(s, before);
          }
          sqlPrepared.ranLocally(s, sink.error() == null);
        }
      }
    } else {
      // DDL, utility calls or COPY among them, or a distributed block open: the statements
      // still share one implicit transaction outside a block, as on PostgreSQL.
      runInImplicitTransaction(statements);
    }
    readyForQuery();
  }

  /** Runs one statement of a simple query; returns false if it failed. */
  boolean runOne(Statement s, String text, boolean sendColumns) throws InterruptedException {
    char before = backend.transactionStatus();
    boolean ok = runStatement(s, text, sendColumns);
    if (!ok) {
      statementFailed(before);
    }
    return ok;
  }

  /**
   * A statement of the client's failed. PostgreSQL aborts an open block at any error; an error
   * of Basalt's own (a refusal, a NULL distribution value, ...) did not reach the coordinator
   * database's transaction, which is then failed here: later statements get 25P02 and COMMIT
   * rolls back, with the workers' work of the block.
   *
   * @param before the transaction status when the statement (or message) began
   */
  void statementFailed(char before) {
    if (before == 'T' && backend.transactionStatus() == 'T') {
      cluster.blockStatementFailed();
    }
  }

  private boolean runStatement(Statement s, String text, boolean sendColumns)
      throws InterruptedException {
    ClientSink sink = new ClientSink(out, sendColumns);
    switch (s.kind()) {
      case EMPTY -> out.write(new BackendMessage.EmptyQueryResponse());
      case COPY_FROM_STDIN, COPY_TO_STDOUT -> {
        Boolean distributed = cluster.copy(s, sink);
        if (distributed != null) {
          return distributed;
        }
        try {
          cluster.refuseDistributedData(s);
        } catch (BasaltException e) {
          sink.error(e);
          return false;
        }
        return s.kind() == StatementKind.COPY_FROM_STDIN
            ? new CopyRelay(this, out, backend).copyIn(text)
            : new CopyRelay(this, out, backend).copyOut(text);
      }
      case SET_CLIENT_ENCODING -> {
        return setClientEncoding(s, sink);
      }
      case UTILITY_CALL -> {
        return cluster.utility(s, sink, null);
      }
      case DDL -> {
        return cluster.ddl(s, sink);
      }
      case TRANSACTION_CONTROL -> {
        char before = backend.transactionStatus();
        if (cluster.active()) {
          cluster.transactionControl(s, sink);
        } else {
          runOnBackend(() -> backend.simpleQuery(text, sink));
          cluster.afterStatement();
        }
        cluster.ranLocally(s, before);
      }
      default -> {
        if (sqlPrepared.handles(s)) {
          return sqlPrepared.run(s, sink, new short[0]);
        }
        DistributedStatements.Planned planned;
        try {
          planned = distributedPlan(s);
        } catch (BasaltException e) {
          sink.error(e);
          return false;
        }
        if (planned != null) {
          return cluster.execute(planned, null, sink);
        }
        if (badSetting(s, sink)) {
          return false;
        }
        if (s.tokens().get(0).isWord("LOCK") && cluster.namesDistributedTable(s.tokens())) {
          Boolean locked = cluster.lock(s, sink);
          if (locked != null) {
            return locked;
          }
        }
        char before = backend.transactionStatus();
        runOnBackend(() -> backend.simpleQuery(text, sink));
        cluster.ranLocally(s, before);
        sqlPrepared.ranLocally(s, sink.error() == null);
      }
    }
    return sink.error() == null;
  }

  /**
   * The distributed plan of a statement that reads or writes rows of distributed tables (or of
   * an EXPLAIN of one), or null for one the coordinator database runs. Statements the planner
   * does not cover yet (COPY, cursors, views and functions over distributed tables, ...) are
   * refused.
   */
  DistributedStatements.Planned distributedPlan(Statement s) {
    if (s.tokens().isEmpty()) {
      return null;
    }
    if (plannable(s.tokens().get(0))) {
      return cluster.plan(s);
    }
    if (s.tokens().get(0).isWord("EXPLAIN") && cluster.namesDistributedTable(s.tokens())) {
      Optional<ExplainStatement> explain = ExplainStatement.read(s.text(), s.tokens());
      if (explain.isPresent()
          && plannable(s.tokens().get(explain.get().statementToken()))) {
        return cluster.planExplain(s, explain.get());
      }
    }
    if (s.tokens().get(0).isWord("DECLARE") && cluster.namesDistributedTable(s.tokens())) {
      DistributedStatements.Planned cursor = cluster.planCursor(s);
      if (cursor != null) {
        return cursor;
      }
    }
    if (SqlPrepared.isPrepareCommand(s)) {
      // SQL-level PREPARE / EXECUTE / DEALLOCATE: SqlPrepared decides when the statement runs.
      // A PREPARE it leaves to the coordinator database must not name a table whose
      // distribution is still pending in this transaction.
      if (s.tokens().get(0).isWord("PREPARE") && !sqlPrepared.handles(s)) {
        cluster.refuseDistributedData(s);
      }
      return null;
    }
    sqlPrepared.refuseNested(s);
    cluster.refuseDistributedData(s);
    return null;
  }

  SqlPrepared sqlPrepared() {
    return sqlPrepared;
  }

  /** The first token of a statement the distributed planner plans. */
  private static boolean plannable(Token first) {
    return first.isWord("SELECT") || first.isWord("INSERT") || first.isWord("UPDATE")
        || first.isWord("DELETE") || first.isWord("WITH") || first.isWord("TABLE")
        || first.isWord("VALUES") || first.is("(");
  }

  /**
   * Whether a multi-statement string must run statement by statement: one of its statements
   * names a distributed table (PostgreSQL would otherwise run the string in one call).
   */
  private boolean distributedIn(List<Statement> statements) {
    return statements.stream().anyMatch(s -> cluster.namesDistributedTable(s.tokens())
        || sqlPrepared.handles(s));
  }


  /**
   * A multi-statement string without transaction control, one statement at a time inside one
   * transaction, as PostgreSQL runs such a string: all or nothing.
   */
  /**
   * Several statements of one Query message, some on distributed tables, run as PostgreSQL runs
   * such a string: outside a block they share one implicit transaction, committed at the end and
   * rolled back at the first error (which ends the string). Transaction control inside it acts
   * on that implicit transaction as PostgreSQL's does: BEGIN turns it into the client's block
   * (the statements before it included), COMMIT and ROLLBACK end it (with PostgreSQL's warning
   * that no transaction is in progress) and the statements after them start another, and
   * SAVEPOINT, RELEASE and ROLLBACK TO fail (25P01) since it is no block.
   */
  private void runInImplicitTransaction(List<Statement> statements) throws InterruptedException {
    ClientSink quiet = ClientSink.quiet(out);
    boolean implicit = false;
    boolean ok = true;
    for (Statement s : statements) {
      String first = s.tokens().isEmpty() ? "" : s.tokens().get(0).upper();
      boolean control = s.kind() == StatementKind.TRANSACTION_CONTROL;
      boolean begin = control && (first.equals("BEGIN") || first.equals("START"));
      boolean end = control && (first.equals("COMMIT") || first.equals("END")
          || (first.equals("ROLLBACK") || first.equals("ABORT")) && !savepointCommand(s));
      if (backend.transactionStatus() == 'I' && !begin && !end && !s.tokens().isEmpty()) {
        runOnBackend(() -> backend.simpleQuery("BEGIN", quiet));
        implicit = true;
      }
      if (implicit && begin) {
        // The implicit transaction becomes the client's block.
        implicit = false;
        out.write(new BackendMessage.CommandComplete("BEGIN"));
        continue;
      }
      String noBlock = backend.transactionStatus() == 'T' ? notInBlocks(s) : null;
      if (noBlock != null) {
        error(BasaltException.of(SqlState.ACTIVE_SQL_TRANSACTION,
            noBlock + " cannot run inside a transaction block"));
        if (!implicit) {
          statementFailed('T');
        }
        ok = false;
        break;
      }
      if (implicit && control && savepointCommand(s)) {
        error(BasaltException.of(SqlState.NO_ACTIVE_SQL_TRANSACTION,
            savepointCommandName(s) + " can only be used in transaction blocks"));
        ok = false;
        break;
      }
      if (implicit && end) {
        out.write(new BackendMessage.NoticeResponse(java.util.Map.of('S', "WARNING", 'V',
            "WARNING", 'C', SqlState.NO_ACTIVE_SQL_TRANSACTION.code(),
            'M', "there is no transaction in progress")));
        implicit = false;
      }
      if (!runOne(s, s.text(), true)) {
        ok = false;
        break;
      }
    }
    if (implicit) {
      char before = backend.transactionStatus();
      Statement end = StatementClassifier.classify(ok && before == 'T' ? "COMMIT" : "ROLLBACK");
      if (cluster.active()) {
        cluster.transactionControl(end, quiet);
      } else {
        runOnBackend(() -> backend.simpleQuery(end.text(), quiet));
      }
      cluster.ranLocally(end, before);
      cluster.afterStatement();
    }
  }

  /**
   * The name PostgreSQL gives a statement that cannot run inside a transaction block (an
   * implicit one of a multi-statement string included), or null.
   */
  private static String notInBlocks(Statement s) {
    List<io.basalt.planner.lexer.Token> t = s.tokens();
    if (t.isEmpty()) {
      return null;
    }
    String first = t.get(0).upper();
    String second = t.size() > 1 ? t.get(1).upper() : "";
    boolean concurrently = t.stream().limit(4).anyMatch(x -> x.isWord("CONCURRENTLY"));
    return switch (first) {
      case "VACUUM" -> "VACUUM";
      case "CREATE", "DROP" -> second.equals("DATABASE") || second.equals("TABLESPACE")
          ? first + " " + second
          : concurrently && (second.equals("INDEX") || second.equals("UNIQUE"))
          ? first + " INDEX CONCURRENTLY" : null;
      case "ALTER" -> second.equals("SYSTEM") ? "ALTER SYSTEM" : null;
      case "DISCARD" -> second.equals("ALL") ? "DISCARD ALL" : null;
      case "REINDEX" -> concurrently ? "REINDEX CONCURRENTLY" : null;
      default -> null;
    };
  }

  /** SAVEPOINT, RELEASE [SAVEPOINT] or ROLLBACK [WORK | TRANSACTION] TO [SAVEPOINT]. */
  private static boolean savepointCommand(Statement s) {
    List<io.basalt.planner.lexer.Token> t = s.tokens();
    if (t.isEmpty()) {
      return false;
    }
    if (t.get(0).isWord("SAVEPOINT") || t.get(0).isWord("RELEASE")) {
      return true;
    }
    return (t.get(0).isWord("ROLLBACK") || t.get(0).isWord("ABORT"))
        && t.stream().anyMatch(x -> x.isWord("TO"));
  }

  /** The command's name in PostgreSQL's "... can only be used in transaction blocks". */
  private static String savepointCommandName(Statement s) {
    String first = s.tokens().get(0).upper();
    return first.equals("SAVEPOINT") ? "SAVEPOINT"
        : first.equals("RELEASE") ? "RELEASE SAVEPOINT" : "ROLLBACK TO SAVEPOINT";
  }

  BackendOutput output() {
    return out;
  }

  ClusterSession cluster() {
    return cluster;
  }

  private boolean setClientEncoding(Statement s, ClientSink sink) {
    try {
      String value = s.argument() == null ? startupClientEncoding
          : ClientEncoding.canonical(s.argument());
      clientEncoding = value;
      sink.complete(s.tokens().get(0).isWord("RESET") ? "RESET" : "SET");
      return true;
    } catch (BasaltException e) {
      sink.error(e);
      return false;
    }
  }

  /**
   * Whether {@code s} SETs a citus executor setting to a value Citus refuses; if so the error
   * went to {@code sink} and an open block is aborted, as a failed SET aborts it in PostgreSQL.
   */
  boolean badSetting(Statement s, ClientSink sink) {
    try {
      ExecutorSettingCheck.check(s.tokens());
      return false;
    } catch (BasaltException e) {
      if (backend.transactionStatus() == 'T') {
        runOnBackend(cluster::failBlock);
      }
      sink.error(e);
      return true;
    }
  }

  /** Runs backend work, marked as running so a cancel or a disconnect can interrupt it. */
  void runOnBackend(Runnable r) {
    onBackend(() -> {
      r.run();
      return null;
    });
  }

  <T> T onBackend(java.util.function.Supplier<T> work) {
    // Re-entrant: a distributed statement runs backend work of its own inside.
    boolean outer = running;
    running = true;
    try {
      return work.get();
    } finally {
      running = outer;
    }
  }

  FrontendMessage nextMessage() throws InterruptedException {
    return receive(0);
  }

  /** The client's next message, waiting at most {@code timeoutMillis} (0: no limit), or null. */
  private FrontendMessage receive(long timeoutMillis) throws InterruptedException {
    while (true) {
      ClientReader r = reader;
      if (r != null) {
        return r.read(timeoutMillis);
      }
      FrontendMessage m = timeoutMillis > 0
          ? inbox.poll(timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS) : inbox.take();
      if (m != READER) {
        if (m instanceof FrontendMessage.CopyData d) {
          copyQueued(-d.data().length);
        }
        return m;
      }
    }
  }

  /** Pauses reading the client while much COPY data waits here; resumes once it drained. */
  private synchronized void copyQueued(long delta) {
    queuedCopyBytes += delta;
    if (!readingPaused && queuedCopyBytes > PAUSE_READING_AT) {
      readingPaused = true;
      out.readFromClient(false);
    } else if (readingPaused && queuedCopyBytes < RESUME_READING_AT) {
      readingPaused = false;
      out.readFromClient(true);
    }
  }

  boolean isClosedMessage(FrontendMessage m) {
    return m == CLOSED || m instanceof FrontendMessage.Terminate;
  }

  void error(BasaltException e) {
    out.write(new BackendMessage.ErrorResponse(e.fields()));
  }

  /** Reports parameter changes and notifications, then ReadyForQuery, and flushes. */
  void readyForQuery() {
    try {
      cluster.afterStatement();
    } catch (BasaltException e) {
      // The client's work is done and committed; reloading or clean-up is retried later.
      LOG.warn("session {}: after-commit work failed: {}", processId, e.getMessage());
    }
    reportChanges();
    out.write(new BackendMessage.ReadyForQuery(backend.transactionStatus()));
    out.flush();
    idle = true;
  }

  private void reportChanges() {
    if (backend.isClosed()) {
      throw BasaltException.builder(SqlState.CONNECTION_FAILURE,
          "terminating connection because the coordinator database connection was lost")
          .fatal().build();
    }
    // client_encoding is the coordinator's own (the backend's is always UTF8).
    report("client_encoding", clientEncoding);
    // Parameter changes and notifications only arrive while the backend runs something: a
    // statement that ran on workers alone has nothing new to report.
    long exchanges = backend.exchanges();
    if (exchanges == reportedAtExchange) {
      return;
    }
    reportedAtExchange = exchanges;
    // Runs before ReadyForQuery: compare in place, allocate only for a change.
    backend.parameterStatuses().forEach((name, value) -> {
      if (!"client_encoding".equals(name)) {
        report(name, value);
      }
    });
    for (PGNotification n : backend.notifications()) {
      out.write(new BackendMessage.NotificationResponse(n.getPID(), n.getName(),
          n.getParameter()));
    }
  }

  private void report(String name, String value) {
    if (!value.equals(reported.put(name, value))) {
      out.write(new BackendMessage.ParameterStatus(name, value));
    }
  }

  BackendConnection backend() {
    return backend;
  }

  BackendOutput out() {
    return out;
  }

  boolean isClosed() {
    return closed;
  }
}
