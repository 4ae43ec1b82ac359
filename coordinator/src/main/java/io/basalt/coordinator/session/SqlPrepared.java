package io.basalt.coordinator.session;

import io.basalt.coordinator.dist.Sql;
import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import io.basalt.executor.backend.BackendConnection;
import io.basalt.executor.backend.BackendStatement;
import io.basalt.metadata.catalog.Identifiers;
import io.basalt.planner.Statement;
import io.basalt.planner.StatementClassifier;
import io.basalt.planner.explain.ExplainStatement;
import io.basalt.planner.lexer.Token;
import io.basalt.planner.plan.ShapePlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SQL-level PREPARE / EXECUTE / DEALLOCATE of statements on distributed tables.
 *
 * <p>The client's PREPARE also runs in the coordinator database, on the shell tables: that
 * gives PostgreSQL's own errors (unknown columns, 42P05 for a taken name, parameters whose type
 * cannot be inferred), PostgreSQL's parameter types, and a truthful row in
 * pg_prepared_statements. Only its execution is Basalt's: EXECUTE evaluates the arguments in
 * the coordinator database with PostgreSQL's own coercion rules (through a helper prepared
 * statement of the same parameter types), then runs the body's distributed plan bound with
 * those values, as a protocol Bind would. A PREPARE whose body names no distributed table is
 * left to the coordinator database entirely.
 */
final class SqlPrepared {
  /** The helper that evaluates EXECUTE's arguments; it exists only while one EXECUTE runs. */
  private static final String ARGS = "basalt_execute_arguments";

  private final CoordinatorSession session;
  private final Map<String, Entry> statements = new HashMap<>();
  /**
   * The statements of PREPAREs the coordinator database ran alone (no distributed table then):
   * one whose table is distributed later must not go on reading the empty shell.
   */
  private final Map<String, Statement> locals = new HashMap<>();

  /** A distributed prepared statement: its body, PostgreSQL's parameter types and its plan. */
  private record Entry(String name, Statement body, int[] types, String[] typeNames,
      DistributedStatements.Planned planned, long version) {}

  SqlPrepared(CoordinatorSession session) {
    this.session = session;
  }

  /** A statement whose first word makes it SQL-level prepared-statement handling. */
  static boolean isPrepareCommand(Statement s) {
    return !s.tokens().isEmpty() && (s.tokens().get(0).isWord("PREPARE")
        || s.tokens().get(0).isWord("EXECUTE") || s.tokens().get(0).isWord("DEALLOCATE"));
  }

  /**
   * Whether Basalt runs this statement itself: a PREPARE of a statement naming a distributed
   * table, EXECUTE or DEALLOCATE of such a statement, DEALLOCATE ALL / DISCARD ALL while any
   * exists. Everything else goes to the coordinator database as before.
   */
  boolean handles(Statement s) {
    List<Token> t = s.tokens();
    if (t.size() < 2) {
      return false;
    }
    if (t.get(0).isWord("PREPARE")) {
      int body = bodyStart(t);
      return body > 0 && session.cluster().namesDistributedTable(t.subList(body, t.size()));
    }
    if (statements.isEmpty() && locals.isEmpty()) {
      return false;
    }
    if (t.get(0).isWord("EXECUTE")) {
      return distributed(Identifiers.nameOf(t.get(1).text()));
    }
    if (t.get(0).isWord("EXPLAIN")) {
      int e = explainedExecute(s);
      return e > 0 && distributed(Identifiers.nameOf(t.get(e + 1).text()));
    }
    if (t.get(0).isWord("DEALLOCATE")) {
      return true;
    }
    return t.get(0).isWord("DISCARD") && t.get(1).isWord("ALL");
  }

  /** The index of the EXECUTE token of EXPLAIN [options] EXECUTE name ..., or -1. */
  private static int explainedExecute(Statement s) {
    int i = ExplainStatement.read(s.text(), s.tokens()).map(ExplainStatement::statementToken)
        .orElse(-1);
    return i > 0 && i + 1 < s.tokens().size() && s.tokens().get(i).isWord("EXECUTE") ? i : -1;
  }

  /** Whether EXECUTE of this name runs on distributed tables. */
  private boolean distributed(String name) {
    Statement local = locals.get(name);
    return statements.containsKey(name)
        || local != null && session.cluster().namesDistributedTable(local.tokens());
  }

  /**
   * A statement that would run a distributed prepared statement out of sight (CREATE TABLE ...
   * AS EXECUTE, EXPLAIN CREATE TABLE ... AS EXECUTE) is refused: the coordinator database holds
   * only empty shells.
   */
  void refuseNested(Statement s) {
    if (statements.isEmpty() && locals.isEmpty() || handles(s)) {
      return;
    }
    List<Token> t = s.tokens();
    for (int i = 1; i + 1 < t.size(); i++) {
      if (t.get(i).isWord("EXECUTE") && distributed(Identifiers.nameOf(t.get(i + 1).text()))) {
        throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED,
            "CREATE TABLE AS EXECUTE of a prepared statement on distributed tables is not"
                + " supported",
            "Use CREATE TABLE ... AS with the prepared statement's query and its values.");
      }
    }
  }

  /**
   * A statement ran in the coordinator database: remember a PREPARE's statement, forget
   * deallocated ones.
   */
  void ranLocally(Statement s, boolean ok) {
    List<Token> t = s.tokens();
    if (!ok || t.size() < 2) {
      return;
    }
    if (t.get(0).isWord("PREPARE")) {
      int body = bodyStart(t);
      if (body > 0) {
        locals.put(Identifiers.nameOf(t.get(1).text()), bodyOf(s, body));
      }
    } else if (t.get(0).isWord("DEALLOCATE") || t.get(0).isWord("DISCARD")) {
      forget(t);
    }
  }

  private static Statement bodyOf(Statement s, int body) {
    int base = s.tokens().get(0).start();
    return StatementClassifier.classify(s.text().substring(s.tokens().get(body).start() - base));
  }

  /** Runs a statement {@link #handles} accepted; returns whether it succeeded. */
  boolean run(Statement s, ClientSink sink, short[] resultFormats) {
    try {
      String first = s.tokens().get(0).upper();
      return switch (first) {
        case "PREPARE" -> prepare(s, sink);
        case "EXECUTE" -> execute(s, sink, resultFormats);
        case "EXPLAIN" -> explain(s, sink);
        default -> deallocate(s, sink);
      };
    } catch (RunLocally e) {
      return local(s, sink);
    } catch (BasaltException e) {
      sink.error(e);
      return false;
    }
  }

  // ------------------------------------------------------------------ PREPARE

  /** The index of the first token of PREPARE's statement (after AS), or -1. */
  private static int bodyStart(List<Token> t) {
    int i = 2;
    if (i < t.size() && t.get(i).is("(")) {
      int depth = 0;
      for (; i < t.size(); i++) {
        if (t.get(i).is("(")) {
          depth++;
        } else if (t.get(i).is(")") && --depth == 0) {
          i++;
          break;
        }
      }
    }
    return i + 1 < t.size() && t.get(i).isWord("AS") ? i + 1 : -1;
  }

  private boolean prepare(Statement s, ClientSink sink) {
    List<Token> t = s.tokens();
    String name = Identifiers.nameOf(t.get(1).text());
    // PostgreSQL's checks first (the name, the body against the shell tables, the types).
    BackendConnection.CollectingSink local = new BackendConnection.CollectingSink();
    session.runOnBackend(() -> session.backend().simpleQuery(s.text(), local));
    if (local.error() != null) {
      sink.error(local.error());
      return false;
    }
    Statement body = bodyOf(s, bodyStart(t));
    DistributedStatements.Planned planned;
    try {
      planned = session.distributedPlan(body);
      if (planned != null && planned.plan() instanceof ShapePlan.Refused r) {
        throw BasaltException.builder(r.sqlState(), r.message()).hint(r.hint()).build();
      }
    } catch (BasaltException e) {
      // Refused here rather than at every EXECUTE; nothing may stay prepared.
      db().execute("DEALLOCATE " + Identifiers.quote(name));
      throw e;
    }
    if (planned != null) {
      register(name, body, planned);
    } else {
      locals.put(name, body);
    }
    sink.complete("PREPARE");
    return true;
  }

  /** Keeps a distributed prepared statement, with the parameter types PostgreSQL gave it. */
  private Entry register(String name, Statement body, DistributedStatements.Planned planned) {
    List<String[]> types = db().query("SELECT t::oid, t::text FROM pg_catalog."
        + "pg_prepared_statements, unnest(parameter_types) WITH ORDINALITY AS u(t, n)"
        + " WHERE name = " + Sql.literal(name) + " ORDER BY n");
    if (types.isEmpty() && db().query("SELECT 1 FROM pg_catalog.pg_prepared_statements"
        + " WHERE name = " + Sql.literal(name)).isEmpty()) {
      // Deallocated out of sight (in a string of several statements): PostgreSQL's error.
      locals.remove(name);
      throw BasaltException.of(SqlState.UNDEFINED_PREPARED_STATEMENT,
          "prepared statement \"" + name + "\" does not exist");
    }
    int[] oids = new int[types.size()];
    String[] names = new String[types.size()];
    for (int i = 0; i < oids.length; i++) {
      oids[i] = Integer.parseInt(types.get(i)[0]);
      names[i] = types.get(i)[1];
    }
    Entry e = new Entry(name, body, oids, names, planned, session.cluster().metadataVersion());
    locals.remove(name);
    statements.put(name, e);
    return e;
  }

  /**
   * The distributed prepared statement EXECUTE names. One the coordinator database prepared
   * alone, whose table has been distributed since, becomes one now (planned as at PREPARE;
   * a statement the planner refuses fails here instead).
   */
  private Entry entry(String name) {
    Entry e = statements.get(name);
    if (e != null) {
      return e;
    }
    Statement body = locals.get(name);
    DistributedStatements.Planned planned = session.distributedPlan(body);
    if (planned == null) {
      return null;
    }
    if (planned.plan() instanceof ShapePlan.Refused r) {
      throw BasaltException.builder(r.sqlState(), r.message()).hint(r.hint()).build();
    }
    return register(name, body, planned);
  }

  // ------------------------------------------------------------------ EXECUTE

  private boolean execute(Statement s, ClientSink sink, short[] resultFormats) {
    Entry e = entry(Identifiers.nameOf(s.tokens().get(1).text()));
    if (e == null) {
      return local(s, sink);
    }
    Bound bound = bind(e, s, resultFormats);
    return session.cluster().execute(bound.planned(), bound.values(), sink);
  }

  /**
   * EXPLAIN [options] EXECUTE name(args): the EXPLAIN of the prepared statement's query with
   * the arguments' values as bind parameters, as for a protocol-level statement.
   */
  private boolean explain(Statement s, ClientSink sink) {
    int at = explainedExecute(s);
    List<Token> t = s.tokens();
    Entry e = entry(Identifiers.nameOf(t.get(at + 1).text()));
    if (e == null) {
      return local(s, sink);
    }
    int base = t.get(0).start();
    String prefix = s.text().substring(0, t.get(at).start() - base);
    Statement execute = StatementClassifier.classify(s.text().substring(t.get(at).start() - base));
    Bound bound = bind(e, execute, new short[0]);
    Statement explain = StatementClassifier.classify(prefix + e.body().text());
    DistributedStatements.Planned planned = session.distributedPlan(explain);
    if (planned == null) {
      return local(s, sink);
    }
    return session.cluster().execute(planned, bound.values(), sink);
  }

  /** The plan to run and the values to bind for EXECUTE name(args). */
  private record Bound(DistributedStatements.Planned planned, ClusterSession.Bound values) {}

  private Bound bind(Entry e, Statement s, short[] resultFormats) {
    List<Token> t = s.tokens();
    List<String> args = arguments(s);
    if (args.isEmpty() && t.size() > 2) {
      // "EXECUTE p()" and other text PostgreSQL's grammar refuses: its own syntax error.
      throw new RunLocally();
    }
    if (args.size() != e.types().length) {
      throw BasaltException.builder(SqlState.SYNTAX_ERROR,
          "wrong number of parameters for prepared statement \"" + e.name() + "\"")
          .detail("Expected " + e.types().length + " parameters but got " + args.size() + ".")
          .build();
    }
    if (!args.isEmpty() && session.cluster().namesDistributedTable(t.subList(2, t.size()))) {
      throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED,
          "arguments of EXECUTE that read distributed tables are not supported",
          "Compute the value in a separate query and pass it as a constant.");
    }
    List<byte[]> values = evaluate(e, s, args.size());
    DistributedStatements.Planned planned = e.planned();
    long version = session.cluster().metadataVersion();
    if (e.version() != version) {
      // The tables changed since PREPARE (the shape cache replans once per version).
      planned = session.distributedPlan(e.body());
      if (planned == null) {
        // The tables are local again (undistributed): the coordinator database runs it.
        statements.remove(e.name());
        locals.put(e.name(), e.body());
        throw new RunLocally();
      }
      statements.put(e.name(), new Entry(e.name(), e.body(), e.types(), e.typeNames(),
          planned, version));
    }
    short[] formats = new short[values.size()];
    Arrays.fill(formats, (short) 1);
    return new Bound(planned, new ClusterSession.Bound(e.types(), values, formats, resultFormats));
  }

  /**
   * The statement is the coordinator database's after all (its tables are no longer
   * distributed, or PostgreSQL's grammar refuses it): {@link #run} passes it on.
   */
  private static final class RunLocally extends RuntimeException {
    RunLocally() {
      super(null, null, false, false);
    }
  }

  /** The argument texts of EXECUTE name(a, b, ...), split at top-level commas. */
  private static List<String> arguments(Statement s) {
    List<Token> t = s.tokens();
    List<String> args = new ArrayList<>();
    if (t.size() < 3 || !t.get(2).is("(")) {
      return args;
    }
    int base = t.get(0).start();
    int depth = 0;
    int from = -1;
    for (int i = 2; i < t.size(); i++) {
      Token k = t.get(i);
      if (k.is("(") || k.is("[")) {
        if (depth++ == 0) {
          from = i + 1;
        }
      } else if (k.is(")") || k.is("]")) {
        if (--depth == 0) {
          if (from < i) {
            args.add(s.text().substring(t.get(from).start() - base, t.get(i - 1).end() - base));
          }
          break;
        }
      } else if (k.is(",") && depth == 1) {
        args.add(s.text().substring(t.get(from).start() - base, t.get(i - 1).end() - base));
        from = i + 1;
      }
    }
    return args;
  }

  /**
   * The arguments' values (binary, as the parameter types), computed by PostgreSQL's EXECUTE
   * itself: a helper statement with the same parameter types that selects its parameters, run
   * with the client's argument text verbatim. Its coercion rules and errors ("parameter $1 of
   * type boolean cannot be coerced to the expected type integer") are therefore PostgreSQL's;
   * an error's position is moved back onto the client's text.
   */
  private List<byte[]> evaluate(Entry e, Statement s, int count) {
    if (count == 0) {
      return List.of();
    }
    StringBuilder select = new StringBuilder();
    for (int i = 1; i <= count; i++) {
      select.append(i == 1 ? "" : ", ").append('$').append(i);
    }
    String prepare = "PREPARE " + ARGS + "(" + String.join(", ", e.typeNames()) + ") AS SELECT "
        + select;
    BackendConnection backend = session.backend();
    BasaltException failed = onBackend(prepare);
    if (failed != null && SqlState.DUPLICATE_PREPARED_STATEMENT.code().equals(failed.sqlState())) {
      // Left over by an EXECUTE whose clean-up could not run (in a failed transaction block).
      quietly("DEALLOCATE " + ARGS);
      failed = onBackend(prepare);
    }
    if (failed != null) {
      throw failed;
    }
    // The text from the name's "(" to the end: arguments as written, comments included.
    List<Token> t = s.tokens();
    int base = t.get(0).start();
    int open = t.get(2).start() - base;
    String prefix = "EXECUTE " + ARGS;
    String helper = prefix + s.text().substring(open);
    BackendConnection.CollectingSink rows = new BackendConnection.CollectingSink();
    try {
      BackendStatement st = backend.prepare(helper, new int[0], 0, false);
      try {
        short[] binary = new short[count];
        Arrays.fill(binary, (short) 1);
        session.runOnBackend(() -> backend.execute(st, List.of(), new short[0], binary, rows));
      } finally {
        backend.close(st);
      }
    } finally {
      quietly("DEALLOCATE " + ARGS);
    }
    if (rows.error() != null) {
      throw shifted(rows.error(), open - prefix.length());
    }
    return Arrays.asList(rows.rows().get(0));
  }

  /** The error with its cursor position moved by {@code delta} characters. */
  private static BasaltException shifted(BasaltException e, int delta) {
    String position = e.fields().get('P');
    if (position == null) {
      return e;
    }
    Map<Character, String> fields = new java.util.LinkedHashMap<>(e.fields());
    fields.put('P', Integer.toString(Integer.parseInt(position) + delta));
    return BasaltException.fromFields(fields, e);
  }

  private boolean local(Statement s, ClientSink sink) {
    session.runOnBackend(() -> session.backend().simpleQuery(s.text(), sink));
    return sink.error() == null;
  }

  // ------------------------------------------------------------------ DEALLOCATE

  /** DEALLOCATE [PREPARE] name | ALL, and DISCARD ALL: the coordinator database's, then ours. */
  private boolean deallocate(Statement s, ClientSink sink) {
    if (!local(s, sink)) {
      return false;
    }
    forget(s.tokens());
    return true;
  }

  /** Drops what DEALLOCATE [PREPARE] name | ALL or DISCARD ALL dropped. */
  private void forget(List<Token> t) {
    Token target = t.size() > 2 && t.get(1).isWord("PREPARE") ? t.get(2) : t.get(1);
    if (target.isWord("ALL")) {
      statements.clear();
      locals.clear();
    } else if (t.get(0).isWord("DEALLOCATE")) {
      statements.remove(Identifiers.nameOf(target.text()));
      locals.remove(Identifiers.nameOf(target.text()));
    }
  }

  private void quietly(String sql) {
    onBackend(sql);
  }

  /** Runs Basalt's own statement in the coordinator database; returns its error or null. */
  private BasaltException onBackend(String sql) {
    BackendConnection.CollectingSink sink = new BackendConnection.CollectingSink();
    session.runOnBackend(() -> session.backend().simpleQuery(sql, sink));
    return sink.error();
  }

  private Sql db() {
    return new BackendSql(session.backend());
  }
}
