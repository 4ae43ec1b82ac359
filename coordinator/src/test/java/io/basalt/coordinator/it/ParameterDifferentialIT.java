package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.basalt.coordinator.it.TwinServers.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Differential test for prepared statements with bound parameters (pgjdbc PreparedStatement,
 * extended protocol): every case of differential/parameters.txt is prepared once on Basalt (pd_
 * tables distributed) and once on a separate plain PostgreSQL (same tables, plain), and executed
 * once per parameter line on both, in file order, writes included, so both sides see the same
 * statements. Several cases run more than five times, past pgjdbc's prepareThreshold (server-side
 * named statements), PostgreSQL's custom-to-generic plan switch and Basalt's plan caching.
 *
 * <p>Per execution compared: error (its SQLSTATE only) or success; column labels; rows as text
 * (in order when the SQL's outermost level has ORDER BY, otherwise as a sorted multiset); update
 * counts. At the end the full contents of every pd_ table are compared. All mismatches are
 * collected and reported at once.
 *
 * <p>Parameter tokens: {@code int:5} setInt, {@code long:7} setLong, {@code text:abc} setString
 * (sent as varchar), {@code numeric:1.5} setBigDecimal, {@code bool:true} setBoolean,
 * {@code date:2024-01-31} setObject(LocalDate), {@code null:TYPE} setNull with the matching
 * java.sql.Types, {@code textarray:a,b} / {@code intarray:1,2} / {@code longarray:1,2}
 * createArrayOf text / int4 / int8 (nothing after the colon: an empty array), and
 * {@code untyped:42} setObject(i, "42", Types.OTHER), which pgjdbc sends with no type (OID 0) so
 * the server infers it.
 */
class ParameterDifferentialIT {
  private static final String CASES = "/differential/parameters.txt";
  private static final String CASE_SEPARATOR = "-- case";
  private static final String PARAMS_MARKER = "-- params";
  private static final int TIMEOUT_SECONDS = 60;

  private static final String DROP =
      "DROP TABLE IF EXISTS pd_users, pd_orders, pd_countries CASCADE";
  private static final List<String> CREATE = List.of(
      "CREATE TABLE pd_users (id bigint PRIMARY KEY, name text, country text,"
          + " score numeric(10,2), created date, flags int[], attrs jsonb)",
      "CREATE TABLE pd_orders (user_id bigint, order_id int, amount numeric(12,2), status text,"
          + " PRIMARY KEY (user_id, order_id))",
      "CREATE TABLE pd_countries (code text PRIMARY KEY, region text)",
      "INSERT INTO pd_users SELECT g, 'user_' || g,"
          + " CASE WHEN g % 17 = 0 THEN NULL"
          + " ELSE (ARRAY['US','DE','FR','JP','BR','XX'])[g % 6 + 1] END,"
          + " CASE WHEN g % 13 = 0 THEN NULL ELSE round((g * 37 % 1000) / 10.0, 2) END,"
          + " date '2024-01-01' + (g % 90),"
          + " CASE WHEN g % 11 = 0 THEN NULL ELSE ARRAY[g % 3, g % 7] END,"
          + " CASE WHEN g % 19 = 0 THEN NULL ELSE jsonb_build_object('tier',"
          + " (ARRAY['gold','silver','bronze'])[g % 3 + 1], 'level', g % 10) END"
          + " FROM generate_series(1, 300) g",
      "INSERT INTO pd_orders SELECT u, o, round(((u * 7 + o * 13) % 500) + 0.25, 2),"
          + " (ARRAY['new','paid','shipped'])[(u + o) % 3 + 1]"
          + " FROM generate_series(1, 300) u, generate_series(1, 3) o WHERE o <= u % 4",
      "INSERT INTO pd_countries VALUES ('US','NA'), ('DE','EU'), ('FR','EU'), ('JP','APAC'),"
          + " ('BR','LATAM'), ('CA','NA')");
  private static final List<String> DISTRIBUTE = List.of(
      "SELECT create_distributed_table('pd_users', 'id', shard_count => 8)",
      "SELECT create_distributed_table('pd_orders', 'user_id', colocate_with => 'pd_users')",
      "SELECT create_reference_table('pd_countries')");
  /** Every table with a query returning all its rows in a total order. */
  private static final List<String> TABLES = List.of(
      "SELECT * FROM pd_users ORDER BY id",
      "SELECT * FROM pd_orders ORDER BY user_id, order_id",
      "SELECT * FROM pd_countries ORDER BY code");

  private static TwinServers twin;
  private static Connection basalt;
  private static Connection postgres;

  @BeforeAll
  static void setUp() throws SQLException {
    twin = TwinServers.open(DROP, CREATE, DISTRIBUTE);
    basalt = twin.basalt;
    postgres = twin.postgres;
  }

  @AfterAll
  static void tearDown() throws SQLException {
    if (twin != null) {
      twin.close();
    }
  }

  @Test
  void parametersGiveTheSameAnswers() throws IOException, SQLException {
    List<Case> cases = cases();
    List<String> mismatches = new ArrayList<>();
    int executions = 0;
    int matchedExecutions = 0;
    int matchedCases = 0;
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      String label = "case " + (i + 1) + ": " + oneLine(c.sql());
      boolean ordered = DifferentialCorpus.hasTopLevelOrderBy(c.sql());
      System.out.println(label);
      int caseMismatches = 0;
      PreparedStatement onBasalt = basalt.prepareStatement(c.sql());
      try (PreparedStatement onPostgres = postgres.prepareStatement(c.sql())) {
        for (int e = 0; e < c.params().size(); e++) {
          List<String> params = c.params().get(e);
          Outcome expected = execute(onPostgres, params, ordered);
          Outcome actual = execute(onBasalt, params, ordered);
          if (actual.sqlState() != null && actual.sqlState().startsWith("client ")) {
            // pgjdbc itself failed on Basalt's messages: the session's protocol state is
            // unknown, so go on with a new Basalt session and a new prepared statement.
            System.out.println("    (pgjdbc failed on Basalt's answer: new Basalt session)");
            closeQuietly(onBasalt);
            closeQuietly(basalt);
            basalt = TestBasalt.connect();
            onBasalt = basalt.prepareStatement(c.sql());
          }
          executions++;
          boolean same = expected.equals(actual);
          System.out.println("    #" + (e + 1) + " " + params + " " + (same ? "same" : "DIFFERENT")
              + ": PostgreSQL " + expected.brief() + (same ? "" : "; Basalt " + actual.brief()));
          if (same) {
            matchedExecutions++;
          } else {
            caseMismatches++;
            mismatches.add(label + "\n    execution #" + (e + 1) + " params " + params
                + "\n    expected (PostgreSQL): " + expected
                + "\n    actual (Basalt):       " + actual);
          }
        }
      } finally {
        closeQuietly(onBasalt);
      }
      if (caseMismatches == 0) {
        matchedCases++;
      }
      System.out.println("    => " + (caseMismatches == 0 ? "PASS" : "FAIL (" + caseMismatches
          + " of " + c.params().size() + " executions differ)"));
    }
    compareTables(mismatches);
    System.out.printf("ParameterDifferentialIT: %d cases (%d passed, %d failed), %d executions"
        + " (%d matched, %d differed); %d mismatches in all%n", cases.size(), matchedCases,
        cases.size() - matchedCases, executions, matchedExecutions,
        executions - matchedExecutions, mismatches.size());
    mismatches.forEach(System.out::println);
    assertEquals(List.of(), mismatches, "\n" + String.join("\n", mismatches));
  }

  // ---------------------------------------------------------------------------------------------

  private static Outcome execute(PreparedStatement ps, List<String> params, boolean ordered) {
    try {
      ps.setQueryTimeout(TIMEOUT_SECONDS);
      ps.clearParameters();
      for (int i = 0; i < params.size(); i++) {
        bind(ps, i + 1, params.get(i));
      }
      if (ps.execute()) {
        try (ResultSet rs = ps.getResultSet()) {
          List<String> labels = new ArrayList<>();
          List<String> rows = TwinServers.rows(rs, labels);
          if (!ordered) {
            Collections.sort(rows);
          }
          return new Outcome(null, -1, labels, rows);
        }
      }
      return new Outcome(null, ps.getLargeUpdateCount(), null, null);
    } catch (SQLException e) {
      return new Outcome(Objects.requireNonNullElse(e.getSQLState(), "?????"), -1, null, null);
    } catch (RuntimeException e) {
      // pgjdbc could not make sense of the server's messages (e.g. IllegalStateException).
      return new Outcome("client " + e.getClass().getSimpleName() + ": " + e.getMessage(), -1,
          null, null);
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // Already broken: nothing more to do.
    }
  }

  /** Binds one typed token (see the class comment). */
  private static void bind(PreparedStatement ps, int index, String token) throws SQLException {
    int colon = token.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("parameter token without a type: " + token);
    }
    String type = token.substring(0, colon);
    String value = token.substring(colon + 1);
    switch (type) {
      case "int" -> ps.setInt(index, Integer.parseInt(value));
      case "long" -> ps.setLong(index, Long.parseLong(value));
      case "text" -> ps.setString(index, value);
      case "numeric" -> ps.setBigDecimal(index, new BigDecimal(value));
      case "bool" -> ps.setBoolean(index, Boolean.parseBoolean(value));
      case "date" -> ps.setObject(index, LocalDate.parse(value));
      case "untyped" -> ps.setObject(index, value, Types.OTHER);
      case "textarray" -> ps.setArray(index,
          ps.getConnection().createArrayOf("text", elements(value).toArray(new String[0])));
      case "intarray" -> ps.setArray(index, ps.getConnection().createArrayOf("int4",
          elements(value).stream().map(Integer::valueOf).toArray(Integer[]::new)));
      case "longarray" -> ps.setArray(index, ps.getConnection().createArrayOf("int8",
          elements(value).stream().map(Long::valueOf).toArray(Long[]::new)));
      case "null" -> ps.setNull(index, switch (value) {
        case "int" -> Types.INTEGER;
        case "long" -> Types.BIGINT;
        case "text" -> Types.VARCHAR;
        case "numeric" -> Types.NUMERIC;
        case "date" -> Types.DATE;
        case "bool" -> Types.BOOLEAN;
        default -> throw new IllegalArgumentException("unknown null type: " + token);
      });
      default -> throw new IllegalArgumentException("unknown parameter type: " + token);
    }
  }

  private static List<String> elements(String value) {
    return value.isEmpty() ? List.of() : Arrays.asList(value.split(",", -1));
  }

  /** Compares every pd_ table in full on both sides. */
  private static void compareTables(List<String> mismatches) {
    for (String query : TABLES) {
      List<String> want = contents(postgres, query);
      List<String> got = contents(basalt, query);
      boolean same = want.equals(got);
      System.out.println("table check: " + query + ": " + (same ? "same" : "DIFFERENT") + " ("
          + want.size() + " rows on PostgreSQL, " + got.size() + " on Basalt)");
      if (same) {
        continue;
      }
      List<String> missing = new ArrayList<>(want);
      got.forEach(missing::remove);
      List<String> extra = new ArrayList<>(got);
      want.forEach(extra::remove);
      mismatches.add("table contents after all cases (" + query + "): Basalt has " + got.size()
          + " rows, PostgreSQL " + want.size() + "; missing on Basalt " + missing
          + "; unexpected on Basalt " + extra);
    }
  }

  private static List<String> contents(Connection c, String query) {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
      return TwinServers.rows(rs, new ArrayList<>());
    } catch (SQLException e) {
      return List.of("error " + e.getSQLState() + " " + oneLine(e.getMessage()));
    }
  }

  /** One case: the SQL and one parameter list per execution. */
  record Case(String sql, List<List<String>> params) {}

  /**
   * The cases: blocks between lines "-- case"; in each, SQL lines (comment lines dropped) up to
   * "-- params", then one execution per non-blank line, tokens separated by " | ". Text before
   * the first "-- case" is a header and ignored.
   */
  static List<Case> cases() throws IOException {
    String text;
    try (InputStream in = ParameterDifferentialIT.class.getResourceAsStream(CASES)) {
      if (in == null) {
        throw new IllegalStateException(CASES + " is not on the test classpath");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String[] blocks = text.split("(?m)^" + CASE_SEPARATOR + "[ \\t]*$");
    List<Case> out = new ArrayList<>();
    for (int b = 1; b < blocks.length; b++) {
      StringBuilder sql = new StringBuilder();
      List<List<String>> params = new ArrayList<>();
      boolean inParams = false;
      for (String line : blocks[b].split("\n", -1)) {
        String stripped = line.strip();
        if (!inParams) {
          if (stripped.equals(PARAMS_MARKER)) {
            inParams = true;
          } else if (!stripped.startsWith("--") && !stripped.isEmpty()) {
            sql.append(line).append('\n');
          }
        } else if (!stripped.isEmpty() && !stripped.startsWith("#")
            && !stripped.startsWith("--")) {
          params.add(List.of(stripped.split(" \\| ", -1)));
        }
      }
      if (!inParams || sql.toString().isBlank() || params.isEmpty()) {
        throw new IllegalStateException("case " + b + " in " + CASES
            + " needs SQL, a line " + PARAMS_MARKER + " and at least one parameter line");
      }
      out.add(new Case(sql.toString().strip(), params));
    }
    return out;
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.strip().replaceAll("\\s*\n\\s*", " ");
  }
}
