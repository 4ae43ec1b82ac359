package io.basalt.planner.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.basalt.metadata.catalog.Node;
import io.basalt.planner.plan.ShapePlan;
import io.basalt.planner.plan.Task;
import io.basalt.planner.plan.TaskList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExplainTextTest {
  private static final Node W1 = new Node(1, 1, "w1", 5433, true, "primary", "default", true);
  private static final Node W2 = new Node(2, 2, "w2", 5434, true, "primary", "default", true);
  private static final Task A = new Task(W1, null, List.of("public.t_1"), "DELETE FROM t_1");
  private static final Task B = new Task(W2, null, List.of("public.t_2"), "DELETE FROM t_2");

  /** A worker's EXPLAIN ANALYZE output: a tree, then summary lines at the left margin. */
  private static final List<String> WORKER_PLAN = List.of(
      "Delete on t_1 t  (actual rows=0 loops=1)",
      "  ->  Seq Scan on t_1 t  (actual rows=2 loops=1)",
      "        Filter: (a > 1)",
      "Planning:",
      "  Buffers: shared hit=3",
      "Execution Time: 0.010 ms");

  @Test
  void oneOfSeveralTasksWithItsWorkerPlanNested() {
    TaskList list = new TaskList(TaskList.Kind.ADAPTIVE, List.of(A, B), null, null);
    assertEquals(List.of(A), ExplainText.shown(list, false));
    assertEquals(String.join("\n",
        "Custom Scan (Basalt Adaptive)",
        "  Task Count: 2",
        "  Tasks Shown: One of 2",
        "  ->  Task",
        "        Node: host=w1 port=5433 dbname=db",
        "        ->  Delete on t_1 t  (actual rows=0 loops=1)",
        "              ->  Seq Scan on t_1 t  (actual rows=2 loops=1)",
        "                    Filter: (a > 1)",
        "        Planning:",
        "          Buffers: shared hit=3",
        "        Execution Time: 0.010 ms",
        "Execution Time: 1.500 ms"),
        String.join("\n", ExplainText.lines(list, false, Map.of(A, WORKER_PLAN), null, "db",
            1.5)));
  }

  @Test
  void allTasks() {
    TaskList list = new TaskList(TaskList.Kind.ADAPTIVE, List.of(A, B), null, null);
    assertEquals(List.of(A, B), ExplainText.shown(list, true));
    List<String> lines = ExplainText.lines(list, true, Map.of(A, List.of("Result"), B,
        List.of("Result")), null, "db", null);
    assertEquals(List.of("Custom Scan (Basalt Adaptive)", "  Task Count: 2",
        "  Tasks Shown: All", "  ->  Task", "        Node: host=w1 port=5433 dbname=db",
        "        ->  Result", "  ->  Task", "        Node: host=w2 port=5434 dbname=db",
        "        ->  Result"), lines);
  }

  @Test
  void aggregateNamesItsCombineQuery() {
    TaskList list = new TaskList(TaskList.Kind.AGGREGATE, List.of(A), null,
        "SELECT sum(p1)\nFROM basalt_partials");
    assertEquals(List.of("Custom Scan (Basalt Aggregate)",
        "  Combine Query: SELECT sum(p1)", "    FROM basalt_partials", "  Task Count: 1",
        "  Tasks Shown: All", "  ->  Task", "        Node: host=w1 port=5433 dbname=db",
        "        ->  Result"),
        ExplainText.lines(list, false, Map.of(A, List.of("Result")), null, "db", null));
  }

  @Test
  void gatherShowsEachTableThenTheCoordinatorPlan() {
    Task t1 = new Task(W1, "public.t", List.of("public.t_1"), "SELECT a FROM t_1 AS t");
    Task t2 = new Task(W2, "public.t", List.of("public.t_2"), "SELECT a FROM t_2 AS t");
    Task r = new Task(W1, "public.r", List.of("public.r_3"), "SELECT b FROM r_3 AS r");
    TaskList list = new TaskList(TaskList.Kind.GATHER, List.of(t1, t2, r),
        new ShapePlan.Gather(List.of(), null), "SELECT ...");
    assertEquals(List.of(t1, r), ExplainText.shown(list, false));
    assertEquals(List.of(
        "Custom Scan (Basalt Gather)",
        "  ->  Gather public.t",
        "        Task Count: 2",
        "        Tasks Shown: One of 2",
        "        ->  Task",
        "              Node: host=w1 port=5433 dbname=db",
        "              ->  Seq Scan on t_1 t",
        "  ->  Gather public.r",
        "        Task Count: 1",
        "        Tasks Shown: All",
        "        ->  Task",
        "              Node: host=w1 port=5433 dbname=db",
        "              ->  Seq Scan on r_3 r",
        "  ->  Coordinator Plan",
        "        ->  Hash Join",
        "              Hash Cond: (t.a = r.b)"),
        ExplainText.lines(list, false, Map.of(t1, List.of("Seq Scan on t_1 t"), r,
            List.of("Seq Scan on r_3 r")), List.of("Hash Join", "  Hash Cond: (t.a = r.b)"),
            "db", null));
  }
}
