package io.basalt.coordinator.session;

import io.basalt.coordinator.dist.ClusterServices;
import io.basalt.coordinator.dist.DistributedTransaction;
import io.basalt.coordinator.dist.Sql;
import io.basalt.coordinator.dist.WorkerConnections;
import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import io.basalt.executor.backend.BackendConnection;
import io.basalt.executor.remote.RemoteConnection;
import io.basalt.executor.result.Column;
import io.basalt.planner.Statement;
import io.basalt.planner.explain.ExplainStatement;
import io.basalt.planner.explain.ExplainText;
import io.basalt.planner.plan.Task;
import io.basalt.planner.plan.TaskList;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * EXPLAIN [ANALYZE] of a statement on distributed tables: the statement's tasks
 * ({@link DistributedStatements#tasks}), each shown task explained by its worker with the
 * client's options, and the whole written as one plan ({@link ExplainText}).
 *
 * <p>Without ANALYZE nothing runs but EXPLAIN itself: on the worker of each shown task, and for
 * a gather in the coordinator database over empty temporary tables. With ANALYZE the statement
 * runs as PostgreSQL would run it, modifications included: a router task runs as EXPLAIN
 * ANALYZE on its worker as the statement would (the session's connection, or the transaction's
 * inside a block); the tasks of a multi-shard write all run as EXPLAIN ANALYZE in one
 * distributed transaction; a gather copies the rows and runs EXPLAIN ANALYZE of the statement
 * in the coordinator database. Reads of an aggregate or a gather run EXPLAIN ANALYZE on the
 * shown tasks only (they change nothing; a gather's copy reads its shards a second time).
 */
final class DistributedExplain {
  private static final Column QUERY_PLAN = new Column("QUERY PLAN", 0, (short) 0, 25,
      (short) -1, -1, (short) 0);

  private final DistributedStatements statements;
  private final ClusterSession clusterSession;
  private final ClusterServices cluster;
  private final BackendConnection backend;
  private final Sql db;
  private final DistributedTransaction transaction;
  private final WorkerConnections workers;
  private final SessionSettings settings;
  private final String user;

  DistributedExplain(DistributedStatements statements, ClusterSession clusterSession,
      ClusterServices cluster, BackendConnection backend, Sql db,
      DistributedTransaction transaction, WorkerConnections workers, SessionSettings settings,
      String user) {
    this.statements = statements;
    this.clusterSession = clusterSession;
    this.cluster = cluster;
    this.backend = backend;
    this.db = db;
    this.transaction = transaction;
    this.workers = workers;
    this.settings = settings;
    this.user = user;
  }

  /**
   * The plan of an EXPLAIN whose statement names distributed tables, or null when the
   * coordinator database explains it as it is (a statement on local tables only).
   */
  DistributedStatements.Planned plan(Statement s, ExplainStatement e) {
    DistributedStatements.Planned explained = statements.plan(e.explained(s));
    if (explained == null) {
      return null;
    }
    if (!e.format().equals("TEXT")) {
      throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED,
          "EXPLAIN (FORMAT " + e.format() + ") of statements on distributed tables is not"
              + " supported",
          "Use FORMAT TEXT (the default).");
    }
    return explained.withExplain(e);
  }

  /** Runs the EXPLAIN; errors are thrown, or went to the sink. */
  void run(DistributedStatements.Planned p, ClusterSession.Bound bound, ClientSink sink) {
    long start = System.nanoTime();
    ExplainStatement e = p.explain();
    TaskList list = statements.tasks(p, bound);
    boolean all = explainAllTasks();
    List<Task> shown = ExplainText.shown(list, all);
    // Worker output is read as text, whatever result format the client asked for.
    ClusterSession.Bound text = bound == null ? null : new ClusterSession.Bound(bound.types(),
        bound.values(), bound.parameterFormats(), new short[0]);
    Map<Task, List<String>> plans = new HashMap<>();
    List<String> coordinatorPlan = null;
    boolean block = backend.transactionStatus() == 'T';
    try {
      switch (list.kind()) {
        case ROUTER -> {
          Task task = list.tasks().get(0);
          Lines lines = new Lines(sink);
          statements.single(p.withSql(e.of(task.sql())), task.node(), -1, text, lines);
          if (lines.error() != null) {
            return;
          }
          plans.put(task, lines.lines);
        }
        case ADAPTIVE -> {
          if (e.analyze()) {
            runAll(list.tasks(), shown, e, text, plans);
          } else {
            read(shown, e, text, plans);
          }
        }
        // Their tasks take no parameters: a gather applies a filter on the shards only when
        // it has none, and an aggregate with parameters gathers.
        case AGGREGATE -> read(shown, e, null, plans);
        case GATHER -> {
          read(shown, e, null, plans);
          Lines lines = new Lines(sink);
          statements.gather(p, list.gather(), text, lines, e.analyze(), e::of);
          if (lines.error() != null) {
            return;
          }
          coordinatorPlan = lines.lines;
        }
      }
    } catch (RuntimeException ex) {
      if (block && backend.transactionStatus() == 'T') {
        clusterSession.failBlock();
      }
      throw ex;
    }
    Double millis = e.analyze() && e.summary() ? (System.nanoTime() - start) / 1e6 : null;
    sink.columns(List.of(QUERY_PLAN));
    for (String line : ExplainText.lines(list, all, plans, coordinatorPlan, cluster.database(),
        millis)) {
      sink.row(new byte[][] {line.getBytes(StandardCharsets.UTF_8)});
    }
    sink.complete("EXPLAIN");
  }

  /**
   * Every task as EXPLAIN ANALYZE in one distributed transaction (the client's, or one of its
   * own that commits), as the statement itself would run; the shown ones keep their output.
   */
  private void runAll(List<Task> tasks, List<Task> shown, ExplainStatement e,
      ClusterSession.Bound bound, Map<Task, List<String>> plans) {
    clusterSession.inTransaction(() -> {
      String applySql = settings.applySql(db);
      for (Task t : tasks) {
        RemoteConnection c = transaction.connection(t.node(), user);
        workers.applySettings(c, applySql);
        List<String> lines = explainOn(c, e.of(t.sql()), bound);
        if (shown.contains(t)) {
          plans.put(t, lines);
        }
      }
      return null;
    });
  }

  /** The shown tasks' EXPLAIN, each on a connection that sees the transaction's writes. */
  private void read(List<Task> shown, ExplainStatement e, ClusterSession.Bound bound,
      Map<Task, List<String>> plans) {
    try (DistributedStatements.Readers readers = statements.readers()) {
      for (Task t : shown) {
        plans.put(t, explainOn(readers.on(t.node()), e.of(t.sql()), bound));
      }
    }
  }

  private List<String> explainOn(RemoteConnection c, String sql, ClusterSession.Bound bound) {
    BackendConnection.CollectingSink out = new BackendConnection.CollectingSink();
    statements.relay(c, sql, bound, out);
    out.throwIfFailed();
    List<String> lines = new ArrayList<>(out.rows().size());
    for (byte[][] row : out.rows()) {
      lines.add(new String(row[0], StandardCharsets.UTF_8));
    }
    return lines;
  }

  /** citus.explain_all_tasks, a placeholder setting of the coordinator database's session. */
  private boolean explainAllTasks() {
    String v = db.queryValue("SELECT pg_catalog.current_setting('citus.explain_all_tasks',"
        + " true)");
    return v != null && switch (v.toLowerCase(Locale.ROOT)) {
      case "on", "true", "yes", "1" -> true;
      default -> false;
    };
  }

  /**
   * An EXPLAIN's output lines kept here, notices and errors passed on to the client (the
   * statement stops at an error: its block, if any, has failed as PostgreSQL's would).
   */
  private static final class Lines extends ClientSink {
    private final ClientSink client;
    final List<String> lines = new ArrayList<>();

    Lines(ClientSink client) {
      super(null, false);
      this.client = client;
    }

    @Override
    public void columns(List<Column> c) {}

    @Override
    public void row(byte[][] values) {
      lines.add(values[0] == null ? "" : new String(values[0], StandardCharsets.UTF_8));
    }

    @Override
    public void complete(String tag) {}

    @Override
    public void emptyQuery() {}

    @Override
    public void notice(Map<Character, String> fields) {
      client.notice(fields);
    }

    @Override
    public void error(BasaltException e) {
      client.error(e);
    }

    @Override
    BasaltException error() {
      return client.error();
    }
  }
}
