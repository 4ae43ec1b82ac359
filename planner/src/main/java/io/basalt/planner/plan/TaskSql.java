package io.basalt.planner.plan;

import io.basalt.metadata.catalog.DistributedTable;
import io.basalt.metadata.catalog.Identifiers;
import io.basalt.metadata.catalog.Shard;
import io.basalt.metadata.shard.ShardNames;
import io.basalt.planner.lexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The one place that writes what each task of a plan sends: execution and EXPLAIN both call
 * these functions, so EXPLAIN shows exactly the statements that run. Each is the client's own
 * text with table names (and, for a multi-row INSERT, its VALUES rows) replaced.
 */
public final class TaskSql {
  private TaskSql() {}

  /** A shard's qualified name; a reference table has one shard whatever the index. */
  public static String shardName(DistributedTable table, int index) {
    Shard shard = table.shards().get(table.isReference() ? 0 : index);
    return Identifiers.quote(table.schema()) + "."
        + Identifiers.quote(ShardNames.shardName(table.name(), shard.shardId()));
  }

  /** The statement on one shard group: index {@code index} of every table it names. */
  public static String onShards(String text, List<Token> tokens, List<TableSpot> spots,
      int index) {
    List<StatementText.Edit> edits = new ArrayList<>(StatementText.tableEdits(tokens, spots,
        spot -> shardName(spot.table(), index)));
    edits.addAll(StatementText.constraintEdits(tokens, spots, index));
    return StatementText.apply(text, edits);
  }

  /** A multi-row INSERT on one shard with only the rows (indexes into its VALUES) it holds. */
  public static String insertRows(String text, List<Token> tokens, ShapePlan.MultiRowInsert m,
      int index, List<Integer> rows) {
    StringBuilder values = new StringBuilder();
    for (int row : rows) {
      int[] span = m.rows().get(row);
      values.append(values.isEmpty() ? "" : ", ")
          .append(StatementText.between(text, tokens, span[0], span[1]));
    }
    int rowsStart = tokens.get(m.rows().get(0)[0]).start();
    int rowsEnd = tokens.get(m.rows().get(m.rows().size() - 1)[1]).end();
    List<StatementText.Edit> edits = new ArrayList<>(StatementText.tableEdits(tokens,
        m.spots(), spot -> shardName(spot.table(), index)));
    edits.addAll(StatementText.constraintEdits(tokens, m.spots(), index));
    edits.add(new StatementText.Edit(rowsStart, rowsEnd, values.toString()));
    return StatementText.apply(text, edits);
  }

  /** The partial aggregate query one shard runs. */
  public static String partialAggregate(ShapePlan.AggregatePushdown a, int index) {
    return a.split().workerSql(shardName(a.table(), index));
  }

  /** The gathered columns as a list for SELECT and COPY. */
  public static String columnList(List<String> columns) {
    StringBuilder list = new StringBuilder();
    for (String c : columns) {
      list.append(list.isEmpty() ? "" : ", ").append(Identifiers.quote(c));
    }
    return list.toString();
  }

  /**
   * The query that reads one shard's rows of a gathered table: all its columns, filtered by the
   * statement's own WHERE condition when the gather may push it down (a single-table query).
   */
  public static String gatherRead(String text, List<Token> tokens, ShapePlan.Gather g,
      TableSpot spot, List<String> columns, int index) {
    int[] filter = g.spots().size() == 1 ? g.filter() : null;
    String alias = Identifiers.quote(spot.table().name());
    String where = "";
    if (filter != null) {
      String written = spot.aliased() ? StatementText.aliasOf(tokens, spot) : alias;
      if (written != null) {
        alias = written;
        where = " WHERE " + StatementText.betweenWithTables(text, tokens, filter[0], filter[1],
            g.spots());
      }
    }
    return "SELECT " + columnList(columns) + " FROM " + shardName(spot.table(), index) + " AS "
        + alias + where;
  }

  /** The temporary table of the coordinator database that holds the n-th gathered table. */
  public static String gatherTable(int n) {
    return "pg_temp.basalt_gather_" + n;
  }

  /** The statement the coordinator database runs over the gathered tables. */
  public static String overGathered(String text, List<Token> tokens, List<TableSpot> spots,
      Function<DistributedTable, String> temporaryTable) {
    return StatementText.withTables(text, tokens, spots,
        spot -> temporaryTable.apply(spot.table()));
  }
}
