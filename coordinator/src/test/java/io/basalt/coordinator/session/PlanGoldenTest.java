package io.basalt.coordinator.session;

import io.basalt.coordinator.dist.GoldenFiles;
import io.basalt.error.BasaltException;
import io.basalt.metadata.catalog.DistributedTable;
import io.basalt.metadata.catalog.MetadataSnapshot;
import io.basalt.metadata.catalog.Node;
import io.basalt.metadata.catalog.Shard;
import io.basalt.metadata.shard.HashRange;
import io.basalt.metadata.shard.ShardRanges;
import io.basalt.planner.Statement;
import io.basalt.planner.StatementClassifier;
import io.basalt.planner.plan.DistributedPlanner;
import io.basalt.planner.plan.ShapePlan;
import io.basalt.planner.plan.TableResolver;
import io.basalt.planner.plan.Task;
import io.basalt.planner.plan.TaskList;
import io.basalt.planner.plan.TaskPlanner;
import io.basalt.planner.shape.Shapes;
import io.basalt.planner.shape.StatementShape;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden plans: each statement of golden/plans/NAME.sql planned against a fixed catalog (two
 * workers; orders and customers co-located with 4 shards, events with 3, countries a reference
 * table, notes local), written to NAME.txt as its plan kind, task count, each task's node,
 * shards and SQL, and the coordinator's step. The SQL comes from the functions execution uses
 * ({@link TaskPlanner}, {@code TaskSql}); ExplainIT runs every statement on a real cluster and
 * checks the plan kind and task counts there. Run with -Dgolden.update=true to rewrite the
 * .txt files, then review the diff.
 */
class PlanGoldenTest {
  private static final Node WORKER_1 = new Node(1, 1, "localhost", 9701, true, "primary",
      "default", true);
  private static final Node WORKER_2 = new Node(2, 2, "localhost", 9702, true, "primary",
      "default", true);
  private static final int INT4 = 23;
  private static final int INT8 = 20;

  private static final DistributedTable ORDERS = hashTable(16400, "orders", "customer_id", 2,
      INT8, 1, 102008, 4);
  private static final DistributedTable CUSTOMERS = hashTable(16410, "customers", "id", 1, INT8,
      1, 102012, 4);
  private static final DistributedTable EVENTS = hashTable(16420, "events", "device_id", 1,
      INT4, 2, 102016, 3);
  private static final DistributedTable COUNTRIES = new DistributedTable(16430, "public",
      "countries", 'n', 't', 3, null, 0, 0,
      List.of(new Shard(102019, 16430, null, null, List.of(1, 2))));
  private static final MetadataSnapshot SNAPSHOT = MetadataSnapshot.of(1,
      List.of(WORKER_1, WORKER_2), List.of(ORDERS, CUSTOMERS, EVENTS, COUNTRIES));

  /** Each table's columns and their types, as the tables in ExplainIT have them. */
  private static final Map<String, Map<String, String>> COLUMNS = Map.of(
      "orders", columns("id", "bigint", "customer_id", "bigint", "amount", "numeric",
          "status", "text"),
      "customers", columns("id", "bigint", "name", "text", "country_code", "text"),
      "events", columns("device_id", "integer", "at", "timestamp with time zone", "kind",
          "text"),
      "countries", columns("code", "text", "name", "text"));

  private static final TableResolver RESOLVER = new TableResolver() {
    @Override
    public Optional<DistributedTable> resolve(List<String> names) {
      if (names.size() == 2 && !names.get(0).equals("public")) {
        return Optional.empty();
      }
      return SNAPSHOT.tables().values().stream()
          .filter(t -> t.name().equals(names.get(names.size() - 1))).findFirst();
    }

    @Override
    public List<String> columns(DistributedTable table) {
      return List.copyOf(COLUMNS.get(table.name()).keySet());
    }

    @Override
    public List<String> sequenceColumns(DistributedTable table) {
      return List.of();
    }

    /** A column's type; any other expression in these files is a comparison. */
    @Override
    public Map<String, String> expressionTypes(DistributedTable table, String relation,
        List<String> expressions) {
      Map<String, String> types = new HashMap<>();
      for (String e : expressions) {
        String column = e.substring(e.indexOf('.') + 1);
        types.put(e, COLUMNS.get(table.name()).getOrDefault(column, "boolean"));
      }
      return types;
    }
  };

  @TestFactory
  Stream<DynamicTest> goldenPlans() {
    return PlanCases.names().stream().map(name -> DynamicTest.dynamicTest(name,
        () -> GoldenFiles.check("plans/" + name + ".txt", render(PlanCases.cases(name)))));
  }

  private static String render(List<PlanCases.Case> cases) {
    StringBuilder out = new StringBuilder();
    for (PlanCases.Case c : cases) {
      if (!out.isEmpty()) {
        out.append('\n');
      }
      c.comments().forEach(line -> out.append(line).append('\n'));
      if (!c.params().isEmpty()) {
        out.append("-- params: ").append(String.join(", ", c.params().stream()
            .map(v -> v == null ? "NULL" : v).toList())).append('\n');
      }
      out.append(c.sql()).append('\n');
      try {
        describe(c, out);
      } catch (BasaltException e) {
        out.append(PlanCases.SUMMARY).append("refused: ").append(e.sqlState()).append(' ')
            .append(e.getMessage()).append('\n');
      }
    }
    return out.toString();
  }

  private static void describe(PlanCases.Case c, StringBuilder out) {
    Statement s = StatementClassifier.classify(c.sql());
    StatementShape shape = Shapes.of(s.tokens());
    ShapePlan plan = DistributedPlanner.plan(s.text(), s.tokens(), shape.slots(), RESOLVER);
    if (plan instanceof ShapePlan.Local) {
      out.append(PlanCases.SUMMARY).append("local: the coordinator database runs it\n");
      return;
    }
    DistributedStatements.Planned planned = new DistributedStatements.Planned(s, plan,
        shape.slots());
    TaskList list = TaskPlanner.tasks(plan, s.text(), s.tokens(), SNAPSHOT,
        DistributedStatements.values(planned, bound(c.params())),
        t -> List.copyOf(COLUMNS.get(t.name()).keySet()));
    Map<String, List<Task>> groups = new LinkedHashMap<>();
    for (Task t : list.tasks()) {
      groups.computeIfAbsent(t.gathered() == null ? "" : t.gathered(), k -> new ArrayList<>())
          .add(t);
    }
    out.append(PlanCases.SUMMARY).append(plan.getClass().getSimpleName())
        .append(" plan: Custom Scan (").append(list.kind().scanName()).append("), tasks ")
        .append(String.join(", ", groups.values().stream()
            .map(g -> Integer.toString(g.size())).toList()))
        .append('\n');
    groups.forEach((table, tasks) -> {
      if (!table.isEmpty()) {
        out.append("  gather ").append(table).append('\n');
      }
      for (int i = 0; i < tasks.size(); i++) {
        Task t = tasks.get(i);
        out.append("  task ").append(i + 1).append(" on ").append(t.node().address())
            .append(" (").append(String.join(", ", t.shards())).append("):\n");
        indent(out, t.sql());
      }
    });
    if (list.coordinatorSql() != null) {
      out.append(list.kind() == TaskList.Kind.AGGREGATE ? "  combine:\n" : "  coordinator:\n");
      indent(out, list.coordinatorSql());
    }
  }

  private static void indent(StringBuilder out, String sql) {
    for (String line : sql.split("\n")) {
      out.append("    ").append(line).append('\n');
    }
  }

  /** Text values for $1, $2, ..., as the extended protocol binds them. */
  private static ClusterSession.Bound bound(List<String> params) {
    if (params.isEmpty()) {
      return null;
    }
    List<byte[]> values = new ArrayList<>();
    for (String p : params) {
      values.add(p == null ? null : p.getBytes(StandardCharsets.UTF_8));
    }
    return new ClusterSession.Bound(new int[params.size()], values, new short[0], new short[0]);
  }

  private static DistributedTable hashTable(long oid, String name, String column, int attnum,
      int type, int colocation, long firstShard, int count) {
    List<HashRange> ranges = ShardRanges.uniform(count);
    List<Shard> shards = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      // Round robin over the two workers, as Citus places a new table's shards.
      shards.add(new Shard(firstShard + i, oid, ranges.get(i).min(), ranges.get(i).max(),
          List.of(i % 2 + 1)));
    }
    return new DistributedTable(oid, "public", name, 'h', 's', colocation, column, attnum, type,
        shards);
  }

  private static Map<String, String> columns(String... namesAndTypes) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < namesAndTypes.length; i += 2) {
      m.put(namesAndTypes[i], namesAndTypes[i + 1]);
    }
    return m;
  }
}
