package io.basalt.coordinator.dist;

import io.basalt.coordinator.catalog.MetadataLoader;
import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import io.basalt.metadata.catalog.DistributedTable;
import io.basalt.metadata.catalog.MetadataSnapshot;
import io.basalt.metadata.catalog.Node;
import io.basalt.metadata.catalog.Shard;
import io.basalt.metadata.shard.ColocationChoice;
import io.basalt.metadata.shard.HashRange;
import io.basalt.metadata.shard.RoundRobinPlacement;
import io.basalt.metadata.shard.ShardRanges;
import io.basalt.metadata.shard.WorkerNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * create_distributed_table and create_reference_table: validate as Citus does, choose the
 * co-location group and placements, write the catalog rows in the client's transaction, create
 * the shards on the workers in the transaction's worker connections, and move the table's rows
 * into them. Nothing is visible to anyone until the whole transaction commits (two-phase).
 */
public final class CreateTable {
  private final OperationContext ctx;

  public CreateTable(OperationContext ctx) {
    this.ctx = ctx;
  }

  /** create_distributed_table(table, column, type, colocate_with, shard_count). */
  public void distributed(long tableOid, String column, String distributionType,
      String colocateWith, Integer shardCountArg) {
    if (!"hash".equals(distributionType)) {
      throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED, "distribution_type '"
          + distributionType + "' is not supported", "Use hash distribution (the default).");
    }
    MetadataSnapshot meta = MetadataLoader.load(ctx.db());
    String name = checkTable(tableOid, meta);
    if (column == null) {
      throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED,
          "single-shard tables (distribution_column NULL) are not supported yet",
          "Give a distribution column, or use create_reference_table.");
    }
    String[] col = findColumn(tableOid, column, name);
    int attnum = Integer.parseInt(col[0]);
    int type = Integer.parseInt(col[1]);
    int collation = Integer.parseInt(col[2]);
    if (!col[3].isEmpty()) {
      throw BasaltException.builder(SqlState.FEATURE_NOT_SUPPORTED,
          "cannot distribute relation: " + name)
          .detail("Distribution column must not use GENERATED ALWAYS AS (...) STORED.").build();
    }
    String hashCall = ctx.db().queryValue("SELECT basalt_internal.hash_call(" + type
        + "::regtype, " + Sql.literal(io.basalt.metadata.catalog.Identifiers.quote(col[4])) + ")");
    if ("f".equals(col[5])) {
      throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED,
          "Hash distributed partition columns may not use a non deterministic collation");
    }
    checkReplicationFactor();
    int setting = Integer.parseInt(ctx.db().queryValue(
        "SELECT current_setting('citus.shard_count')").trim());
    Optional<DistributedTable> named = ColocationChoice.namesTable(colocateWith)
        ? Optional.of(namedTable(colocateWith, name, meta)) : Optional.empty();
    ColocationChoice.Decision decision = ColocationChoice.decide(name, colocateWith,
        shardCountArg, setting, type, collation, named.map(this::asSource).orElse(null));
    int colocationId;
    int shardCount;
    switch (decision) {
      case ColocationChoice.Join j -> {
        colocationId = j.colocationId();
        shardCount = j.shardCount();
      }
      case ColocationChoice.ReuseOrCreate r -> {
        colocationId = colocationGroup(r.shardCount(), type, collation, true);
        shardCount = r.shardCount();
      }
      case ColocationChoice.CreateNew c -> {
        colocationId = colocationGroup(c.shardCount(), type, collation, false);
        shardCount = c.shardCount();
      }
    }
    // A table joining an existing group copies the placements of the group's first table.
    Optional<DistributedTable> source = meta.tables().values().stream()
        .filter(t -> t.colocationId() == colocationId && t.isHashDistributed())
        .min(Comparator.comparingLong(DistributedTable::oid));
    TableDefinition def = TableDefinition.read(ctx.db(), tableOid);
    checkConstraints(def, attnum, name, colocationId, meta, false);
    ctx.transaction().distributing(name);
    lock(def);

    List<HashRange> ranges;
    List<List<Integer>> groups;
    if (source.isPresent()) {
      ranges = new ArrayList<>();
      groups = new ArrayList<>();
      for (Shard s : source.get().shards()) {
        ranges.add(new HashRange(s.minValue(), s.maxValue()));
        groups.add(s.placementGroups());
      }
    } else {
      ranges = ShardRanges.uniform(shardCount);
      groups = roundRobin(meta, shardCount);
    }
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < ranges.size(); i++) {
      json.append(i == 0 ? "" : ",").append("{\"min\":\"").append(ranges.get(i).min())
          .append("\",\"max\":\"").append(ranges.get(i).max()).append("\",\"groups\":")
          .append(groups.get(i)).append('}');
    }
    json.append(']');
    String partkey = "{VAR :varno 1 :varattno " + attnum + " :vartype " + type
        + " :vartypmod -1 :varcollid " + collation
        + " :varlevelsup 0 :varnosyn 1 :varattnosyn " + attnum + " :location -1}";
    List<Long> shardIds = register(tableOid, 'h', partkey, colocationId, 's', json.toString());

    List<PlannedShard> planned = new ArrayList<>();
    for (int i = 0; i < shardIds.size(); i++) {
      planned.add(new PlannedShard(shardIds.get(i), ranges.get(i), groups.get(i), i));
    }
    createShards(def, planned, meta);
    new ShardLoader(ctx, def, meta).moveLocalRows(planned, hashCall);
    ctx.transaction().catalogChanged();
  }

  /** create_reference_table(table). */
  public void reference(long tableOid) {
    MetadataSnapshot meta = MetadataLoader.load(ctx.db());
    String name = checkTable(tableOid, meta);
    TableDefinition def = TableDefinition.read(ctx.db(), tableOid);
    checkConstraints(def, 0, name, 0, meta, true);
    ctx.transaction().distributing(name);
    lock(def);
    List<Integer> groups = meta.activePrimaries().stream().filter(n -> !n.isCoordinator())
        .map(Node::groupId).distinct().sorted().toList();
    if (groups.isEmpty()) {
      throw noNodes();
    }
    int colocationId = Integer.parseInt(ctx.db().queryValue(
        "SELECT basalt_internal.colocation_group(1, -1, 0, 0, true)"));
    List<Long> ids = register(tableOid, 'n', null, colocationId, 't',
        "[{\"min\":null,\"max\":null,\"groups\":" + groups + "}]");
    List<PlannedShard> planned = List.of(new PlannedShard(ids.get(0), null, groups, 0));
    createShards(def, planned, meta);
    new ShardLoader(ctx, def, meta).moveLocalRows(planned, null);
    ctx.transaction().catalogChanged();
  }

  /** A shard about to be created: its id, range (null for reference), groups, index. */
  record PlannedShard(long shardId, HashRange range, List<Integer> groups, int index) {}

  // ------------------------------------------------------------------ validation

  /** Checks table kind, ownership and that it is not distributed yet; returns its name. */
  private String checkTable(long oid, MetadataSnapshot meta) {
    List<String[]> rows = ctx.db().query("SELECT c.relname, c.relkind, c.relpersistence,"
        + " pg_catalog.pg_has_role(current_user, c.relowner, 'MEMBER'),"
        + " EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.oid)"
        + " FROM pg_catalog.pg_class c WHERE c.oid = " + oid);
    String[] r = rows.get(0);
    String name = r[0];
    if (meta.isDistributed(oid)) {
      throw BasaltException.builder("42P16", "table \"" + name + "\" is already distributed").build();
    }
    if (!"t".equals(r[3])) {
      throw BasaltException.of(SqlState.INSUFFICIENT_PRIVILEGE,
          "must be owner of table " + name);
    }
    switch (r[1]) {
      case "r" -> { }
      case "p" -> throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED,
          "distributing partitioned tables is not supported yet", null);
      default -> throw BasaltException.builder(SqlState.FEATURE_NOT_SUPPORTED,
          "cannot distribute relation \"" + name + "\"")
          .detail("Distributed relations must be regular tables.").build();
    }
    if ("t".equals(r[2])) {
      throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED, "cannot distribute a temporary table");
    }
    if ("t".equals(r[4])) {
      throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED,
          "distributing inherited or partition tables is not supported yet");
    }
    // A view reads the local table directly, which holds no rows once they are in the shards.
    String view = ctx.db().queryValue("SELECT DISTINCT r.ev_class::regclass::text"
        + " FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid"
        + " WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.refobjid = " + oid
        + " AND r.ev_class <> " + oid + " LIMIT 1");
    if (view != null) {
      throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED, "cannot distribute \"" + name
          + "\" because view " + view + " depends on it",
          "Views over distributed tables are not supported yet; drop the view first.");
    }
    String function = functionUsing(oid, name);
    if (function != null) {
      throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED, "cannot distribute \"" + name
          + "\" because function " + function + " uses it",
          "Functions over distributed tables are not supported yet; drop the function first.");
    }
    return name;
  }

  /**
   * A user function whose body reads or writes the table (it would read the emptied local
   * table): SQL-standard bodies record the dependency; other SQL and PL/pgSQL bodies are text,
   * read with the planner's lexer.
   */
  private String functionUsing(long oid, String name) {
    String dependent = ctx.db().queryValue("SELECT d.objid::regprocedure::text"
        + " FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_proc'::regclass"
        + " AND d.refobjid = " + oid + " LIMIT 1");
    if (dependent != null) {
      return dependent;
    }
    for (String[] f : ctx.db().query("SELECT p.oid::regprocedure::text, p.prosrc"
        + " FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_language l ON l.oid = p.prolang"
        + " JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
        + " WHERE l.lanname IN ('sql', 'plpgsql')"
        + " AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'basalt_internal')"
        + " AND strpos(lower(p.prosrc), " + Sql.literal(name.toLowerCase(java.util.Locale.ROOT))
        + ") > 0")) {
      List<io.basalt.planner.lexer.Token> body = io.basalt.planner.lexer.Lexer.tokenize(f[1]);
      List<String> used = new ArrayList<>(io.basalt.planner.TableReferences.of(body));
      used.addAll(io.basalt.planner.TableReferences.inBodies(body));
      if (used.contains(name)) {
        return f[0];
      }
    }
    return null;
  }

  /** attnum, type, collation, generated, name, collation deterministic. */
  private String[] findColumn(long oid, String column, String table) {
    List<String[]> rows = ctx.db().query("SELECT a.attnum, a.atttypid, a.attcollation,"
        + " a.attgenerated, a.attname,"
        + " coalesce((SELECT collisdeterministic FROM pg_catalog.pg_collation"
        + "  WHERE oid = a.attcollation), true)"
        + " FROM pg_catalog.pg_attribute a WHERE a.attrelid = " + oid
        + " AND a.attname = " + Sql.literal(column) + " AND a.attnum > 0 AND NOT a.attisdropped");
    if (rows.isEmpty()) {
      throw BasaltException.builder("42703", "column \"" + column + "\" of relation \"" + table
          + "\" does not exist").build();
    }
    String[] r = rows.get(0);
    String hashProc = ctx.db().queryValue("SELECT basalt_internal.hash_proc(" + r[1] + "::regtype)");
    if (hashProc == null) {
      throw BasaltException.builder("42883", "could not identify a hash function for type "
          + ctx.db().queryValue("SELECT pg_catalog.format_type(" + r[1] + ", NULL)")).build();
    }
    if (!io.basalt.metadata.hash.DistributionColumnType.isHashable(Integer.parseInt(r[1]))) {
      // PostgreSQL can hash it, but the coordinator cannot route its values (time, interval,
      // inet, enums, domains): rows could not be written.
      throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED, "distributing by a column of type "
          + ctx.db().queryValue("SELECT pg_catalog.format_type(" + r[1] + ", NULL)")
          + " is not supported yet", "Distribute by a column of type smallint, integer, bigint,"
          + " numeric, real, double precision, text, character varying, character, \"char\","
          + " boolean, bytea, uuid, date, timestamp, timestamptz or oid.");
    }
    return r;
  }

  private void checkReplicationFactor() {
    String rf = ctx.db().queryValue("SELECT current_setting('citus.shard_replication_factor')");
    if (!"1".equals(rf.trim())) {
      throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED,
          "citus.shard_replication_factor = " + rf + " is not supported",
          "Basalt keeps one placement per shard; set citus.shard_replication_factor to 1.");
    }
  }

  private DistributedTable namedTable(String tableName, String name, MetadataSnapshot meta) {
    String oid = ctx.db().queryValue("SELECT pg_catalog.to_regclass(" + Sql.literal(tableName)
        + ")::oid");
    if (oid == null) {
      throw BasaltException.of(SqlState.UNDEFINED_TABLE, "relation \"" + tableName
          + "\" does not exist");
    }
    return meta.table(Long.parseLong(oid)).orElseThrow(() ->
        BasaltException.builder(SqlState.FEATURE_NOT_SUPPORTED, "cannot colocate tables "
            + tableName + " and " + name)
            .detail("Relation \"" + tableName + "\" is not distributed.").build());
  }

  private ColocationChoice.Source asSource(DistributedTable t) {
    int collation = t.distributionAttnum() == 0 ? 0 : Integer.parseInt(ctx.db().queryValue(
        "SELECT attcollation FROM pg_catalog.pg_attribute WHERE attrelid = " + t.oid()
            + " AND attnum = " + t.distributionAttnum()));
    return new ColocationChoice.Source(t.name(), t.isHashDistributed(), t.colocationId(),
        t.shards().size(), t.distributionType(), collation);
  }

  private int colocationGroup(int shardCount, int type, int collation, boolean reuse) {
    return Integer.parseInt(ctx.db().queryValue("SELECT basalt_internal.colocation_group("
        + shardCount + ", 1, " + type + ", " + collation + ", " + reuse + ")"));
  }

  /**
   * Citus's rules: UNIQUE, PRIMARY KEY and EXCLUDE constraints (and unique indexes) must include
   * the distribution column; foreign keys may only point at reference tables or at a co-located
   * table's distribution column; nothing local may reference the table.
   */
  private void checkConstraints(TableDefinition def, int attnum, String name, int colocationId,
      MetadataSnapshot meta, boolean reference) {
    DistributionRules.check(def, name, attnum, colocationId, reference, meta);
    String referencing = ctx.db().queryValue("SELECT conrelid::regclass::text"
        + " FROM pg_catalog.pg_constraint WHERE contype = 'f' AND confrelid = " + def.oid()
        + " AND conrelid <> " + def.oid() + " AND conrelid NOT IN"
        + " (SELECT logicalrelid FROM pg_catalog.pg_dist_partition) LIMIT 1");
    if (referencing != null) {
      throw BasaltException.builder(SqlState.FEATURE_NOT_SUPPORTED,
          "cannot distribute \"" + name + "\" because the local table \"" + referencing
              + "\" references it with a foreign key")
          .hint("Distribute \"" + referencing + "\" first or drop the foreign key.").build();
    }
  }

  private void lock(TableDefinition def) {
    // Readers may go on; writers wait until the shards own the rows.
    ctx.db().execute("LOCK TABLE ONLY " + def.qualifiedName() + " IN EXCLUSIVE MODE");
  }

  // ------------------------------------------------------------------ placement and creation

  private static List<List<Integer>> roundRobin(MetadataSnapshot meta, int shardCount) {
    List<WorkerNode> nodes = meta.shardTargets().stream()
        .map(n -> new WorkerNode(n.groupId(), n.name(), n.port())).toList();
    if (nodes.isEmpty()) {
      throw noNodes();
    }
    List<List<Integer>> out = new ArrayList<>();
    for (List<WorkerNode> replicas : RoundRobinPlacement.place(nodes, shardCount, 1)) {
      out.add(replicas.stream().map(WorkerNode::groupId).toList());
    }
    return out;
  }

  static Node nodeOf(MetadataSnapshot meta, int group) {
    return meta.primaryOf(group).orElseThrow(() -> BasaltException.of(
        SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE, "no active primary node in group " + group));
  }

  static BasaltException noNodes() {
    return BasaltException.of(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE,
        "couldn't find any worker nodes to place shards on",
        "Add a worker with SELECT citus_add_node('host', port).");
  }

  private List<Long> register(long oid, char method, String partkey, int colocationId,
      char model, String ranges) {
    String ids = ctx.db().queryValue("SELECT basalt_internal.register_table(" + oid + ", '"
        + method + "', " + Sql.literal(partkey) + ", " + colocationId + ", '" + model + "', "
        + Sql.literal(ranges) + "::jsonb)");
    List<Long> out = new ArrayList<>();
    for (String s : ids.substring(1, ids.length() - 1).split(",")) {
      out.add(Long.parseLong(s));
    }
    // citus.next_shard_id, when set, advances past the ids just used, as Citus does. (A
    // SECURITY DEFINER function cannot change the caller's settings, so it is done here.)
    String next = ctx.db().queryValue("SELECT current_setting('citus.next_shard_id', true)");
    if (next != null && !next.isBlank() && Long.parseLong(next.trim()) > 0) {
      ctx.db().execute("SELECT pg_catalog.set_config('citus.next_shard_id', '"
          + (out.get(out.size() - 1) + 1) + "', false)");
    }
    return out;
  }

  /** Creates the shards, all of one node in one round trip, the nodes in parallel. */
  private void createShards(TableDefinition def, List<PlannedShard> shards, MetadataSnapshot meta) {
    Map<Integer, StringBuilder> perGroup = new java.util.TreeMap<>();
    String prelude = WorkerObjects.prelude(ctx.db(), def);
    for (PlannedShard s : shards) {
      LongFunction<String> referenced = oid -> referencedShard(meta, oid, def, s);
      for (int g : s.groups()) {
        StringBuilder sql = perGroup.computeIfAbsent(g, k -> new StringBuilder(prelude));
        for (String stmt : ShardDdl.create(def, s.shardId(), referenced)) {
          sql.append(stmt).append(";\n");
        }
      }
    }
    // Connections are opened one by one (the transaction's map is not shared across threads),
    // then every node runs its part at the same time.
    Map<io.basalt.executor.remote.RemoteConnection, String> work = new java.util.LinkedHashMap<>();
    perGroup.forEach((group, sql) -> work.put(
        ctx.transaction().connectionForWrite(nodeOf(meta, group), ctx.user()),
        sql.toString()));
    Parallel.forEach(work.entrySet(), e -> e.getKey().execute(e.getValue()));
  }

  private static String referencedShard(MetadataSnapshot meta, long oid, TableDefinition def,
      PlannedShard s) {
    if (oid == def.oid()) {
      return ShardDdl.shardTable(def.schema(), def.name(), s.shardId());
    }
    DistributedTable t = meta.table(oid).orElseThrow();
    Shard target = t.isReference() ? t.shards().get(0) : t.shards().get(s.index());
    return ShardDdl.shardTable(t.schema(), t.name(), target.shardId());
  }
}
