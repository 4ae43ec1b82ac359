package io.basalt.coordinator.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.basalt.coordinator.dist.ClusterServices;
import io.basalt.coordinator.dist.CreateTable;
import io.basalt.coordinator.dist.DdlPropagation;
import io.basalt.coordinator.dist.EnumTypeDdl;
import io.basalt.coordinator.dist.DistributedTransaction;
import io.basalt.coordinator.dist.NodeOps;
import io.basalt.coordinator.dist.OperationContext;
import io.basalt.coordinator.dist.ShardCleanup;
import io.basalt.coordinator.dist.TransactionCharacteristics;
import io.basalt.coordinator.dist.Sql;
import io.basalt.coordinator.dist.TransactionRecovery;
import io.basalt.coordinator.dist.Undistribute;
import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import io.basalt.executor.backend.BackendConnection;
import io.basalt.executor.backend.BackendStatement;
import io.basalt.coordinator.dist.ShardDdl;
import io.basalt.executor.backend.PgErrors;
import io.basalt.metadata.catalog.Identifiers;
import io.basalt.planner.Statement;
import io.basalt.planner.UtilityCall;
import io.basalt.planner.UtilityFunction;
import io.basalt.planner.lexer.Token;
import java.util.List;
import java.util.function.Supplier;

/**
 * The distributed side of one client session: Citus's functions called as SELECT, DDL on
 * distributed tables, and the worker transactions that end with the client's transaction.
 */
final class ClusterSession {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(
      ClusterSession.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CoordinatorSession session;
  private final ClusterServices cluster;
  private final BackendConnection backend;
  private final Sql db;
  private final DistributedTransaction transaction;
  private final String user;
  private final io.basalt.coordinator.dist.WorkerConnections workers;
  private final SessionSettings settings = new SessionSettings();
  private final DistributedStatements statements;
  /** Counts this session's schema changes of distributed tables, and their rollbacks. */
  private int schemaEpoch;
  /** The open block changed the schema of a distributed table. */
  private boolean schemaChangedInBlock;

  ClusterSession(CoordinatorSession session, ClusterServices cluster, BackendConnection backend,
      String user) {
    this.session = session;
    this.cluster = cluster;
    this.backend = backend;
    this.db = new BackendSql(backend);
    this.workers = new io.basalt.coordinator.dist.WorkerConnections(cluster, true);
    this.transaction = new DistributedTransaction(cluster, session.processId(), workers, db);
    transaction.trackDeadlocks(backend.backendPid());
    this.user = user;
    this.statements = new DistributedStatements(session, this, cluster, backend, db,
        transaction, workers, settings, user);
  }

  // ------------------------------------------------------------------ distributed tables

  /** The plan of a statement on distributed tables, or null for a local statement. */
  DistributedStatements.Planned plan(Statement s) {
    return statements.plan(s);
  }

  /** The plan of a DECLARE ... CURSOR over distributed tables, or null. */
  DistributedStatements.Planned planCursor(Statement s) {
    return statements.planCursor(s);
  }

  /** The plan of EXPLAIN of a statement on distributed tables, or null for a local one. */
  DistributedStatements.Planned planExplain(Statement s,
      io.basalt.planner.explain.ExplainStatement e) {
    return statements.planExplain(s, e);
  }

  /**
   * A COPY naming a distributed or reference table: true/false for its success, or null when
   * the coordinator database runs it as an ordinary COPY.
   */
  Boolean copy(Statement s, ClientSink sink) throws InterruptedException {
    if (!namesDistributedTable(s.tokens())) {
      return null;
    }
    return new DistributedCopy(session, cluster, this, statements, backend, db, transaction, workers,
        settings, user, session.output()).run(s, sink);
  }

  /** Whether a token names a distributed or reference table (by name only, any schema). */
  boolean namesDistributedTable(List<Token> tokens) {
    return DistributedStatements.namesDistributedTable(tokens, cluster.snapshot());
  }

  /**
   * now() and statement_timestamp() of the coordinator database's transaction, in UTC
   * (TimeFunctions.CLOCK_QUERY): its statement is this client statement's own there. The
   * query writes nothing: a block in which nothing else ran there still counts as untouched.
   */
  String transactionClock() {
    boolean untouched = transaction.coordinatorUntouched();
    String clock = db.queryValue(io.basalt.planner.plan.TimeFunctions.CLOCK_QUERY);
    if (untouched) {
      transaction.coordinatorBegun(backend.nothingSentSinceNow());
    }
    return clock;
  }

  /**
   * What prepared statements' plans and result columns depend on, compared for equality only:
   * the version of the metadata snapshot, and this session's own schema changes to distributed
   * tables, which the snapshot does not show until they commit and never shows when they roll
   * back; and the search_path, under which PostgreSQL too plans a prepared statement again (its
   * names may stand for other tables now). In a failed block, where it cannot be read, the last
   * search_path read stands.
   */
  long metadataVersion() {
    String searchPath = backend.transactionStatus() == 'E' ? settings.lastSearchPath()
        : settings.searchPath(db);
    return cluster.snapshot().version() + ((long) schemaEpoch << 48)
        + ((long) java.util.Objects.hashCode(searchPath) << 16);
  }

  /** Ends what {@link #schemaChangedInBlock} tracks; {@code undone}: the block's work was lost. */
  private void blockEnded(boolean undone) {
    if (schemaChangedInBlock && undone) {
      schemaEpoch++;
    }
    schemaChangedInBlock = false;
  }

  /**
   * LOCK [TABLE] [ONLY] name [*] [, ...] [IN mode MODE] [NOWAIT] naming distributed or
   * reference tables, or null when it names none: the coordinator database locks its tables
   * (and checks the statement: a block, the names, the mode), then every shard placement of the
   * distributed ones is locked alike on its worker (DistributedStatements#lockShards). Returns
   * whether it succeeded; errors went to the sink and fail the block.
   */
  Boolean lock(Statement s, ClientSink sink) {
    List<Token> t = s.tokens();
    int i = 1;
    if (i < t.size() && t.get(i).isWord("TABLE")) {
      i++;
    }
    List<io.basalt.metadata.catalog.DistributedTable> tables = new java.util.ArrayList<>();
    while (i < t.size()) {
      if (t.get(i).isWord("ONLY")) {
        i++;
      }
      if (i >= t.size() || !ShardDdl.isName(t.get(i)) || t.get(i).isWord("IN")
          || t.get(i).isWord("NOWAIT")) {
        break;
      }
      int end = ShardDdl.nameEnd(t, i);
      List<String> name = new java.util.ArrayList<>();
      for (int k = i; k < end; k += 2) {
        name.add(io.basalt.metadata.catalog.Identifiers.nameOf(t.get(k).text()));
      }
      statements.resolveTable(name).ifPresent(tables::add);
      i = end;
      if (i < t.size() && t.get(i).is("*")) {
        i++;
      }
      if (i < t.size() && t.get(i).is(",")) {
        i++;
      } else {
        break;
      }
    }
    if (tables.isEmpty()) {
      return null;
    }
    // IN ... MODE and NOWAIT are key words only.
    StringBuilder mode = new StringBuilder();
    for (int k = i; k < t.size(); k++) {
      if (!t.get(k).is(";")) {
        mode.append(' ').append(t.get(k).text());
      }
    }
    BackendConnection.CollectingSink shell = new BackendConnection.CollectingSink();
    session.runOnBackend(() -> backend.simpleQuery(s.text(), shell));
    if (shell.error() != null) {
      sink.error(shell.error());
      return false;
    }
    try {
      session.onBackend(() -> {
        statements.lockShards(tables, mode.toString());
        return null;
      });
    } catch (RuntimeException e) {
      blockStatementFailed();
      sink.error(statements.clientError(PgErrors.from(e)));
      return false;
    }
    sink.complete("LOCK TABLE");
    return true;
  }

  /** Runs a planned statement (bound: the extended protocol's values, or null). */
  boolean execute(DistributedStatements.Planned p, Bound bound, ClientSink sink) {
    // Marked as backend work: a client's cancel then reaches the coordinator database too (a
    // gather waiting there for a lock, its temporary tables, the statement run over them), not
    // only the workers' statements.
    return session.onBackend(() -> statements.execute(p, bound, sink));
  }

  /**
   * A statement ran in the coordinator database ({@code before}: the transaction status it found
   * there): note whether it may have changed settings, or opened a block.
   */
  void ranLocally(Statement s, char before) {
    if (s.tokens().isEmpty()) {
      return;
    }
    String first = s.tokens().get(0).upper();
    if (!first.equals("SET") && s.tokens().stream().anyMatch(t -> t.isWord("set_config"))) {
      // SELECT set_config('TimeZone', ...) changes a setting as SET does.
      first = "SET_CONFIG";
    }
    char status = backend.transactionStatus();
    settings.ran(first, status != 'I');
    if (status == 'T' && before == 'I' && (first.equals("BEGIN") || first.equals("START"))) {
      // A BEGIN inside a block only warns: what ran before it in the block still counts.
      transaction.coordinatorBegun(backend.nothingSentSinceNow());
      if (plainBegin(s.tokens())) {
        assumeDefaultCharacteristics();
      }
    }
    if (status == 'T' && (first.equals("SET") || first.equals("RESET")
        || first.equals("SET_CONFIG"))) {
      try {
        transaction.settingsChanged();
      } catch (BasaltException e) {
        LOG.warn("could not reread the transaction's characteristics: {}", e.getMessage());
      }
    }
  }

  /**
   * A plain BEGIN just ran in the coordinator database: its transaction has the session's
   * default characteristics until something else runs there (see
   * DistributedTransaction#assumeCharacteristics).
   */
  private void assumeDefaultCharacteristics() {
    TransactionCharacteristics defaults = settings.transactionDefaults();
    if (defaults != null) {
      transaction.assumeCharacteristics(defaults, backend.nothingSentSinceNow());
    }
  }

  /** BEGIN [WORK | TRANSACTION] or START TRANSACTION, without characteristics of its own. */
  static boolean plainBegin(List<Token> tokens) {
    int n = tokens.size();
    if (n > 0 && tokens.get(n - 1).text().equals(";")) {
      n--;
    }
    if (n == 0) {
      return false;
    }
    Token first = tokens.get(0);
    if (first.isWord("BEGIN")) {
      return n == 1 || (n == 2 && (tokens.get(1).isWord("WORK")
          || tokens.get(1).isWord("TRANSACTION")));
    }
    return n == 2 && first.isWord("START") && tokens.get(1).isWord("TRANSACTION");
  }

  /**
   * The client's idle_in_transaction_session_timeout in ms while its transaction block is open
   * (0 outside one, or when unset): the session enforces it, because the worker transactions
   * must end with the session.
   */
  long idleInTransactionTimeout() {
    char status = backend.transactionStatus();
    return status == 'I' ? 0 : settings.idleInTransactionTimeout(db, status == 'T');
  }

  /** Worker transactions or catalog changes are pending: COMMIT and friends need this class. */
  boolean active() {
    return transaction.isActive() || transaction.hasCatalogChanges();
  }

  private OperationContext context(ClientSink sink) {
    return new OperationContext(cluster, db, backend, transaction, user, sink::notice);
  }

  // ------------------------------------------------------------------ utility functions

  /** A top-level SELECT of a Citus function (simple protocol, or extended with parameters). */
  boolean utility(Statement s, ClientSink sink, Bound bound) {
    UtilityCall call = UtilityCall.recognize(s.tokens()).orElseThrow();
    UtilityFunction f = call.function();
    try {
      if (!f.coordinatorRun()) {
        // A catalog-only function: the coordinator database runs it; the snapshot follows.
        run(s.text(), bound, sink);
        if (sink.error() == null) {
          transaction.catalogChanged();
          afterStatement();
        }
        return sink.error() == null;
      }
      String name = f.sqlName();
      BackendConnection.CollectingSink args = new BackendConnection.CollectingSink();
      run(call.rewrite(s, "basalt_internal.args_" + name), bound, args);
      args.throwIfFailed();
      JsonNode a = JSON.readTree(new String(args.rows().get(0)[0],
          java.nio.charset.StandardCharsets.UTF_8));
      String result = perform(f, a, sink);
      db.execute("SELECT pg_catalog.set_config('basalt.result', " + Sql.literal(result)
          + ", false)");
      run(call.rewriteResult(s, "basalt_internal.result_" + name), bound, sink);
      return sink.error() == null;
    } catch (BasaltException e) {
      sink.error(e);
      return false;
    } catch (java.io.IOException e) {
      sink.error(PgErrors.from(e));
      return false;
    }
  }

  /** Parameters and formats of an extended-protocol Execute. */
  record Bound(int[] types, List<byte[]> values, short[] parameterFormats, short[] resultFormats) {}

  /** Runs text in the coordinator database: simple protocol, or extended with the bound values. */
  void run(String sql, Bound bound, io.basalt.executor.result.ResultSink sink) {
    if (bound == null) {
      session.runOnBackend(() -> backend.simpleQuery(sql, sink));
      return;
    }
    BackendStatement st = backend.prepare(sql, bound.types(), bound.values().size(), false);
    try {
      session.runOnBackend(() -> backend.execute(st, bound.values(), bound.parameterFormats(),
          bound.resultFormats(), sink));
    } finally {
      backend.close(st);
    }
  }

  private String perform(UtilityFunction f, JsonNode a, ClientSink sink) {
    OperationContext ctx = context(sink);
    return switch (f) {
      case CREATE_DISTRIBUTED_TABLE -> inTransaction(() -> {
        new CreateTable(ctx).distributed(a.get("table").asLong(), text(a, "column"),
            text(a, "type"), text(a, "colocate_with"),
            a.get("shard_count").isNull() ? null : a.get("shard_count").asInt());
        return "";
      });
      case CREATE_REFERENCE_TABLE -> inTransaction(() -> {
        new CreateTable(ctx).reference(a.get("table").asLong());
        return "";
      });
      case UNDISTRIBUTE_TABLE -> inTransaction(() -> {
        new Undistribute(ctx).run(a.get("table").asLong(), a.get("cascade").asBoolean());
        return "";
      });
      case CITUS_ADD_NODE, MASTER_ADD_NODE -> inTransaction(() -> String.valueOf(
          new NodeOps(ctx).addNode(text(a, "name"), a.get("port").asInt(), a.get("group").asInt(),
              text(a, "role"), text(a, "cluster"))));
      case CITUS_CHECK_CLUSTER_NODE_HEALTH -> {
        try {
          yield JSON.writeValueAsString(new NodeOps(ctx).health(cluster.selfHost(),
              cluster.selfPort()));
        } catch (java.io.IOException e) {
          throw PgErrors.from(e);
        }
      }
      case RECOVER_PREPARED_TRANSACTIONS -> String.valueOf(TransactionRecovery.recover(cluster));
      default -> throw new IllegalStateException("not run by the coordinator: " + f);
    };
  }

  private static String text(JsonNode a, String field) {
    JsonNode n = a.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }

  /**
   * Runs a distributed operation in the client's transaction, or in one of its own that
   * commits (two-phase) when the client has none open.
   */
  <T> T inTransaction(Supplier<T> op) {
    boolean implicit = backend.transactionStatus() == 'I';
    if (implicit) {
      db.execute("BEGIN");
      assumeDefaultCharacteristics();
    }
    try {
      T result = op.get();
      if (implicit) {
        transaction.commit();
        afterStatement();
      }
      return result;
    } catch (RuntimeException e) {
      if (implicit) {
        transaction.rollback();
        quietly("ROLLBACK");
        transaction.discardCatalogChanges();
      } else {
        blockStatementFailed();
      }
      throw PgErrors.from(e);
    }
  }

  /**
   * A statement of the client's open block failed: the block fails, as on PostgreSQL. Without a
   * savepoint its whole transaction is lost, so the workers roll back now and release their
   * locks (PostgreSQL aborts the transaction at the error too; a distributed deadlock's other
   * side goes on). With one they stay: ROLLBACK TO SAVEPOINT takes them back to it (the work done
   * before it is kept), and a ROLLBACK or COMMIT of the failed block rolls them back.
   */
  void blockStatementFailed() {
    if (!transaction.hasSavepoints()) {
      transaction.rollback();
    }
    failBlock();
  }

  /** Puts the client's open transaction block into the failed state, as an error would. */
  void failBlock() {
    quietly("DO $$BEGIN RAISE EXCEPTION 'distributed operation failed'; END$$");
  }

  private void quietly(String sql) {
    BackendConnection.CollectingSink sink = new BackendConnection.CollectingSink();
    backend.simpleQuery(sql, sink);
  }

  // ------------------------------------------------------------------ not yet distributed

  /**
   * Refuses statements on distributed tables that the distributed planner does not cover
   * (server-file COPY, cursors, views, functions, EXPLAIN of any of these, ...): running them on the empty shell would give
   * wrong answers. Relation names are found by position (planner.TableReferences);
   * a name shared by a local table in another schema is refused too (never answered wrongly).
   */
  void refuseDistributedData(Statement s) {
    java.util.Set<String> names = cluster.snapshot().tableNames();
    if ((names.isEmpty() && !cluster.metadata().hasPending()) || !readsOrWritesRows(s.tokens())) {
      return;
    }
    List<String> used = new java.util.ArrayList<>(io.basalt.planner.TableReferences.of(s.tokens()));
    if (hasBody(s.tokens())) {
      used.addAll(io.basalt.planner.TableReferences.inBodies(s.tokens()));
    }
    for (String name : used) {
      if (names.contains(name) || cluster.metadata().isPending(name)) {
        throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED,
            "this statement is not supported on distributed tables yet (statement names \""
                + name + "\")",
            "CALL, DO blocks, MERGE, COPY to or from server files, and views or functions"
                + " over distributed tables are not built yet; use SELECT, INSERT, UPDATE,"
                + " DELETE, COPY ... STDIN/STDOUT, DECLARE ... CURSOR FOR SELECT, or EXPLAIN of"
                + " one of them.");
      }
    }
  }

  /** DO blocks and function or procedure definitions: their bodies run out of sight. */
  private static boolean hasBody(List<Token> t) {
    if (t.get(0).isWord("DO")) {
      return true;
    }
    for (int i = 1; i < t.size() && i < 5; i++) {
      if (t.get(i).isWord("FUNCTION") || t.get(i).isWord("PROCEDURE")) {
        return t.get(0).isWord("CREATE");
      }
    }
    return false;
  }

  /**
   * Statements that read or write rows: queries, DML, COPY, EXPLAIN, cursors and prepared
   * statements, views or tables created from a query, and DO blocks and functions whose bodies
   * use the table (a view or function would read the empty local table later). CREATE TABLE ... REFERENCES, GRANT, COMMENT and the like
   * only name the table and run on the shell as on PostgreSQL.
   */
  private static boolean readsOrWritesRows(List<Token> t) {
    if (t.isEmpty()) {
      return false;
    }
    switch (t.get(0).upper()) {
      case "SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "MERGE", "TABLE", "VALUES", "COPY",
          "EXPLAIN", "DECLARE", "PREPARE", "EXECUTE", "CALL", "DO" -> {
        return true;
      }
      case "CREATE" -> {
        for (int i = 1; i < t.size(); i++) {
          Token k = t.get(i);
          if (k.isWord("VIEW") || k.isWord("RULE") || k.isWord("FUNCTION")
              || k.isWord("PROCEDURE")) {
            return true;
          }
          if (k.isWord("AS") && i + 1 < t.size() && (t.get(i + 1).isWord("SELECT")
              || t.get(i + 1).isWord("WITH") || t.get(i + 1).isWord("VALUES")
              || t.get(i + 1).isWord("TABLE") || t.get(i + 1).is("("))) {
            return true;
          }
        }
        return false;
      }
      default -> {
        return false;
      }
    }
  }

  // ------------------------------------------------------------------ DDL

  boolean ddl(Statement s, ClientSink sink) {
    if (s.tokens().size() > 1 && s.tokens().get(1).isWord("TYPE")) {
      return typeDdl(s, sink);
    }
    DdlPropagation ddl = new DdlPropagation(context(sink), s);
    try {
      if (!ddl.touchesDistributedTables() || !ddlPropagationEnabled()) {
        session.runOnBackend(() -> backend.simpleQuery(s.text(), sink));
        if (sink.error() == null && ddl.mayDropTables()) {
          transaction.catalogChanged();
          afterStatement();
        }
        return sink.error() == null;
      }
      if (ddl.nonTransactional()) {
        if (backend.transactionStatus() != 'I') {
          // The coordinator database refuses it with PostgreSQL's own error.
          session.runOnBackend(() -> backend.simpleQuery(s.text(), sink));
          return sink.error() == null;
        }
        ddl.runNonTransactional();
      } else {
        inTransaction(() -> {
          ddl.run();
          return null;
        });
        // Until its commit only this session sees the change: its plans are made again now.
        statements.forgetPlans();
        schemaEpoch++;
        schemaChangedInBlock |= backend.transactionStatus() == 'T';
      }
      sink.complete(ddl.tag());
      return true;
    } catch (BasaltException e) {
      sink.error(statements.clientError(e));
      return false;
    }
  }

  /** ALTER TYPE and DROP TYPE: see {@link EnumTypeDdl}. */
  private boolean typeDdl(Statement s, ClientSink sink) {
    try {
      if (s.tokens().get(0).isWord("DROP")) {
        EnumTypeDdl.checkDrop(context(sink), s);
      } else if (ddlPropagationEnabled()) {
        EnumTypeDdl alter = EnumTypeDdl.alter(context(sink), s);
        if (alter.touchesWorkers()) {
          inTransaction(() -> {
            alter.run();
            return null;
          });
          sink.complete("ALTER TYPE");
          return true;
        }
      }
    } catch (BasaltException e) {
      sink.error(e);
      return false;
    }
    session.runOnBackend(() -> backend.simpleQuery(s.text(), sink));
    return sink.error() == null;
  }

  /** citus.enable_ddl_propagation: off applies DDL to the local table only (manual mode). */
  private boolean ddlPropagationEnabled() {
    String v = db.queryValue("SELECT current_setting('citus.enable_ddl_propagation', true)");
    return v == null || !(v.equalsIgnoreCase("off") || v.equalsIgnoreCase("false")
        || v.equals("0"));
  }

  // ------------------------------------------------------------------ transaction control

  /** COMMIT, ROLLBACK and savepoints while worker transactions are open. */
  boolean transactionControl(Statement s, ClientSink sink) {
    List<Token> t = s.tokens();
    String first = t.get(0).upper();
    String second = t.size() > 1 ? t.get(1).upper() : "";
    try {
      switch (first) {
        case "COMMIT", "END" -> {
          if (second.equals("PREPARED")) {
            return passThrough(s, sink);
          }
          if (backend.transactionStatus() == 'E') {
            transaction.rollback();
            blockEnded(true);
            return passThrough(s, sink);
          }
          if (backend.transactionStatus() == 'I') {
            return passThrough(s, sink);
          }
          boolean committed = false;
          try {
            transaction.commit();
            committed = true;
            sink.complete("COMMIT");
          } finally {
            blockEnded(!committed);
            afterStatement();
          }
          return true;
        }
        case "ROLLBACK", "ABORT" -> {
          if (second.equals("TO")) {
            boolean ok = passThrough(s, sink);
            if (schemaChangedInBlock) {
              // A schema change after the savepoint may be undone: statements check again.
              schemaEpoch++;
            }
            if (ok) {
              try {
                transaction.rollbackTo(savepointName(t, 2));
              } catch (RuntimeException e) {
                // A worker could not go back (its connection broke): the block stays failed,
                // so that it can only end in a rollback, never commit without that work.
                failBlock();
                throw PgErrors.from(e);
              }
            }
            return ok;
          }
          if (second.equals("PREPARED")) {
            return passThrough(s, sink);
          }
          transaction.rollback();
          blockEnded(true);
          boolean ok = passThrough(s, sink);
          transaction.discardCatalogChanges();
          return ok;
        }
        case "SAVEPOINT" -> {
          boolean ok = passThrough(s, sink);
          if (ok) {
            transaction.savepoint(savepointName(t, 1));
          }
          return ok;
        }
        case "RELEASE" -> {
          boolean ok = passThrough(s, sink);
          if (ok) {
            transaction.release(savepointName(t, 1));
          }
          return ok;
        }
        case "PREPARE" -> throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED,
            "cannot use PREPARE TRANSACTION in a transaction that changed distributed tables");
        default -> {
          return passThrough(s, sink);
        }
      }
    } catch (BasaltException e) {
      sink.error(e);
      return false;
    }
  }

  /** Savepoint commands: SAVEPOINT x, RELEASE [SAVEPOINT] x, ROLLBACK TO [SAVEPOINT] x. */
  private static String savepointName(List<Token> t, int from) {
    int i = from;
    if (i < t.size() - 1 && t.get(i).isWord("SAVEPOINT")) {
      i++;
    }
    return i < t.size() ? Identifiers.nameOf(t.get(i).text()) : "";
  }


  private boolean passThrough(Statement s, ClientSink sink) {
    session.runOnBackend(() -> backend.simpleQuery(s.text(), sink));
    return sink.error() == null;
  }

  /**
   * Called after each statement: once the client's transaction is over, a changed catalog is
   * reloaded and dropped shards are removed from the workers.
   */
  void afterStatement() {
    if (backend.transactionStatus() != 'I') {
      return;
    }
    transaction.ended();
    if (transaction.takeCatalogChange()) {
      try {
        cluster.metadata().refresh();
      } finally {
        transaction.releasePending();
      }
      ShardCleanup.runIfPending(cluster, db);
    }
  }

  /** The client went away: nothing it left open may stay open on the workers. */
  void close() {
    transaction.rollback();
    transaction.discardCatalogChanges();
    workers.close();
  }
}
