package io.basalt.coordinator.session;

import io.basalt.coordinator.dist.ClusterServices;
import io.basalt.coordinator.dist.DistributedTransaction;
import io.basalt.coordinator.dist.ShardLocks;
import io.basalt.coordinator.dist.Sql;
import io.basalt.coordinator.dist.WorkerConnections;
import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import io.basalt.executor.backend.BackendConnection;
import io.basalt.executor.backend.BackendStatement;
import io.basalt.executor.backend.PgErrors;
import io.basalt.executor.remote.RemoteConnection;
import io.basalt.executor.result.ResultSink;
import io.basalt.metadata.catalog.DistributedTable;
import io.basalt.metadata.catalog.Identifiers;
import io.basalt.metadata.catalog.MetadataSnapshot;
import io.basalt.metadata.catalog.Node;
import io.basalt.planner.Statement;
import io.basalt.planner.cursor.DeclareCursor;
import io.basalt.planner.explain.ExplainStatement;
import io.basalt.planner.lexer.Token;
import io.basalt.planner.lexer.TokenKind;
import io.basalt.planner.plan.DistributedPlanner;
import io.basalt.planner.plan.KeyParameter;
import io.basalt.planner.plan.ShapePlan;
import io.basalt.planner.plan.ShardChoice;
import io.basalt.planner.plan.TableResolver;
import io.basalt.planner.plan.TableSpot;
import io.basalt.planner.plan.TaskList;
import io.basalt.planner.plan.TaskPlanner;
import io.basalt.planner.plan.TaskSql;
import io.basalt.planner.plan.TimeDefaults;
import io.basalt.planner.plan.TimeFunctions;
import io.basalt.planner.plan.ValueRef;
import io.basalt.planner.shape.Shapes;
import io.basalt.planner.shape.Slot;
import io.basalt.planner.shape.StatementShape;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.postgresql.copy.CopyIn;

/**
 * Runs one client session's statements on distributed and reference tables: plans each shape
 * once ({@link DistributedPlanner}) and executes the plan with the client's own text, table names
 * replaced by shard names.
 *
 * <ul>
 *   <li>Router: one shard, on the session's cached connection to its worker, or on the
 *       transaction's connection there inside a transaction block.
 *   <li>Reference read: one placement. Writes to several shards or placements: one distributed
 *       transaction (two-phase commit), rows and counts merged.
 *   <li>Gather: the tables' rows are copied from their shards into temporary tables of the
 *       coordinator database, which then runs the statement itself: every query shape gets
 *       exactly PostgreSQL's answer (ordering, NULLs, collations, numeric types).
 * </ul>
 */
final class DistributedStatements {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(DistributedStatements.class);
  private static final int PLAN_CACHE_LIMIT = 2_000;

  private final CoordinatorSession session;
  /** Executor tasks run as remote work of the session: its cancel and close reach them. */
  private final AdaptiveExecutor.Running running;
  private final ClusterSession clusterSession;
  private final ClusterServices cluster;
  private final BackendConnection backend;
  private final Sql db;
  private final DistributedTransaction transaction;
  private final WorkerConnections workers;
  private final SessionSettings settings;
  private final String user;
  private final Map<StatementShape, Cached> plans = new HashMap<>();
  /** The running statement calls transaction-time functions, which are pinned (TimeFunctions). */
  private boolean pinClock;
  /** The coordinator transaction's timestamp for the running statement, once read. */
  private String clock;
  private final DistributedExplain explain;
  private int gathered;
  /** While a gathered statement runs: its temporary tables' row types to their tables'. */
  private Map<Integer, Integer> gatheredRowTypes = Map.of();

  /**
   * A statement with its plan and its constants; {@code sql}, when set, is the one statement to
   * send (a multi-row INSERT whose rows all went to one shard); {@code explain}, when set, says
   * the client asked for an EXPLAIN of the statement ({@link DistributedExplain}). {@code texts}
   * keeps the shard texts built for it (a prepared statement's plan runs many times).
   */
  record Planned(Statement statement, ShapePlan plan, List<Slot> slots, String sql,
      ExplainStatement explain, DeclareCursor cursor, ShardTexts texts) {
    Planned(Statement statement, ShapePlan plan, List<Slot> slots) {
      this(statement, plan, slots, null, null, null, new ShardTexts());
    }

    Planned withSql(String text) {
      return new Planned(statement, plan, slots, text, explain, cursor, texts);
    }

    Planned withExplain(ExplainStatement e) {
      return new Planned(statement, plan, slots, sql, e, cursor, texts);
    }

    /** The plan of a cursor's query, run for its DECLARE {@code c}. */
    Planned withCursor(DeclareCursor c) {
      return new Planned(statement, plan, slots, sql, explain, c, texts);
    }
  }

  /** {@code defaults}: the time defaults its statements get written out, or null. */
  private record Cached(long version, String searchPath, ShapePlan plan,
      TimeDefaults.Table defaults) {}

  DistributedStatements(CoordinatorSession session, ClusterSession clusterSession,
      ClusterServices cluster, BackendConnection backend, Sql db,
      DistributedTransaction transaction, WorkerConnections workers, SessionSettings settings,
      String user) {
    this.session = session;
    this.running = (c, work) -> session.onRemote(c.relay(), work);
    this.clusterSession = clusterSession;
    this.cluster = cluster;
    this.backend = backend;
    this.db = db;
    this.transaction = transaction;
    this.workers = workers;
    this.settings = settings;
    this.user = user;
    this.explain = new DistributedExplain(this, clusterSession, cluster, backend, db,
        transaction, workers, settings, user);
  }

  // ------------------------------------------------------------------ planning

  /** The statement's plan, or null when it names no distributed or reference table. */
  Planned plan(Statement statement) {
    MetadataSnapshot snapshot = cluster.snapshot();
    if (!namesDistributedTable(statement.tokens(), snapshot)) {
      return null;
    }
    Statement s = rebased(statement);
    StatementShape shape = Shapes.of(s.tokens());
    String searchPath = settings.searchPath(db);
    Cached cached = plans.get(shape);
    ShapePlan plan;
    TimeDefaults.Table defaults;
    Statement filled;
    StatementShape filledShape;
    if (cached != null && cached.version() == snapshot.version()
        && cached.searchPath().equals(searchPath)) {
      plan = cached.plan();
      defaults = cached.defaults();
      filled = filled(s, defaults);
      filledShape = filled == s ? shape : Shapes.of(filled.tokens());
    } else {
      defaults = timeDefaults(s, snapshot);
      filled = filled(s, defaults);
      filledShape = filled == s ? shape : Shapes.of(filled.tokens());
      plan = planFresh(filled, filledShape, snapshot);
      if (plan.reusable()) {
        if (plans.size() >= PLAN_CACHE_LIMIT) {
          plans.clear();
        }
        // Keyed by the client's shape: the same shape always gets the same columns written out.
        plans.put(shape.withoutSlots(),
            new Cached(snapshot.version(), searchPath, plan, defaults));
      }
    }
    return plan instanceof ShapePlan.Local ? null
        : new Planned(filled, plan, filledShape.slots());
  }

  /** Plans made in this session are made again (its own DDL changed a distributed table). */
  void forgetPlans() {
    plans.clear();
  }

  /**
   * The time defaults of the table an INSERT or UPDATE writes (TimeDefaults), or null when it
   * writes none or its table has none.
   */
  private TimeDefaults.Table timeDefaults(Statement s, MetadataSnapshot snapshot) {
    List<String> target = TimeDefaults.target(s.tokens());
    if (target == null) {
      return null;
    }
    Optional<DistributedTable> table = resolver(snapshot).resolve(target);
    if (table.isEmpty()) {
      return null;
    }
    List<String> columns = new ArrayList<>();
    Map<String, String> defaults = new HashMap<>();
    for (String[] row : db.query("SELECT a.attname, CASE WHEN a.attgenerated = '' THEN"
        + " pg_catalog.pg_get_expr(d.adbin, d.adrelid) END FROM pg_catalog.pg_attribute a"
        + " LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
        + " WHERE a.attrelid = " + table.get().oid() + " AND a.attnum > 0"
        + " AND NOT a.attisdropped ORDER BY a.attnum")) {
      columns.add(row[0]);
      if (row[1] != null && TimeFunctions.calls(io.basalt.planner.lexer.Lexer.tokenize(row[1]))) {
        defaults.put(row[0], row[1]);
      }
    }
    return defaults.isEmpty() ? null : new TimeDefaults.Table(columns, defaults);
  }

  /** The statement with its table's time defaults written out (TimeDefaults), or itself. */
  private static Statement filled(Statement s, TimeDefaults.Table defaults) {
    if (defaults == null) {
      return s;
    }
    String text = TimeDefaults.fill(s.text(), s.tokens(), defaults);
    return text == null ? s : new Statement(text, io.basalt.planner.lexer.Lexer.tokenize(text),
        s.kind(), s.argument());
  }

  /**
   * The plan of a DECLARE ... CURSOR whose query names distributed tables: its query's plan, run
   * by {@link #cursor}; null when it names none or is not a DECLARE the coordinator reads.
   */
  Planned planCursor(Statement declare) {
    Optional<DeclareCursor> c = DeclareCursor.read(declare.text(), declare.tokens());
    if (c.isEmpty()) {
      return null;
    }
    Planned query = plan(c.get().query(declare));
    return query == null ? null : query.withCursor(c.get());
  }

  /** The plan of an EXPLAIN of a statement, or null when it names no distributed table. */
  Planned planExplain(Statement explain, ExplainStatement e) {
    return this.explain.plan(explain, e);
  }

  /**
   * The statement with token positions counted from the start of its own text (a statement cut
   * from a longer query string keeps the positions of that string).
   */
  static Statement rebased(Statement s) {
    int base = s.tokens().get(0).start();
    if (base == 0) {
      return s;
    }
    List<Token> tokens = new ArrayList<>(s.tokens().size());
    for (Token t : s.tokens()) {
      tokens.add(new Token(t.kind(), t.text(), t.start() - base, t.end() - base));
    }
    return new Statement(s.text(), tokens, s.kind(), s.argument());
  }

  static boolean namesDistributedTable(List<Token> tokens, MetadataSnapshot snapshot) {
    if (snapshot.tableNames().isEmpty()) {
      return false;
    }
    for (Token t : tokens) {
      if ((t.kind() == TokenKind.WORD || t.kind() == TokenKind.QUOTED_IDENTIFIER)
          && snapshot.tableNames().contains(Identifiers.nameOf(t.text()))) {
        return true;
      }
    }
    return false;
  }

  private ShapePlan planFresh(Statement s, StatementShape shape, MetadataSnapshot snapshot) {
    try {
      return DistributedPlanner.plan(s.text(), s.tokens(), shape.slots(), resolver(snapshot));
    } catch (BasaltException e) {
      if (!SqlState.SYNTAX_ERROR.code().equals(e.sqlState())) {
        throw e;
      }
      // Calcite's grammar may lack valid PostgreSQL syntax. A statement whose relation names
      // (found by position) are all local runs in the coordinator database as before.
      TableResolver resolver = resolver(snapshot);
      boolean distributed = false;
      for (String name : io.basalt.planner.TableReferences.of(s.tokens())) {
        distributed |= resolver.resolve(List.of(name)).isPresent()
            || snapshot.tables().values().stream().anyMatch(t -> t.name().equals(name));
      }
      if (!distributed) {
        return new ShapePlan.Local();
      }
      // Otherwise PostgreSQL judges the text: its own error if it is invalid. A text with $n is
      // judged when it runs, with the types of its Bind: described with parameters of unknown
      // type, PostgreSQL may fail to resolve what the client's types resolve (-$1), and a
      // failed describe would fail the client's block.
      int parameters = ExtendedQuery.highestParameter(s);
      if (parameters == 0) {
        BackendStatement st = backend.prepare(s.text(), new int[0], 0, false);
        try {
          backend.describe(st);
        } finally {
          backend.close(st);
        }
      }
      // A valid query whose distributed tables are found by position alone: gathered.
      Optional<List<TableSpot>> spots = io.basalt.planner.plan.UnparsedReads.spots(s.tokens(),
          resolver::resolve, snapshot.tableNames());
      if (spots.isPresent()) {
        return new ShapePlan.Gather(spots.get(), null);
      }
      throw BasaltException.builder(SqlState.FEATURE_NOT_SUPPORTED,
          "Basalt cannot plan this statement on distributed tables: its SQL parser does not"
              + " read it").detail(e.getMessage())
          .hint("Rewrite the statement with more common syntax, or report it.").build();
    }
  }

  /** Names resolved as PostgreSQL resolves them in this session (search_path included). */
  private TableResolver resolver(MetadataSnapshot snapshot) {
    Map<String, Optional<DistributedTable>> unqualified = new HashMap<>();
    return new TableResolver() {
      @Override
      public Optional<DistributedTable> resolve(List<String> names) {
        String name = names.get(names.size() - 1);
        if (names.size() >= 2) {
          String schema = names.get(names.size() - 2);
          return snapshot.tables().values().stream()
              .filter(t -> t.name().equals(name) && t.schema().equals(schema)).findFirst();
        }
        if (!snapshot.tableNames().contains(name)) {
          return Optional.empty();
        }
        return unqualified.computeIfAbsent(name, n -> {
          String oid = db.queryValue("SELECT pg_catalog.to_regclass("
              + Sql.literal(Identifiers.quote(n)) + ")::oid");
          return oid == null ? Optional.empty() : snapshot.table(Long.parseLong(oid));
        });
      }

      @Override
      public List<String> columns(DistributedTable table) {
        return columnsOf(table);
      }

      @Override
      public Optional<List<String>> relationColumns(List<String> names) {
        Optional<DistributedTable> table = resolve(names);
        if (table.isPresent()) {
          return Optional.of(columnsOf(table.get()));
        }
        StringBuilder name = new StringBuilder();
        for (String part : names) {
          name.append(name.isEmpty() ? "" : ".").append(Identifiers.quote(part));
        }
        // to_regclass finds the relation without failing the transaction when there is none.
        List<String[]> rows = db.query("SELECT a.attname FROM pg_catalog.pg_attribute a"
            + " WHERE a.attrelid = pg_catalog.to_regclass(" + Sql.literal(name.toString())
            + ") AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum");
        if (rows.isEmpty() && db.queryValue("SELECT pg_catalog.to_regclass("
            + Sql.literal(name.toString()) + ")") == null) {
          return Optional.empty();
        }
        List<String> columns = new ArrayList<>();
        for (String[] row : rows) {
          columns.add(row[0]);
        }
        return Optional.of(columns);
      }

      @Override
      public Map<String, String> expressionTypes(DistributedTable table, String relation,
          List<String> expressions) {
        // One row of NULLs (the LEFT JOIN matches nothing): pg_typeof names each type.
        StringBuilder q = new StringBuilder("SELECT ");
        for (int i = 0; i < expressions.size(); i++) {
          q.append(i == 0 ? "" : ", ").append("pg_catalog.pg_typeof(").append(expressions.get(i))
              .append(")::text");
        }
        q.append(" FROM (SELECT 1) AS basalt_one LEFT JOIN ").append(table.qualifiedName())
            .append(" AS ").append(relation).append(" ON false");
        String[] row = db.query(q.toString()).get(0);
        Map<String, String> types = new HashMap<>();
        for (int i = 0; i < expressions.size(); i++) {
          types.put(expressions.get(i), row[i]);
        }
        return types;
      }

      @Override
      public List<String> timeDefaultColumns(DistributedTable table) {
        List<String> columns = new ArrayList<>();
        for (String[] row : db.query("SELECT a.attname, pg_catalog.pg_get_expr(d.adbin,"
            + " d.adrelid) FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_attrdef d"
            + " ON d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE a.attrelid = "
            + table.oid() + " AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''"
            + " ORDER BY a.attnum")) {
          if (TimeFunctions.calls(io.basalt.planner.lexer.Lexer.tokenize(row[1]))) {
            columns.add(row[0]);
          }
        }
        return columns;
      }

      @Override
      public List<String> sequenceColumns(DistributedTable table) {
        List<String> columns = new ArrayList<>();
        for (String[] row : db.query("SELECT a.attname FROM pg_catalog.pg_attribute a"
            + " LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
            + " WHERE a.attrelid = " + table.oid() + " AND a.attnum > 0 AND NOT a.attisdropped"
            + " AND (a.attidentity <> '' OR pg_catalog.pg_get_expr(d.adbin, d.adrelid)"
            + " LIKE '%nextval(%') ORDER BY a.attnum")) {
          columns.add(row[0]);
        }
        return columns;
      }
    };
  }

  /**
   * LOCK TABLE of distributed and reference tables, inside the client's block: every shard
   * placement is locked in the same mode on its worker, in the block's transaction there, so
   * that the lock holds against the statements that read and write the shards (they never
   * touch the coordinator's table). {@code mode} is the statement's text after the table names
   * ({@code IN ... MODE}, {@code NOWAIT}), or empty.
   */
  void lockShards(List<DistributedTable> tables, String mode) {
    MetadataSnapshot snapshot = cluster.snapshot();
    Map<Integer, List<String>> byGroup = new LinkedHashMap<>();
    for (DistributedTable t : tables) {
      for (int i = 0; i < t.shards().size(); i++) {
        for (int group : t.shards().get(i).placementGroups()) {
          byGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(TaskSql.shardName(t, i));
        }
      }
    }
    for (Map.Entry<Integer, List<String>> e : byGroup.entrySet()) {
      Node node = TaskPlanner.node(snapshot, e.getKey());
      RemoteConnection c = transaction.connection(node, user);
      workers.applySettings(c, settings.applySql(db));
      String sql = "LOCK TABLE " + String.join(", ", e.getValue()) + mode;
      running.on(c, () -> c.execute(sql));
    }
  }

  /** A table named in a statement, resolved as PostgreSQL would (search_path included). */
  Optional<DistributedTable> resolveTable(List<String> names) {
    return resolver(cluster.snapshot()).resolve(names);
  }

  private List<String> columnsOf(DistributedTable table) {
    List<String> columns = new ArrayList<>();
    for (String[] row : db.query("SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = "
        + table.oid() + " AND attnum > 0 AND NOT attisdropped ORDER BY attnum")) {
      columns.add(row[0]);
    }
    return columns;
  }

  // ------------------------------------------------------------------ execution

  /** Runs a planned statement; returns whether it succeeded (errors went to the sink). */
  boolean execute(Planned p, ClusterSession.Bound bound, ClientSink sink) {
    starting(p);
    try {
      if (backend.transactionStatus() == 'E') {
        // PostgreSQL's own "current transaction is aborted" error.
        session.runOnBackend(() -> backend.simpleQuery(p.statement().text(), sink));
        return false;
      }
      // Connections this statement opens follow the session's executor settings (connection
      // timeout, caching), whatever kind of plan it is.
      poolSettings();
      if (p.explain() != null) {
        explain.run(p, bound, sink);
        return sink.error() == null;
      }
      if (p.cursor() != null) {
        cursor(p, bound, sink);
        return sink.error() == null;
      }
      switch (p.plan()) {
        case ShapePlan.Refused r -> throw BasaltException.builder(r.sqlState(), r.message())
            .hint(r.hint()).build();
        case ShapePlan.Router r -> router(p, r, bound, sink);
        case ShapePlan.ReferenceRead r -> single(p, shardNode(r.table(), 0), 0, bound, sink);
        case ShapePlan.ReferenceWrite r -> referenceWrite(p, r.table(), bound, sink);
        case ShapePlan.MultiShardModify m -> allShards(p, m.table(), bound, sink);
        case ShapePlan.MultiRowInsert m -> multiRowInsert(p, m, bound, sink);
        case ShapePlan.Gather g -> gather(p, g, bound, sink);
        case ShapePlan.InsertViaCoordinator v -> insertViaCoordinator(p, v, bound, sink);
        case ShapePlan.AggregatePushdown a -> aggregate(p, a, bound, sink);
        case ShapePlan.SubqueriesFirst f -> subqueriesFirst(p, f, bound, sink);
        case ShapePlan.Local l -> throw new IllegalStateException("local plans run elsewhere");
      }
    } catch (BasaltException e) {
      sink.error(clientError(e));
    } catch (RuntimeException e) {
      LOG.error("distributed statement failed: {}", p.statement().text(), e);
      sink.error(PgErrors.from(e));
    }
    return sink.error() == null;
  }

  /**
   * A worker's error as the client is told it: the distributed tables' own names in place of
   * their shards' (ShardNamesInErrors), and a deadlock victim's cancel as a deadlock.
   */
  BasaltException clientError(BasaltException e) {
    java.util.Set<Long> shards = new java.util.HashSet<>();
    for (DistributedTable t : cluster.snapshot().tables().values()) {
      for (io.basalt.metadata.catalog.Shard s : t.shards()) {
        shards.add(s.shardId());
      }
    }
    return deadlockVictim(io.basalt.coordinator.dist.ShardNamesInErrors.rewrite(e,
        shards::contains));
  }

  /** A statement starts: whether its time functions are pinned, with a clock not read yet. */
  private void starting(Planned p) {
    pinClock = TimeFunctions.calls(p.statement().tokens());
    clock = null;
  }

  /**
   * A statement's SQL for a worker transaction other than its own: with this statement's
   * transaction-time functions replaced by the coordinator transaction's timestamp (see
   * TimeFunctions), read once per statement.
   */
  private String pinned(String sql) {
    if (!pinClock) {
      return sql;
    }
    if (clock == null) {
      clock = clusterSession.transactionClock();
    }
    return TimeFunctions.pin(sql, clock);
  }

  private void router(Planned p, ShapePlan.Router r, ClusterSession.Bound bound,
      ClientSink sink) {
    TaskPlanner.Values values = sessionValues(p, bound);
    switch (TaskPlanner.routerTarget(r, p.statement().tokens(), values)) {
      case TaskPlanner.RouterTarget.OneShard o ->
          single(p, shardNode(r.table(), o.index()), o.index(), bound, sink);
      case TaskPlanner.RouterTarget.GatherRows g ->
          gather(p, new ShapePlan.Gather(r.spots(), null), bound, sink);
      case TaskPlanner.RouterTarget.AllShards a -> allShards(p, r.table(), bound, sink);
      case TaskPlanner.RouterTarget.ComputeRows c -> {
        TableSpot target = r.spots().stream().filter(s -> s.table().oid() == r.table().oid())
            .findFirst().orElseThrow();
        insertViaCoordinator(p, new ShapePlan.InsertViaCoordinator(r.table(), r.spots(),
            target), bound, sink);
      }
    }
  }

  /** The statement on one shard group (index {@code index} of every table it names). */
  void single(Planned p, Node node, int index, ClusterSession.Bound bound,
      ClientSink sink) {
    char status = backend.transactionStatus();
    KeyParameter key = bound == null && status != 'T' && p.sql() == null
        ? KeyParameter.of(p.plan(), p.slots()).orElse(null) : null;
    String sql;
    ClusterSession.Bound values = bound;
    if (key != null) {
      // Outside a block the worker connection keeps the text with $1 as a named statement
      // (DistributedStatements.relay): every value of the shape shares its parse and plan.
      sql = key.text(p.statement().text(), p.statement().tokens(), p.plan().spots(), index);
      values = new ClusterSession.Bound(new int[] {key.typeOid()},
          List.of(key.value().getBytes(java.nio.charset.StandardCharsets.UTF_8)), new short[0],
          new short[0]);
    } else {
      // Outside a block the worker's own transaction is the statement's: its now() will do.
      sql = status == 'T' ? pinned(shardSql(p, index)) : shardSql(p, index);
    }
    RemoteConnection c = status == 'T' ? transaction.connection(node, user)
        : workers.acquire(node, user);
    if (status == 'T' && !TaskPlanner.isQuery(p.statement().tokens())) {
      transaction.wrote(node);
    }
    try {
      workers.applySettings(c, settings.applySql(db));
      // A pinned text holds this statement's timestamp: not worth keeping prepared.
      relay(c, node, sql, values, sink, status != 'T' || !pinClock);
    } finally {
      if (status != 'T') {
        workers.release(node, c, false);
      }
    }
    if (status == 'T' && sink.error() != null) {
      clusterSession.failBlock();
    }
  }

  private void referenceWrite(Planned p, DistributedTable table, ClusterSession.Bound bound,
      ClientSink sink) {
    List<Node> nodes = new ArrayList<>();
    for (int group : table.shards().get(0).placementGroups()) {
      nodes.add(node(group));
    }
    String sql = shardSql(p, 0);
    writeAll(nodes, java.util.Collections.nCopies(nodes.size(), sql), bound, sink, true, null,
        new ShardLocks.Request(List.of(table.shards().get(0).shardId()),
            referenceWriteKind(p.statement().tokens())));
  }

  private void allShards(Planned p, DistributedTable table, ClusterSession.Bound bound,
      ClientSink sink) {
    List<Node> nodes = new ArrayList<>();
    List<String> sqls = new ArrayList<>();
    for (int i = 0; i < table.shards().size(); i++) {
      nodes.add(shardNode(table, i));
      sqls.add(shardSql(p, i));
    }
    writeAll(nodes, sqls, bound, sink, false, null, new ShardLocks.Request(
        table.shards().stream().map(io.basalt.metadata.catalog.Shard::shardId).toList(),
        ShardLocks.Kind.MULTI_SHARD_WRITE));
  }

  private void multiRowInsert(Planned p, ShapePlan.MultiRowInsert m,
      ClusterSession.Bound bound, ClientSink sink) {
    TaskPlanner.Values values = sessionValues(p, bound);
    if (TaskPlanner.computedRows(m, values, p.statement().tokens())) {
      // A key the coordinator cannot read exactly (8.4 into an integer column, a DMY date):
      // the coordinator database computes the rows, as for one such row.
      TableSpot target = m.spots().stream().filter(s -> s.table().oid() == m.table().oid())
          .findFirst().orElseThrow();
      insertViaCoordinator(p, new ShapePlan.InsertViaCoordinator(m.table(), m.spots(), target),
          bound, sink);
      return;
    }
    Map<Integer, List<Integer>> rowsByShard = TaskPlanner.rowsByShard(m, values);
    String text = p.statement().text();
    List<Token> tokens = p.statement().tokens();
    List<Node> nodes = new ArrayList<>();
    List<String> sqls = new ArrayList<>();
    List<Integer> shardOrder = new ArrayList<>(rowsByShard.keySet());
    List<Integer> order = new ArrayList<>();
    for (int row = 0; row < m.rows().size(); row++) {
      for (int t = 0; t < shardOrder.size(); t++) {
        if (rowsByShard.get(shardOrder.get(t)).contains(row)) {
          order.add(t);
        }
      }
    }
    rowsByShard.forEach((index, rows) -> {
      nodes.add(shardNode(m.table(), index));
      sqls.add(TaskSql.insertRows(text, tokens, m, index, rows));
    });
    if (nodes.size() == 1) {
      single(p.withSql(sqls.get(0)), nodes.get(0), -1, bound, sink);
      return;
    }
    writeAll(nodes, sqls, bound, sink, false, order, new ShardLocks.Request(
        rowsByShard.keySet().stream().map(i -> m.table().shards().get(i).shardId()).toList(),
        ShardLocks.Kind.MULTI_SHARD_WRITE));
  }

  /**
   * One statement per target in one distributed transaction (the client's, or one of its own
   * committed with two-phase commit); the client gets one merged result. With
   * {@code firstOnly} (a reference table's placements) only the first target's result counts.
   * {@code order}, when not null, gives the target of each row of a multi-row INSERT, so that
   * RETURNING rows come back in the order of the VALUES list, as on PostgreSQL. {@code locks}
   * are the executor shard locks taken before any target is sent its statement.
   */
  private void writeAll(List<Node> nodes, List<String> sqls, ClusterSession.Bound bound,
      ClientSink sink, boolean firstOnly, List<Integer> order, ShardLocks.Request locks) {
    MergeSink merge = new MergeSink(sink);
    if (order != null) {
      merge.holdRows(nodes.size());
    }
    boolean autocommit = backend.transactionStatus() == 'I';
    clusterSession.inTransaction(() -> {
      // Before the lock query: after a plain BEGIN they are then known without a query.
      transaction.characteristics();
      takeShardLocks(locks);
      String applySql = settings.applySql(db);
      List<AdaptiveExecutor.Task> tasks = new ArrayList<>();
      for (int i = 0; i < nodes.size(); i++) {
        ResultSink part = merge.part(i, !firstOnly || i == 0);
        String sql = pinned(sqls.get(i));
        Node node = nodes.get(i);
        tasks.add(new AdaptiveExecutor.Task(node, c -> {
          relay(c, node, sql, bound, part, !pinClock);
          merge.throwIfFailed();
        }));
      }
      AdaptiveExecutor.run(tasks, poolSettings(), true, cluster,
          new WritePools(applySql, autocommit), running);
      merge.throwIfFailed();
      return null;
    });
    if (order != null) {
      merge.finish(order);
    } else {
      merge.finish();
    }
  }

  /** The executor settings of the session now, which the session's connections follow too. */
  private io.basalt.executor.adaptive.PoolSettings poolSettings() {
    io.basalt.executor.adaptive.PoolSettings s = settings.poolSettings(db);
    workers.settings(s);
    return s;
  }

  /**
   * Connections for a write: on each node the transaction's own; outside the client's blocks a
   * node's pool may grow, and each extra connection begins a transaction of its own that joins
   * the commit (it wrote). Inside a block every node keeps to the transaction's one connection,
   * so later statements of the block see every write (Citus's sequential mode).
   */
  private final class WritePools implements AdaptiveExecutor.Pools {
    private final String applySql;
    private final boolean autocommit;
    private final String beginSql;

    WritePools(String applySql, boolean autocommit) {
      this.applySql = applySql;
      this.autocommit = autocommit;
      this.beginSql = autocommit ? transaction.beginSql() : null;
    }

    @Override
    public RemoteConnection first(Node node) {
      RemoteConnection c = transaction.connectionForWrite(node, user);
      workers.applySettings(c, applySql);
      return c;
    }

    @Override
    public boolean mayGrow(Node node) {
      return autocommit;
    }

    @Override
    public RemoteConnection extra(Node node) {
      RemoteConnection c = workers.openExtra(node, user, applySql, beginSql);
      if (c != null) {
        transaction.trackExtra(node, c);
      }
      return c;
    }

    @Override
    public void giveBack(Node node, RemoteConnection c, boolean extra, boolean cancelled,
        boolean used) {
      if (!extra) {
        return;
      }
      workers.settingsApplied(c, applySql);
      if (used) {
        transaction.joinExtra(node, c);
      } else {
        // Opened too late to take a task: it wrote nothing and takes no part in the commit.
        try {
          c.execute("ROLLBACK");
          workers.release(node, c, false);
        } catch (RuntimeException e) {
          workers.discard(c);
        }
      }
    }
  }

  /**
   * Takes the executor shard locks in the client's coordinator-database session, inside its
   * transaction (they end with it), as a statement of the session: a cancel or lock_timeout
   * interrupts the wait, and PostgreSQL's deadlock detector sees it.
   */
  private void takeShardLocks(ShardLocks.Request locks) {
    ShardLocks.Mode mode = ShardLocks.mode(locks.kind(), settings.deadlockPrevention(db),
        settings.allModificationsCommutative(db));
    BackendConnection.CollectingSink result = new BackendConnection.CollectingSink();
    session.runOnBackend(() -> backend.simpleQuery(ShardLocks.sql(locks.shardIds(), mode),
        result));
    if (result.error() != null) {
      throw deadlockVictim(result.error());
    }
  }

  /** A plain INSERT commutes with other inserts; UPDATE, DELETE and upserts do not. */
  static ShardLocks.Kind referenceWriteKind(List<Token> tokens) {
    boolean insert = !tokens.isEmpty() && tokens.get(0).isWord("INSERT");
    for (Token t : tokens) {
      insert &= !t.isWord("CONFLICT");
    }
    return insert ? ShardLocks.Kind.REFERENCE_INSERT : ShardLocks.Kind.REFERENCE_MODIFY;
  }

  // ------------------------------------------------------------------ staged INSERT

  /**
   * INSERT ... SELECT (or an INSERT that needs the coordinator's sequences): the coordinator
   * database runs the client's INSERT into a temporary table shaped like the target (same name
   * in pg_temp, so its errors read as PostgreSQL's; defaults, sequences and checks included),
   * over gathered copies of any distributed tables the SELECT reads. The staged rows are then
   * routed to the shards as COPY rows, and the INSERT's own result (count, RETURNING rows) goes
   * to the client once they are all in place.
   */
  private void insertViaCoordinator(Planned p, ShapePlan.InsertViaCoordinator v,
      ClusterSession.Bound bound, ClientSink sink) {
    DistributedTable table = v.table();
    // The INSERT's result is held back until its rows are in the shards.
    BackendConnection.CollectingSink held = new BackendConnection.CollectingSink();
    clusterSession.inTransaction(() -> {
      String staging = "pg_temp." + Identifiers.quote(table.name());
      if (db.queryValue("SELECT pg_catalog.to_regclass(" + Sql.literal(staging) + ")") != null) {
        staging = "pg_temp.basalt_insert_" + (++gathered);
      }
      db.execute("CREATE TEMPORARY TABLE " + staging + " (LIKE " + table.qualifiedName()
          + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED)");
      String stagingName = staging;
      boolean ok = gather(p, new ShapePlan.Gather(v.spots(), null), true, v.target(), staging,
          sql -> {
        clusterSession.run(sql, bound, held);
        if (held.error() != null) {
          return false;
        }
        routeStaged(table, stagingName);
        db.execute("DROP TABLE " + stagingName);
        return true;
      });
      if (!ok) {
        throw held.error();
      }
      return null;
    });
    held.replay(new DetachedColumns(sink));
  }

  /** Sends the staged rows to the target's shards, through COPY's routing. */
  private void routeStaged(DistributedTable table, String staging) {
    try {
      new DistributedCopy(session, cluster, clusterSession, this, backend, db, transaction,
          workers, settings, user, session.output()).routeStaged(table, staging);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw BasaltException.of(SqlState.QUERY_CANCELED, "canceling statement due to user request");
    }
  }

  // ------------------------------------------------------------------ aggregates

  /**
   * Whether a statement's text may compare under a collation other than the database's default
   * (a COLLATE clause, or a column of the table declared with one). The combine step reads the
   * partial values back as literals of the default collation, so min, max, GROUP BY, ORDER BY
   * and HAVING would compare them under the wrong rules: such a statement is gathered instead.
   */
  private boolean collated(Planned p, DistributedTable table) {
    for (Token t : p.statement().tokens()) {
      if (t.isWord("COLLATE")) {
        return true;
      }
    }
    if (collatedTables.size() > 1000) {
      collatedTables.clear();
    }
    // Per catalog version: an ALTER TABLE may change a column's collation.
    return collatedTables.computeIfAbsent(table.oid() + ":" + clusterSession.metadataVersion(),
        k -> db.queryValue("SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = "
            + table.oid() + " AND attnum > 0 AND NOT attisdropped"
            + " AND attcollation NOT IN (0, 100) LIMIT 1") != null);
  }

  private static final int RECORD = 2249;
  private static final int RECORD_ARRAY = 2287;

  /** Above this many partial rows the combine step reads gathered rows instead. */
  private static final int MAX_PARTIAL_ROWS = 50_000;

  /**
   * Runs the partial aggregate on every shard (the nodes in parallel), then the combine step in
   * the coordinator database over the partial rows, written into the statement as typed
   * VALUES.
   */
  private void aggregate(Planned p, ShapePlan.AggregatePushdown a, ClusterSession.Bound bound,
      ClientSink sink) {
    if (TaskPlanner.aggregateGathers(sessionValues(p, bound)) || collated(p, a.table())) {
      gather(p, new ShapePlan.Gather(a.spots(), null), bound, sink);
      return;
    }
    DistributedTable table = a.table();
    boolean block = backend.transactionStatus() == 'T';
    List<BackendConnection.CollectingSink> results =
        java.util.Collections.synchronizedList(new ArrayList<>());
    List<AdaptiveExecutor.Task> tasks = new ArrayList<>();
    for (int i = 0; i < table.shards().size(); i++) {
      String sql = pinned(TaskSql.partialAggregate(a, i));
      tasks.add(new AdaptiveExecutor.Task(shardNode(table, i), c -> {
        BackendConnection.CollectingSink part = new BackendConnection.CollectingSink();
        c.relay().simpleQuery(sql, part);
        part.throwIfFailed();
        results.add(part);
      }));
    }
    try (Readers readers = new Readers(block)) {
      AdaptiveExecutor.run(tasks, poolSettings(), false, cluster, readers.pools(), running);
    } catch (RuntimeException e) {
      if (block) {
        clusterSession.failBlock();
      }
      throw e;
    }
    List<byte[][]> rows = new ArrayList<>();
    List<io.basalt.executor.result.Column> columns = null;
    for (BackendConnection.CollectingSink r : results) {
      rows.addAll(r.rows());
      columns = columns == null ? r.columns() : columns;
    }
    if (rows.size() > MAX_PARTIAL_ROWS || columns == null || !typesKnownHere(columns)) {
      gather(p, new ShapePlan.Gather(a.spots(), null), bound, sink);
      return;
    }
    String partials = partialsRelation(a.split().partialColumns(), columns, rows);
    // Outside a block the combine step is a transaction of its own: it takes the workers' time.
    String sql = pinned(a.split().combineSql(partials));
    // No parameters (an aggregate with parameters gathers), but the client's result formats:
    // a client that asked for binary values must not get text.
    runOnCoordinator(sql, bound == null ? null : new ClusterSession.Bound(new int[0], List.of(),
        new short[0], bound.resultFormats()), sink);
  }

  /**
   * Whether every partial column's type has the same OID here as on the workers. Built-in types
   * do; a type created on each server (an enum) has an OID of its own on each, which here names
   * nothing or, worse, another type, so such partials are gathered instead.
   */
  private static boolean typesKnownHere(List<io.basalt.executor.result.Column> columns) {
    for (io.basalt.executor.result.Column c : columns) {
      // An anonymous record (ROW(a, b)) has no text input to read partials back with.
      if (c.typeOid() >= io.basalt.coordinator.dist.TypeOids.FIRST_NORMAL_OBJECT_ID
          || c.typeOid() == RECORD || c.typeOid() == RECORD_ARRAY) {
        return false;
      }
    }
    return true;
  }

  /** The partial rows as a FROM item with the workers' column types. */
  private String partialsRelation(List<String> names, List<io.basalt.executor.result.Column>
      columns, List<byte[][]> rows) {
    List<String> types = new ArrayList<>();
    for (io.basalt.executor.result.Column c : columns) {
      types.add(typeName(c.typeOid(), c.typeModifier()));
    }
    StringBuilder out = new StringBuilder();
    if (rows.isEmpty()) {
      out.append("(SELECT ");
      for (int i = 0; i < names.size(); i++) {
        out.append(i == 0 ? "" : ", ").append("NULL::").append(types.get(i)).append(" AS ")
            .append(Identifiers.quote(names.get(i)));
      }
      return out.append(" WHERE false) AS " + TaskPlanner.PARTIALS).toString();
    }
    out.append("(VALUES ");
    for (int r = 0; r < rows.size(); r++) {
      out.append(r == 0 ? "(" : ", (");
      byte[][] row = rows.get(r);
      for (int i = 0; i < row.length; i++) {
        out.append(i == 0 ? "" : ", ").append(literal(row[i], types.get(i)));
      }
      out.append(")");
    }
    out.append(") AS ").append(TaskPlanner.PARTIALS).append("(");
    for (int i = 0; i < names.size(); i++) {
      out.append(i == 0 ? "" : ", ").append(Identifiers.quote(names.get(i)));
    }
    return out.append(")").toString();
  }

  /** By table OID: whether a column has a collation of its own (see #collated). */
  private final Map<String, Boolean> collatedTables = new HashMap<>();
  private final Map<Long, String> typeNames = new HashMap<>();

  /** A type's SQL name (format_type), asked once per session. */
  String typeName(int oid, int typmod) {
    long key = ((long) oid << 32) | (typmod & 0xffffffffL);
    // With typmod -1, not NULL: format_type(1042, NULL) is "character", which a cast reads as
    // character(1) and cuts 'xyz' to 'x'; with -1 it is "bpchar" (and "bit" is "bit" quoted).
    return typeNames.computeIfAbsent(key, k -> db.queryValue(
        "SELECT pg_catalog.format_type(" + Integer.toUnsignedString(oid) + ", "
            + Math.max(typmod, -1) + ")"));
  }

  // ------------------------------------------------------------------ subqueries first

  /**
   * An UPDATE or DELETE whose uncorrelated subqueries cannot run on the shards with it (see
   * SubqueriesFirst): in one transaction, the statement's parameters are written in as literals
   * (so that no $n is left without its use), each subquery runs on its own as any query would
   * (routed, pushed down or gathered), its rows replace it as typed VALUES, and the statement so
   * written is planned and run. Its result reaches the client once the transaction committed.
   */
  private void subqueriesFirst(Planned p, ShapePlan.SubqueriesFirst f,
      ClusterSession.Bound bound, ClientSink sink) {
    HeldResult result = new HeldResult(session.output());
    clusterSession.inTransaction(() -> {
      Statement s = p.statement();
      List<Token> t = s.tokens();
      List<String> parameters = parameterLiterals(bound);
      List<io.basalt.planner.plan.StatementText.Edit> edits = new ArrayList<>();
      for (int[] range : f.subqueries()) {
        String text = withParameters(s.text().substring(t.get(range[0]).start(),
            t.get(range[1]).end()), parameters);
        edits.add(new io.basalt.planner.plan.StatementText.Edit(t.get(range[0]).start(),
            t.get(range[1]).end(), rowsAsValues(text)));
      }
      String written = withParameters(io.basalt.planner.plan.StatementText.apply(s.text(),
          edits), parameters);
      Statement w = new Statement(written, io.basalt.planner.lexer.Lexer.tokenize(written),
          s.kind(), s.argument());
      StatementShape shape = Shapes.of(w.tokens());
      ShapePlan plan = planFresh(w, shape, cluster.snapshot());
      if (plan instanceof ShapePlan.SubqueriesFirst || plan instanceof ShapePlan.Local) {
        throw new IllegalStateException("subqueries left after running them: " + written);
      }
      execute(new Planned(w, plan, shape.slots()), noParameters(bound), result);
      if (result.error() != null) {
        throw result.error();
      }
      return null;
    });
    result.replay(sink);
  }

  private static ClusterSession.Bound noParameters(ClusterSession.Bound bound) {
    return new ClusterSession.Bound(new int[0], List.of(), new short[0],
        bound == null ? new short[0] : bound.resultFormats());
  }

  /**
   * Each bound parameter as a SQL literal: its text form (the coordinator database converts
   * binary values), cast to its declared type, or left untyped (as PostgreSQL types an
   * undeclared parameter, from its context) when the client declared none.
   */
  private List<String> parameterLiterals(ClusterSession.Bound bound) {
    if (bound == null || bound.values().isEmpty()) {
      return List.of();
    }
    int n = bound.values().size();
    StringBuilder q = new StringBuilder("SELECT ");
    for (int i = 1; i <= n; i++) {
      int type = i <= bound.types().length ? bound.types()[i - 1] : 0;
      q.append(i == 1 ? "" : ", ").append('$').append(i).append("::text, ")
          .append(type == 0 ? "NULL" : "pg_catalog.format_type(" + Integer.toUnsignedString(type)
              + ", -1)");
    }
    HeldResult row = new HeldResult(session.output());
    clusterSession.run(q.toString(), new ClusterSession.Bound(bound.types(), bound.values(),
        bound.parameterFormats(), new short[0]), row);
    if (row.error() != null) {
      throw row.error();
    }
    byte[][] values = row.heldRows().get(0);
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(literal(values[2 * i], values[2 * i + 1] == null ? null
          : new String(values[2 * i + 1], java.nio.charset.StandardCharsets.UTF_8)));
    }
    return out;
  }

  /** {@code text} with each $n (a parameter token) replaced by its literal. */
  private static String withParameters(String text, List<String> literals) {
    if (literals.isEmpty()) {
      return text;
    }
    List<Token> tokens = io.basalt.planner.lexer.Lexer.tokenize(text);
    List<io.basalt.planner.plan.StatementText.Edit> edits = new ArrayList<>();
    for (Token k : tokens) {
      if (k.kind() == io.basalt.planner.lexer.TokenKind.PARAMETER) {
        int n = Integer.parseInt(k.text().substring(1));
        if (n < 1 || n > literals.size()) {
          throw BasaltException.of(SqlState.UNDEFINED_PARAMETER, "there is no parameter " + k.text());
        }
        edits.add(new io.basalt.planner.plan.StatementText.Edit(k.start(), k.end(),
            "(" + literals.get(n - 1) + ")"));
      }
    }
    return io.basalt.planner.plan.StatementText.apply(text, edits);
  }

  /**
   * Runs a query on its own (routed, pushed down, gathered, or in the coordinator database when
   * it names no distributed table) and gives its rows as a query text: typed VALUES, or a
   * typed SELECT of no rows.
   */
  private String rowsAsValues(String query) {
    Statement q = io.basalt.planner.StatementClassifier.classify(query);
    HeldResult rows = new HeldResult(session.output());
    Planned planned = plan(q);
    if (planned == null) {
      clusterSession.run(query, null, rows);
    } else {
      execute(planned, new ClusterSession.Bound(new int[0], List.of(), new short[0],
          new short[0]), rows);
    }
    if (rows.error() != null) {
      throw rows.error();
    }
    List<io.basalt.executor.result.Column> columns = rows.columns();
    String[] typeNames = new String[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      typeNames[i] = typeName(columns.get(i).typeOid(), columns.get(i).typeModifier());
    }
    StringBuilder out = new StringBuilder();
    if (rows.heldRows().isEmpty()) {
      out.append("SELECT * FROM (VALUES (");
      for (int i = 0; i < typeNames.length; i++) {
        out.append(i == 0 ? "" : ", ").append("NULL::").append(typeNames[i]);
      }
      return out.append(")) AS basalt_no_rows WHERE false").toString();
    }
    out.append("VALUES ");
    for (int r = 0; r < rows.heldRows().size(); r++) {
      byte[][] row = rows.heldRows().get(r);
      out.append(r == 0 ? "(" : ", (");
      for (int i = 0; i < row.length; i++) {
        out.append(i == 0 ? "" : ", ").append(literal(row[i], typeNames[i]));
      }
      out.append(')');
    }
    return out.toString();
  }

  /** A value in text form (null: NULL) as a literal of the type named (untyped when null). */
  private static String literal(byte[] value, String type) {
    String v = value == null ? null : new String(value, java.nio.charset.StandardCharsets.UTF_8);
    return type == null ? Sql.literal(v) : Sql.literal(v) + "::" + type;
  }

  /**
   * A statement's results kept here instead of sent (a {@link ClientSink} over a
   * CollectingSink, since the distributed paths write to client sinks): rows Basalt reads for
   * itself, or a result held until its transaction committed. Notices are kept too.
   */
  private static final class HeldResult extends ClientSink {
    private final BackendConnection.CollectingSink held = new BackendConnection.CollectingSink();

    HeldResult(io.basalt.wire.spi.BackendOutput out) {
      super(out, false);
    }

    @Override
    public void columns(List<io.basalt.executor.result.Column> c) {
      held.columns(c);
    }

    @Override
    List<io.basalt.executor.result.Column> columns() {
      return held.columns();
    }

    List<byte[][]> heldRows() {
      return held.rows();
    }

    @Override
    public void row(byte[][] values) {
      held.row(values);
    }

    @Override
    public void complete(String t) {
      held.complete(t);
    }

    @Override
    public void emptyQuery() {
      held.emptyQuery();
    }

    @Override
    public void notice(java.util.Map<Character, String> fields) {
      held.notice(fields);
    }

    @Override
    public void error(BasaltException e) {
      held.error(e);
    }

    @Override
    BasaltException error() {
      return held.error();
    }

    void replay(ClientSink to) {
      held.replay(to);
    }
  }

  // ------------------------------------------------------------------ cursors

  /**
   * DECLARE ... CURSOR FOR a query over distributed tables: the query's tables are gathered into
   * temporary tables of the coordinator database, which then declares the cursor over them, so
   * that FETCH, MOVE and CLOSE (which name no table) run there as on PostgreSQL. The temporary
   * tables last until the transaction ends; a WITH HOLD cursor is materialized at commit, before
   * they go. Like PostgreSQL's own, the cursor reads as of its DECLARE.
   */
  private void cursor(Planned p, ClusterSession.Bound bound, ClientSink sink) {
    DeclareCursor c = p.cursor();
    if (p.plan() instanceof ShapePlan.Refused r) {
      throw BasaltException.builder(r.sqlState(), r.message()).hint(r.hint()).build();
    }
    String declare = c.prefix() + p.statement().text();
    if ((backend.transactionStatus() == 'I' && !c.withHold())
        || !TaskPlanner.isQuery(p.statement().tokens())) {
      // PostgreSQL's own error (DECLARE outside a block, a query that is not a SELECT), found
      // before the shell tables are read.
      runOnCoordinator(declare, bound, sink);
      return;
    }
    if (DeclareCursor.locks(p.statement())) {
      throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED,
          "cursors with FOR UPDATE or FOR SHARE are not supported on distributed tables",
          "Declare the cursor without the locking clause, or lock the rows with SELECT ... FOR"
              + " UPDATE filtered on the distribution column.");
    }
    gather(p, narrowed(p), true, null, null, true, routedShard(p, bound), sql -> {
      runOnCoordinator(c.prefix() + sql, bound, sink);
      return sink.error() == null;
    });
  }

  /**
   * The gather of a query whatever its plan, reading no more than the query can use: a
   * single-table query's WHERE is applied on the shards.
   */
  private static ShapePlan.Gather narrowed(Planned p) {
    int[] filter = p.plan() instanceof ShapePlan.Gather g ? g.filter()
        : p.plan().spots().size() == 1
            ? io.basalt.planner.plan.DistributedPlanner.gatherFilter(p.statement().text(),
                p.statement().tokens())
            : null;
    return new ShapePlan.Gather(p.plan().spots(), filter);
  }

  /**
   * The one shard group a router query reads (its distributed tables are gathered from that
   * index only: the router would send the whole query there), or -1 for every shard.
   */
  private int routedShard(Planned p, ClusterSession.Bound bound) {
    if (p.plan() instanceof ShapePlan.Router r && TaskPlanner.isQuery(p.statement().tokens())
        && TaskPlanner.routerTarget(r, p.statement().tokens(), sessionValues(p, bound))
            instanceof TaskPlanner.RouterTarget.OneShard o) {
      return o.index();
    }
    return -1;
  }

  // ------------------------------------------------------------------ gather

  /**
   * Copies the rows of each table the statement names into a temporary table, then runs the
   * statement in the coordinator database with those tables in their place.
   */
  private void gather(Planned p, ShapePlan.Gather g, ClusterSession.Bound bound,
      ClientSink sink) {
    gather(p, g, bound, sink, true, UnaryOperator.identity());
  }

  /**
   * A gather for EXPLAIN: {@code copyRows} false leaves the temporary tables empty (a plain
   * EXPLAIN plans over them without reading a row), and {@code statement} turns the statement
   * the coordinator database runs into an EXPLAIN of it.
   */
  void gather(Planned p, ShapePlan.Gather g, ClusterSession.Bound bound, ClientSink sink,
      boolean copyRows, UnaryOperator<String> statement) {
    gather(p, g, copyRows, null, null, sql -> {
      runOnCoordinator(statement.apply(sql), bound, sink);
      return sink.error() == null;
    });
  }

  /**
   * COPY (query) TO STDOUT over distributed tables: the query's tables are gathered, then
   * {@code copy} runs the COPY of the rewritten query in the coordinator database.
   */
  boolean copyQuery(Planned p, java.util.function.Function<String, Boolean> copy) {
    starting(p);
    if (p.plan() instanceof ShapePlan.Refused r) {
      throw BasaltException.builder(r.sqlState(), r.message()).hint(r.hint()).build();
    }
    if (!TaskPlanner.isQuery(p.statement().tokens())) {
      throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED,
          "COPY (INSERT/UPDATE/DELETE ... RETURNING) TO is not supported on distributed tables",
          "Run the statement with RETURNING as a query instead.");
    }
    return gather(p, narrowed(p), true, null, null, false, routedShard(p, null), copy);
  }

  /**
   * Gathers every spot's table (but {@code target}, which the statement names as
   * {@code targetName} instead), then runs the rewritten statement with {@code last}; returns
   * whether it succeeded.
   */
  private boolean gather(Planned p, ShapePlan.Gather g, boolean copyRows, TableSpot target,
      String targetName, java.util.function.Function<String, Boolean> last) {
    return gather(p, g, copyRows, target, targetName, false, -1, last);
  }

  /**
   * As above; {@code keep} leaves the temporary tables until the transaction ends (a cursor
   * reads them after the statement); {@code shard}, unless -1, is the only shard index of the
   * hash-distributed tables read.
   */
  private boolean gather(Planned p, ShapePlan.Gather g, boolean copyRows, TableSpot target,
      String targetName, boolean keep, int shard,
      java.util.function.Function<String, Boolean> last) {
    boolean implicit = backend.transactionStatus() == 'I';
    Map<Long, String> temps = new LinkedHashMap<>();
    try {
      if (implicit) {
        // Temporary tables cannot be created in a read-only transaction (a client's
        // default_transaction_read_only); rows can go into them, so the access mode returns
        // to the client's default right after, before the client's statement runs.
        db.execute("BEGIN READ WRITE");
      }
      for (TableSpot spot : g.spots()) {
        if (temps.containsKey(spot.table().oid()) || spot.equals(target)) {
          continue;
        }
        String temp = TaskSql.gatherTable(++gathered);
        temps.put(spot.table().oid(), temp);
        List<String> columns = columnsOf(spot.table());
        db.execute("CREATE TEMPORARY TABLE " + temp + " (LIKE " + spot.table().qualifiedName()
            + ")" + (implicit ? " ON COMMIT DROP; SELECT pg_catalog.set_config("
            + "'transaction_read_only', pg_catalog.current_setting("
            + "'default_transaction_read_only'), true)" : keep ? " ON COMMIT DROP" : ""));
        if (copyRows) {
          copyRows(p, g, spot, temp, columns, !implicit,
              shard < 0 || spot.table().isReference() ? -1 : shard);
        }
      }
      String sql = io.basalt.planner.plan.StatementText.withTables(p.statement().text(),
          p.statement().tokens(),
          g.spots(), spot -> spot.equals(target) ? targetName : temps.get(spot.table().oid()));
      gatheredRowTypes = rowTypes(temps);
      boolean ok;
      try {
        ok = last.apply(sql);
      } finally {
        gatheredRowTypes = Map.of();
      }
      if (implicit) {
        quietly(ok ? "COMMIT" : "ROLLBACK");
      } else if (ok && !temps.isEmpty() && !keep) {
        db.execute("DROP TABLE " + String.join(", ", temps.values()));
      }
      return ok;
    } catch (RuntimeException e) {
      if (implicit) {
        quietly("ROLLBACK");
      } else {
        clusterSession.failBlock();
      }
      throw e;
    }
  }

  /** {@code only}: the one shard index read, or -1 for all. */
  private void copyRows(Planned p, ShapePlan.Gather g, TableSpot spot, String temp,
      List<String> columns, boolean inBlock, int only) {
    Readers readers = new Readers(inBlock);
    List<Integer> indexes = new ArrayList<>();
    for (int i = 0; i < spot.table().shards().size(); i++) {
      if (only < 0 || i == only) {
        indexes.add(i);
      }
    }
    // Before the COPY starts: the clock is read in the coordinator database, whose transaction
    // here is the one the gathered statement runs in.
    List<String> reads = new ArrayList<>();
    for (int i : indexes) {
      reads.add("COPY (" + pinned(TaskSql.gatherRead(p.statement().text(),
          p.statement().tokens(), g, spot, columns, i)) + ") TO STDOUT");
    }
    io.basalt.executor.adaptive.PoolSettings poolSettings;
    AdaptiveExecutor.Pools pools;
    CopyIn in;
    try {
      // Connections first: taking one may ask the coordinator database (the transaction's
      // characteristics, the session's settings), which is busy once the COPY has started.
      for (int i : indexes) {
        readers.on(shardNode(spot.table(), i));
      }
      poolSettings = poolSettings();
      pools = readers.pools();
      in = (CopyIn) backend.startCopy("COPY " + temp + " ("
          + TaskSql.columnList(columns) + ") FROM STDIN");
    } catch (RuntimeException e) {
      readers.close();
      throw e;
    }
    // Shards are read at once over the nodes' pools. A worker sends each row of COPY TO in a
    // message of its own, and each message is one write here, so rows never interleave.
    OutputStream out = new CopyInStream(in);
    List<AdaptiveExecutor.Task> tasks = new ArrayList<>();
    for (int k = 0; k < indexes.size(); k++) {
      String read = reads.get(k);
      tasks.add(new AdaptiveExecutor.Task(shardNode(spot.table(), indexes.get(k)),
          c -> c.copyOut(read, out)));
    }
    try (readers) {
      AdaptiveExecutor.run(tasks, poolSettings, false, cluster, pools, running);
      in.endCopy();
    } catch (SQLException e) {
      cancel(in);
      throw PgErrors.from(e);
    } catch (RuntimeException e) {
      cancel(in);
      throw e;
    }
  }

  /** Connections for reading shards, handed back on close. */
  Readers readers() {
    return new Readers(backend.transactionStatus() == 'T');
  }

  /**
   * One connection per node for reading shards: the transaction's where it has one (its writes
   * are visible there), otherwise the session's cached one, handed back on close. Each gets the
   * session's settings once, with extra_float_digits 3 and DateStyle ISO so that the text read
   * back by the coordinator database is exact whatever the client chose. Inside a client's REPEATABLE READ
   * or SERIALIZABLE block every node joins the transaction, so that all reads share its
   * snapshots.
   */
  final class Readers implements AutoCloseable {
    /**
     * Text the coordinator database reads back exactly, whatever the client chose: floats with
     * all their digits, and dates and times in ISO form (under DateStyle SQL, German or Postgres
     * a timestamptz carries a zone abbreviation, which the coordinator may read as another zone:
     * IST as Israel's, CST as America's; the ISO form carries the offset). DateStyle's day/month
     * order stays the client's; ISO text reads the same under either.
     */
    private static final String EXACT_FLOATS = "SET extra_float_digits = 3; SET DateStyle = ISO";

    private final Map<Node, RemoteConnection> byNode = new LinkedHashMap<>();
    private final Map<Node, RemoteConnection> borrowed = new LinkedHashMap<>();
    private final boolean inBlock;

    /** {@code inBlock}: the client's transaction block is open (not an implicit one). */
    Readers(boolean inBlock) {
      this.inBlock = inBlock;
    }

    RemoteConnection on(Node node) {
      RemoteConnection c = byNode.get(node);
      if (c != null) {
        return c;
      }
      c = transaction.participant(node);
      if (c == null && inBlock && transaction.characteristics().keepsSnapshot()) {
        c = transaction.connection(node, user);
      }
      if (c == null) {
        c = workers.acquire(node, user);
        borrowed.put(node, c);
      }
      byNode.put(node, c);
      workers.applySettings(c, settings.applySql(db));
      c.execute(EXACT_FLOATS);
      workers.forgetSettings(c);
      return c;
    }

    /**
     * The adaptive executor's pools over these connections: a node read through the client's
     * transaction keeps to that connection (its writes and snapshot are there); the others may
     * grow with extra connections of the session, outside any transaction.
     */
    AdaptiveExecutor.Pools pools() {
      String applySql = settings.applySql(db);
      return new AdaptiveExecutor.Pools() {
        @Override
        public RemoteConnection first(Node node) {
          return on(node);
        }

        @Override
        public boolean mayGrow(Node node) {
          return borrowed.containsKey(node);
        }

        @Override
        public RemoteConnection extra(Node node) {
          return workers.openExtra(node, user, applySql, EXACT_FLOATS);
        }

        @Override
        public void giveBack(Node node, RemoteConnection c, boolean extra, boolean cancelled,
            boolean used) {
          if (extra) {
            // Its settings differ from the session's (extra_float_digits): set again on reuse.
            if (cancelled) {
              workers.discard(c);
            } else {
              workers.release(node, c, true);
            }
          } else if (cancelled && borrowed.get(node) == c) {
            // A late cancel could hit its next statement: it is not kept.
            borrowed.remove(node);
            workers.discard(c);
          }
        }
      };
    }

    @Override
    public void close() {
      borrowed.forEach((node, c) -> workers.release(node, c, false));
    }
  }


  private static void cancel(CopyIn in) {
    try {
      if (in.isActive()) {
        in.cancelCopy();
      }
    } catch (SQLException e) {
      // The COPY is over either way; the coordinator reports its own error next.
    }
  }

  /** Feeds a worker's COPY output into the coordinator's COPY input. */
  private static final class CopyInStream extends OutputStream {
    private final CopyIn in;

    CopyInStream(CopyIn in) {
      this.in = in;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
      try {
        in.writeToCopy(b, off, len);
      } catch (SQLException e) {
        throw new IOException(e);
      }
    }
  }

  private void runOnCoordinator(String sql, ClusterSession.Bound bound, ClientSink client) {
    Map<Integer, Integer> rowTypes = gatheredRowTypes;
    clusterSession.run(sql, bound, new DetachedColumns(client, UnaryOperator.identity(),
        oid -> rowTypes.getOrDefault(oid, oid), null));
  }

  /**
   * The row type of each gathered table's temporary table, to its table's: a whole-row
   * reference (SELECT t FROM t) is described with the table's type, as PostgreSQL does, not
   * with the temporary one that is gone after the statement.
   */
  private Map<Integer, Integer> rowTypes(Map<Long, String> temps) {
    if (temps.isEmpty()) {
      return Map.of();
    }
    StringBuilder q = new StringBuilder("SELECT t.reltype, o.reltype FROM (VALUES ");
    int i = 0;
    for (Map.Entry<Long, String> e : temps.entrySet()) {
      q.append(i++ == 0 ? "" : ", ").append("(").append(Sql.literal(e.getValue()))
          .append("::pg_catalog.regclass, ").append(e.getKey()).append("::pg_catalog.oid)");
    }
    q.append(") AS g (temp, source) JOIN pg_catalog.pg_class t ON t.oid = g.temp"
        + " JOIN pg_catalog.pg_class o ON o.oid = g.source");
    Map<Integer, Integer> types = new HashMap<>();
    for (String[] row : db.query(q.toString())) {
      types.put((int) Long.parseLong(row[0]), (int) Long.parseLong(row[1]));
    }
    return types;
  }


  private void quietly(String sql) {
    backend.simpleQuery(sql, new BackendConnection.CollectingSink());
  }

  // ------------------------------------------------------------------ pieces

  /**
   * Result columns without their source table: a worker's table OID names a shard there (and
   * some unrelated relation here), a temporary table is gone once the statement ends. Clients
   * that look columns up (pgjdbc's getColumnTypeName) then see the plain type, never another
   * table's column.
   */
  private static final class DetachedColumns extends io.basalt.executor.result.ForwardingSink {
    private final UnaryOperator<BasaltException> errors;
    /** The coordinator's OID of a type by the OID the source server gave (TypeOids). */
    private final java.util.function.IntUnaryOperator types;
    /** The source server's types, for OIDs inside binary values; null: the coordinator's. */
    private final io.basalt.coordinator.dist.BinaryTypeOids.Types sourceTypes;
    /** Per column, the source's type when its binary values may carry OIDs, else 0. */
    private int[] rewritten;

    DetachedColumns(ResultSink target, UnaryOperator<BasaltException> errors,
        java.util.function.IntUnaryOperator types,
        io.basalt.coordinator.dist.BinaryTypeOids.Types sourceTypes) {
      super(target);
      this.errors = errors;
      this.types = types;
      this.sourceTypes = sourceTypes;
    }

    DetachedColumns(ResultSink target) {
      this(target, UnaryOperator.identity(), java.util.function.IntUnaryOperator.identity(),
          null);
    }

    @Override
    public void columns(List<io.basalt.executor.result.Column> columns) {
      List<io.basalt.executor.result.Column> out = new ArrayList<>(columns.size());
      rewritten = null;
      for (int i = 0; i < columns.size(); i++) {
        io.basalt.executor.result.Column c = columns.get(i);
        out.add(new io.basalt.executor.result.Column(c.name(), 0, (short) 0,
            types.applyAsInt(c.typeOid()), c.typeSize(), c.typeModifier(), c.format()));
        if (sourceTypes != null && c.format() == 1
            && io.basalt.coordinator.dist.BinaryTypeOids.mayCarryOids(c.typeOid())) {
          if (rewritten == null) {
            rewritten = new int[columns.size()];
          }
          rewritten[i] = c.typeOid();
        }
      }
      target.columns(out);
    }

    @Override
    public void row(byte[][] values) {
      if (rewritten != null) {
        for (int i = 0; i < values.length && i < rewritten.length; i++) {
          if (rewritten[i] != 0) {
            values[i] = io.basalt.coordinator.dist.BinaryTypeOids.rewrite(values[i],
                rewritten[i], sourceTypes);
          }
        }
      }
      target.row(values);
    }

    @Override
    public void error(BasaltException error) {
      target.error(errors.apply(error));
    }
  }

  /**
   * The error a statement of this session reports: a cancel that the distributed deadlock
   * detector sent to break a cycle is reported as PostgreSQL reports a deadlock (40P01).
   */
  BasaltException deadlockVictim(BasaltException e) {
    if (SqlState.QUERY_CANCELED.code().equals(e.sqlState()) && transaction.deadlockVictim()) {
      return BasaltException.builder(SqlState.DEADLOCK_DETECTED,
          "canceling the transaction since it was involved in a distributed deadlock").build();
    }
    return e;
  }

  void relay(RemoteConnection c, String sql, ClusterSession.Bound bound,
      ResultSink target) {
    relay(c, null, sql, bound, target, true);
  }

  /** {@code keep}: the text is worth keeping prepared (it holds no per-statement timestamp). */
  /** {@code node}: the worker {@code c} is connected to, whose type OIDs are translated. */
  private void relay(RemoteConnection c, Node node, String sql, ClusterSession.Bound bound,
      ResultSink target, boolean keep) {
    // Its errors pass through deadlockVictim.
    ResultSink sink = new DetachedColumns(target, this::clientError, node == null
        ? java.util.function.IntUnaryOperator.identity()
        : oid -> cluster.typeOids().local(node, oid),
        node == null ? null : cluster.typeOids().of(node));
    BackendConnection r = c.relay();
    if (bound == null) {
      session.onRemote(r, () -> r.simpleQuery(sql, sink));
      return;
    }
    if (!keep) {
      session.onRemote(r, () -> r.executeOnce(sql, bound.types(), bound.values(),
          bound.parameterFormats(), bound.resultFormats(), sink));
      return;
    }
    // A named statement kept on the worker connection: the same shard text run again is only
    // bound and executed there, not parsed and planned again.
    session.onRemote(r, () -> r.executeKept(sql, bound.types(), bound.values(),
        bound.parameterFormats(), bound.resultFormats(), sink));
  }

  private String shardSql(Planned p, int index) {
    if (p.sql() != null) {
      return p.sql();
    }
    return p.texts().get(index, i -> TaskSql.onShards(p.statement().text(),
        p.statement().tokens(), p.plan().spots(), i));
  }

  private Node shardNode(DistributedTable table, int index) {
    return TaskPlanner.shardNode(cluster.snapshot(), table, index);
  }

  private Node node(int group) {
    return TaskPlanner.node(cluster.snapshot(), group);
  }

  /** The tasks a planned statement runs with these values (what EXPLAIN shows). */
  TaskList tasks(Planned p, ClusterSession.Bound bound) {
    return TaskPlanner.tasks(p.plan(), p.statement().text(), p.statement().tokens(),
        cluster.snapshot(), sessionValues(p, bound), this::columnsOf);
  }

  /** The statement's constants and bound values, as the task planner reads them. */
  static TaskPlanner.Values values(Planned p, ClusterSession.Bound bound) {
    return values(p, bound, false);
  }

  /**
   * As above, for this session: under standard_conforming_strings off a backslash in '...'
   * escapes, which the lexer does not read; such a constant's value is not known here, so it
   * picks no shard.
   */
  private TaskPlanner.Values sessionValues(Planned p, ClusterSession.Bound bound) {
    return values(p, bound, "off".equals(settings.standardConformingStrings(db)));
  }

  private static TaskPlanner.Values values(Planned p, ClusterSession.Bound bound,
      boolean escapes) {
    return new TaskPlanner.Values() {
      @Override
      public Integer shardOf(DistributedTable table, ValueRef value) {
        if (escapes && !(value instanceof ValueRef.Parameter)) {
          String text = value instanceof ValueRef.Fixed f ? f.text()
              : DistributedPlanner.slotValue(p.slots().get(((ValueRef.Slot) value).index()));
          if (text != null && text.indexOf('\\') >= 0) {
            return null;
          }
        }
        return DistributedStatements.shardOf(table, value, p, bound);
      }

      @Override
      public boolean isNull(ValueRef value) {
        return DistributedStatements.isNull(value, bound);
      }

      @Override
      public boolean hasParameters() {
        return bound != null && !bound.values().isEmpty();
      }
    };
  }

  private static Integer shardOf(DistributedTable table, ValueRef value, Planned p,
      ClusterSession.Bound bound) {
    return switch (value) {
      case ValueRef.Fixed f -> ShardChoice.ofText(table, f.text());
      case ValueRef.Slot s -> {
        String text = DistributedPlanner.slotValue(p.slots().get(s.index()));
        yield text == null ? null : ShardChoice.ofText(table, s.negated() ? "-" + text : text);
      }
      case ValueRef.Parameter param -> {
        if (bound == null || param.index() >= bound.values().size()) {
          yield null;
        }
        byte[] v = bound.values().get(param.index());
        if (v == null) {
          yield null;
        }
        short[] formats = bound.parameterFormats();
        short format = formats.length == 0 ? 0
            : formats.length == 1 ? formats[0] : formats[param.index()];
        int declared = param.index() < bound.types().length ? bound.types()[param.index()] : 0;
        // A client's binary value is not coerced to the column's type modifier here (rows the
        // coordinator staged are): no shard is known for it then.
        yield format == 1 ? (table.distributionTypmod() >= 0 ? null
                : ShardChoice.ofBinary(table, v, declared))
            : ShardChoice.ofText(table, new String(v, java.nio.charset.StandardCharsets.UTF_8),
                declared);
      }
    };
  }

  private static boolean isNull(ValueRef value, ClusterSession.Bound bound) {
    return value instanceof ValueRef.Parameter param && bound != null
        && param.index() < bound.values().size() && bound.values().get(param.index()) == null;
  }
}
