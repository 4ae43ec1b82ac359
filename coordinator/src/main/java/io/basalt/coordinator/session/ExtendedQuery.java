package io.basalt.coordinator.session;

import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import io.basalt.executor.backend.BackendConnection;
import io.basalt.executor.backend.BackendStatement;
import io.basalt.executor.result.Column;
import io.basalt.executor.result.StatementDescription;
import io.basalt.planner.Statement;
import io.basalt.planner.StatementClassifier;
import io.basalt.planner.StatementKind;
import io.basalt.wire.message.BackendMessage;
import io.basalt.wire.message.FrontendMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The extended query protocol of one session: named and unnamed prepared statements and portals,
 * and the batch of messages since the last Sync.
 *
 * <pre>
 *   client: Parse, Bind, Describe, Execute ... (Flush)? ... Sync
 *   here:   gathered ──────────────────────────► run in order at Flush / Sync
 *   server: ParseComplete, BindComplete, RowDescription|NoData, DataRow*, CommandComplete
 *           | PortalSuspended | EmptyQueryResponse ... ReadyForQuery
 * </pre>
 *
 * <p>After an error every message up to Sync is skipped, as PostgreSQL does. When a batch holds
 * more than one Execute outside a transaction block it runs inside BEGIN ... COMMIT, because
 * PostgreSQL runs everything up to Sync as one implicit transaction (a JDBC batch is all or
 * nothing) while each backend call here ends with its own Sync.
 */
final class ExtendedQuery {
  /** Statements that PostgreSQL refuses inside a transaction block: never wrapped. */
  private static final Set<String> NO_TRANSACTION_BLOCK = Set.of("VACUUM", "CLUSTER", "REINDEX",
      "CHECKPOINT", "ALTER SYSTEM", "CREATE DATABASE", "DROP DATABASE", "CREATE TABLESPACE",
      "DROP TABLESPACE", "CREATE INDEX CONCURRENTLY", "DROP INDEX CONCURRENTLY", "DISCARD ALL",
      "CREATE SUBSCRIPTION", "DROP SUBSCRIPTION");

  private final CoordinatorSession session;
  private final Map<String, Prepared> statements = new HashMap<>();
  private final Map<String, Portal> portals = new HashMap<>();
  private final List<FrontendMessage> batch = new ArrayList<>();
  /** The statements of this batch's Parse messages, lexed once. */
  private final Map<FrontendMessage.Parse, List<Statement>> parsed = new IdentityHashMap<>();
  private boolean failed;
  private boolean implicitTransaction;

  /**
   * A prepared statement; {@code planned} is its distributed plan, null for a local one, and
   * {@code metadataVersion} the catalog version it was planned (or found local) under.
   */
  private record Prepared(String name, Statement statement, BackendStatement backend,
      DistributedStatements.Planned planned, long metadataVersion) {}

  /** A bound portal; rows are kept only when an Execute with a row limit suspends it. */
  private static final class Portal {
    final Prepared prepared;
    final FrontendMessage.Bind bind;
    short[] resultFormats;
    /** A Describe of this portal was left for the Execute right behind it to answer. */
    boolean describeOwed;
    List<byte[][]> pending;
    String pendingTag;
    boolean done;

    Portal(Prepared prepared, FrontendMessage.Bind bind) {
      this.prepared = prepared;
      this.bind = bind;
    }
  }

  ExtendedQuery(CoordinatorSession session) {
    this.session = session;
  }

  void add(FrontendMessage m) {
    batch.add(m);
  }

  void flush() throws InterruptedException {
    runBatch();
    session.out().flush();
  }

  void sync() throws InterruptedException {
    runBatch();
    BackendConnection backend = session.backend();
    if (implicitTransaction) {
      implicitTransaction = false;
      char before = backend.transactionStatus();
      Statement end = StatementClassifier.classify(before == 'T' && !failed ? "COMMIT"
          : "ROLLBACK");
      if (session.cluster().active()) {
        session.cluster().transactionControl(end, ClientSink.quiet(session.out()));
      } else {
        runQuietly(end.text());
      }
      session.cluster().ranLocally(end, before);
    }
    failed = false;
    if (backend.transactionStatus() == 'I') {
      // Portals live until the end of their transaction.
      portals.clear();
    }
    session.readyForQuery();
  }

  void closeAll() {
    portals.clear();
    statements.clear();
  }

  /**
   * Runs a statement of Basalt's own (the implicit transaction's BEGIN and its end): the client
   * sees only an error, never its command tag. Returns whether it succeeded.
   */
  private boolean runQuietly(String sql) {
    ClientSink sink = ClientSink.quiet(session.out());
    session.runOnBackend(() -> session.backend().simpleQuery(sql, sink));
    return sink.error() == null;
  }

  // ------------------------------------------------------------------ batch

  private void runBatch() throws InterruptedException {
    List<FrontendMessage> msgs = new ArrayList<>(batch);
    batch.clear();
    parsed.clear();
    maybeBeginImplicitTransaction(msgs);
    for (int i = 0; i < msgs.size(); i++) {
      if (failed) {
        return;
      }
      char before = session.backend().transactionStatus();
      try {
        run(msgs, i);
      } catch (BasaltException e) {
        if (e.isFatal()) {
          throw e;
        }
        session.error(e);
        failed = true;
      }
      if (failed) {
        // As in PostgreSQL, an error of any message fails the open block.
        session.statementFailed(before);
      }
    }
  }

  private void run(List<FrontendMessage> msgs, int i) throws InterruptedException {
    switch (msgs.get(i)) {
      case FrontendMessage.Parse p -> parse(p, msgs, i);
      case FrontendMessage.Bind b -> bind(b);
      case FrontendMessage.Describe d -> describe(d, msgs, i);
      case FrontendMessage.Execute e -> execute(e);
      case FrontendMessage.Close c -> close(c);
      default -> throw new IllegalStateException("not an extended-protocol message");
    }
  }

  private void maybeBeginImplicitTransaction(List<FrontendMessage> msgs) {
    if (implicitTransaction || session.backend().transactionStatus() != 'I'
        || msgs.stream().filter(m -> m instanceof FrontendMessage.Execute).count() < 2) {
      return;
    }
    Map<String, Statement> stmtByName = new HashMap<>();
    statements.forEach((k, v) -> stmtByName.put(k, v.statement()));
    for (FrontendMessage m : msgs) {
      if (m instanceof FrontendMessage.Parse p) {
        List<Statement> parts = statementsOf(p);
        stmtByName.put(p.statementName(), parts.size() == 1 ? parts.get(0) : null);
      } else if (m instanceof FrontendMessage.Bind b) {
        Statement s = stmtByName.get(b.statementName());
        if (s == null || !wrappable(s)) {
          return;
        }
      }
    }
    implicitTransaction = runQuietly("BEGIN");
  }

  private List<Statement> statementsOf(FrontendMessage.Parse p) {
    return parsed.computeIfAbsent(p, x -> StatementClassifier.split(x.sql()));
  }

  private static boolean wrappable(Statement s) {
    if (s.kind() != StatementKind.OTHER) {
      return false;
    }
    String words = s.tokens().stream().limit(3).map(t -> t.upper())
        .reduce((a, b) -> a + " " + b).orElse("");
    for (String w : NO_TRANSACTION_BLOCK) {
      if (words.startsWith(w)) {
        return false;
      }
    }
    return true;
  }

  // ------------------------------------------------------------------ messages

  private void parse(FrontendMessage.Parse p, List<FrontendMessage> msgs, int i) {
    String name = p.statementName();
    if (!name.isEmpty() && statements.containsKey(name)) {
      throw BasaltException.of(SqlState.DUPLICATE_PREPARED_STATEMENT,
          "prepared statement \"" + name + "\" already exists");
    }
    List<Statement> parts = statementsOf(p);
    if (parts.size() > 1) {
      throw BasaltException.of(SqlState.SYNTAX_ERROR,
          "cannot insert multiple commands into a prepared statement");
    }
    Statement stmt = parts.isEmpty() ? StatementClassifier.classify("") : parts.get(0);
    DistributedStatements.Planned planned = stmt.kind() == StatementKind.OTHER
        ? session.distributedPlan(stmt) : null;
    if (name.isEmpty()) {
      Prepared old = statements.remove("");
      if (old != null) {
        session.backend().close(old.backend());
      }
    }
    BackendStatement bs = session.backend().prepare(p.sql(), p.parameterTypes(),
        highestParameter(stmt), !name.isEmpty());
    Prepared prepared = new Prepared(name, stmt, bs, planned,
        session.cluster().metadataVersion());
    if (needsServerCheck(stmt) && !boundLater(msgs, i, name)) {
      // Nothing in this batch executes it, so parse it now: errors belong to this Parse.
      describeOnServer(prepared);
    }
    statements.put(name, prepared);
    session.out().write(new BackendMessage.ParseComplete());
  }

  /** The highest $n of a statement (0 for none, and for PREPARE's own $n). */
  static int highestParameter(Statement s) {
    int max = 0;
    if (!s.tokens().isEmpty() && s.tokens().get(0).isWord("PREPARE")) {
      // The $n of PREPARE's statement are its own parameters, not this statement's.
      return 0;
    }
    for (var t : s.tokens()) {
      if (t.kind() == io.basalt.planner.lexer.TokenKind.PARAMETER) {
        try {
          max = Math.max(max, Integer.parseInt(t.text().substring(1)));
        } catch (NumberFormatException e) {
          // An absurd $n: the server reports it.
        }
      }
    }
    return max;
  }

  private static boolean needsServerCheck(Statement s) {
    return s.kind() == StatementKind.OTHER || s.kind() == StatementKind.TRANSACTION_CONTROL
        || s.kind() == StatementKind.UTILITY_CALL;
  }

  private static boolean boundLater(List<FrontendMessage> msgs, int i, String name) {
    for (int j = i + 1; j < msgs.size(); j++) {
      if (msgs.get(j) instanceof FrontendMessage.Bind b && b.statementName().equals(name)) {
        return true;
      }
      if (msgs.get(j) instanceof FrontendMessage.Parse p && p.statementName().equals(name)) {
        return false;
      }
    }
    return false;
  }

  private StatementDescription describeOnServer(Prepared p) {
    return describeOnServer(p.backend());
  }

  private StatementDescription describeOnServer(BackendStatement st) {
    return session.onBackend(() -> session.backend().describe(st));
  }

  private Prepared statement(String name) {
    Prepared p = statements.get(name);
    if (p == null) {
      throw BasaltException.of(SqlState.UNDEFINED_PREPARED_STATEMENT, name.isEmpty()
          ? "unnamed prepared statement does not exist"
          : "prepared statement \"" + name + "\" does not exist");
    }
    return p;
  }

  private Portal portal(String name) {
    Portal p = portals.get(name);
    if (p == null) {
      throw BasaltException.of(SqlState.INVALID_CURSOR_NAME, name.isEmpty()
          ? "portal \"\" does not exist" : "portal \"" + name + "\" does not exist");
    }
    return p;
  }

  private void bind(FrontendMessage.Bind b) {
    Prepared prepared = statement(b.statementName());
    if (!b.portalName().isEmpty() && portals.containsKey(b.portalName())) {
      throw BasaltException.of(SqlState.DUPLICATE_CURSOR,
          "cursor \"" + b.portalName() + "\" already exists");
    }
    int required = prepared.backend().parameterCount();
    if (required != b.parameters().size()) {
      throw BasaltException.of(SqlState.PROTOCOL_VIOLATION, "bind message supplies "
          + b.parameters().size() + " parameters, but prepared statement \"" + prepared.name()
          + "\" requires " + required);
    }
    Portal portal = new Portal(prepared, b);
    boolean anyBinary = false;
    for (short f : b.resultFormats()) {
      anyBinary |= f == 1;
    }
    if (anyBinary && needsServerCheck(prepared.statement())) {
      StatementDescription desc = describeOnServer(prepared);
      int n = desc.returnsRows() ? desc.columns().size() : 0;
      short[] formats = new short[n];
      for (int c = 0; c < n; c++) {
        formats[c] = b.resultFormat(c);
      }
      portal.resultFormats = formats;
    } else {
      portal.resultFormats = new short[0];
    }
    portals.put(b.portalName(), portal);
    session.out().write(new BackendMessage.BindComplete());
  }

  private void describe(FrontendMessage.Describe d, List<FrontendMessage> msgs, int i) {
    if (d.kind() == 'S') {
      Prepared p = statement(d.name());
      if (!needsServerCheck(p.statement())) {
        session.out().write(new BackendMessage.ParameterDescription(p.backend().declaredTypes()));
        session.out().write(new BackendMessage.NoData());
        return;
      }
      StatementDescription desc = describeOnServer(p);
      session.out().write(new BackendMessage.ParameterDescription(desc.parameterTypes()));
      session.out().write(desc.returnsRows()
          ? ClientSink.rowDescription(desc.columns()) : new BackendMessage.NoData());
      return;
    }
    Portal portal = portal(d.name());
    if (!needsServerCheck(portal.prepared.statement())) {
      session.out().write(new BackendMessage.NoData());
      return;
    }
    StatementDescription desc = portal.prepared.backend().description();
    if (desc == null && portal.pending == null && !portal.done
        && executedNext(msgs, i, d.name()) && portal.prepared.name().isEmpty()) {
      // The Execute right behind reports the columns; no extra round trip. Not for a named
      // statement: its client keeps the columns it is told here for every later execution
      // (pgjdbc sends no Describe again), and an Execute that fails reports none, so they are
      // described now, once per statement.
      portal.describeOwed = true;
      return;
    }
    if (desc == null) {
      desc = describeOnServer(portal.prepared);
    }
    session.out().write(desc.returnsRows()
        ? ClientSink.rowDescription(withFormats(desc.columns(), portal))
        : new BackendMessage.NoData());
  }

  private static boolean executedNext(List<FrontendMessage> msgs, int i, String portalName) {
    return i + 1 < msgs.size() && msgs.get(i + 1) instanceof FrontendMessage.Execute e
        && e.portalName().equals(portalName);
  }

  private static List<Column> withFormats(List<Column> columns, Portal portal) {
    List<Column> out = new ArrayList<>(columns.size());
    for (int c = 0; c < columns.size(); c++) {
      out.add(columns.get(c).withFormat(portal.bind.resultFormat(c)));
    }
    return out;
  }

  private void execute(FrontendMessage.Execute e) throws InterruptedException {
    Portal portal = portal(e.portalName());
    boolean sendColumns = portal.describeOwed;
    portal.describeOwed = false;
    if (portal.pending != null || portal.done) {
      drain(portal, e.maxRows());
      return;
    }
    Statement stmt = portal.prepared.statement();
    if (stmt.kind() == StatementKind.UTILITY_CALL) {
      PortalSink sink = new PortalSink(session, sendColumns, portal);
      FrontendMessage.Bind b = portal.bind;
      BackendStatement bs = portal.prepared.backend();
      if (!session.cluster().utility(stmt, sink, new ClusterSession.Bound(bs.declaredTypes(),
          b.parameters(), b.parameterFormats(), portal.resultFormats))) {
        failed = true;
      }
      portal.done = true;
      return;
    }
    if (session.sqlPrepared().handles(stmt)) {
      PortalSink sink = new PortalSink(session, sendColumns, portal);
      if (!session.sqlPrepared().run(stmt, sink, portal.resultFormats)) {
        failed = true;
      }
      portal.done = true;
      return;
    }
    if (stmt.kind() == StatementKind.TRANSACTION_CONTROL && session.cluster().active()) {
      if (!session.runOne(stmt, stmt.text(), false)) {
        failed = true;
      }
      portal.done = true;
      return;
    }
    if (!needsServerCheck(stmt) || (stmt.tokens().get(0).isWord("LOCK")
        && session.cluster().namesDistributedTable(stmt.tokens()))) {
      // (LOCK of distributed tables locks their shards too: CoordinatorSession runs it.)
      if (!session.runOne(stmt, stmt.text(), false)) {
        failed = true;
      }
      portal.done = true;
      return;
    }
    FrontendMessage.Bind b = portal.bind;
    DistributedStatements.Planned planned = portal.prepared.planned();
    long version = session.cluster().metadataVersion();
    if (portal.prepared.metadataVersion() != version) {
      if (resultTypeChanged(portal.prepared)) {
        // As PostgreSQL refuses a prepared statement whose tables changed its row type: the
        // client keeps the old columns (pgjdbc prepares the statement again on this error), and
        // rows of the new shape read with them would be wrong values.
        if (session.backend().transactionStatus() == 'T') {
          session.cluster().blockStatementFailed();
        }
        // PostgreSQL's routine name: pgjdbc heals on it, preparing the statement again and
        // retrying outside a block, as it does against PostgreSQL.
        throw BasaltException.builder(SqlState.FEATURE_NOT_SUPPORTED,
            "cached plan must not change result type").field('R', "RevalidateCachedQuery")
            .build();
      }
      // The catalog changed since the statement was planned: a table of it may have been
      // distributed (its shell is empty now), undistributed (its rows are local again) or given
      // new shards. It is planned again, as PostgreSQL replans a cached plan.
      planned = stmt.kind() == StatementKind.OTHER
          && session.cluster().namesDistributedTable(stmt.tokens())
          ? session.distributedPlan(stmt) : null;
      statements.replace(portal.prepared.name(), portal.prepared, new Prepared(
          portal.prepared.name(), stmt, portal.prepared.backend(), planned, version));
    }
    // With a row limit the rows are kept and handed out an Execute at a time.
    PortalSink sink = e.maxRows() <= 0 ? new PortalSink(session, sendColumns, portal)
        : new BufferingSink(session, sendColumns, portal);
    if (planned != null) {
      session.cluster().execute(planned, new ClusterSession.Bound(parameterTypes(portal.prepared,
          planned),
          b.parameters(), b.parameterFormats(), portal.resultFormats), sink);
    } else if (!session.badSetting(stmt, sink)) {
      char before = session.backend().transactionStatus();
      session.runOnBackend(() -> session.backend().execute(portal.prepared.backend(),
          b.parameters(), b.parameterFormats(), portal.resultFormats, sink));
      session.cluster().ranLocally(stmt, before);
      session.sqlPrepared().ranLocally(stmt, sink.error() == null);
    }
    if (sink.error() != null) {
      failed = true;
      portal.done = true;
    } else if (sink instanceof BufferingSink buffer) {
      portal.pending = buffer.rows;
      portal.pendingTag = buffer.tag;
      drain(portal, e.maxRows());
    } else {
      portal.done = true;
    }
  }

  /**
   * Whether a distributed prepared statement's result columns differ now (names, types, type
   * modifiers) from those its client was told: the text is described again in the coordinator
   * database, whose tables the schema change reached. False when it was never described.
   */
  private boolean resultTypeChanged(Prepared prepared) {
    if (prepared.planned() == null || session.backend().transactionStatus() == 'E') {
      return false;
    }
    StatementDescription before = prepared.backend().description();
    List<Column> told = before != null ? (before.returnsRows() ? before.columns() : List.of())
        : session.backend().describedColumns(prepared.backend());
    if (told == null) {
      return false;
    }
    BackendStatement fresh = session.backend().prepare(prepared.statement().text(),
        prepared.backend().declaredTypes(), prepared.backend().parameterCount(), true);
    try {
      StatementDescription now = describeOnServer(fresh);
      List<Column> columns = now.returnsRows() ? now.columns() : List.of();
      if (columns.size() != told.size()) {
        return true;
      }
      for (int c = 0; c < columns.size(); c++) {
        Column a = columns.get(c);
        Column b = told.get(c);
        if (!a.name().equals(b.name()) || a.typeOid() != b.typeOid()
            || a.typeModifier() != b.typeModifier()) {
          return true;
        }
      }
      return false;
    } finally {
      session.backend().close(fresh);
    }
  }

  /**
   * The parameter types a distributed statement's tasks are sent with. A multi-row INSERT's
   * task keeps only its shard's rows, so a worker cannot infer the type of a parameter it lost
   * from the text; PostgreSQL infers it from the whole statement, which the coordinator
   * database (holding the table's shell) describes once per prepared statement.
   */
  private int[] parameterTypes(Prepared prepared, DistributedStatements.Planned planned) {
    int[] declared = prepared.backend().declaredTypes();
    if (!(planned.plan() instanceof io.basalt.planner.plan.ShapePlan.MultiRowInsert)) {
      return declared;
    }
    for (int type : declared) {
      if (type == 0) {
        return describeOnServer(prepared).parameterTypes();
      }
    }
    return declared;
  }

  private void drain(Portal portal, int maxRows) {
    if (session.backend().transactionStatus() == 'E') {
      // The block failed since the portal's rows were read: as PostgreSQL, no more of them.
      throw BasaltException.of(SqlState.IN_FAILED_SQL_TRANSACTION,
          "current transaction is aborted, commands ignored until end of transaction block");
    }
    List<byte[][]> rows = portal.pending == null ? List.of() : portal.pending;
    Iterator<byte[][]> it = rows.iterator();
    int sent = 0;
    while (it.hasNext() && (maxRows <= 0 || sent < maxRows)) {
      session.out().write(new BackendMessage.DataRow(it.next()));
      it.remove();
      sent++;
    }
    if (!rows.isEmpty() || (maxRows > 0 && sent == maxRows && portal.pendingTag != null)) {
      // PostgreSQL suspends once the limit is reached, before it knows whether rows remain.
      session.out().write(new BackendMessage.PortalSuspended());
      return;
    }
    if (portal.pendingTag != null) {
      // A query's tag counts the rows of this Execute, as PostgreSQL's.
      String tag = portal.pendingTag.startsWith("SELECT ") ? "SELECT " + sent
          : portal.pendingTag;
      session.out().write(new BackendMessage.CommandComplete(tag));
      portal.pendingTag = null;
    } else if (portal.done) {
      // Executing a finished portal again yields no rows, as in PostgreSQL.
      session.out().write(new BackendMessage.CommandComplete(
          portal.prepared.statement().tokens().isEmpty() ? "" : tagFor(portal)));
    }
    portal.done = true;
  }

  private static String tagFor(Portal portal) {
    String first = portal.prepared.statement().tokens().get(0).upper();
    return first.equals("SELECT") || first.equals("WITH") || first.equals("VALUES")
        || first.equals("TABLE") ? "SELECT 0" : first;
  }

  private void close(FrontendMessage.Close c) {
    if (c.kind() == 'S') {
      Prepared p = statements.remove(c.name());
      if (p != null) {
        portals.values().removeIf(portal -> portal.prepared == p);
        session.backend().close(p.backend());
      }
    } else {
      portals.remove(c.name());
    }
    session.out().write(new BackendMessage.CloseComplete());
  }

  /** Streams an Execute's rows straight to the client. */
  private static class PortalSink extends ClientSink {
    private final Portal portal;
    private final CoordinatorSession session;
    private boolean describePending;

    PortalSink(CoordinatorSession s, boolean sendColumns, Portal portal) {
      super(s.out(), sendColumns);
      this.portal = portal;
      this.session = s;
      this.describePending = sendColumns;
    }

    @Override
    public void columns(List<Column> c) {
      describePending = false;
      super.columns(withFormats(c, portal));
    }

    /** A deferred Describe of a statement without result rows answers NoData. */
    void answerDescribe() {
      if (describePending) {
        describePending = false;
        session.out().write(new BackendMessage.NoData());
      }
    }

    @Override
    public void complete(String tag) {
      answerDescribe();
      super.complete(tag);
    }

    @Override
    public void emptyQuery() {
      answerDescribe();
      super.emptyQuery();
    }

    /**
     * A failed Execute still owes the deferred Describe its answer (ParseComplete and
     * BindComplete went out already): the columns if the server described them, else NoData.
     */
    @Override
    public void error(io.basalt.error.BasaltException e) {
      if (describePending) {
        List<Column> described = session.backend().describedColumns(portal.prepared.backend());
        if (described != null) {
          columns(described);
        } else {
          answerDescribe();
        }
      }
      super.error(e);
    }
  }

  /** Keeps an Execute's rows for a portal that is read in pieces. */
  private static final class BufferingSink extends PortalSink {
    final List<byte[][]> rows = new java.util.LinkedList<>();
    String tag;

    BufferingSink(CoordinatorSession s, boolean sendColumns, Portal portal) {
      super(s, sendColumns, portal);
    }

    @Override
    public void row(byte[][] values) {
      rows.add(values);
    }

    @Override
    public void complete(String t) {
      answerDescribe();
      tag = t;
    }
  }
}
