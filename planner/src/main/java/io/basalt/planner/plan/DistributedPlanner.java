package io.basalt.planner.plan;

import io.basalt.error.SqlState;
import io.basalt.metadata.catalog.DistributedTable;
import io.basalt.metadata.catalog.Identifiers;
import io.basalt.planner.lexer.Token;
import io.basalt.planner.lexer.TokenKind;
import io.basalt.planner.route.FastPathRouter;
import io.basalt.planner.route.FastPathRouter.TableReference;
import io.basalt.planner.route.RouteDecision;
import io.basalt.planner.route.ValueSource;
import io.basalt.planner.shape.Slot;
import io.basalt.planner.shape.SlotKind;
import io.basalt.planner.sql.PgDynamicParam;
import io.basalt.planner.sql.PgInsert;
import io.basalt.planner.sql.PgLockedQuery;
import io.basalt.planner.sql.SqlParsing;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlUpdate;
import org.apache.calcite.sql.SqlWith;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * The planning cascade for one statement that names a distributed or reference table: router
 * (one shard), reference read or write, multi-row INSERT, multi-shard UPDATE/DELETE, and
 * otherwise a query the coordinator database answers over the gathered rows of the tables it
 * names. What cannot be run correctly is refused with 0A000 and the reason.
 */
public final class DistributedPlanner {
  /**
   * Functions whose value differs per call: a filter using one may not be applied twice (on the
   * shards and again in the coordinator).
   */
  private static final Set<String> VOLATILE = Set.of("random", "nextval", "setval", "currval",
      "clock_timestamp", "timeofday", "gen_random_uuid", "uuid_generate_v4", "setseed",
      "txid_current", "pg_sleep", "statement_timestamp");

  private DistributedPlanner() {}

  /**
   * Plans a statement.
   *
   * @param sql the statement's text, as lexed into {@code tokens}
   * @param slots the statement's shape slots (constants and parameters)
   * @throws io.basalt.error.BasaltException 42601 if the statement does not parse
   */
  public static ShapePlan plan(String sql, List<Token> tokens, List<Slot> slots,
      TableResolver resolver) {
    SqlNode parsed = SqlParsing.parse(sql);
    Set<String> withNames = FastPathRouter.withNames(parsed);
    List<TableSpot> spots = new ArrayList<>();
    for (TableReference ref : FastPathRouter.tableReferences(parsed)) {
      List<String> names = ref.name().names;
      if (names.size() == 1 && withNames.contains(names.get(0))) {
        continue;
      }
      Optional<DistributedTable> table = resolver.resolve(names);
      if (table.isPresent()) {
        spots.add(spot(sql, tokens, ref, table.get()));
      }
    }
    if (spots.isEmpty()) {
      return new ShapePlan.Local();
    }
    for (String name : withNames) {
      if (resolver.resolve(List.of(name)).isPresent()) {
        return refused(spots, SqlState.FEATURE_NOT_SUPPORTED, "a common table expression named \""
            + name + "\" hides a distributed table of the same name",
            "Rename the common table expression.");
      }
    }
    SqlNode statement = parsed;
    if (statement instanceof SqlInsert insert && insert.getTargetColumnList() == null) {
      resolver.resolve(((SqlIdentifier) insert.getTargetTable()).names).ifPresent(t -> {
        // Values fill the leading columns; the rest take their defaults, as in PostgreSQL.
        int width = Integer.MAX_VALUE;
        if (insert.getSource().getKind() == SqlKind.VALUES) {
          SqlNode row = ((SqlCall) insert.getSource()).operand(0);
          width = row.getKind() == SqlKind.ROW ? ((SqlCall) row).operandCount() : 1;
        }
        List<SqlNode> columns = new ArrayList<>();
        for (String c : resolver.columns(t)) {
          if (columns.size() < width) {
            columns.add(new SqlIdentifier(c, SqlParserPos.ZERO));
          }
        }
        insert.setOperand(3, new SqlNodeList(columns, SqlParserPos.ZERO));
      });
    }
    if (statement instanceof SqlInsert insert) {
      ShapePlan pushed = insert instanceof PgInsert pg
          ? InsertSelectPushdown.plan(pg, spots, tokens, resolver) : null;
      if (pushed != null) {
        return pushed;
      }
      ShapePlan staged = insertViaCoordinator(insert, spots, resolver);
      if (staged != null) {
        return staged;
      }
    }
    RouteDecision decision = FastPathRouter.route(statement,
        names -> resolver.resolve(names));
    boolean query = isQuery(statement);
    return switch (decision) {
      case RouteDecision.NotDistributed n -> new ShapePlan.Local();
      case RouteDecision.FastPath f -> new ShapePlan.Router(f.table(), spots,
          valueRef(f.value(), tokens, slots));
      case RouteDecision.Reference r -> query
          ? new ShapePlan.ReferenceRead(r.table(), spots)
          : new ShapePlan.ReferenceWrite(r.table(), spots);
      case RouteDecision.MultiShard m -> query
          ? statement instanceof PgLockedQuery
              // A gather would read the rows without locking them on the workers.
              ? lockingRefused(spots)
              : aggregateOrGather(m.table(), spots, statement, sql, tokens, slots, resolver)
          : statement.getKind() == SqlKind.INSERT
              ? multiRowInsert(m.table(), spots, (SqlInsert) statement, sql, tokens, slots)
              : new ShapePlan.MultiShardModify(m.table(), spots);
      case RouteDecision.Unsupported u -> unsupported(u.reason(), statement, spots, sql, tokens,
          slots, resolver);
    };
  }

  /**
   * A single-table query with aggregates that split exactly into partials; any other query
   * gathers the table's (filtered) rows.
   */
  private static ShapePlan aggregateOrGather(DistributedTable table, List<TableSpot> spots,
      SqlNode statement, String sql, List<Token> tokens, List<Slot> slots,
      TableResolver resolver) {
    // The split's texts keep schema-qualified column references (public.t.c), which the
    // shard's name would not answer to: such a statement is gathered (StatementText drops the
    // schema there).
    if (spots.size() == 1 && io.basalt.planner.multi.AggregateSplitter.eligible(statement)
        && !StatementText.hasSchemaQualifiedColumns(tokens, spots)) {
      List<String> arguments = io.basalt.planner.multi.AggregateSplitter.arguments(sql, statement);
      if (arguments.stream().noneMatch(a -> a.contains("$"))) {
        TableSpot spot = spots.get(0);
        String relation = spot.aliased() ? StatementText.aliasOf(tokens, spot)
            : Identifiers.quote(table.name());
        java.util.Map<String, String> types = arguments.isEmpty() ? java.util.Map.of()
            : resolver.expressionTypes(table, relation, arguments);
        Optional<io.basalt.planner.multi.AggregateSplit> split =
            io.basalt.planner.multi.AggregateSplitter.split(sql, statement, types,
                new java.util.HashSet<>(resolver.columns(table)));
        if (split.isPresent()) {
          return new ShapePlan.AggregatePushdown(table, spots, split.get(), slots.isEmpty());
        }
      }
    }
    return new ShapePlan.Gather(spots, filter(statement, sql, tokens));
  }



  private static ShapePlan unsupported(String reason, SqlNode statement, List<TableSpot> spots,
      String sql, List<Token> tokens, List<Slot> slots, TableResolver resolver) {
    if (reason.equals(FastPathRouter.MODIFIES_PARTITION_VALUE)) {
      return refused(spots, SqlState.FEATURE_NOT_SUPPORTED, reason, null);
    }
    if (reason.equals(FastPathRouter.INSERT_WITHOUT_PARTITION_VALUE)
        || reason.equals(FastPathRouter.INSERT_NULL_PARTITION_VALUE)) {
      return refused(spots, SqlState.NOT_NULL_VIOLATION, reason, null);
    }
    if (statement instanceof SqlInsert insert && reason.startsWith("multi-row INSERT")) {
      DistributedTable table = resolver.resolve(((SqlIdentifier) insert.getTargetTable()).names)
          .orElseThrow();
      return multiRowInsert(table, spots, insert, sql, tokens, slots);
    }
    ShapePlan pushed = QueryPushdown.plan(statement, spots, tokens, slots, resolver);
    if (pushed != null) {
      return pushed;
    }
    if (statement instanceof PgLockedQuery) {
      return lockingRefused(spots);
    }
    ShapePlan modify = ModifyPushdown.plan(statement, spots, tokens, slots, resolver);
    if (modify instanceof ShapePlan.Refused) {
      List<int[]> first = SubqueriesFirst.find(statement, sql, tokens, resolver);
      if (!first.isEmpty()) {
        return new ShapePlan.SubqueriesFirst(spots, first);
      }
    }
    if (modify != null) {
      return modify;
    }
    if (writesDistributedTable(statement, spots, resolver)) {
      return refused(spots, SqlState.FEATURE_NOT_SUPPORTED,
          "this modification of a distributed table is not supported: " + reason,
          "Write to one distributed table at a time, with its rows given as VALUES or filtered"
              + " on its own columns; data-modifying WITH queries on distributed tables are not"
              + " built yet.");
    }
    // A read of distributed tables, or a write to local tables only: the coordinator database
    // runs it over the gathered rows.
    return new ShapePlan.Gather(spots, null);
  }

  /**
   * INSERT ... SELECT into a distributed or reference table, or an INSERT that leaves a
   * sequence-backed column to its default (the shards cannot draw from the coordinator's
   * sequence): the coordinator computes the rows. Not with ON CONFLICT, which needs the
   * target's unique indexes (on the shards).
   */
  private static ShapePlan insertViaCoordinator(SqlInsert insert, List<TableSpot> spots,
      TableResolver resolver) {
    Optional<DistributedTable> table =
        resolver.resolve(((SqlIdentifier) insert.getTargetTable()).names);
    if (table.isEmpty()) {
      return null;
    }
    boolean select = insert.getSource().getKind() != SqlKind.VALUES;
    boolean sequences = !select
        && missingSequenceValue(insert, resolver.sequenceColumns(table.get()));
    boolean computedKey = !select && !sequences && computedKey(insert, table.get());
    if (!select && !sequences && !computedKey) {
      return null;
    }
    if (insert instanceof PgInsert pg && pg.onConflict() != null) {
      return refused(spots, SqlState.FEATURE_NOT_SUPPORTED, select
          ? "INSERT ... SELECT ... ON CONFLICT into a distributed table is not supported yet"
          : computedKey ? "INSERT ... ON CONFLICT whose distribution column value is an"
              + " expression (or a cast to another type) is not supported yet"
          : "INSERT ... ON CONFLICT that leaves a sequence-backed column of a distributed table"
              + " to its default is not supported yet",
          select ? "Insert the rows without ON CONFLICT, or give them as VALUES."
              : computedKey ? "Give the distribution column a constant or parameter of its own"
              + " type."
              : "Give the column a value, for example nextval('<sequence>') computed first.");
    }
    TableSpot target = null;
    for (TableSpot spot : spots) {
      if (spot.table().oid() == table.get().oid()
          && (target == null || spot.firstToken() < target.firstToken())) {
        target = spot;
      }
    }
    return new ShapePlan.InsertViaCoordinator(table.get(), spots, target);
  }

  /**
   * Whether an INSERT ... VALUES gives some row's distribution column an expression rather than
   * a constant or parameter of the column's type ({@code 1.4::int}, {@code abs($1)}): the value
   * the column stores is then PostgreSQL's to compute, on the coordinator. A NULL or a missing
   * column is left to the router's errors.
   */
  private static boolean computedKey(SqlInsert insert, DistributedTable table) {
    if (!table.isHashDistributed() || insert.getTargetColumnList() == null) {
      return false;
    }
    int position = -1;
    SqlNodeList columns = insert.getTargetColumnList();
    for (int i = 0; i < columns.size(); i++) {
      List<String> names = ((SqlIdentifier) columns.get(i)).names;
      if (names.get(names.size() - 1).equals(table.distributionColumn())) {
        position = i;
      }
    }
    if (position < 0) {
      return false;
    }
    for (SqlNode row : ((SqlCall) insert.getSource()).getOperandList()) {
      List<SqlNode> items = row.getKind() == SqlKind.ROW ? ((SqlCall) row).getOperandList()
          : List.of(row);
      if (position >= items.size()) {
        return false;
      }
      SqlNode item = FastPathRouter.keyOperand(items.get(position), table.distributionType());
      boolean plain = item instanceof PgDynamicParam || item instanceof SqlLiteral;
      if (!plain) {
        return true;
      }
    }
    return false;
  }

  /** Whether an INSERT leaves a sequence-backed column to its default (or writes DEFAULT). */
  private static boolean missingSequenceValue(SqlInsert insert, List<String> sequenceColumns) {
    if (sequenceColumns.isEmpty()) {
      return false;
    }
    List<String> given = new ArrayList<>();
    if (insert.getTargetColumnList() != null) {
      for (SqlNode c : insert.getTargetColumnList()) {
        List<String> names = ((SqlIdentifier) c).names;
        given.add(names.get(names.size() - 1));
      }
    }
    boolean defaults = insert.getSource().toString().toUpperCase(Locale.ROOT)
        .contains("DEFAULT");
    for (String column : sequenceColumns) {
      if (!given.contains(column) || defaults) {
        return true;
      }
    }
    return false;
  }

  /** Citus's refusal of FOR UPDATE/SHARE over several shards. */
  private static ShapePlan lockingRefused(List<TableSpot> spots) {
    return refused(spots, SqlState.FEATURE_NOT_SUPPORTED, TaskPlanner.LOCKING_MESSAGE,
        TaskPlanner.LOCKING_HINT);
  }

  private static ShapePlan refused(List<TableSpot> spots, SqlState state, String message,
      String hint) {
    return new ShapePlan.Refused(spots, state, message, hint);
  }

  /** SELECT, VALUES, TABLE, set operations, WITH ... SELECT, with or without ORDER BY. */
  private static boolean isQuery(SqlNode statement) {
    SqlNode node = statement instanceof PgLockedQuery locked ? locked.query() : statement;
    if (node instanceof SqlWith with) {
      node = with.body;
    }
    return node.getKind().belongsTo(SqlKind.QUERY);
  }

  /** Whether the statement (or a data-modifying WITH item in it) writes a distributed table. */
  private static boolean writesDistributedTable(SqlNode node, List<TableSpot> spots,
      TableResolver resolver) {
    boolean[] found = {false};
    node.accept(new SqlBasicVisitor<Void>() {
      @Override
      public Void visit(SqlCall call) {
        SqlNode target = switch (call) {
          case SqlInsert i -> i.getTargetTable();
          case SqlUpdate u -> u.getTargetTable();
          case SqlDelete d -> d.getTargetTable();
          default -> null;
        };
        if (target instanceof SqlIdentifier id && resolver.resolve(id.names).isPresent()) {
          found[0] = true;
        }
        for (SqlNode operand : operandsOf(call)) {
          if (operand != null) {
            operand.accept(this);
          }
        }
        return null;
      }
    });
    return found[0];
  }

  private static List<SqlNode> operandsOf(SqlCall call) {
    try {
      return call.getOperandList();
    } catch (UnsupportedOperationException e) {
      return List.of();
    }
  }

  // ------------------------------------------------------------------ positions

  private static TableSpot spot(String sql, List<Token> tokens, TableReference ref,
      DistributedTable table) {
    int[] span = tokenSpan(sql, tokens, ref.name().getParserPosition());
    return new TableSpot(span[0], span[1], table, ref.aliased(), ref.explicitTable());
  }

  /** The first and last token a parser position covers. */
  static int[] tokenSpan(String sql, List<Token> tokens, SqlParserPos pos) {
    int start = SqlParsing.offset(sql, pos.getLineNum(), pos.getColumnNum());
    int end = SqlParsing.offset(sql, pos.getEndLineNum(), pos.getEndColumnNum()) + 1;
    int first = -1;
    int last = -1;
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (first < 0 && t.start() >= start) {
        first = i;
      }
      if (t.start() < end) {
        last = i;
      }
    }
    if (first < 0 || last < first) {
      throw new IllegalStateException("no tokens at " + pos);
    }
    return new int[] {first, last};
  }

  // ------------------------------------------------------------------ router values

  /** Ties a constant to the one slot that holds it, so the plan serves the whole shape. */
  static ValueRef valueRef(ValueSource value, List<Token> tokens, List<Slot> slots) {
    if (value instanceof ValueSource.Parameter p) {
      return new ValueRef.Parameter(p.index());
    }
    ValueSource.Literal literal = (ValueSource.Literal) value;
    String text = literal.text();
    boolean negated = !literal.isString() && text.startsWith("-");
    String wanted = negated ? text.substring(1) : text;
    int found = -1;
    for (Slot slot : slots) {
      String v = slotValue(slot);
      if (v != null && v.equals(wanted) && (slot.kind() == SlotKind.STRING) == literal.isString()
          && precededByMinus(tokens, slot) == negated) {
        if (found >= 0) {
          return new ValueRef.Fixed(text);
        }
        found = slot.index();
      }
    }
    return found < 0 ? new ValueRef.Fixed(text) : new ValueRef.Slot(found, negated);
  }

  /** The value of a number or plain '...' string slot, null for other slot forms. */
  public static String slotValue(Slot slot) {
    return switch (slot.kind()) {
      case NUMBER -> slot.text();
      case STRING -> slot.text().startsWith("'") && slot.text().endsWith("'")
          && slot.text().length() >= 2
          ? slot.text().substring(1, slot.text().length() - 1).replace("''", "'") : null;
      case PARAMETER -> null;
    };
  }

  private static boolean precededByMinus(List<Token> tokens, Slot slot) {
    for (int i = 0; i < tokens.size(); i++) {
      if (tokens.get(i).start() == slot.start()) {
        return i > 0 && tokens.get(i - 1).kind() == TokenKind.OPERATOR
            && tokens.get(i - 1).text().equals("-");
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ multi-row INSERT

  private static ShapePlan multiRowInsert(DistributedTable table, List<TableSpot> spots,
      SqlInsert insert, String sql, List<Token> tokens, List<Slot> slots) {
    SqlNode source = insert.getSource();
    if (source.getKind() != SqlKind.VALUES || table.isReference()) {
      return refused(spots, SqlState.FEATURE_NOT_SUPPORTED,
          "INSERT ... SELECT into a distributed table is not supported yet",
          "Insert the rows with VALUES, or COPY them.");
    }
    SqlNodeList columns = insert.getTargetColumnList();
    int position = -1;
    for (int i = 0; i < columns.size(); i++) {
      SqlIdentifier id = (SqlIdentifier) columns.get(i);
      if (id.names.get(id.names.size() - 1).equals(table.distributionColumn())) {
        position = i;
      }
    }
    if (position < 0) {
      return refused(spots, SqlState.NOT_NULL_VIOLATION,
          FastPathRouter.INSERT_WITHOUT_PARTITION_VALUE, null);
    }
    List<int[]> rows = new ArrayList<>();
    List<ValueRef> values = new ArrayList<>();
    for (SqlNode row : ((SqlCall) source).getOperandList()) {
      List<SqlNode> items = row.getKind() == SqlKind.ROW ? ((SqlCall) row).getOperandList()
          : List.of(row);
      if (items.size() != columns.size()) {
        // PostgreSQL's own error says which side is longer: let one shard report it.
        return new ShapePlan.Router(table, spots, new ValueRef.Fixed("0"));
      }
      SqlNode item = FastPathRouter.keyOperand(items.get(position), table.distributionType());
      ValueSource value = item instanceof PgDynamicParam p ? new ValueSource.Parameter(p.getIndex())
          : literalOf(item);
      if (value == null) {
        return refused(spots, item.getKind() == SqlKind.LITERAL && item.toString()
            .equalsIgnoreCase("NULL") ? SqlState.NOT_NULL_VIOLATION
            : SqlState.FEATURE_NOT_SUPPORTED, item.toString().equalsIgnoreCase("NULL")
            ? FastPathRouter.INSERT_NULL_PARTITION_VALUE
            : "the distribution column value of each inserted row must be a constant or a"
                + " parameter", null);
      }
      rows.add(rowSpan(sql, tokens, row));
      values.add(valueRef(value, tokens, slots));
    }
    return new ShapePlan.MultiRowInsert(table, spots, rows, values);
  }

  private static ValueSource literalOf(SqlNode node) {
    if (node instanceof org.apache.calcite.sql.SqlNumericLiteral n) {
      return new ValueSource.Literal(n.toValue(), false);
    }
    if (node instanceof org.apache.calcite.sql.SqlCharStringLiteral s) {
      return new ValueSource.Literal(
          s.getValueAs(org.apache.calcite.util.NlsString.class).getValue(), true);
    }
    return null;
  }

  /** A VALUES row's tokens, from its opening parenthesis to its closing one. */
  private static int[] rowSpan(String sql, List<Token> tokens, SqlNode row) {
    int[] span = tokenSpan(sql, tokens, row.getParserPosition());
    int first = span[0];
    int last = span[1];
    if (!tokens.get(first).is("(")) {
      // A position may start at the first value: widen to the parentheses around it.
      while (first > 0 && !tokens.get(first).is("(")) {
        first--;
      }
    }
    int depth = 0;
    for (int i = first; i < tokens.size(); i++) {
      if (tokens.get(i).is("(")) {
        depth++;
      } else if (tokens.get(i).is(")") && --depth == 0) {
        last = i;
        break;
      }
    }
    return new int[] {first, last};
  }

  // ------------------------------------------------------------------ gather filters

  /**
   * The WHERE condition of a single-table query the shards may apply when its table is gathered
   * whatever its plan (a cursor's or a COPY's query reads the table into the coordinator
   * database); null when there is none.
   */
  public static int[] gatherFilter(String sql, List<Token> tokens) {
    return filter(SqlParsing.parse(sql), sql, tokens);
  }

  /**
   * The WHERE condition of a single-table SELECT that the shards may apply: no parameters (the
   * shards' COPY takes none), no subqueries, no functions whose value differs per call.
   */
  private static int[] filter(SqlNode statement, String sql, List<Token> tokens) {
    SqlNode node = statement instanceof SqlOrderBy orderBy ? orderBy.query : statement;
    if (!(node instanceof SqlSelect select) || select.getWhere() == null) {
      return null;
    }
    SqlNode where = select.getWhere();
    boolean[] unsafe = {false};
    where.accept(new SqlBasicVisitor<Void>() {
      @Override
      public Void visit(SqlCall call) {
        if (call.getKind().belongsTo(SqlKind.QUERY)
            || VOLATILE.contains(call.getOperator().getName().toLowerCase(Locale.ROOT))) {
          unsafe[0] = true;
          return null;
        }
        return super.visit(call);
      }

      @Override
      public Void visit(org.apache.calcite.sql.SqlDynamicParam param) {
        unsafe[0] = true;
        return null;
      }
    });
    if (unsafe[0]) {
      return null;
    }
    // The WHERE keyword's position bounds the condition: from the token after it up to the
    // token before the next clause at depth zero.
    int[] span = tokenSpan(sql, tokens, where.getParserPosition());
    int whereKeyword = span[0] - 1;
    while (whereKeyword >= 0 && !tokens.get(whereKeyword).isWord("WHERE")) {
      whereKeyword--;
    }
    if (whereKeyword < 0) {
      return null;
    }
    int depth = 0;
    int last = tokens.size() - 1;
    for (int i = whereKeyword + 1; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.is("(")) {
        depth++;
      } else if (t.is(")")) {
        if (depth == 0) {
          last = i - 1;
          break;
        }
        depth--;
      } else if (depth == 0 && (t.is(";") || t.isWord("GROUP") || t.isWord("ORDER")
          || t.isWord("LIMIT") || t.isWord("OFFSET") || t.isWord("HAVING") || t.isWord("WINDOW")
          || t.isWord("FETCH") || t.isWord("FOR") || t.isWord("UNION") || t.isWord("INTERSECT")
          || t.isWord("EXCEPT"))) {
        last = i - 1;
        break;
      }
    }
    return last > whereKeyword ? new int[] {whereKeyword + 1, last} : null;
  }
}
