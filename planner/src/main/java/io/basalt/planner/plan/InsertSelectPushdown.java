package io.basalt.planner.plan;

import io.basalt.metadata.catalog.DistributedTable;
import io.basalt.planner.lexer.Token;
import io.basalt.planner.route.FastPathRouter;
import io.basalt.planner.sql.PgInsert;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.JoinType;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlSelect;

/**
 * INSERT ... SELECT between co-located tables, run on the shard groups: each group's INSERT
 * reads that group's rows and writes the rows it computes into the target's shard of the same
 * index, which is where they belong, as Citus pushes such statements down. That holds when:
 * <ul>
 *   <li>the target's distribution column receives, unchanged, the distribution column of a
 *       source table co-located with it (same type modifier too): each row's value then hashes
 *       to the group that computed it;</li>
 *   <li>the SELECT's hash-distributed tables are tied to each other as a router query's must be
 *       ({@link ColocationAnalysis}), so each group computes exactly its share of the rows;</li>
 *   <li>rows are not combined across groups: a GROUP BY includes such a distribution column
 *       (without ROLLUP, CUBE or GROUPING SETS), and there is no LIMIT/OFFSET, DISTINCT ON,
 *       window function or set operation;</li>
 *   <li>the shards compute the columns left to their defaults as the coordinator would (no
 *       sequence or time-function default) and call no sequence function.</li>
 * </ul>
 * ON CONFLICT then works on each shard (the target's unique indexes include its distribution
 * column), as long as DO UPDATE leaves that column alone. Anything else runs through the
 * coordinator as before (staged rows routed one by one).
 */
final class InsertSelectPushdown {
  private InsertSelectPushdown() {}

  /** The multi-shard plan of a co-located INSERT ... SELECT, or null. */
  static ShapePlan plan(PgInsert insert, List<TableSpot> spots, List<Token> tokens,
      TableResolver resolver) {
    if (!(insert.getSource() instanceof SqlSelect select) || select.getFetch() != null
        || select.getOffset() != null || !FastPathRouter.withNames(insert).isEmpty()
        || insert.getTargetColumnList() == null || unsafeTokens(tokens)) {
      return null;
    }
    Optional<DistributedTable> resolved =
        resolver.resolve(((SqlIdentifier) insert.getTargetTable()).names);
    if (resolved.isEmpty() || !resolved.get().isHashDistributed()
        || resolved.get().isReference()) {
      return null;
    }
    DistributedTable target = resolved.get();
    if (!ColocationAnalysis.namesOnlyDistributed(insert, resolver)) {
      return null;
    }
    // The target's columns: the key's position in the SELECT's output, and none left to a
    // default the shards would compute otherwise.
    Set<String> given = new HashSet<>();
    int keyPosition = -1;
    SqlNodeList columns = insert.getTargetColumnList();
    for (int i = 0; i < columns.size(); i++) {
      List<String> names = ((SqlIdentifier) columns.get(i)).names;
      String name = names.get(names.size() - 1);
      given.add(name);
      if (name.equals(target.distributionColumn())) {
        keyPosition = i;
      }
    }
    List<String> coordinatorDefaults = new ArrayList<>(resolver.sequenceColumns(target));
    coordinatorDefaults.addAll(resolver.timeDefaultColumns(target));
    for (String c : coordinatorDefaults) {
      if (!given.contains(c)) {
        return null;
      }
    }
    List<SqlNode> items = select.getSelectList().getList();
    if (keyPosition < 0 || items.size() != columns.size()) {
      return null;
    }
    for (SqlNode item : items) {
      if (item instanceof SqlIdentifier id && id.isStar()) {
        return null;
      }
    }

    if (select.getFrom() == null || outerJoin(select.getFrom())) {
      // (An outer join could give the key NULL, which no shard holds: the coordinator's path
      // reports it.)
      return null;
    }
    ColocationAnalysis a = new ColocationAnalysis(resolver);
    ColocationAnalysis.Scope top = new ColocationAnalysis.Scope(new ArrayList<>(), null);
    a.select(select, top);
    if (insert.onConflict() != null) {
      SqlNodeList updated = insert.onConflict().updateColumns();
      if (updated != null) {
        for (SqlNode c : updated) {
          List<String> names = ((SqlIdentifier) c).names;
          if (names.get(names.size() - 1).equals(target.distributionColumn())) {
            return null;
          }
        }
      }
      a.expression(insert.onConflict().updateValues(), top);
      a.expression(insert.onConflict().targetWhere(), top);
    }
    a.expression(insert.returning(), top);
    if (a.unsupported != null || a.usingJoin) {
      return null;
    }
    ColocationAnalysis.Ref key = a.distributionRef(unaliased(items.get(keyPosition)), top);
    if (key == null || !sameKey(key.table(), target)) {
      return null;
    }
    ColocationAnalysis.Ref root = a.find(key);
    if (!a.allTied(root, target)) {
      return null;
    }
    if (!groupsWithinShards(select, items, a, top, root)) {
      return null;
    }
    return new ShapePlan.MultiShardModify(target, spots);
  }

  /** Same distribution column type and modifier: a value hashes alike in both tables. */
  private static boolean sameKey(DistributedTable source, DistributedTable target) {
    return source.colocationId() == target.colocationId()
        && source.distributionType() == target.distributionType()
        && source.distributionTypmod() == target.distributionTypmod();
  }

  /** No GROUP BY, or one whose groups never span shard groups. */
  private static boolean groupsWithinShards(SqlSelect select, List<SqlNode> items,
      ColocationAnalysis a, ColocationAnalysis.Scope top, ColocationAnalysis.Ref root) {
    if (select.getGroup() == null) {
      return select.getHaving() == null;
    }
    boolean byKey = false;
    for (SqlNode g : select.getGroup()) {
      if (g.getKind() == SqlKind.ROLLUP || g.getKind() == SqlKind.CUBE
          || g.getKind() == SqlKind.GROUPING_SETS) {
        return false;
      }
      SqlNode expression = g;
      if (g instanceof SqlNumericLiteral n && n.isInteger()) {
        int position = n.intValue(true);
        if (position < 1 || position > items.size()) {
          return false;
        }
        expression = unaliased(items.get(position - 1));
      }
      ColocationAnalysis.Ref r = a.distributionRef(expression, top);
      if (r != null && a.find(r) == root) {
        byKey = true;
      }
    }
    return byKey;
  }

  private static boolean outerJoin(SqlNode from) {
    if (from instanceof SqlJoin join) {
      JoinType type = join.getJoinType();
      return type == JoinType.LEFT || type == JoinType.RIGHT || type == JoinType.FULL
          || outerJoin(join.getLeft()) || outerJoin(join.getRight());
    }
    return false;
  }

  private static SqlNode unaliased(SqlNode item) {
    return item.getKind() == SqlKind.AS ? ((SqlCall) item).operand(0) : item;
  }

  /**
   * Window functions and DISTINCT ON combine rows across groups; sequence functions need the
   * coordinator's sequences. Read from the tokens: conservative, a word is enough.
   */
  private static boolean unsafeTokens(List<Token> tokens) {
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.isWord("OVER") || t.isWord("UNION") || t.isWord("INTERSECT") || t.isWord("EXCEPT")
          || (t.isWord("DISTINCT") && i + 1 < tokens.size() && tokens.get(i + 1).isWord("ON"))) {
        return true;
      }
      String text = t.text().toLowerCase(Locale.ROOT);
      if (text.equals("nextval") || text.equals("currval") || text.equals("setval")
          || text.equals("lastval")) {
        return true;
      }
    }
    return false;
  }
}
