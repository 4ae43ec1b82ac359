package io.basalt.planner.explain;

import io.basalt.planner.plan.Task;
import io.basalt.planner.plan.TaskList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A distributed plan as EXPLAIN's text, in the shape Citus gives it: a custom scan named after
 * the plan's kind, its task count, and the workers' own EXPLAIN output for the tasks shown (the
 * first, or all with {@code citus.explain_all_tasks}). A gather shows one such block per table
 * it reads, then the coordinator database's plan of the statement over the gathered rows; an
 * aggregate shows the query that combines the partial rows.
 *
 * <pre>
 * Custom Scan (Basalt Adaptive)
 *   Task Count: 4
 *   Tasks Shown: One of 4
 *   -&gt;  Task
 *         Node: host=localhost port=9701 dbname=postgres
 *         -&gt;  Seq Scan on orders_102008 orders
 *               Filter: (amount &gt; '5'::numeric)
 * </pre>
 */
public final class ExplainText {
  /** An arrow and the indentation of what hangs under it, as PostgreSQL writes them. */
  private static final String ARROW = "->  ";
  private static final int UNDER_ARROW = 6;

  private ExplainText() {}

  /** The tasks whose plans are shown: the first (of each gathered table), or all. */
  public static List<Task> shown(TaskList list, boolean allTasks) {
    List<Task> shown = new ArrayList<>();
    for (List<Task> tasks : groups(list).values()) {
      shown.addAll(allTasks ? tasks : tasks.subList(0, Math.min(1, tasks.size())));
    }
    return shown;
  }

  /**
   * The output lines.
   *
   * @param plans each shown task's EXPLAIN output from its worker, one line per element
   * @param coordinatorPlan for a gather, the coordinator database's EXPLAIN output of the
   *     statement over the gathered rows; null if not run
   * @param database the database the tasks run in, for the Node lines
   * @param executionMillis the whole statement's time for EXPLAIN ANALYZE's summary, or null
   */
  public static List<String> lines(TaskList list, boolean allTasks,
      Map<Task, List<String>> plans, List<String> coordinatorPlan, String database,
      Double executionMillis) {
    List<String> out = new ArrayList<>();
    out.add("Custom Scan (" + list.kind().scanName() + ")");
    if (list.kind() == TaskList.Kind.AGGREGATE) {
      detail(out, 2, "Combine Query: " + list.coordinatorSql());
    }
    if (list.kind() == TaskList.Kind.GATHER) {
      groups(list).forEach((table, tasks) -> {
        out.add(pad(2) + ARROW + "Gather " + table);
        tasks(out, 2 + UNDER_ARROW, tasks, allTasks, plans, database);
      });
      if (coordinatorPlan != null) {
        out.add(pad(2) + ARROW + "Coordinator Plan");
        nest(out, 2 + UNDER_ARROW, coordinatorPlan);
      }
    } else {
      tasks(out, 2, list.tasks(), allTasks, plans, database);
    }
    if (executionMillis != null) {
      out.add(String.format(Locale.ROOT, "Execution Time: %.3f ms", executionMillis));
    }
    return out;
  }

  /** Tasks by gathered table (one group of all tasks for other kinds), in order. */
  private static Map<String, List<Task>> groups(TaskList list) {
    Map<String, List<Task>> groups = new LinkedHashMap<>();
    for (Task t : list.tasks()) {
      groups.computeIfAbsent(t.gathered() == null ? "" : t.gathered(), k -> new ArrayList<>())
          .add(t);
    }
    return groups;
  }

  private static void tasks(List<String> out, int column, List<Task> tasks, boolean allTasks,
      Map<Task, List<String>> plans, String database) {
    out.add(pad(column) + "Task Count: " + tasks.size());
    out.add(pad(column) + "Tasks Shown: "
        + (allTasks || tasks.size() == 1 ? "All" : "One of " + tasks.size()));
    for (Task t : tasks) {
      List<String> plan = plans.get(t);
      if (plan == null) {
        continue;
      }
      out.add(pad(column) + ARROW + "Task");
      int under = column + UNDER_ARROW;
      out.add(pad(under) + "Node: host=" + t.node().name() + " port=" + t.node().port()
          + " dbname=" + database);
      nest(out, under, plan);
    }
  }

  /**
   * A plan hung under an arrow at {@code column}: its top node after the arrow, the rest of the
   * tree shifted to match; the summary lines PostgreSQL writes after the tree at the left margin
   * (Planning Time, Execution Time, JIT, ...) stay at the arrow's column.
   */
  private static void nest(List<String> out, int column, List<String> plan) {
    boolean summary = false;
    for (int i = 0; i < plan.size(); i++) {
      String line = plan.get(i);
      if (i == 0) {
        out.add(pad(column) + ARROW + line);
        continue;
      }
      summary |= !line.startsWith(" ");
      out.add(pad(summary ? column : column + ARROW.length()) + line);
    }
  }

  /** A detail line; a value written over several lines continues indented under it. */
  private static void detail(List<String> out, int column, String text) {
    String[] lines = text.split("\n", -1);
    out.add(pad(column) + lines[0]);
    for (int i = 1; i < lines.length; i++) {
      out.add(pad(column + 2) + lines[i]);
    }
  }

  private static String pad(int n) {
    return " ".repeat(n);
  }
}
