package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.coordinator.session.PlanCases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * EXPLAIN through Basalt over pgjdbc, on the tables of the golden plan files (schema
 * explain_it: orders and customers co-located with 4 shards, events with 3, countries a
 * reference table, notes local). Every golden statement runs as EXPLAIN ANALYZE with all tasks
 * shown inside a rolled back transaction, so every task SQL of the golden files is executed on
 * a real worker, and the plan kind and task counts must be the golden file's.
 */
class ExplainIT {
  private static final String SCHEMA = "explain_it";

  @BeforeAll
  static void createTables() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
      s.execute("CREATE SCHEMA " + SCHEMA);
      s.execute("SET search_path = " + SCHEMA);
      s.execute("CREATE TABLE orders (id bigint, customer_id bigint, amount numeric,"
          + " status text)");
      s.execute("CREATE TABLE customers (id bigint, name text, country_code text)");
      s.execute("CREATE TABLE events (device_id int, at timestamptz, kind text)");
      s.execute("CREATE TABLE countries (code text, name text)");
      s.execute("CREATE TABLE notes (body text)");
      s.execute("SELECT create_distributed_table('orders', 'customer_id', shard_count => 4,"
          + " colocate_with => 'none')");
      s.execute("SELECT create_distributed_table('customers', 'id', colocate_with => 'orders')");
      s.execute("SELECT create_distributed_table('events', 'device_id', shard_count => 3,"
          + " colocate_with => 'none')");
      s.execute("SELECT create_reference_table('countries')");
      s.execute("INSERT INTO countries VALUES ('NL', 'Netherlands'), ('FR', 'France')");
      s.execute("INSERT INTO customers VALUES (1, 'ann', 'NL'), (2, 'bob', 'FR'),"
          + " (42, 'eve', 'NL')");
      s.execute("INSERT INTO orders VALUES (1, 1, 10, 'new'), (2, 2, 20, 'new'),"
          + " (3, 42, 30, 'paid'), (4, 42, 120, 'paid'), (5, 3, 6, 'new')");
      s.execute("INSERT INTO events VALUES (1, now(), 'click'), (3, now(), 'view')");
    }
  }

  @AfterAll
  static void dropTables() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA " + SCHEMA + " CASCADE");
    }
  }

  /** A connection through Basalt with the test's schema first on the search path. */
  private static Connection connect() throws SQLException {
    Properties p = new Properties();
    p.setProperty("options", "-c search_path=" + SCHEMA);
    return TestBasalt.connect(p);
  }

  // ------------------------------------------------------------------ golden statements

  @TestFactory
  Stream<DynamicTest> goldenPlansRunOnARealCluster() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String name : PlanCases.names()) {
      List<PlanCases.Case> cases = PlanCases.cases(name);
      List<PlanCases.Expected> expected = PlanCases.expected(name);
      assertEquals(cases.size(), expected.size(), name + ".txt does not match " + name + ".sql");
      for (int i = 0; i < cases.size(); i++) {
        PlanCases.Case c = cases.get(i);
        PlanCases.Expected e = expected.get(i);
        tests.add(DynamicTest.dynamicTest(name + ": " + c.sql(), () -> checkGolden(c, e)));
      }
    }
    return tests.stream();
  }

  private static void checkGolden(PlanCases.Case c, PlanCases.Expected e) throws SQLException {
    try (Connection conn = connect()) {
      conn.setAutoCommit(false);
      try (Statement s = conn.createStatement()) {
        s.execute("SET LOCAL citus.explain_all_tasks = on");
      }
      String sql = "EXPLAIN (ANALYZE, COSTS off, TIMING off, SUMMARY off) "
          + c.sql().replaceAll("\\$\\d+", "?");
      try (PreparedStatement ps = conn.prepareStatement(sql)) {
        for (int i = 0; i < c.params().size(); i++) {
          String v = c.params().get(i);
          // Integers as JDBC applications bind them (int8); the rest without a type.
          if (v != null && v.matches("-?\\d+")) {
            ps.setLong(i + 1, Long.parseLong(v));
          } else {
            ps.setObject(i + 1, v, Types.OTHER);
          }
        }
        if (e.refusedState() != null) {
          SQLException error = assertThrows(SQLException.class, () -> lines(ps));
          assertEquals(e.refusedState(), error.getSQLState(), error.getMessage());
          return;
        }
        List<String> plan = lines(ps);
        String text = String.join("\n", plan);
        if (e.scan() == null) {
          assertFalse(text.contains("Basalt"), text);
          return;
        }
        assertEquals("Custom Scan (" + e.scan() + ")", plan.get(0), text);
        assertEquals(e.taskCounts(), taskCounts(plan), text);
        int tasks = e.taskCounts().stream().mapToInt(Integer::intValue).sum();
        assertEquals(tasks, tasks(plan), text);
        assertEquals(tasks, analyzedTasks(plan), "every task ran: " + text);
      } finally {
        conn.rollback();
      }
    }
  }

  /** The Task Count of each task list, in order. */
  private static List<Integer> taskCounts(List<String> plan) {
    List<Integer> counts = new ArrayList<>();
    for (String line : plan) {
      if (line.strip().startsWith("Task Count: ")) {
        counts.add(Integer.valueOf(line.strip().substring("Task Count: ".length())));
      }
    }
    return counts;
  }

  /** The tasks shown. */
  private static int tasks(List<String> plan) {
    return (int) plan.stream().filter(l -> l.strip().equals("->  Task")).count();
  }

  /** The tasks shown whose worker plan has ANALYZE's actual rows (on the line after Node). */
  private static int analyzedTasks(List<String> plan) {
    int n = 0;
    for (int i = 1; i < plan.size(); i++) {
      if (plan.get(i - 1).strip().startsWith("Node: ") && plan.get(i).contains("(actual rows=")) {
        n++;
      }
    }
    return n;
  }

  // ------------------------------------------------------------------ EXPLAIN's output

  @Test
  void routerShowsOneTaskOnTheShardOfTheValue() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      List<String> plan = lines(s, "EXPLAIN (COSTS off) SELECT * FROM orders"
          + " WHERE customer_id = 42");
      String text = String.join("\n", plan);
      assertEquals("Custom Scan (Basalt Router)", plan.get(0), text);
      assertTrue(plan.contains("  Task Count: 1"), text);
      assertTrue(plan.contains("  Tasks Shown: All"), text);
      assertTrue(plan.contains("  ->  Task"), text);
      // 42 hashes into the fourth of four ranges (golden/plans/router.txt).
      long shard = shardIds(s, "orders").get(3);
      assertTrue(text.contains("orders_" + shard + " orders"), text);
      assertTrue(plan.stream().anyMatch(l -> l.startsWith("        Node: host=")
          && l.endsWith(" dbname=postgres")), text);
      assertEquals(1, tasks(plan), text);
    }
  }

  @Test
  void parametersOfTheExtendedProtocolChooseTheShard() throws SQLException {
    try (Connection c = connect();
        PreparedStatement ps = c.prepareStatement("EXPLAIN (COSTS off) SELECT * FROM orders"
            + " WHERE customer_id = ?")) {
      ps.setLong(1, 42);
      List<String> plan;
      try (ResultSet rs = ps.executeQuery()) {
        assertEquals("QUERY PLAN", rs.getMetaData().getColumnName(1));
        plan = new ArrayList<>();
        while (rs.next()) {
          plan.add(rs.getString(1));
        }
      }
      String text = String.join("\n", plan);
      assertTrue(plan.contains("  Task Count: 1"), text);
      try (Statement s = c.createStatement()) {
        assertTrue(text.contains("orders_" + shardIds(s, "orders").get(3) + " "), text);
      }
      assertTrue(text.contains("42"), "the worker planned with the value: " + text);
    }
  }

  @Test
  void multiShardShowsOneOfAllTasksOrEveryTask() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      List<String> plan = lines(s, "EXPLAIN (COSTS off) UPDATE orders SET amount = 0");
      String text = String.join("\n", plan);
      assertEquals("Custom Scan (Basalt Adaptive)", plan.get(0), text);
      assertTrue(plan.contains("  Task Count: 4"), text);
      assertTrue(plan.contains("  Tasks Shown: One of 4"), text);
      assertEquals(1, tasks(plan), text);
      assertTrue(text.contains("->  Update on orders_"), text);
      assertEquals(5, count(s, "SELECT count(*) FROM orders WHERE id <= 5 AND amount <> 0"),
          "EXPLAIN without ANALYZE changes nothing");

      s.execute("SET citus.explain_all_tasks = on");
      plan = lines(s, "EXPLAIN (COSTS off) SELECT count(*) FROM orders");
      text = String.join("\n", plan);
      assertEquals("Custom Scan (Basalt Aggregate)", plan.get(0), text);
      assertTrue(plan.contains("  Tasks Shown: All"), text);
      assertEquals(4, tasks(plan), text);
      assertTrue(plan.contains("  Combine Query: SELECT (coalesce(sum(p1), 0)::bigint) AS"
          + " \"count\" FROM basalt_partials"), text);
      s.execute("RESET citus.explain_all_tasks");
      assertEquals(1, tasks(lines(s, "EXPLAIN SELECT count(*) FROM orders")));
    }
  }

  @Test
  void gatherShowsEachTableAndTheCoordinatorPlan() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      List<String> plan = lines(s, "EXPLAIN (COSTS off) SELECT c.name, sum(o.amount)"
          + " FROM orders o JOIN customers c ON c.id = o.customer_id GROUP BY 1 ORDER BY 1");
      String text = String.join("\n", plan);
      assertEquals("Custom Scan (Basalt Gather)", plan.get(0), text);
      assertTrue(plan.contains("  ->  Gather " + SCHEMA + ".orders"), text);
      assertTrue(plan.contains("  ->  Gather " + SCHEMA + ".customers"), text);
      assertTrue(plan.contains("  ->  Coordinator Plan"), text);
      assertTrue(text.contains("Seq Scan on basalt_gather_"), text);

      // ANALYZE runs the gather: the coordinator's plan saw the real rows.
      plan = lines(s, "EXPLAIN (ANALYZE, COSTS off, TIMING off) SELECT * FROM orders"
          + " WHERE amount > 15 ORDER BY id");
      text = String.join("\n", plan);
      assertTrue(text.contains("Seq Scan on basalt_gather_") && text.contains("actual rows=3"),
          text);
      assertTrue(plan.get(plan.size() - 1).startsWith("Execution Time: "), text);
    }
  }

  @Test
  void explainAnalyzeOfADeleteDeletes() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO orders VALUES (100, 77, 1, 'doomed'), (101, 77, 2, 'doomed'),"
          + " (102, 78, 3, 'doomed'), (103, 79, 4, 'doomed'), (104, 80, 5, 'doomed')");
      List<String> plan = lines(s, "EXPLAIN (COSTS off) DELETE FROM orders"
          + " WHERE customer_id = 77");
      assertEquals("Custom Scan (Basalt Router)", plan.get(0));
      assertEquals(2, count(s, "SELECT count(*) FROM orders WHERE customer_id = 77"),
          "EXPLAIN without ANALYZE deletes nothing");

      plan = lines(s, "EXPLAIN (ANALYZE, COSTS off, TIMING off) DELETE FROM orders"
          + " WHERE customer_id = 77");
      String text = String.join("\n", plan);
      assertTrue(text.contains("->  Delete on orders_") && text.contains("actual rows=0"),
          text);
      assertEquals(0, count(s, "SELECT count(*) FROM orders WHERE customer_id = 77"), text);

      // On every shard, in one distributed transaction: all rows are gone, not one task's.
      plan = lines(s, "EXPLAIN ANALYZE DELETE FROM orders WHERE status = 'doomed'");
      text = String.join("\n", plan);
      assertEquals("Custom Scan (Basalt Adaptive)", plan.get(0), text);
      assertTrue(plan.contains("  Tasks Shown: One of 4"), text);
      assertEquals(0, count(s, "SELECT count(*) FROM orders WHERE status = 'doomed'"), text);
    }
  }

  @Test
  void insideABlockTheTasksSeeItsWritesAndRollBackWithIt() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("INSERT INTO orders VALUES (200, 90, 1, 'block')");
      String text = String.join("\n", lines(s, "EXPLAIN (ANALYZE, COSTS off, TIMING off)"
          + " SELECT * FROM orders WHERE customer_id = 90"));
      assertTrue(text.contains("actual rows=1"), text);
      lines(s, "EXPLAIN ANALYZE UPDATE orders SET status = 'changed' WHERE status = 'block'");
      assertEquals(1, count(s, "SELECT count(*) FROM orders WHERE status = 'changed'"));
      c.rollback();
      assertEquals(0, count(s, "SELECT count(*) FROM orders WHERE customer_id = 90"));
      c.setAutoCommit(true);
    }
  }

  @Test
  void localStatementsKeepPostgresOwnOutput() throws SQLException {
    Properties p = new Properties();
    p.setProperty("options", "-c search_path=" + SCHEMA);
    try (Connection basalt = connect(); Statement b = basalt.createStatement();
        Connection direct = TestBasalt.connectDirect(p); Statement d = direct.createStatement()) {
      for (String sql : List.of("EXPLAIN SELECT * FROM notes WHERE body = 'x'",
          "EXPLAIN (COSTS off, VERBOSE) SELECT body, count(*) FROM notes GROUP BY body",
          "EXPLAIN (FORMAT JSON) SELECT 1")) {
        assertEquals(lines(d, sql), lines(b, sql), sql);
      }
    }
  }

  @Test
  void unsupportedFormsAreRefused() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      SQLException json = assertThrows(SQLException.class,
          () -> lines(s, "EXPLAIN (FORMAT JSON) SELECT * FROM orders"));
      assertEquals("0A000", json.getSQLState());
      assertTrue(json.getMessage().contains("FORMAT TEXT"), json.getMessage());
      // A statement refused on its own is refused under EXPLAIN with the same error.
      SQLException partition = assertThrows(SQLException.class,
          () -> lines(s, "EXPLAIN UPDATE orders SET customer_id = 1"));
      assertEquals("0A000", partition.getSQLState());
      assertTrue(partition.getMessage().contains("partition value"), partition.getMessage());
      // EXPLAIN of what the planner does not cover is refused as the statement would be.
      SQLException createAs = assertThrows(SQLException.class,
          () -> lines(s, "EXPLAIN CREATE TABLE orders_copy AS SELECT * FROM orders"));
      assertEquals("0A000", createAs.getSQLState());
      SQLException analyze = assertThrows(SQLException.class,
          () -> lines(s, "EXPLAIN (ANALYZE maybe) DELETE FROM orders"));
      assertEquals("42601", analyze.getSQLState());
      assertEquals(5, count(s, "SELECT count(*) FROM orders WHERE id <= 5"));
    }
  }

  // ------------------------------------------------------------------ helpers

  private static List<String> lines(Statement s, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static List<String> lines(PreparedStatement ps) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static long count(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** A table's shard ids in hash range order. */
  private static List<Long> shardIds(Statement s, String table) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (ResultSet rs = s.executeQuery("SELECT shardid FROM pg_dist_shard WHERE logicalrelid = '"
        + SCHEMA + "." + table + "'::regclass ORDER BY shardminvalue::int")) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    return ids;
  }
}
