package io.basalt.coordinator.dist;

import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import io.basalt.executor.remote.RemoteConnection;
import io.basalt.metadata.catalog.DistributedTable;
import io.basalt.metadata.catalog.Identifiers;
import io.basalt.metadata.catalog.MetadataSnapshot;
import io.basalt.metadata.catalog.Shard;
import io.basalt.metadata.shard.ShardNames;
import io.basalt.planner.Statement;
import io.basalt.planner.lexer.Token;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Table DDL on distributed and reference tables: the statement runs on the shell table in the
 * coordinator database, then on every shard with names rewritten at their token positions
 * (table → its shard, index and constraint names → name_shardid, REFERENCES → the co-located or
 * reference shard), all in the client's transaction and committed with two-phase commit, so a
 * failure anywhere leaves every shard and the shell as they were. CONCURRENTLY, VACUUM and
 * ANALYZE cannot run in a transaction: they run on the shell, then shard by shard.
 */
public final class DdlPropagation {
  private final OperationContext ctx;
  private final Statement statement;
  private final List<Token> t;
  private final String command;
  /** Token ranges [from, to) to replace, with what they stand for. */
  private DdlReferences references;
  private DistributedTable target;
  private MetadataSnapshot meta;

  public DdlPropagation(OperationContext ctx, Statement statement) {
    this.ctx = ctx;
    this.statement = statement;
    this.t = statement.tokens();
    String first = t.get(0).upper();
    String second = t.size() > 1 ? t.get(1).upper() : "";
    this.command = switch (first) {
      case "CREATE" -> "CREATE INDEX";
      case "ALTER", "DROP" -> first + " " + second;
      default -> first;
    };
  }

  public String command() {
    return command;
  }

  /** A DROP TABLE may drop distributed tables (the catalog's drop trigger handles them). */
  public boolean mayDropTables() {
    return command.equals("DROP TABLE");
  }

  public boolean nonTransactional() {
    return references().concurrently() || command.equals("VACUUM") || command.equals("ANALYZE")
        || command.equals("ANALYSE");
  }

  public String tag() {
    return switch (command) {
      case "ANALYSE" -> "ANALYZE";
      case "TRUNCATE" -> "TRUNCATE TABLE";
      default -> command;
    };
  }

  public boolean touchesDistributedTables() {
    return references().target() != null;
  }

  private DdlReferences references() {
    if (references == null) {
      references = new DdlReferences(ctx, statement, command);
      target = references.target();
      meta = references.meta();
    }
    return references;
  }

  private List<DdlReferences.Ref> refs() {
    return references().refs();
  }

  private String text(int from, int to) {
    return references().text(from, to);
  }

  // ------------------------------------------------------------------ running

  /** In the client's transaction: shell first, then every shard (in parallel per node). */
  public void run() {
    Set<String> constraintsBefore = names("SELECT conname FROM pg_catalog.pg_constraint"
        + " WHERE conrelid = " + target.oid());
    Set<String> indexesBefore = indexNames();
    ctx.db().execute(statement.text());
    String generated = generatedName(constraintsBefore, indexesBefore);
    checkRules();
    if (command.equals("TRUNCATE") && references().targets().size() > 1) {
      truncateTogether();
    } else {
      runOnShards(generated, true);
    }
    if (command.equals("ALTER TABLE")
        || refs().stream().anyMatch(r -> r.role() == DdlReferences.Role.NEW_TABLE_NAME)) {
      // The catalog rows stay (they hold the OID), but every snapshot has the old name; or
      // plans made from the table's columns and defaults (TimeDefaults, sequence columns) must
      // be made again.
      ctx.db().execute("SELECT basalt_internal.metadata_changed()");
      ctx.transaction().catalogChanged();
    }
  }

  /** CONCURRENTLY, VACUUM, ANALYZE: each shard in its own transaction, after the shell. */
  public void runNonTransactional() {
    Set<String> indexesBefore = indexNames();
    ctx.db().execute(statement.text());
    String generated = command.equals("CREATE INDEX") ? generatedName(Set.of(), indexesBefore) : null;
    runOnShards(generated, false);
  }

  private Set<String> indexNames() {
    return names("SELECT c.relname FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c"
        + " ON c.oid = i.indexrelid WHERE i.indrelid = " + target.oid());
  }

  private Set<String> names(String sql) {
    Set<String> out = new HashSet<>();
    for (String[] r : ctx.db().query(sql)) {
      out.add(r[0]);
    }
    return out;
  }

  /**
   * The name PostgreSQL chose for an unnamed index or constraint the statement added, which the
   * shards must reuse (suffixed) so later DDL can name it; null if none.
   */
  private String generatedName(Set<String> constraintsBefore, Set<String> indexesBefore) {
    boolean unnamedIndex = command.equals("CREATE INDEX")
        && refs().stream().noneMatch(r -> r.role() == DdlReferences.Role.NEW_INDEX_NAME);
    if (unnamedIndex) {
      Set<String> now = indexNames();
      now.removeAll(indexesBefore);
      return now.size() == 1 ? now.iterator().next() : null;
    }
    if (!command.equals("ALTER TABLE")) {
      return null;
    }
    Set<String> now = names("SELECT conname FROM pg_catalog.pg_constraint WHERE conrelid = "
        + target.oid());
    now.removeAll(constraintsBefore);
    Set<String> named = new HashSet<>();
    for (DdlReferences.Ref r : refs()) {
      if (r.role() == DdlReferences.Role.CONSTRAINT) {
        named.add(Identifiers.nameOf(text(r.from(), r.to())));
      }
    }
    now.removeAll(named);
    if (now.isEmpty()) {
      return null;
    }
    if (now.size() > 1 || references().addPosition() < 0) {
      throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED,
          "cannot add unnamed constraints to a distributed table in this form",
          "Name the constraint: ALTER TABLE ... ADD CONSTRAINT name ...");
    }
    return now.iterator().next();
  }

  /** After the shell changed: Citus's rules on keys and foreign keys still hold. */
  private void checkRules() {
    DistributionRules.check(TableDefinition.read(ctx.db(), target.oid()), target.name(),
        target.distributionAttnum(), target.colocationId(), target.isReference(), meta);
  }

  private void runOnShards(String generated, boolean inTransaction) {
    Map<Integer, List<String>> perGroup = new TreeMap<>();
    for (int index = 0; index < target.shards().size(); index++) {
      Shard shard = target.shards().get(index);
      String sql = forShard(shard, index, generated);
      for (int g : shard.placementGroups()) {
        perGroup.computeIfAbsent(g, k -> new ArrayList<>()).add(sql);
      }
    }
    if (inTransaction) {
      Map<RemoteConnection, String> work = new LinkedHashMap<>();
      perGroup.forEach((g, stmts) -> work.put(ctx.transaction().connectionForWrite(
          CreateTable.nodeOf(meta, g), ctx.user()), String.join(";\n", stmts)));
      Parallel.forEach(work.entrySet(), e -> e.getKey().execute(e.getValue()));
    } else {
      Parallel.forEach(perGroup.entrySet(), e -> {
        try (RemoteConnection c = ctx.cluster().openNode(CreateTable.nodeOf(meta, e.getKey()),
            ctx.user())) {
          for (String sql : e.getValue()) {
            c.execute(sql);
          }
        }
      });
    }
  }

  /**
   * TRUNCATE of several distributed tables: one TRUNCATE per node naming every shard placed
   * there, with the statement's options, so that foreign keys between the tables (co-located,
   * or to a reference table) are truncated together as PostgreSQL requires.
   */
  private void truncateTogether() {
    Map<Integer, List<String>> perGroup = new TreeMap<>();
    for (DistributedTable table : references().targets()) {
      for (Shard shard : table.shards()) {
        String name = ShardDdl.shardTable(table.schema(), table.name(), shard.shardId());
        for (int g : shard.placementGroups()) {
          perGroup.computeIfAbsent(g, k -> new ArrayList<>()).add(name);
        }
      }
    }
    // RESTART IDENTITY, CONTINUE IDENTITY, CASCADE, RESTRICT: whatever follows the last name.
    int last = refs().stream().mapToInt(DdlReferences.Ref::to).max().orElseThrow();
    if (last < t.size() && t.get(last).is("*")) {
      last++;
    }
    String options = last < t.size() ? " " + text(last, t.size()) : "";
    Map<RemoteConnection, String> work = new LinkedHashMap<>();
    perGroup.forEach((g, names) -> work.put(ctx.transaction().connectionForWrite(
        CreateTable.nodeOf(meta, g), ctx.user()), "TRUNCATE TABLE " + String.join(", ", names)
        + options));
    Parallel.forEach(work.entrySet(), e -> e.getKey().execute(e.getValue()));
  }

  /** The statement for one shard: every name reference replaced, back to front. */
  private String forShard(Shard shard, int index, String generated) {
    int base = t.get(0).start();
    long id = shard.shardId();
    record Edit(int from, int to, String text) {}
    List<Edit> edits = new ArrayList<>();
    for (DdlReferences.Ref r : refs()) {
      String replacement = switch (r.role()) {
        case TABLE -> ShardDdl.shardTable(target.schema(), target.name(), id);
        case INDEX -> qualifiedIndex(r, id);
        case NEW_TABLE_NAME, NEW_INDEX_NAME, CONSTRAINT ->
            Identifiers.quote(ShardNames.shardName(Identifiers.nameOf(text(r.from(), r.to())), id));
        case REFERENCED -> referenced(r.oid(), index);
      };
      edits.add(new Edit(t.get(r.from()).start() - base, t.get(r.to() - 1).end() - base, replacement));
    }
    if (generated != null) {
      String name = Identifiers.quote(ShardNames.shardName(generated, id));
      if (command.equals("CREATE INDEX")) {
        // Unnamed index: the name goes right before ON.
        int pos = t.get(references().onPosition()).start() - base;
        edits.add(new Edit(pos, pos, name + " "));
      } else {
        int pos = t.get(references().addPosition()).end() - base;
        edits.add(new Edit(pos, pos, " CONSTRAINT " + name));
      }
    }
    edits.sort((a, b) -> Integer.compare(b.from, a.from));
    StringBuilder sb = new StringBuilder(statement.text());
    for (Edit e : edits) {
      sb.replace(e.from, e.to, e.text);
    }
    return sb.toString();
  }

  private String qualifiedIndex(DdlReferences.Ref r, long shardId) {
    String raw = text(r.from(), r.to());
    String name = Identifiers.nameOf(t.get(r.to() - 1).text());
    String schema = r.to() - r.from() > 1 ? Identifiers.nameOf(t.get(r.from()).text()) : target.schema();
    return raw.isEmpty() ? raw : Identifiers.quote(schema) + "."
        + Identifiers.quote(ShardNames.shardName(name, shardId));
  }

  private String referenced(long oid, int index) {
    if (oid == target.oid()) {
      Shard s = target.shards().get(index);
      return ShardDdl.shardTable(target.schema(), target.name(), s.shardId());
    }
    DistributedTable other = meta.table(oid).orElseThrow();
    Shard s = other.isReference() ? other.shards().get(0) : other.shards().get(index);
    return ShardDdl.shardTable(other.schema(), other.name(), s.shardId());
  }
}
