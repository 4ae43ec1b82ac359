package io.basalt.coordinator.session;

import io.basalt.coordinator.copy.BinarySplitter;
import io.basalt.coordinator.copy.CopyFormat;
import io.basalt.coordinator.copy.CopyStatement;
import io.basalt.coordinator.dist.DistributedTransaction;
import io.basalt.coordinator.dist.Sql;
import io.basalt.coordinator.dist.WorkerConnections;
import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import io.basalt.executor.backend.BackendConnection;
import io.basalt.executor.backend.BackendStatement;
import io.basalt.executor.backend.PgErrors;
import io.basalt.executor.remote.RemoteConnection;
import io.basalt.metadata.catalog.DistributedTable;
import io.basalt.metadata.catalog.Node;
import io.basalt.planner.plan.TaskPlanner;
import io.basalt.planner.plan.TaskSql;
import io.basalt.planner.Statement;
import io.basalt.planner.StatementClassifier;
import io.basalt.planner.lexer.Token;
import io.basalt.planner.plan.ShardChoice;
import io.basalt.wire.message.FrontendMessage;
import io.basalt.wire.spi.BackendOutput;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOperation;
import org.postgresql.copy.CopyOut;

/**
 * COPY statements that name distributed or reference tables. The coordinator database first
 * judges the statement on the table's local shell (options, columns, privileges: PostgreSQL's
 * own errors), then the rows go to or come from the shards.
 */
final class DistributedCopy {
  private final CoordinatorSession session;
  private final io.basalt.coordinator.dist.ClusterServices cluster;
  private final ClusterSession clusterSession;
  private final DistributedStatements statements;
  private final BackendConnection backend;
  private final Sql db;
  private final DistributedTransaction transaction;
  private final WorkerConnections workers;
  private final SessionSettings settings;
  private final String user;
  private final BackendOutput out;

  DistributedCopy(CoordinatorSession session, io.basalt.coordinator.dist.ClusterServices cluster,
      ClusterSession clusterSession,
      DistributedStatements statements, BackendConnection backend, Sql db,
      DistributedTransaction transaction, WorkerConnections workers, SessionSettings settings,
      String user, BackendOutput out) {
    this.session = session;
    this.cluster = cluster;
    this.clusterSession = clusterSession;
    this.statements = statements;
    this.backend = backend;
    this.db = db;
    this.transaction = transaction;
    this.workers = workers;
    this.settings = settings;
    this.user = user;
    this.out = out;
  }

  /**
   * Runs the COPY if it concerns a distributed table: true/false for success, or null when it
   * is an ordinary COPY for the coordinator database.
   */
  Boolean run(Statement s, ClientSink sink) throws InterruptedException {
    String text = s.text();
    // The statement's own tokens, counted from its start (no second lexing).
    List<Token> tokens = DistributedStatements.rebased(s).tokens();
    if (backend.transactionStatus() == 'E') {
      return null;
    }
    CopyStatement copy;
    try {
      copy = CopyStatement.parse(text, tokens);
    } catch (BasaltException e) {
      // Not a form this reader knows: PostgreSQL judges it on the shell (and the caller's
      // check refuses it if it would touch the shell's rows).
      return null;
    }
    if (copy.isQuery()) {
      return copyQuery(s, text, copy, sink);
    }
    Optional<DistributedTable> table = statements.resolveTable(copy.table());
    if (table.isEmpty()) {
      return null;
    }
    try {
      if (copy.optionsError() != null) {
        // PostgreSQL's own error for options it refuses; ours if it takes them.
        checkOnShell(text, false);
        throw copy.optionsError();
      }
      if (copy.from()) {
        checkOnShell(text, copy.options().format() == CopyFormat.BINARY);
        if (copy.hasWhere()) {
          throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED,
              "COPY FROM ... WHERE is not supported on distributed tables",
              "Load the rows into a staging table, then INSERT ... SELECT the ones you want.");
        }
        if (copy.options().encoding() != null
            && !copy.options().encoding().replace("-", "").equalsIgnoreCase("UTF8")) {
          throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED,
              "COPY with ENCODING other than UTF8 is not supported on distributed tables",
              "Convert the data to UTF8 first.");
        }
        DistributedCopyIn.CopyColumns columns = columns(table.get(), copy);
        long rows = clusterSession.inTransaction(() -> {
          try {
            return new DistributedCopyIn(context(session::nextMessage, out), table.get(), copy,
                columns).run();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BasaltException.of(SqlState.QUERY_CANCELED,
                "canceling statement due to user request");
          }
        });
        sink.complete("COPY " + rows);
        return true;
      }
      return new DistributedCopyOut(this, table.get(), copy).run(text, sink);
    } catch (BasaltException e) {
      fail(e, sink);
      return false;
    }
  }

  /**
   * Reports a failed COPY. Inside a transaction block the error aborts the block, as
   * PostgreSQL's would: the shell check's savepoint hid the shell's own error, and Basalt's
   * refusals never reached the coordinator database.
   */
  void fail(BasaltException e, ClientSink sink) {
    if (backend.transactionStatus() == 'T') {
      clusterSession.failBlock();
    }
    sink.error(e);
  }

  /** COPY (query) TO STDOUT: the query's tables gathered, the COPY run on the coordinator. */
  private Boolean copyQuery(Statement s, String text, CopyStatement copy, ClientSink sink) {
    String query = text.substring(copy.queryStart(), copy.queryEnd());
    List<Statement> inner = StatementClassifier.split(query);
    if (inner.size() != 1) {
      return null;
    }
    DistributedStatements.Planned planned;
    try {
      planned = statements.plan(inner.get(0));
    } catch (BasaltException e) {
      fail(e, sink);
      return false;
    }
    if (planned == null) {
      return null;
    }
    int close = text.indexOf(')', copy.queryEnd());
    String prefix = text.substring(0, copy.queryStart());
    String suffix = text.substring(close);
    try {
      return statements.copyQuery(planned,
          sql -> new CopyRelay(session, out, backend).copyOut(prefix + sql + suffix));
    } catch (BasaltException e) {
      fail(e, sink);
      return false;
    }
  }

  /**
   * Runs the client's COPY on the shell without rows: PostgreSQL checks the options, the
   * columns and the privileges, and reports its own error if there is one. Some checks come
   * after the server has entered COPY IN mode (FREEZE), so the COPY is ended, not cancelled
   * (pgjdbc would swallow the error that answers a CopyFail); the shell's guard then refuses
   * the write, which means everything before it was accepted. Binary input needs its file
   * header first (PostgreSQL reads it before those checks). Inside a transaction block a
   * savepoint keeps the block usable.
   */
  void checkOnShell(String text, boolean binary) {
    boolean block = backend.transactionStatus() == 'T';
    if (block) {
      db.execute("SAVEPOINT basalt_copy_check");
    }
    try {
      CopyOperation op = backend.startCopy(text);
      try {
        if (op instanceof CopyIn in) {
          if (binary) {
            in.writeToCopy(BinarySplitter.HEADER, 0, BinarySplitter.HEADER.length);
          }
          in.endCopy();
        } else if (op instanceof CopyOut o) {
          while (o.readFromCopy() != null) {
            // an empty shell: at most a header
          }
        }
      } catch (java.sql.SQLException e) {
        if (!isShellGuard(e)) {
          throw PgErrors.from(e);
        }
      }
    } finally {
      if (block) {
        db.execute("ROLLBACK TO SAVEPOINT basalt_copy_check");
        db.execute("RELEASE SAVEPOINT basalt_copy_check");
      }
    }
  }

  /** The error of the trigger that keeps writes off a distributed table's shell. */
  private static boolean isShellGuard(java.sql.SQLException e) {
    return SqlState.FEATURE_NOT_SUPPORTED.code().equals(e.getSQLState())
        && String.valueOf(e.getMessage()).contains(
            "cannot write to the local table of distributed table");
  }

  private DistributedCopyIn.CopyColumns columns(DistributedTable table, CopyStatement copy) {
    List<String> all = new ArrayList<>();
    Map<String, String[]> info = new HashMap<>();
    for (String[] row : db.query("SELECT a.attname, a.attnotnull::text,"
        + " pg_catalog.pg_get_expr(d.adbin, d.adrelid),"
        + " CASE WHEN a.attidentity <> '' THEN pg_catalog.pg_get_serial_sequence("
        + Sql.literal(table.qualifiedName()) + ", a.attname) END,"
        + " pg_catalog.format_type(a.atttypid, a.atttypmod)"
        + " FROM pg_catalog.pg_attribute a LEFT JOIN pg_catalog.pg_attrdef d"
        + " ON d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE a.attrelid = " + table.oid()
        + " AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum")) {
      all.add(row[0]);
      info.put(row[0], row);
    }
    List<String> input = copy.columns() == null ? all : copy.columns();
    List<String> generated = new ArrayList<>();
    List<String> expressions = new ArrayList<>();
    int distGenerated = -1;
    String dist = table.distributionColumn();
    for (String name : all) {
      if (input.contains(name)) {
        continue;
      }
      String[] c = info.get(name);
      String expression = c[3] != null
          ? "pg_catalog.nextval(" + Sql.literal(c[3]) + "::regclass)" : c[2];
      boolean sequence = c[3] != null || (expression != null && expression.contains("nextval("));
      boolean isDist = name.equals(dist);
      // A time default (DEFAULT now()) too: each worker transaction would give its own time.
      boolean time = expression != null
          && io.basalt.planner.plan.TimeFunctions.calls(io.basalt.planner.lexer.Lexer.tokenize(
              expression));
      if (sequence || isDist || time) {
        if (isDist) {
          distGenerated = generated.size();
        }
        generated.add(name);
        expressions.add("(" + (expression == null ? "NULL" : expression) + ")::" + c[4]);
      }
    }
    int distField = dist == null ? -1 : input.indexOf(dist);
    boolean distNotNull = dist != null && info.containsKey(dist)
        && "true".equals(info.get(dist)[1]);
    return new DistributedCopyIn.CopyColumns(List.copyOf(input), generated, expressions,
        distField, distGenerated, distNotNull,
        dist != null && copy.options().forceNull().contains(dist),
        dist != null && copy.options().forceNotNull().contains(dist));
  }

  // ------------------------------------------------------------------ for the COPY classes

  BackendOutput out() {
    return out;
  }

  io.basalt.coordinator.dist.CopyProgress progress() {
    return cluster.copyProgress();
  }

  /** The session's pid as pg_backend_pid() shows it (its coordinator database backend). */
  int processId() {
    return backend.backendPid();
  }

  CopyOperation startOnShell(String text) {
    return backend.startCopy(text);
  }

  Node node(int group) {
    return TaskPlanner.node(cluster.snapshot(), group);
  }

  /** A connection to read shards from, and how to give it back. */
  RemoteConnection reader(Node node) {
    RemoteConnection c = transaction.participant(node);
    if (c == null) {
      c = workers.acquire(node, user);
    }
    workers.applySettings(c, settings.applySql(db));
    return c;
  }

  void doneReading(Node node, RemoteConnection c) {
    if (transaction.participant(node) != c) {
      workers.release(node, c, false);
    }
  }

  /**
   * Routes the rows of a table of the coordinator database (an INSERT's staging table, same
   * columns as the target) into the target's shards, inside the caller's distributed
   * transaction. Binary format: the values reach the shards exactly as staged.
   */
  long routeStaged(DistributedTable table, String staging) throws InterruptedException {
    CopyStatement copy = new CopyStatement(List.of(), null, true, -1, -1,
        io.basalt.coordinator.copy.CopyOptions.defaults(
            io.basalt.coordinator.copy.CopyFormat.BINARY), false, null);
    DistributedCopyIn.CopyColumns columns = columns(table, copy);
    StringBuilder list = new StringBuilder();
    for (String c : columns.inputNames()) {
      list.append(list.isEmpty() ? "" : ", ").append(
          io.basalt.metadata.catalog.Identifiers.quote(c));
    }
    // Started on the first read: the writers' connections are taken before, and taking one
    // may need the coordinator database (this session's backend, busy during the COPY OUT).
    CopyOut[] started = {null};
    String copyOut = "COPY " + staging + " (" + list + ") TO STDOUT (FORMAT binary)";
    boolean[] done = {false};
    MessageSource messages = () -> {
      if (done[0]) {
        return new FrontendMessage.CopyDone();
      }
      if (started[0] == null) {
        started[0] = (CopyOut) backend.startCopy(copyOut);
      }
      try {
        byte[] chunk = started[0].readFromCopy();
        if (chunk == null) {
          done[0] = true;
          return new FrontendMessage.CopyDone();
        }
        return new FrontendMessage.CopyData(chunk);
      } catch (java.sql.SQLException e) {
        throw PgErrors.from(e);
      }
    };
    try {
      return new DistributedCopyIn(context(messages, new Discard()), table, copy, columns).run();
    } finally {
      if (started[0] != null && started[0].isActive()) {
        // The rest of the staged rows is read and dropped rather than the COPY cancelled: a
        // cancel request travels on its own connection and may land on the session's next
        // statement instead, whose answer would then be out of step with its question.
        try {
          while (started[0].isActive() && started[0].readFromCopy() != null) {
            // drained
          }
        } catch (java.sql.SQLException e) {
          // the copy out is over either way
        }
      }
    }
  }

  interface MessageSource {
    FrontendMessage next() throws InterruptedException;
  }

  /** The COPY protocol's replies when nobody is on the other side (rows staged here). */
  private static final class Discard implements BackendOutput {
    @Override
    public void write(io.basalt.wire.message.BackendMessage message) {}

    @Override
    public void flush() {}

    @Override
    public void clientCharset(java.nio.charset.Charset charset) {}

    @Override
    public void closeWithError(io.basalt.wire.message.BackendMessage.ErrorResponse error) {}

    @Override
    public boolean isOpen() {
      return true;
    }
  }

  private DistributedCopyIn.CopyContext context(MessageSource messages, BackendOutput output) {
    return new DistributedCopyIn.CopyContext() {
      @Override
      public BackendOutput out() {
        return output;
      }

      @Override
      public FrontendMessage nextMessage() throws InterruptedException {
        return messages.next();
      }

      @Override
      public boolean isClosed(FrontendMessage m) {
        return session.isClosedMessage(m);
      }

      @Override
      public Node node(int group) {
        return DistributedCopy.this.node(group);
      }

      @Override
      public String shardName(DistributedTable table, int index) {
        return TaskSql.shardName(table, index);
      }

      @Override
      public RemoteConnection writerConnection(Node node) {
        RemoteConnection c = transaction.connectionForWrite(node, user);
        workers.applySettings(c, settings.applySql(db));
        return c;
      }

      @Override
      public List<Object[]> generate(List<String> expressions, int n, boolean binary) {
        String sql = "SELECT " + String.join(", ", expressions)
            + " FROM pg_catalog.generate_series(1, " + n + ")";
        List<Object[]> rows = new ArrayList<>(n);
        if (!binary) {
          rows.addAll(db.query(sql));
          return rows;
        }
        short[] formats = new short[expressions.size()];
        java.util.Arrays.fill(formats, (short) 1);
        BackendConnection.CollectingSink result = new BackendConnection.CollectingSink();
        BackendStatement st = backend.prepare(sql, new int[0], 0, false);
        try {
          backend.execute(st, List.of(), new short[0], formats, result);
        } finally {
          backend.close(st);
        }
        result.throwIfFailed();
        rows.addAll(result.rows());
        return rows;
      }

      @Override
      public Integer shardByCast(DistributedTable table, Object value) {
        if (!(value instanceof String text)) {
          return null;
        }
        String type = statements.typeName(table.distributionType(), -1);
        db.execute("SAVEPOINT basalt_copy_value");
        BackendConnection.CollectingSink result = new BackendConnection.CollectingSink();
        BackendStatement st = backend.prepare("SELECT $1::" + type, new int[] {25}, 1, false);
        try {
          backend.execute(st, List.of(text.getBytes(StandardCharsets.UTF_8)),
              new short[] {0}, new short[] {1}, result);
        } finally {
          backend.close(st);
        }
        try {
          result.throwIfFailed();
        } catch (BasaltException e) {
          db.execute("ROLLBACK TO SAVEPOINT basalt_copy_value");
          db.execute("RELEASE SAVEPOINT basalt_copy_value");
          return null;
        }
        db.execute("RELEASE SAVEPOINT basalt_copy_value");
        byte[] v = result.rows().get(0)[0];
        return v == null ? null : ShardChoice.ofBinary(table, v, 0);
      }

      @Override
      public io.basalt.coordinator.dist.CopyProgress.Entry progress(DistributedTable table) {
        return cluster.copyProgress().start(backend.backendPid(), table.oid(), "COPY FROM");
      }

      @Override
      public void progressEnded(io.basalt.coordinator.dist.CopyProgress.Entry e) {
        cluster.copyProgress().end(e);
      }
    };
  }

  static BasaltException unexpected(Throwable t) {
    return PgErrors.from(t);
  }
}
