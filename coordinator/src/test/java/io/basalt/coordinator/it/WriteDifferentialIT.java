package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.basalt.coordinator.it.TwinServers.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Differential test for writes: the statements of differential/writes.sql run in order, each on
 * Basalt (tables distributed, one session) and on a separate plain PostgreSQL (same tables, plain,
 * one session), autocommit, so BEGIN / COMMIT / ROLLBACK in the script control blocks.
 *
 * <p>Per statement compared: success or error (on error only the SQLSTATE), the update count, and
 * the returned rows (column labels, rows as text compared as a multiset: RETURNING order over
 * shards is not defined). After every COMMIT / ROLLBACK and at the end the full contents of every
 * wd_ table are compared; when a table differs, Basalt's copy is reset to PostgreSQL's rows so
 * later statements are checked from the same state. All mismatches are collected and reported at
 * once.
 */
class WriteDifferentialIT {
  private static final String SCRIPT = "/differential/writes.sql";
  private static final String SEPARATOR = "-- statement";
  private static final int TIMEOUT_SECONDS = 60;

  private static final String DROP =
      "DROP TABLE IF EXISTS wd_accounts, wd_moves, wd_kinds, wd_log CASCADE";
  private static final List<String> CREATE = List.of(
      "CREATE TABLE wd_accounts (id int PRIMARY KEY, owner text,"
          + " balance numeric(12,2) NOT NULL DEFAULT 0, tags text[])",
      "CREATE TABLE wd_moves (account_id int, seq int, amount numeric(12,2), note text,"
          + " PRIMARY KEY (account_id, seq))",
      "CREATE TABLE wd_kinds (kind text PRIMARY KEY, label text)",
      "CREATE TABLE wd_log (id int, account_id int, what text)");
  private static final List<String> DISTRIBUTE = List.of(
      "SELECT create_distributed_table('wd_accounts', 'id', shard_count => 8)",
      "SELECT create_distributed_table('wd_moves', 'account_id', colocate_with => 'wd_accounts')",
      "SELECT create_reference_table('wd_kinds')",
      "SELECT create_distributed_table('wd_log', 'id', colocate_with => 'none')");
  /** Every table with a query returning all its rows in a total order. */
  private static final List<List<String>> TABLES = List.of(
      List.of("wd_accounts", "SELECT * FROM wd_accounts ORDER BY id"),
      List.of("wd_moves", "SELECT * FROM wd_moves ORDER BY account_id, seq"),
      List.of("wd_kinds", "SELECT * FROM wd_kinds ORDER BY kind"),
      List.of("wd_log", "SELECT * FROM wd_log ORDER BY id, account_id, what"));

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
  void writesGiveTheSameAnswersAndRows() throws IOException, SQLException {
    List<Entry> statements = statements();
    List<String> mismatches = new ArrayList<>();
    int matched = 0;
    for (int i = 0; i < statements.size(); i++) {
      String sql = statements.get(i).sql();
      String label = "#" + (i + 1) + " " + oneLine(sql);
      String refused = statements.get(i).refused();
      // A listed refusal (docs/distributed-queries.md) runs on Basalt only, which must refuse it
      // with that SQLSTATE; PostgreSQL does not run it, so both sides keep the same rows.
      Outcome expected = refused != null ? new Outcome(refused, -1, null, null) : run(postgres, sql);
      Outcome actual = run(basalt, sql);
      String outcome = expected.equals(actual) ? "same" : "DIFFERENT";
      System.out.println(label + "\n    " + outcome + ": PostgreSQL " + expected.brief()
          + (expected.equals(actual) ? "" : "; Basalt " + actual.brief()));
      if (expected.equals(actual)) {
        matched++;
      } else {
        mismatches.add(label + "\n    expected (PostgreSQL): " + expected
            + "\n    actual (Basalt):       " + actual);
      }
      String head = sql.strip().toUpperCase(Locale.ROOT);
      boolean ends = head.startsWith("COMMIT") || head.startsWith("END")
          || (head.startsWith("ROLLBACK") && !head.matches("ROLLBACK\\s+TO\\b.*"));
      if (ends) {
        compareTables("after " + label, mismatches);
      }
    }
    compareTables("after the script", mismatches);
    System.out.printf("WriteDifferentialIT: %d statements, %d matched, %d differed;"
        + " %d mismatches in all%n", statements.size(), matched, statements.size() - matched,
        mismatches.size());
    mismatches.forEach(System.out::println);
    assertEquals(List.of(), mismatches, "\n" + String.join("\n", mismatches));
  }

  // ---------------------------------------------------------------------------------------------

  private static Outcome run(Connection c, String sql) {
    try (Statement s = c.createStatement()) {
      s.setEscapeProcessing(false);
      s.setQueryTimeout(TIMEOUT_SECONDS);
      if (s.execute(sql)) {
        try (ResultSet rs = s.getResultSet()) {
          List<String> labels = new ArrayList<>();
          List<String> rows = TwinServers.rows(rs, labels);
          Collections.sort(rows);
          return new Outcome(null, -1, labels, rows);
        }
      }
      return new Outcome(null, s.getLargeUpdateCount(), null, null);
    } catch (SQLException e) {
      return new Outcome(Objects.requireNonNullElse(e.getSQLState(), "?????"), -1, null, null);
    }
  }

  /** Compares every table in full; a differing table on Basalt is reset to PostgreSQL's rows. */
  private static void compareTables(String when, List<String> mismatches) {
    for (List<String> table : TABLES) {
      String name = table.get(0);
      String query = table.get(1);
      List<String> want = contents(postgres, query);
      List<String> got = contents(basalt, query);
      if (want.equals(got)) {
        continue;
      }
      List<String> missing = new ArrayList<>(want);
      got.forEach(missing::remove);
      List<String> extra = new ArrayList<>(got);
      want.forEach(extra::remove);
      String reset = resync(name, query);
      mismatches.add("table " + name + " " + when + ": Basalt has " + got.size()
          + " rows, PostgreSQL " + want.size() + "; missing on Basalt " + missing
          + "; unexpected on Basalt " + extra + " (" + reset + ")");
    }
  }

  private static List<String> contents(Connection c, String query) {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
      return TwinServers.rows(rs, new ArrayList<>());
    } catch (SQLException e) {
      return List.of("error " + e.getSQLState() + " " + oneLine(e.getMessage()));
    }
  }

  /** Rewrites Basalt's copy of a table with PostgreSQL's rows (values as untyped literals). */
  private static String resync(String table, String query) {
    try (Statement ps = postgres.createStatement(); ResultSet rs = ps.executeQuery(query);
        Statement bs = basalt.createStatement()) {
      int n = rs.getMetaData().getColumnCount();
      List<String> values = new ArrayList<>();
      while (rs.next()) {
        StringBuilder row = new StringBuilder("(");
        for (int i = 1; i <= n; i++) {
          String v = rs.getString(i);
          row.append(i == 1 ? "" : ", ")
              .append(v == null ? "NULL" : "'" + v.replace("'", "''") + "'");
        }
        values.add(row.append(')').toString());
      }
      bs.execute("DELETE FROM " + table);
      if (!values.isEmpty()) {
        bs.execute("INSERT INTO " + table + " VALUES " + String.join(", ", values));
      }
      return "Basalt's copy reset to PostgreSQL's rows";
    } catch (SQLException e) {
      return "reset failed: " + e.getSQLState() + " " + oneLine(e.getMessage());
    }
  }

  /** A script entry; {@code refused}: the SQLSTATE Basalt must refuse it with, or null. */
  record Entry(String sql, String refused) {}

  /**
   * The script's entries: text between lines "-- statement" (or "-- statement refused
   * SQLSTATE" for a statement Basalt refuses as documented), comment-only entries skipped.
   */
  static List<Entry> statements() throws IOException {
    String text;
    try (InputStream in = WriteDifferentialIT.class.getResourceAsStream(SCRIPT)) {
      if (in == null) {
        throw new IllegalStateException(SCRIPT + " is not on the test classpath");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<Entry> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    String refused = null;
    for (String line : (text + "\n" + SEPARATOR).split("\n", -1)) {
      String stripped = line.strip();
      if (stripped.equals(SEPARATOR) || stripped.startsWith(SEPARATOR + " refused ")) {
        String sql = current.toString().strip();
        boolean onlyComments = sql.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("--"));
        if (!onlyComments) {
          if (sql.endsWith(";")) {
            sql = sql.substring(0, sql.length() - 1).strip();
          }
          out.add(new Entry(sql, refused));
        }
        current.setLength(0);
        refused = stripped.equals(SEPARATOR) ? null
            : stripped.substring((SEPARATOR + " refused ").length()).strip();
      } else {
        current.append(line).append('\n');
      }
    }
    return out;
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.strip().replaceAll("\\s*\n\\s*", " ");
  }
}
