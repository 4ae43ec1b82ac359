package io.basalt.planner.route;

import io.basalt.metadata.catalog.DistributedTable;
import io.basalt.metadata.catalog.Shard;
import io.basalt.planner.sql.PgDelete;
import io.basalt.planner.sql.PgDynamicParam;
import io.basalt.planner.sql.PgInsert;
import io.basalt.planner.sql.PgLockedQuery;
import io.basalt.planner.sql.PgOnConflict;
import io.basalt.planner.sql.PgUpdate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlUpdate;
import org.apache.calcite.sql.SqlWith;
import org.apache.calcite.sql.SqlWithItem;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.NlsString;

/**
 * Citus's "fast path router" decision for one parsed statement, without executing anything: a
 * SELECT, UPDATE or DELETE on exactly one hash-distributed table (a single table reference, no
 * joins, subqueries, CTEs or set operations) whose WHERE clause is an AND-tree with a conjunct
 * {@code distcol = constant} or {@code distcol = $n} goes to one shard; so does a single-row
 * INSERT ... VALUES that gives the distribution column such a value. Other single-table
 * statements on a hash table run on every shard; statements on a reference table go to its
 * placements; anything else that touches a distributed table is {@link
 * RouteDecision.Unsupported}.
 *
 * <p>NULL is never hashed: {@code distcol IS NULL} and {@code distcol = NULL} never pin a
 * statement. Casts on the constant ({@code 5::int}, {@code CAST($1 AS int)}) are looked through;
 * a cast on the column is not, since it may change which values are equal.
 */
public final class FastPathRouter {
  /** Citus's message (0A000) for an UPDATE that changes the distribution column. */
  public static final String MODIFIES_PARTITION_VALUE =
      "modifying the partition value of rows is not allowed";
  /** Citus's message (23502) for an INSERT that does not give the distribution column. */
  public static final String INSERT_WITHOUT_PARTITION_VALUE =
      "cannot perform an INSERT without a partition column value";
  /** Citus's message (23502) for an INSERT of NULL into the distribution column. */
  public static final String INSERT_NULL_PARTITION_VALUE =
      "cannot perform an INSERT with NULL in the partition column";

  private FastPathRouter() {
  }

  /**
   * Decides the route of one statement.
   *
   * @param statement one statement as {@link io.basalt.planner.sql.SqlParsing#parse} returns it
   * @param resolver the distributed or reference table a table name (its parts as written, such
   *     as [schema, name] or [name]) stands for, empty for any other relation
   */
  public static RouteDecision route(SqlNode statement,
      Function<List<String>, Optional<DistributedTable>> resolver) {
    List<TableReference> references = tableReferences(statement);
    boolean distributed = false;
    for (TableReference reference : references) {
      if (resolver.apply(reference.name().names).isPresent()) {
        distributed = true;
        break;
      }
    }
    if (!distributed) {
      return new RouteDecision.NotDistributed();
    }
    if (references.size() > 1) {
      return unsupported(statement, references);
    }
    SqlNode node = statement;
    if (node instanceof PgLockedQuery locked) {
      node = locked.query();
    }
    if (node instanceof SqlOrderBy orderBy) {
      if (containsQuery(orderBy.orderList) || containsQuery(orderBy.offset)
          || containsQuery(orderBy.fetch)) {
        return new RouteDecision.Unsupported("subqueries are not supported on the fast path");
      }
      node = orderBy.query;
    }
    return switch (node.getKind()) {
      case SELECT -> routeSelect((SqlSelect) node, resolver);
      case INSERT -> routeInsert((SqlInsert) node, resolver);
      case UPDATE -> routeUpdate((SqlUpdate) node, resolver);
      case DELETE -> routeDelete((SqlDelete) node, resolver);
      case WITH -> new RouteDecision.Unsupported(
          "common table expressions are not supported on the fast path");
      case UNION, INTERSECT, EXCEPT -> new RouteDecision.Unsupported(
          "set operations are not supported on the fast path");
      default -> new RouteDecision.Unsupported(
          "statement type " + node.getKind() + " is not supported on the fast path");
    };
  }

  /**
   * The shard index of a hash value among a hash table's shards (sorted by range), -1 if no
   * shard's range holds it.
   */
  public static int shardIndex(DistributedTable table, int hash) {
    List<Shard> shards = table.shards();
    for (Shard shard : shards) {
      if (shard.minValue() == null || shard.maxValue() == null) {
        throw new IllegalArgumentException(
            "table " + table.qualifiedName() + " has a shard without a hash range");
      }
    }
    // ShardRanges.indexOf's binary search, on the shards themselves: every routed statement
    // asks, and a list of ranges built each time cost more than the search.
    int low = 0;
    int high = shards.size() - 1;
    while (low <= high) {
      int middle = (low + high) >>> 1;
      Shard shard = shards.get(middle);
      if (hash < shard.minValue()) {
        high = middle - 1;
      } else if (hash > shard.maxValue()) {
        low = middle + 1;
      } else {
        return middle;
      }
    }
    return -1;
  }

  /** Several relations: say which construct combines them. */
  private static RouteDecision unsupported(SqlNode statement, List<TableReference> references) {
    SqlNode node = statement instanceof PgLockedQuery locked ? locked.query() : statement;
    if (node instanceof SqlOrderBy orderBy) {
      node = orderBy.query;
    }
    String reason = switch (node.getKind()) {
      case WITH -> "common table expressions are not supported on the fast path";
      case UNION, INTERSECT, EXCEPT -> "set operations are not supported on the fast path";
      case SELECT -> ((SqlSelect) node).getFrom() instanceof SqlJoin
          ? "joins are not supported on the fast path"
          : "subqueries are not supported on the fast path";
      case UPDATE -> node instanceof PgUpdate pg && pg.from() != null
          ? "joins are not supported on the fast path"
          : "subqueries are not supported on the fast path";
      case DELETE -> node instanceof PgDelete pg && pg.using() != null
          ? "joins are not supported on the fast path"
          : "subqueries are not supported on the fast path";
      case INSERT -> ((SqlInsert) node).getSource().getKind() == SqlKind.VALUES
          ? "subqueries are not supported on the fast path"
          : "INSERT ... SELECT is not supported on the fast path";
      default -> "statements on several tables are not supported on the fast path";
    };
    return new RouteDecision.Unsupported(reason + " (" + references.size()
        + " table references)");
  }

  private static RouteDecision routeSelect(SqlSelect select,
      Function<List<String>, Optional<DistributedTable>> resolver) {
    SqlNode from = select.getFrom();
    if (from instanceof SqlJoin) {
      return new RouteDecision.Unsupported("joins are not supported on the fast path");
    }
    TableRef ref = tableRef(from);
    if (ref == null && containsQuery(from)) {
      return new RouteDecision.Unsupported("subqueries are not supported on the fast path");
    }
    if (ref == null) {
      return new RouteDecision.Unsupported(
          "only a plain table reference in FROM is supported on the fast path");
    }
    for (SqlNode operand : select.getOperandList()) {
      if (operand != from && containsQuery(operand)) {
        return new RouteDecision.Unsupported("subqueries are not supported on the fast path");
      }
    }
    DistributedTable table = resolver.apply(ref.name().names).orElseThrow();
    return pinned(table, ref, select.getWhere());
  }

  private static RouteDecision routeUpdate(SqlUpdate update,
      Function<List<String>, Optional<DistributedTable>> resolver) {
    PgUpdate pg = update instanceof PgUpdate p ? p : null;
    if (pg != null && pg.from() != null) {
      return new RouteDecision.Unsupported("joins are not supported on the fast path");
    }
    if (containsQuery(update.getSourceExpressionList()) || containsQuery(update.getCondition())
        || (pg != null && containsQuery(pg.returning()))) {
      return new RouteDecision.Unsupported("subqueries are not supported on the fast path");
    }
    SqlIdentifier name = (SqlIdentifier) update.getTargetTable();
    TableRef ref = new TableRef(name, update.getAlias(), false);
    DistributedTable table = resolver.apply(name.names).orElseThrow();
    if (table.isHashDistributed() && !table.isReference()) {
      SqlNodeList columns = update.getTargetColumnList();
      SqlNodeList values = update.getSourceExpressionList();
      for (int i = 0; i < columns.size(); i++) {
        SqlIdentifier column = (SqlIdentifier) columns.get(i);
        if (column.names.get(column.names.size() - 1).equals(table.distributionColumn())
            && !(i < values.size() && isDistributionColumn(values.get(i), table, ref))) {
          return new RouteDecision.Unsupported(MODIFIES_PARTITION_VALUE);
        }
      }
    }
    return pinned(table, ref, update.getCondition());
  }

  private static RouteDecision routeDelete(SqlDelete delete,
      Function<List<String>, Optional<DistributedTable>> resolver) {
    PgDelete pg = delete instanceof PgDelete p ? p : null;
    if (pg != null && pg.using() != null) {
      return new RouteDecision.Unsupported("joins are not supported on the fast path");
    }
    if (containsQuery(delete.getCondition())
        || (pg != null && containsQuery(pg.returning()))) {
      return new RouteDecision.Unsupported("subqueries are not supported on the fast path");
    }
    SqlIdentifier name = (SqlIdentifier) delete.getTargetTable();
    DistributedTable table = resolver.apply(name.names).orElseThrow();
    return pinned(table, new TableRef(name, delete.getAlias(), false), delete.getCondition());
  }

  private static RouteDecision routeInsert(SqlInsert insert,
      Function<List<String>, Optional<DistributedTable>> resolver) {
    PgOnConflict onConflict = insert instanceof PgInsert pg ? pg.onConflict() : null;
    SqlNodeList returning = insert instanceof PgInsert pg ? pg.returning() : null;
    SqlNode source = insert.getSource();
    boolean values = source.getKind() == SqlKind.VALUES;
    boolean defaultValues = !values && source.getKind() == SqlKind.OTHER
        && source instanceof SqlCall call && call.getOperator().getName().equals("DEFAULT VALUES");
    if (!values && !defaultValues) {
      return new RouteDecision.Unsupported("INSERT ... SELECT is not supported on the fast path");
    }
    if (anyContainsQuery(values ? ((SqlCall) source).getOperandList() : List.of())
        || containsQuery(onConflict) || containsQuery(returning)) {
      return new RouteDecision.Unsupported("subqueries are not supported on the fast path");
    }
    SqlIdentifier name = (SqlIdentifier) insert.getTargetTable();
    DistributedTable table = resolver.apply(name.names).orElseThrow();
    if (table.isReference()) {
      return new RouteDecision.Reference(table);
    }
    if (!table.isHashDistributed()) {
      return notHash(table);
    }
    String column = table.distributionColumn();
    if (onConflict != null && onConflict.updateColumns() != null) {
      for (SqlNode target : onConflict.updateColumns()) {
        SqlIdentifier id = (SqlIdentifier) target;
        if (id.names.get(id.names.size() - 1).equals(column)) {
          return new RouteDecision.Unsupported(MODIFIES_PARTITION_VALUE);
        }
      }
    }
    if (defaultValues) {
      return new RouteDecision.Unsupported(INSERT_WITHOUT_PARTITION_VALUE);
    }
    List<SqlNode> rows = ((SqlCall) source).getOperandList();
    if (rows.size() != 1) {
      return new RouteDecision.Unsupported(
          "multi-row INSERT is not supported on the fast path");
    }
    SqlNodeList columns = insert.getTargetColumnList();
    if (columns == null) {
      // Without a column list the values follow the table's column order, which the snapshot
      // does not record (dropped columns shift it); the caller must supply the list.
      return new RouteDecision.Unsupported(
          "INSERT without a column list is not supported on the fast path");
    }
    int position = -1;
    for (int i = 0; i < columns.size(); i++) {
      SqlIdentifier id = (SqlIdentifier) columns.get(i);
      if (id.names.size() == 1 && id.names.get(0).equals(column)) {
        position = i;
        break;
      }
    }
    if (position < 0) {
      return new RouteDecision.Unsupported(INSERT_WITHOUT_PARTITION_VALUE);
    }
    SqlNode row = rows.get(0);
    List<SqlNode> items = row.getKind() == SqlKind.ROW ? ((SqlCall) row).getOperandList()
        : List.of(row);
    if (items.size() != columns.size()) {
      return new RouteDecision.Unsupported(items.size() > columns.size()
          ? "INSERT has more expressions than target columns"
          : "INSERT has more target columns than expressions");
    }
    SqlNode item = keyOperand(items.get(position), table.distributionType());
    if (item instanceof SqlLiteral literal && literal.getTypeName() == SqlTypeName.NULL) {
      return new RouteDecision.Unsupported(INSERT_NULL_PARTITION_VALUE);
    }
    ValueSource value = valueOf(item);
    if (value == null) {
      return new RouteDecision.Unsupported(
          "the partition column value must be a constant or a parameter on the fast path");
    }
    return new RouteDecision.FastPath(table, value);
  }

  /** SELECT, UPDATE and DELETE on one table: the pinning equality of its WHERE clause. */
  private static RouteDecision pinned(DistributedTable table, TableRef ref, SqlNode where) {
    if (table.isReference()) {
      return new RouteDecision.Reference(table);
    }
    if (!table.isHashDistributed()) {
      return notHash(table);
    }
    if (ref.columnAliases()) {
      // FROM t AS x(c1, c2) may rename the distribution column; do not guess.
      return new RouteDecision.MultiShard(table);
    }
    Set<ValueSource> pins = new LinkedHashSet<>();
    List<SqlNode> conjuncts = new ArrayList<>();
    conjuncts(where, conjuncts);
    for (SqlNode conjunct : conjuncts) {
      if (conjunct.getKind() != SqlKind.EQUALS) {
        continue;
      }
      SqlCall equals = (SqlCall) conjunct;
      SqlNode left = equals.operand(0);
      SqlNode right = equals.operand(1);
      ValueSource value = null;
      if (isDistributionColumn(left, table, ref)) {
        value = valueOf(keyOperand(right, table.distributionType()));
      } else if (isDistributionColumn(right, table, ref)) {
        value = valueOf(keyOperand(left, table.distributionType()));
      }
      if (value != null) {
        pins.add(value);
      }
    }
    if (pins.size() == 1) {
      return new RouteDecision.FastPath(table, pins.iterator().next());
    }
    // None, or several different values (a = 1 AND a = 2): run everywhere, PostgreSQL answers.
    return new RouteDecision.MultiShard(table);
  }

  private static RouteDecision notHash(DistributedTable table) {
    return new RouteDecision.Unsupported("table " + table.qualifiedName()
        + " is neither hash-distributed nor a reference table (method '" + table.method()
        + "')");
  }

  /** The AND-ed conditions of {@code node}, flattened into {@code out} (null adds none). */
  public static void conjuncts(SqlNode node, List<SqlNode> out) {
    if (node == null) {
      return;
    }
    if (node.getKind() == SqlKind.AND) {
      for (SqlNode operand : ((SqlCall) node).getOperandList()) {
        conjuncts(operand, out);
      }
    } else {
      out.add(node);
    }
  }

  /**
   * Whether an expression is the distribution column itself: its name alone, or qualified by
   * the alias (when there is one, as PostgreSQL then hides the table's name), or by the table's
   * name as written or its schema-qualified name.
   */
  private static boolean isDistributionColumn(SqlNode node, DistributedTable table,
      TableRef ref) {
    if (!(node instanceof SqlIdentifier id) || id.isStar()) {
      return false;
    }
    List<String> names = id.names;
    if (!names.get(names.size() - 1).equals(table.distributionColumn())) {
      return false;
    }
    List<String> qualifier = names.subList(0, names.size() - 1);
    if (qualifier.isEmpty()) {
      return true;
    }
    if (ref.alias() != null) {
      return qualifier.equals(List.of(ref.alias().getSimple()));
    }
    List<String> written = ref.name().names;
    return qualifier.equals(List.of(written.get(written.size() - 1)))
        || qualifier.equals(written)
        || qualifier.equals(List.of(table.schema(), table.name()));
  }

  /**
   * The operand under the casts of a distribution column value that leave its value as the
   * column would read it: casts to the column's own type, without a modifier. Any other cast
   * (to another type, or with a modifier: {@code 1.4::int}, {@code 'ab  '::char(5)},
   * {@code 1.005::numeric(10,2)}) changes the value or how it compares, so the cast expression
   * itself is returned: not a constant, and so never hashed as the literal under it.
   */
  public static SqlNode keyOperand(SqlNode node, int columnType) {
    boolean outermost = true;
    while (node != null && node.getKind() == SqlKind.CAST) {
      Integer oid = castType((SqlDataTypeSpec) ((SqlCall) node).operand(1));
      // The outermost cast gives the value: to the column's type, or one whose values compare
      // and hash alike (integers, text and varchar). Casts under it only pass the text on.
      boolean keeps = oid != null && (outermost ? oid == columnType
          || (isInteger(oid) && isInteger(columnType)) || (isText(oid) && isText(columnType))
          : isText(oid));
      if (!keeps) {
        return node;
      }
      node = ((SqlCall) node).operand(0);
      outermost = false;
    }
    return node;
  }

  /** A cast's built-in type without a modifier, by OID; null for any other. */
  private static Integer castType(SqlDataTypeSpec spec) {
    if (spec.getTypeNameSpec() instanceof SqlBasicTypeNameSpec basic
        && (basic.getPrecision() >= 0 || basic.getScale() >= 0)) {
      return null;
    }
    if (!(spec.getTypeNameSpec() instanceof SqlBasicTypeNameSpec)
        && !(spec.getTypeNameSpec() instanceof org.apache.calcite.sql.SqlUserDefinedTypeNameSpec)) {
      return null; // arrays, rows
    }
    return BUILT_IN_TYPES.get(spec.getTypeName().getSimple().toLowerCase(Locale.ROOT));
  }

  private static boolean isInteger(int oid) {
    return oid == 20 || oid == 21 || oid == 23;
  }

  private static boolean isText(int oid) {
    return oid == 25 || oid == 1043;
  }

  /** Built-in type names as a cast may write them, by OID. */
  private static final Map<String, Integer> BUILT_IN_TYPES = Map.ofEntries(
      Map.entry("smallint", 21), Map.entry("int2", 21),
      Map.entry("integer", 23), Map.entry("int", 23), Map.entry("int4", 23),
      Map.entry("bigint", 20), Map.entry("int8", 20),
      Map.entry("text", 25), Map.entry("varchar", 1043), Map.entry("character varying", 1043),
      Map.entry("numeric", 1700), Map.entry("decimal", 1700),
      Map.entry("real", 700), Map.entry("float4", 700),
      Map.entry("double", 701), Map.entry("double precision", 701), Map.entry("float8", 701),
      Map.entry("boolean", 16), Map.entry("bool", 16), Map.entry("bytea", 17),
      Map.entry("uuid", 2950), Map.entry("date", 1082), Map.entry("timestamp", 1114),
      Map.entry("timestamptz", 1184), Map.entry("oid", 26));

  /**
   * A constant or parameter, under casts that keep its value ({@link #keyOperand}), usable as a
   * shard key value of a column of type {@code columnType}; null for anything else, NULL
   * included. (ModifyPushdown pins its joined writes with the same rule.)
   */
  public static ValueSource keyValueOf(SqlNode node, int columnType) {
    return valueOf(keyOperand(node, columnType));
  }

  /** A constant or parameter usable as the shard key; null for anything else, NULL included. */
  private static ValueSource valueOf(SqlNode node) {
    if (node instanceof PgDynamicParam param) {
      return new ValueSource.Parameter(param.getIndex());
    }
    if (node instanceof SqlNumericLiteral number) {
      return new ValueSource.Literal(number.toValue(), false);
    }
    if (node instanceof SqlCharStringLiteral string) {
      return new ValueSource.Literal(string.getValueAs(NlsString.class).getValue(), true);
    }
    if (node instanceof SqlLiteral literal && literal.getTypeName() == SqlTypeName.BOOLEAN) {
      return new ValueSource.Literal(literal.booleanValue() ? "true" : "false", false);
    }
    return null;
  }

  /** A table reference in FROM: name, optional alias, and whether it renames columns. */
  private record TableRef(SqlIdentifier name, SqlIdentifier alias, boolean columnAliases) {
  }

  private static TableRef tableRef(SqlNode from) {
    if (from instanceof SqlIdentifier id) {
      return new TableRef(id, null, false);
    }
    if (from != null && from.getKind() == SqlKind.AS) {
      List<SqlNode> operands = ((SqlCall) from).getOperandList();
      if (operands.get(0) instanceof SqlIdentifier id
          && operands.get(1) instanceof SqlIdentifier alias) {
        return new TableRef(id, alias, operands.size() > 2);
      }
    }
    return null;
  }

  /** Whether a query (SELECT, VALUES, set operation, WITH) appears anywhere in the node. */
  private static boolean containsQuery(SqlNode node) {
    if (node == null) {
      return false;
    }
    if (node.getKind().belongsTo(SqlKind.QUERY)) {
      return true;
    }
    if (node instanceof SqlNodeList list) {
      return anyContainsQuery(list.getList());
    }
    if (node instanceof SqlCall call) {
      return anyContainsQuery(operands(call));
    }
    return false;
  }

  private static boolean anyContainsQuery(List<? extends SqlNode> nodes) {
    for (SqlNode node : nodes) {
      if (containsQuery(node)) {
        return true;
      }
    }
    return false;
  }

  private static List<SqlNode> operands(SqlCall call) {
    try {
      return call.getOperandList();
    } catch (UnsupportedOperationException e) {
      return List.of();
    }
  }

  /**
   * The relation names a statement refers to, by position: FROM items and join sides, the
   * target of INSERT, UPDATE and DELETE, UPDATE's FROM and DELETE's USING, TABLE name; at any
   * depth. Column names and aliases are not collected.
   */
  /**
   * One relation name in a statement.
   *
   * @param aliased whether an alias follows the name, so the name itself is hidden in the query
   * @param explicitTable whether it is the name of a {@code TABLE name} query, which takes no
   *     alias
   */
  public record TableReference(SqlIdentifier name, boolean aliased, boolean explicitTable) {}

  /**
   * The relation names of a statement at any depth, in order: FROM items and join sides, the
   * targets of INSERT, UPDATE and DELETE, UPDATE's FROM and DELETE's USING, TABLE name. A name
   * may be a common table expression's rather than a table's; the caller checks.
   */
  public static List<TableReference> tableReferences(SqlNode statement) {
    List<TableReference> out = new ArrayList<>();
    collectTables(statement, false, false, out);
    return out;
  }

  /** The names of the statement's common table expressions, at any depth. */
  public static Set<String> withNames(SqlNode node) {
    Set<String> names = new java.util.HashSet<>();
    withNames(node, names);
    return names;
  }

  private static void withNames(SqlNode node, Set<String> out) {
    if (node instanceof SqlWithItem item) {
      out.add(item.name.getSimple());
    }
    if (node instanceof SqlNodeList list) {
      list.forEach(n -> withNames(n, out));
    } else if (node instanceof SqlCall call) {
      for (SqlNode operand : operands(call)) {
        withNames(operand, out);
      }
    }
  }

  private static void collectTables(SqlNode node, boolean relation, boolean aliased,
      List<TableReference> out) {
    if (node == null) {
      return;
    }
    if (node instanceof SqlIdentifier id) {
      if (relation && !id.isStar()) {
        out.add(new TableReference(id, aliased, false));
      }
      return;
    }
    if (node instanceof SqlNodeList list) {
      for (SqlNode item : list) {
        collectTables(item, false, false, out);
      }
      return;
    }
    if (!(node instanceof SqlCall call)) {
      return;
    }
    if (call instanceof SqlSelect select) {
      for (SqlNode operand : select.getOperandList()) {
        collectTables(operand, operand == select.getFrom(), false, out);
      }
    } else if (call instanceof SqlJoin join) {
      collectTables(join.getLeft(), true, false, out);
      collectTables(join.getRight(), true, false, out);
      collectTables(join.getCondition(), false, false, out);
    } else if (call.getKind() == SqlKind.AS) {
      collectTables(call.operand(0), relation, true, out);
    } else if (call.getKind() == SqlKind.EXPLICIT_TABLE) {
      if (call.operand(0) instanceof SqlIdentifier id) {
        out.add(new TableReference(id, false, true));
      }
    } else if (call instanceof SqlInsert insert) {
      out.add(new TableReference((SqlIdentifier) insert.getTargetTable(),
          insert instanceof PgInsert pg && pg.alias() != null, false));
      collectTables(insert.getSource(), false, false, out);
      if (insert instanceof PgInsert pg) {
        collectTables(pg.onConflict(), false, false, out);
        collectTables(pg.returning(), false, false, out);
      }
    } else if (call instanceof SqlUpdate update) {
      out.add(new TableReference((SqlIdentifier) update.getTargetTable(),
          update.getAlias() != null, false));
      collectTables(update.getSourceExpressionList(), false, false, out);
      collectTables(update.getCondition(), false, false, out);
      if (update instanceof PgUpdate pg) {
        collectTables(pg.from(), true, false, out);
        collectTables(pg.returning(), false, false, out);
      }
    } else if (call instanceof SqlDelete delete) {
      out.add(new TableReference((SqlIdentifier) delete.getTargetTable(),
          delete.getAlias() != null, false));
      collectTables(delete.getCondition(), false, false, out);
      if (delete instanceof PgDelete pg) {
        collectTables(pg.using(), true, false, out);
        collectTables(pg.returning(), false, false, out);
      }
    } else if (call instanceof SqlWith with) {
      for (SqlNode item : with.withList) {
        collectTables(((SqlWithItem) item).query, false, false, out);
      }
      collectTables(with.body, false, false, out);
    } else {
      for (SqlNode operand : operands(call)) {
        collectTables(operand, false, false, out);
      }
    }
  }
}
