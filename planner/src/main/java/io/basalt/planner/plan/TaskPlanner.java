package io.basalt.planner.plan;

import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import io.basalt.metadata.catalog.DistributedTable;
import io.basalt.metadata.catalog.MetadataSnapshot;
import io.basalt.metadata.catalog.Node;
import io.basalt.planner.lexer.Token;
import io.basalt.planner.route.FastPathRouter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The tasks a plan runs once the statement's values are known: which shard a router statement
 * reaches (or what it falls back to), which rows of a multi-row INSERT go where, what each
 * shard of an aggregate or a gather reads. Execution makes the same decisions through
 * {@link #routerTarget} and {@link TaskSql}; EXPLAIN and the golden plan files list them from
 * here.
 */
public final class TaskPlanner {
  /** The relation name the combine query of an aggregate reads its partial rows from. */
  public static final String PARTIALS = "basalt_partials";
  /** Citus's message (0A000) for FOR UPDATE/SHARE that is not routed to one shard. */
  public static final String LOCKING_MESSAGE =
      "could not run distributed query with FOR UPDATE/SHARE commands";
  /** What to do instead. */
  public static final String LOCKING_HINT = "Lock rows with a query that filters on the"
      + " distribution column of one table with a constant or a parameter, so that it runs on"
      + " one shard.";

  private TaskPlanner() {}

  /** What the tasks depend on in one run of the statement: its constants and bound values. */
  public interface Values {
    /** The shard index a distribution value selects, or null when it cannot be chosen here. */
    Integer shardOf(DistributedTable table, ValueRef value);

    /** Whether the value is a bind parameter bound to NULL. */
    boolean isNull(ValueRef value);

    /** Whether the statement came with bind parameters. */
    boolean hasParameters();
  }

  /** Where a router plan runs once its value is known. */
  public sealed interface RouterTarget {
    /** The shard group at this index. */
    record OneShard(int index) implements RouterTarget {}

    /** Every shard (a modification whose value cannot be hashed here). */
    record AllShards() implements RouterTarget {}

    /** A gather of the tables (a query whose value cannot be hashed here). */
    record GatherRows() implements RouterTarget {}

    /**
     * The coordinator database computes the rows and they are routed by the values stored (an
     * INSERT whose value cannot be hashed here: a DMY date, a string with escapes under
     * standard_conforming_strings off).
     */
    record ComputeRows() implements RouterTarget {}
  }

  /**
   * The router's target: its value's shard; for a value that cannot be hashed exactly here, an
   * INSERT fails, {@code distcol = NULL} reads any one shard (it holds for no row), a query
   * gathers and a modification runs on every shard.
   */
  public static RouterTarget routerTarget(ShapePlan.Router r, List<Token> tokens, Values values) {
    Integer index = values.shardOf(r.table(), r.value());
    if (index != null) {
      return new RouterTarget.OneShard(index);
    }
    if (tokens.get(0).isWord("INSERT")) {
      // ON CONFLICT needs the target's unique indexes, which only the shards have.
      if (values.isNull(r.value()) || hasOnConflict(tokens)) {
        throw unroutableInsert(values.isNull(r.value()));
      }
      return new RouterTarget.ComputeRows();
    }
    if (values.isNull(r.value())) {
      return new RouterTarget.OneShard(0);
    }
    if (!isQuery(tokens)) {
      return new RouterTarget.AllShards();
    }
    if (locksRows(tokens)) {
      // A gather reads rows without locking them on the workers.
      throw io.basalt.error.BasaltException.builder(io.basalt.error.SqlState.FEATURE_NOT_SUPPORTED,
          LOCKING_MESSAGE).hint(LOCKING_HINT).build();
    }
    return new RouterTarget.GatherRows();
  }

  private static boolean hasOnConflict(List<Token> tokens) {
    for (int i = 0; i + 1 < tokens.size(); i++) {
      if (tokens.get(i).isWord("ON") && tokens.get(i + 1).isWord("CONFLICT")) {
        return true;
      }
    }
    return false;
  }

  /** Whether a query has a locking clause (FOR UPDATE, FOR SHARE, ...) outside parentheses. */
  static boolean locksRows(List<Token> tokens) {
    int depth = 0;
    for (int i = 0; i + 1 < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.is("(")) {
        depth++;
      } else if (t.is(")")) {
        depth--;
      } else if (depth == 0 && t.isWord("FOR")) {
        Token next = tokens.get(i + 1);
        if (next.isWord("UPDATE") || next.isWord("SHARE") || next.isWord("NO")
            || next.isWord("KEY")) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether an aggregate pushdown gathers instead: with bind parameters, whose values the
   * split's text cannot carry to the shards.
   */
  public static boolean aggregateGathers(Values values) {
    return values.hasParameters();
  }

  /** Citus's error for a NULL distribution value; ours for a value we cannot hash exactly. */
  public static BasaltException unroutableInsert(boolean nullValue) {
    if (nullValue) {
      return BasaltException.of(SqlState.NOT_NULL_VIOLATION,
          FastPathRouter.INSERT_NULL_PARTITION_VALUE);
    }
    return BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED,
        "could not find the shard for the distribution column value of this INSERT",
        "Give the value as a constant of the column's type (dates and times in ISO form,"
            + " timestamptz with its offset).");
  }

  /**
   * The tasks of a plan with one statement's values.
   *
   * @param columns a table's columns in order (a gather reads them all)
   * @throws BasaltException the plan's error for a refused statement; an INSERT's error for a
   *     row whose distribution value cannot be routed
   */
  public static TaskList tasks(ShapePlan plan, String text, List<Token> tokens,
      MetadataSnapshot snapshot, Values values,
      Function<DistributedTable, List<String>> columns) {
    return switch (plan) {
      case ShapePlan.Refused r -> throw BasaltException.builder(r.sqlState(), r.message())
          .hint(r.hint()).build();
      case ShapePlan.Local l -> throw new IllegalArgumentException("a local plan has no tasks");
      case ShapePlan.Router r -> switch (routerTarget(r, tokens, values)) {
        case RouterTarget.OneShard o -> new TaskList(TaskList.Kind.ROUTER,
            List.of(onShards(snapshot, text, tokens, r.spots(), r.table(), o.index())), null,
            null);
        case RouterTarget.AllShards a -> allShards(snapshot, text, tokens, r.spots(), r.table());
        case RouterTarget.GatherRows g -> gather(snapshot, text, tokens,
            new ShapePlan.Gather(r.spots(), null), columns);
        case RouterTarget.ComputeRows c -> throw computedInsertNotExplained();
      };
      case ShapePlan.ReferenceRead r -> new TaskList(TaskList.Kind.ROUTER,
          List.of(onShards(snapshot, text, tokens, r.spots(), r.table(), 0)), null, null);
      case ShapePlan.ReferenceWrite r -> {
        List<Task> tasks = new ArrayList<>();
        for (int group : r.table().shards().get(0).placementGroups()) {
          Task one = onShards(snapshot, text, tokens, r.spots(), r.table(), 0);
          tasks.add(new Task(node(snapshot, group), null, one.shards(), one.sql()));
        }
        yield new TaskList(TaskList.Kind.ADAPTIVE, tasks, null, null);
      }
      case ShapePlan.MultiShardModify m -> allShards(snapshot, text, tokens, m.spots(),
          m.table());
      case ShapePlan.MultiRowInsert m -> multiRowInsert(snapshot, text, tokens, m, values);
      case ShapePlan.AggregatePushdown a -> aggregateGathers(values)
          ? gather(snapshot, text, tokens, new ShapePlan.Gather(a.spots(), null), columns)
          : aggregate(snapshot, a);
      case ShapePlan.Gather g -> gather(snapshot, text, tokens, g, columns);
      case ShapePlan.SubqueriesFirst f -> throw BasaltException.of(
          io.basalt.error.SqlState.FEATURE_NOT_SUPPORTED,
          "EXPLAIN of an UPDATE or DELETE whose subqueries run first is not supported yet",
          "Run EXPLAIN on each subquery.");
      case ShapePlan.InsertViaCoordinator v -> throw computedInsertNotExplained();
    };
  }

  private static BasaltException computedInsertNotExplained() {
    return BasaltException.of(io.basalt.error.SqlState.FEATURE_NOT_SUPPORTED,
        "EXPLAIN of an INSERT whose rows the coordinator computes (INSERT ... SELECT, or"
            + " sequence defaults) is not supported yet",
        "Run EXPLAIN on the SELECT part.");
  }

  private static Task onShards(MetadataSnapshot snapshot, String text, List<Token> tokens,
      List<TableSpot> spots, DistributedTable table, int index) {
    return new Task(shardNode(snapshot, table, index), null, shardsOf(spots, index),
        TaskSql.onShards(text, tokens, spots, index));
  }

  private static TaskList allShards(MetadataSnapshot snapshot, String text, List<Token> tokens,
      List<TableSpot> spots, DistributedTable table) {
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < table.shards().size(); i++) {
      tasks.add(onShards(snapshot, text, tokens, spots, table, i));
    }
    return new TaskList(TaskList.Kind.ADAPTIVE, tasks, null, null);
  }

  private static TaskList multiRowInsert(MetadataSnapshot snapshot, String text,
      List<Token> tokens, ShapePlan.MultiRowInsert m, Values values) {
    List<Task> tasks = new ArrayList<>();
    rowsByShard(m, values).forEach((index, rows) -> tasks.add(new Task(
        shardNode(snapshot, m.table(), index), null, shardsOf(m.spots(), index),
        TaskSql.insertRows(text, tokens, m, index, rows))));
    // Rows that all go to one shard run there alone, as a router statement.
    return new TaskList(tasks.size() == 1 ? TaskList.Kind.ROUTER : TaskList.Kind.ADAPTIVE,
        tasks, null, null);
  }

  /**
   * The rows of a multi-row INSERT (indexes into its VALUES list) by the shard their
   * distribution value selects, shards in the order of their first row.
   *
   * @throws BasaltException for a row whose value cannot be routed
   */
  /**
   * Whether a multi-row INSERT's rows are computed by the coordinator database: some row's
   * distribution value cannot be hashed exactly here, none is NULL (Citus's 23502 comes first)
   * and there is no ON CONFLICT (which needs the shards' unique indexes).
   *
   * @throws BasaltException the error of an unroutable row that cannot be computed instead
   */
  public static boolean computedRows(ShapePlan.MultiRowInsert m, Values values,
      List<Token> tokens) {
    boolean unreadable = false;
    for (ValueRef value : m.values()) {
      if (values.isNull(value)) {
        throw unroutableInsert(true);
      }
      unreadable |= values.shardOf(m.table(), value) == null;
    }
    if (unreadable && hasOnConflict(tokens)) {
      throw unroutableInsert(false);
    }
    return unreadable;
  }

  public static Map<Integer, List<Integer>> rowsByShard(ShapePlan.MultiRowInsert m,
      Values values) {
    Map<Integer, List<Integer>> rowsByShard = new LinkedHashMap<>();
    for (int row = 0; row < m.rows().size(); row++) {
      ValueRef value = m.values().get(row);
      Integer index = values.shardOf(m.table(), value);
      if (index == null) {
        throw unroutableInsert(values.isNull(value));
      }
      rowsByShard.computeIfAbsent(index, k -> new ArrayList<>()).add(row);
    }
    return rowsByShard;
  }

  private static TaskList aggregate(MetadataSnapshot snapshot, ShapePlan.AggregatePushdown a) {
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < a.table().shards().size(); i++) {
      tasks.add(new Task(shardNode(snapshot, a.table(), i), null,
          List.of(TaskSql.shardName(a.table(), i)), TaskSql.partialAggregate(a, i)));
    }
    return new TaskList(TaskList.Kind.AGGREGATE, tasks, null,
        a.split().combineSql(PARTIALS));
  }

  private static TaskList gather(MetadataSnapshot snapshot, String text, List<Token> tokens,
      ShapePlan.Gather g, Function<DistributedTable, List<String>> columns) {
    Map<Long, String> temps = new LinkedHashMap<>();
    List<Task> tasks = new ArrayList<>();
    for (TableSpot spot : g.spots()) {
      DistributedTable table = spot.table();
      if (temps.containsKey(table.oid())) {
        continue;
      }
      temps.put(table.oid(), TaskSql.gatherTable(temps.size() + 1));
      List<String> names = columns.apply(table);
      for (int i = 0; i < table.shards().size(); i++) {
        tasks.add(new Task(shardNode(snapshot, table, i), table.qualifiedName(),
            List.of(TaskSql.shardName(table, i)),
            TaskSql.gatherRead(text, tokens, g, spot, names, i)));
      }
    }
    return new TaskList(TaskList.Kind.GATHER, tasks, g,
        TaskSql.overGathered(text, tokens, g.spots(), t -> temps.get(t.oid())));
  }

  private static List<String> shardsOf(List<TableSpot> spots, int index) {
    LinkedHashSet<String> names = new LinkedHashSet<>();
    for (TableSpot spot : spots) {
      names.add(TaskSql.shardName(spot.table(), index));
    }
    return List.copyOf(names);
  }

  /** The node of a shard's first placement; a reference table's one shard for any index. */
  public static Node shardNode(MetadataSnapshot snapshot, DistributedTable table, int index) {
    return node(snapshot, table.shards().get(table.isReference() ? 0 : index)
        .placementGroups().get(0));
  }

  /** The active primary of a node group. */
  public static Node node(MetadataSnapshot snapshot, int group) {
    return snapshot.primaryOf(group).orElseThrow(() -> BasaltException.of(
        SqlState.CONNECTION_FAILURE, "no active primary node for group " + group));
  }

  public static boolean isQuery(List<Token> tokens) {
    Token first = tokens.get(0);
    return first.isWord("SELECT") || first.isWord("WITH") || first.isWord("TABLE")
        || first.isWord("VALUES") || first.is("(");
  }
}
