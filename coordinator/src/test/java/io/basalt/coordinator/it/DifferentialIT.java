package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.basalt.agent.testing.TestPostgres;
import io.basalt.coordinator.it.DifferentialCorpus.Query;
import io.basalt.coordinator.it.DifferentialCorpus.Schema;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Differential test: every corpus query over distributed tables must give through Basalt exactly
 * what a single plain PostgreSQL holding all the rows gives, or fail with the SQLSTATE listed for
 * it in unsupported.txt.
 *
 * <p>The corpus is src/test/resources/differential (see {@link DifferentialCorpus}): per schema
 * (saas, events, tpch) schema.sql and data.sql run on both servers, distribute.sql on Basalt only,
 * then each query of queries.sql runs on both in two modes, pgjdbc's simple protocol
 * ({@code preferQueryMode=simple}) and its default extended protocol, one connection per server
 * and mode. Compared: column count, labels, type names and the rows as text (getString, NULL
 * kept). A query whose outermost level has ORDER BY (found by a lexer: an ORDER BY outside all
 * parentheses) is compared row by row, in order; any other query as a multiset of rows. The
 * corpus is linted on load: read-only statements only, LIMIT/OFFSET only with ORDER BY,
 * array_agg/string_agg/jsonb_agg with ORDER BY inside; a result column of a float type fails
 * (round it or use numeric), as does a query that fails on PostgreSQL.
 *
 * <p>unsupported.txt lists {@code <query-id> <SQLSTATE>}: Basalt must fail such a query with
 * exactly that SQLSTATE; if it succeeds the test fails asking to remove the line (and reports
 * whether the answer matched). Any other error on Basalt fails the test.
 *
 * <p>Properties: {@code -Ddifferential.distribute=false} skips distribute.sql, so the tables stay
 * local on Basalt's coordinator and everything must pass (a self-check of corpus and harness);
 * the rows of Basalt's copy are then rewritten in another physical order (unless
 * {@code -Ddifferential.shuffle=false}), so a query whose answer depends on ties shows up.
 * {@code -Ddifferential.only=REGEX} runs only matching query ids; {@code -Ddifferential.keep=true}
 * leaves the tables on Basalt afterwards. A summary goes to target/differential-report.txt.
 */
class DifferentialIT {
  static final List<String> SCHEMAS = List.of("saas", "events", "tpch");
  static final boolean DISTRIBUTE =
      Boolean.parseBoolean(System.getProperty("differential.distribute", "true"));
  static final boolean SHUFFLE =
      Boolean.parseBoolean(System.getProperty("differential.shuffle", Boolean.toString(!DISTRIBUTE)));
  static final boolean KEEP = Boolean.getBoolean("differential.keep");
  static final Pattern ONLY = Pattern.compile(System.getProperty("differential.only", ".*"));
  static final Path REPORT = Path.of("target", "differential-report.txt");
  static final int TIMEOUT_SECONDS = 60;
  static final int MAX_ROWS_SHOWN = 5;

  enum Mode {
    SIMPLE("simple"), EXTENDED("extended");

    final String label;

    Mode(String label) {
      this.label = label;
    }

    Properties properties() {
      Properties p = new Properties();
      if (this == SIMPLE) {
        p.setProperty("preferQueryMode", "simple");
      }
      return p;
    }
  }

  enum Status { PASS, REFUSED, FAIL }

  record Outcome(Status status, String detail) {}

  private static Path root;
  private static TestPostgres reference;
  private static final Map<Mode, Connection> BASALT = new EnumMap<>(Mode.class);
  private static final Map<Mode, Connection> POSTGRES = new EnumMap<>(Mode.class);
  private static final Map<String, String> SETUP_ERRORS = new LinkedHashMap<>();
  private static final List<String> CORPUS_PROBLEMS = new ArrayList<>();
  private static final Map<String, List<Query>> QUERIES = new LinkedHashMap<>();
  private static Map<String, String> unsupported = Map.of();
  private static final Map<String, Map<Mode, Outcome>> OUTCOMES = new ConcurrentHashMap<>();
  private static long started;

  @BeforeAll
  static void setUp() throws Exception {
    started = System.nanoTime();
    root = corpusRoot();
    for (String name : SCHEMAS) {
      QUERIES.put(name, DifferentialCorpus.queries(schema(name), CORPUS_PROBLEMS));
    }
    unsupported = DifferentialCorpus.unsupported(root.resolve("unsupported.txt"), CORPUS_PROBLEMS);
    checkIds();

    TestBasalt.server();
    reference = TestPostgres.start();
    for (Mode mode : Mode.values()) {
      BASALT.put(mode, connectBasalt(mode));
      POSTGRES.put(mode, connectPostgres(mode));
    }
    for (String name : SCHEMAS) {
      try {
        load(schema(name));
      } catch (SQLException | IOException | RuntimeException e) {
        SETUP_ERRORS.put(name, describe(e));
      }
    }
  }

  @AfterAll
  static void tearDown() throws Exception {
    try {
      writeReport();
    } finally {
      try {
        if (!KEEP && !BASALT.isEmpty()) {
          try (Statement s = usable(Mode.SIMPLE, true).createStatement()) {
            for (String name : SCHEMAS) {
              for (String drop : drops(schema(name))) {
                s.execute(drop);
              }
            }
          }
        }
      } finally {
        for (Connection c : BASALT.values()) {
          closeQuietly(c);
        }
        for (Connection c : POSTGRES.values()) {
          closeQuietly(c);
        }
        if (reference != null) {
          reference.close();
        }
      }
    }
  }

  @TestFactory
  Stream<DynamicNode> corpus() {
    List<DynamicNode> nodes = new ArrayList<>();
    nodes.add(DynamicTest.dynamicTest("corpus is well-formed", () -> assertTrue(
        CORPUS_PROBLEMS.isEmpty(), "corpus problems:\n" + String.join("\n", CORPUS_PROBLEMS))));
    for (var entry : QUERIES.entrySet()) {
      List<DynamicNode> tests = new ArrayList<>();
      for (Query q : entry.getValue()) {
        if (!ONLY.matcher(q.id()).matches()) {
          continue;
        }
        for (Mode mode : Mode.values()) {
          tests.add(DynamicTest.dynamicTest(q.id() + " " + mode.label, () -> check(q, mode)));
        }
      }
      nodes.add(DynamicContainer.dynamicContainer(entry.getKey(), tests));
    }
    return nodes.stream();
  }

  // ---------------------------------------------------------------------------------------------
  // One query in one mode

  private static void check(Query q, Mode mode) {
    Outcome outcome;
    try {
      outcome = outcome(q, mode);
    } catch (SQLException | RuntimeException e) {
      outcome = new Outcome(Status.FAIL, "harness error: " + describe(e));
    }
    OUTCOMES.computeIfAbsent(q.id(), k -> new ConcurrentHashMap<>()).put(mode, outcome);
    if (outcome.status() == Status.FAIL) {
      fail(q.id() + " (" + mode.label + "): " + outcome.detail() + "\n--- query:\n" + q.sql());
    }
  }

  private static Outcome outcome(Query q, Mode mode) throws SQLException {
    String setupError = SETUP_ERRORS.get(q.schema());
    if (setupError != null) {
      return new Outcome(Status.FAIL, "set-up of " + q.schema() + " failed: " + setupError);
    }
    Answer expected;
    try {
      expected = answer(usable(mode, false), q.sql());
    } catch (SQLException e) {
      return new Outcome(Status.FAIL, "corpus: fails on PostgreSQL itself: " + describe(e));
    }
    String floats = expected.floatColumns();
    if (!floats.isEmpty()) {
      return new Outcome(Status.FAIL, "corpus: float result column(s) " + floats
          + " (round them or use numeric)");
    }
    String refusal = unsupported.get(q.id());
    Answer actual;
    try {
      actual = answer(usable(mode, true), q.sql());
    } catch (SQLException e) {
      String state = Objects.requireNonNullElse(e.getSQLState(), "?????");
      if (refusal != null && refusal.equals(state)) {
        return new Outcome(Status.REFUSED, state + " " + oneLine(e.getMessage()));
      }
      return new Outcome(Status.FAIL, "error " + state + ": " + oneLine(e.getMessage())
          + (refusal != null ? " (unsupported.txt expects " + refusal + ")" : ""));
    }
    String difference = difference(expected, actual, q.ordered());
    if (refusal != null) {
      return new Outcome(Status.FAIL, "now supported: remove " + q.id() + " from unsupported.txt"
          + (difference == null ? " (the answer matches PostgreSQL)"
          : " (but the answer differs: " + difference + ")"));
    }
    return difference == null ? new Outcome(Status.PASS, "")
        : new Outcome(Status.FAIL, "mismatch: " + difference);
  }

  /** A result: one "label:type" per column, then the rows as text. */
  record Answer(List<String> labels, List<String> types, List<List<String>> rows) {
    String floatColumns() {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < types.size(); i++) {
        if (types.get(i).equals("float4") || types.get(i).equals("float8")) {
          out.add(labels.get(i) + ":" + types.get(i));
        }
      }
      return String.join(", ", out);
    }
  }

  static Answer answer(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.setEscapeProcessing(false);
      s.setQueryTimeout(TIMEOUT_SECONDS);
      try (ResultSet rs = s.executeQuery(sql)) {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        List<String> labels = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          labels.add(md.getColumnLabel(i));
          types.add(md.getColumnTypeName(i));
        }
        List<List<String>> rows = new ArrayList<>();
        while (rs.next()) {
          List<String> row = new ArrayList<>(n);
          for (int i = 1; i <= n; i++) {
            row.add(rs.getString(i));
          }
          rows.add(row);
        }
        return new Answer(labels, types, rows);
      }
    }
  }

  /** Null if the answers are the same, else what differs. */
  static String difference(Answer expected, Answer actual, boolean ordered) {
    if (expected.labels().size() != actual.labels().size()) {
      return "column count " + actual.labels().size() + ", expected " + expected.labels().size()
          + " " + expected.labels();
    }
    if (!expected.labels().equals(actual.labels())) {
      return "column labels " + actual.labels() + ", expected " + expected.labels();
    }
    if (!expected.types().equals(actual.types())) {
      return "column types " + actual.types() + ", expected " + expected.types();
    }
    List<List<String>> want = expected.rows();
    List<List<String>> got = actual.rows();
    if (!ordered) {
      want = sorted(want);
      got = sorted(got);
    }
    if (want.equals(got)) {
      return null;
    }
    StringBuilder d = new StringBuilder();
    d.append(got.size()).append(" rows, expected ").append(want.size())
        .append(ordered ? " (ordered)" : " (as multisets)");
    if (ordered) {
      int i = 0;
      while (i < want.size() && i < got.size() && want.get(i).equals(got.get(i))) {
        i++;
      }
      d.append("; first difference at row ").append(i + 1).append(": got ")
          .append(i < got.size() ? show(got.get(i)) : "no row").append(", expected ")
          .append(i < want.size() ? show(want.get(i)) : "no row");
    } else {
      List<List<String>> missing = minus(want, got);
      List<List<String>> extra = minus(got, want);
      d.append("; missing ").append(missing.size()).append(' ').append(shown(missing))
          .append("; unexpected ").append(extra.size()).append(' ').append(shown(extra));
    }
    return d.toString();
  }

  private static final Comparator<List<String>> ROW_ORDER = (a, b) -> {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      String x = a.get(i);
      String y = b.get(i);
      if (!Objects.equals(x, y)) {
        if (x == null) {
          return -1;
        }
        if (y == null) {
          return 1;
        }
        return x.compareTo(y);
      }
    }
    return Integer.compare(a.size(), b.size());
  };

  private static List<List<String>> sorted(List<List<String>> rows) {
    List<List<String>> out = new ArrayList<>(rows);
    out.sort(ROW_ORDER);
    return out;
  }

  /** The rows of a (sorted) not matched in b (sorted), as a multiset difference. */
  private static List<List<String>> minus(List<List<String>> a, List<List<String>> b) {
    List<List<String>> out = new ArrayList<>();
    int j = 0;
    for (List<String> row : a) {
      while (j < b.size() && ROW_ORDER.compare(b.get(j), row) < 0) {
        j++;
      }
      if (j < b.size() && ROW_ORDER.compare(b.get(j), row) == 0) {
        j++;
      } else {
        out.add(row);
      }
    }
    return out;
  }

  private static String shown(List<List<String>> rows) {
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < Math.min(rows.size(), MAX_ROWS_SHOWN); i++) {
      s.append(i == 0 ? "" : ", ").append(show(rows.get(i)));
    }
    return s.append(rows.size() > MAX_ROWS_SHOWN ? ", ...]" : "]").toString();
  }

  private static String show(List<String> row) {
    StringBuilder s = new StringBuilder("(");
    for (int i = 0; i < row.size(); i++) {
      String v = row.get(i);
      s.append(i == 0 ? "" : ", ").append(v == null ? "NULL" : "'" + v + "'");
    }
    return s.append(')').toString();
  }

  // ---------------------------------------------------------------------------------------------
  // Set-up

  private static Path corpusRoot() throws URISyntaxException {
    var url = DifferentialIT.class.getResource("/differential/unsupported.txt");
    if (url == null) {
      throw new IllegalStateException("differential/unsupported.txt is not on the test classpath");
    }
    return Path.of(url.toURI()).getParent();
  }

  private static Schema schema(String name) {
    return new Schema(name, root.resolve(name));
  }

  private static void checkIds() {
    Map<String, String> seen = new TreeMap<>();
    for (var e : QUERIES.entrySet()) {
      for (Query q : e.getValue()) {
        String before = seen.put(q.id(), e.getKey());
        if (before != null) {
          CORPUS_PROBLEMS.add("query id " + q.id() + " used twice (" + before + ", "
              + e.getKey() + ")");
        }
      }
    }
    for (String id : unsupported.keySet()) {
      if (!seen.containsKey(id)) {
        CORPUS_PROBLEMS.add("unsupported.txt names " + id + ", which is not in the corpus");
      }
    }
  }

  /**
   * Creates and fills a schema's tables on both servers after dropping what an earlier run left
   * on the shared Basalt server, then distributes them on Basalt (or, in self-check mode,
   * rewrites Basalt's rows in another physical order).
   */
  private static void load(Schema schema) throws SQLException, IOException {
    String ddl = Files.readString(schema.file("schema.sql"));
    List<String> drops = drops(schema);
    List<String> create = DifferentialCorpus.statements(ddl);
    List<String> data = DifferentialCorpus.statements(Files.readString(schema.file("data.sql")));
    List<String> tables = DifferentialCorpus.createdObjects(ddl).entrySet().stream()
        .filter(e -> e.getValue().equals("TABLE")).map(Map.Entry::getKey).toList();
    List<String> analyze = tables.stream().map(t -> "ANALYZE " + t).toList();
    for (Connection c : List.of(BASALT.get(Mode.SIMPLE), POSTGRES.get(Mode.SIMPLE))) {
      String server = c == BASALT.get(Mode.SIMPLE) ? "Basalt" : "PostgreSQL";
      run(c, server, drops);
      run(c, server, create);
      run(c, server, data);
      run(c, server, analyze);
    }
    Connection basalt = BASALT.get(Mode.SIMPLE);
    if (DISTRIBUTE) {
      run(basalt, "Basalt", DifferentialCorpus.statements(
          Files.readString(schema.file("distribute.sql"))));
    } else if (SHUFFLE) {
      List<String> shuffle = new ArrayList<>();
      for (String t : tables) {
        shuffle.add("CREATE TEMP TABLE differential_shuffle AS SELECT * FROM " + t);
        shuffle.add("TRUNCATE " + t);
        shuffle.add("INSERT INTO " + t + " SELECT * FROM differential_shuffle"
            + " ORDER BY md5(differential_shuffle::text) DESC");
        shuffle.add("DROP TABLE differential_shuffle");
        shuffle.add("ANALYZE " + t);
      }
      run(basalt, "Basalt", shuffle);
    }
  }

  /** DROP statements for what a schema.sql creates: schemas with CASCADE, tables in reverse. */
  private static List<String> drops(Schema schema) throws IOException {
    Map<String, String> objects =
        DifferentialCorpus.createdObjects(Files.readString(schema.file("schema.sql")));
    List<String> schemas = new ArrayList<>();
    List<String> tables = new ArrayList<>();
    for (var e : objects.entrySet()) {
      if (e.getValue().equals("SCHEMA")) {
        schemas.add("DROP SCHEMA IF EXISTS " + e.getKey() + " CASCADE");
      } else {
        String table = e.getKey();
        boolean inDroppedSchema = objects.entrySet().stream().anyMatch(o ->
            o.getValue().equals("SCHEMA") && table.startsWith(o.getKey() + "."));
        if (!inDroppedSchema) {
          tables.add(0, "DROP TABLE IF EXISTS " + table + " CASCADE");
        }
      }
    }
    schemas.addAll(tables);
    return schemas;
  }

  private static void run(Connection c, String server, List<String> statements)
      throws SQLException {
    try (Statement s = c.createStatement()) {
      s.setEscapeProcessing(false);
      for (String sql : statements) {
        try {
          s.execute(sql);
        } catch (SQLException e) {
          throw new SQLException("on " + server + ": " + oneLine(sql) + ": " + describe(e),
              e.getSQLState(), e);
        }
      }
    }
  }

  private static Connection connectBasalt(Mode mode) throws SQLException {
    return TestBasalt.connect(mode.properties());
  }

  private static Connection connectPostgres(Mode mode) throws SQLException {
    Properties p = reference.jdbcLogin();
    p.putAll(mode.properties());
    return DriverManager.getConnection(reference.jdbcUrl(), p);
  }

  /** The connection for a mode, reopened if an earlier query broke it. */
  private static Connection usable(Mode mode, boolean basalt) throws SQLException {
    Map<Mode, Connection> pool = basalt ? BASALT : POSTGRES;
    Connection c = pool.get(mode);
    if (c == null || c.isClosed() || !c.isValid(5)) {
      closeQuietly(c);
      c = basalt ? connectBasalt(mode) : connectPostgres(mode);
      pool.put(mode, c);
    }
    return c;
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // Already broken: nothing to do.
      }
    }
  }

  private static String describe(Exception e) {
    String state = e instanceof SQLException s && s.getSQLState() != null
        ? s.getSQLState() + " " : "";
    return state + oneLine(String.valueOf(e.getMessage()));
  }

  private static String oneLine(String s) {
    String flat = s == null ? "" : s.strip().replaceAll("\\s*\n\\s*", " ");
    return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
  }

  // ---------------------------------------------------------------------------------------------
  // Report

  private static void writeReport() throws IOException {
    StringBuilder body = new StringBuilder();
    Map<Status, Integer> perQuery = new EnumMap<>(Status.class);
    Map<Mode, Map<Status, Integer>> perMode = new EnumMap<>(Mode.class);
    Map<String, Integer> failKinds = new TreeMap<>();
    int notRun = 0;
    for (var e : QUERIES.entrySet()) {
      body.append("## ").append(e.getKey()).append('\n');
      for (Query q : e.getValue()) {
        Map<Mode, Outcome> byMode = OUTCOMES.get(q.id());
        if (byMode == null || byMode.size() < Mode.values().length) {
          notRun++;
          if (ONLY.matcher(q.id()).matches()) {
            body.append(String.format("%-12s NOT RUN%n", q.id()));
          }
          continue;
        }
        Status worst = Status.PASS;
        for (Mode m : Mode.values()) {
          Outcome o = byMode.get(m);
          perMode.computeIfAbsent(m, k -> new EnumMap<>(Status.class)).merge(o.status(), 1,
              Integer::sum);
          if (o.status().compareTo(worst) > 0) {
            worst = o.status();
          }
          if (o.status() == Status.FAIL) {
            failKinds.merge(m.label + ": " + kind(o.detail()), 1, Integer::sum);
          }
        }
        perQuery.merge(worst, 1, Integer::sum);
        Outcome simple = byMode.get(Mode.SIMPLE);
        Outcome extended = byMode.get(Mode.EXTENDED);
        if (simple.equals(extended)) {
          body.append(String.format("%-12s %s%s%n", q.id(), simple.status(),
              simple.detail().isEmpty() ? "" : " (" + simple.detail() + ")"));
        } else {
          body.append(String.format("%-12s %s%n", q.id(), worst));
          for (Mode m : Mode.values()) {
            Outcome o = byMode.get(m);
            body.append(String.format("    %-8s %s%s%n", m.label, o.status(),
                o.detail().isEmpty() ? "" : " (" + o.detail() + ")"));
          }
        }
      }
    }
    StringBuilder head = new StringBuilder();
    head.append("Differential test: Basalt vs PostgreSQL\n");
    head.append("mode: ").append(DISTRIBUTE ? "distributed (distribute.sql run on Basalt)"
        : "self-check (tables local on Basalt" + (SHUFFLE ? ", rows shuffled" : "") + ")")
        .append("; query filter: ").append(ONLY.pattern()).append('\n');
    head.append(String.format("elapsed: %.1f s%n", (System.nanoTime() - started) / 1e9));
    if (!CORPUS_PROBLEMS.isEmpty()) {
      head.append("corpus problems:\n");
      CORPUS_PROBLEMS.forEach(p -> head.append("  ").append(p).append('\n'));
    }
    SETUP_ERRORS.forEach((k, v) -> head.append("set-up of ").append(k).append(" failed: ")
        .append(v).append('\n'));
    head.append("queries: ").append(QUERIES.values().stream().mapToInt(List::size).sum())
        .append(" (").append(String.join(", ", QUERIES.entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue().size()).toList())).append(")\n");
    head.append("per query (worst of both modes): ");
    for (Status s : Status.values()) {
      head.append(s).append(' ').append(perQuery.getOrDefault(s, 0)).append("  ");
    }
    head.append("NOT RUN ").append(notRun).append('\n');
    for (var e : perMode.entrySet()) {
      head.append("  ").append(e.getKey().label).append(": ");
      for (Status s : Status.values()) {
        head.append(s).append(' ').append(e.getValue().getOrDefault(s, 0)).append("  ");
      }
      head.append('\n');
    }
    if (!failKinds.isEmpty()) {
      head.append("failures by kind:\n");
      failKinds.forEach((k, v) -> head.append(String.format("  %5d  %s%n", v, k)));
    }
    head.append('\n');
    Files.createDirectories(REPORT.toAbsolutePath().getParent());
    Files.writeString(REPORT, head.append(body).toString());
    System.out.println(head);
  }

  /** A failure's kind for the totals: "error 0A000", "mismatch: column types", ... */
  private static String kind(String detail) {
    if (detail.startsWith("error ")) {
      return detail.substring(0, Math.min(detail.length(), 11));
    }
    if (detail.startsWith("mismatch: ")) {
      String rest = detail.substring("mismatch: ".length());
      if (rest.startsWith("column")) {
        return "mismatch: " + rest.substring(0, rest.indexOf(' ', 7));
      }
      return "mismatch: rows";
    }
    int colon = detail.indexOf(':');
    return colon > 0 ? detail.substring(0, colon) : detail;
  }
}
