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
  private final List<Ref> refs = new ArrayList<>();
  private DistributedTable target;
  private MetadataSnapshot meta;
  private boolean concurrently;
  private boolean resolved;

  private enum Role { TABLE, INDEX, NEW_TABLE_NAME, NEW_INDEX_NAME, CONSTRAINT, REFERENCED }

  private record Ref(int from, int to, Role role, Long oid) {}

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
    return concurrently || command.equals("VACUUM") || command.equals("ANALYZE")
        || command.equals("ANALYSE");
  }

  public String tag() {
    return switch (command) {
      case "ANALYSE" -> "ANALYZE";
      default -> command;
    };
  }

  public boolean touchesDistributedTables() {
    if (!resolved) {
      resolve();
    }
    return target != null;
  }

  // ------------------------------------------------------------------ parsing

  private void resolve() {
    resolved = true;
    if (command.equals("DROP TABLE")) {
      return;
    }
    meta = ctx.snapshot();
    if (meta.tables().isEmpty()) {
      return;
    }
    switch (command) {
      case "CREATE INDEX" -> parseCreateIndex();
      case "DROP INDEX" -> parseDropIndex();
      case "ALTER INDEX" -> parseAlterIndex();
      case "ALTER TABLE" -> parseAlterTable();
      case "TRUNCATE" -> parseTruncate();
      case "VACUUM", "ANALYZE", "ANALYSE" -> parseVacuum();
      default -> {
        // REINDEX, CLUSTER: refused below when they name a distributed table.
        for (int i = 1; i < t.size(); i++) {
          if (ShardDdl.isName(t.get(i)) && !t.get(i).text().isEmpty()) {
            Long oid = tableOid(i, ShardDdl.nameEnd(t, i));
            if (oid != null && meta.isDistributed(oid)) {
              throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED, command
                  + " on distributed tables is not supported yet", null);
            }
          }
        }
      }
    }
    Set<Long> targets = new HashSet<>();
    for (Ref r : refs) {
      if ((r.role == Role.TABLE || r.role == Role.INDEX) && r.oid != null
          && meta.isDistributed(r.oid)) {
        targets.add(r.oid);
      }
    }
    if (targets.size() > 1) {
      throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED, command
          + " on several distributed tables in one statement is not supported yet",
          "Run one statement per table.");
    }
    if (!targets.isEmpty()) {
      target = meta.table(targets.iterator().next()).orElseThrow();
      for (Ref r : refs) {
        if ((r.role == Role.TABLE || r.role == Role.INDEX) && r.oid != null
            && !meta.isDistributed(r.oid)) {
          throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED, command
              + " mixing distributed and local tables is not supported",
              "Run one statement for the distributed table and one for the others.");
        }
      }
    }
  }

  private int skip(int i, String... words) {
    for (String w : words) {
      if (i < t.size() && t.get(i).isWord(w)) {
        i++;
      }
    }
    return i;
  }

  private int skipIfExists(int i) {
    if (i + 1 < t.size() && t.get(i).isWord("IF") && t.get(i + 1).isWord("EXISTS")) {
      return i + 2;
    }
    return i;
  }

  private void parseCreateIndex() {
    int i = skip(1, "UNIQUE");
    i++; // INDEX
    if (i < t.size() && t.get(i).isWord("CONCURRENTLY")) {
      concurrently = true;
      i++;
    }
    if (i + 2 < t.size() && t.get(i).isWord("IF") && t.get(i + 1).isWord("NOT")
        && t.get(i + 2).isWord("EXISTS")) {
      i += 3;
    }
    if (!t.get(i).isWord("ON")) {
      refs.add(new Ref(i, i + 1, Role.NEW_INDEX_NAME, null));
      i++;
    }
    i = skip(i, "ON", "ONLY");
    int end = ShardDdl.nameEnd(t, i);
    refs.add(new Ref(i, end, Role.TABLE, tableOid(i, end)));
  }

  private void parseDropIndex() {
    int i = 2;
    if (t.get(i).isWord("CONCURRENTLY")) {
      concurrently = true;
      i++;
    }
    i = skipIfExists(i);
    while (i < t.size() && ShardDdl.isName(t.get(i)) && !t.get(i).isWord("CASCADE")
        && !t.get(i).isWord("RESTRICT")) {
      int end = ShardDdl.nameEnd(t, i);
      refs.add(new Ref(i, end, Role.INDEX, indexTable(i, end)));
      i = end;
      if (i < t.size() && t.get(i).is(",")) {
        i++;
      }
    }
  }

  private void parseAlterIndex() {
    int i = skipIfExists(2);
    int end = ShardDdl.nameEnd(t, i);
    refs.add(new Ref(i, end, Role.INDEX, indexTable(i, end)));
    for (int j = end; j + 2 < t.size(); j++) {
      if (t.get(j).isWord("RENAME") && t.get(j + 1).isWord("TO")) {
        refs.add(new Ref(j + 2, j + 3, Role.NEW_INDEX_NAME, null));
      }
    }
  }

  private void parseAlterTable() {
    int i = skipIfExists(2);
    i = skip(i, "ONLY");
    int end = ShardDdl.nameEnd(t, i);
    Long oid = tableOid(i, end);
    refs.add(new Ref(i, end, Role.TABLE, oid));
    if (oid == null || !meta.isDistributed(oid)) {
      return;
    }
    DistributedTable table = meta.table(oid).orElseThrow();
    int depth = 0;
    for (int j = end; j < t.size(); j++) {
      Token k = t.get(j);
      if (k.is("(")) {
        depth++;
      } else if (k.is(")")) {
        depth--;
      }
      if (k.isWord("CONSTRAINT") && j + 1 < t.size() && !t.get(j - 1).isWord("RENAME")) {
        int n = skipIfExists(j + 1);
        if (n < t.size() && ShardDdl.isName(t.get(n))) {
          refs.add(new Ref(n, n + 1, Role.CONSTRAINT, null));
        }
      } else if (k.isWord("RENAME") && j + 1 < t.size() && t.get(j + 1).isWord("CONSTRAINT")) {
        int a = skipIfExists(j + 2);
        refs.add(new Ref(a, a + 1, Role.CONSTRAINT, null));
        refs.add(new Ref(a + 2, a + 3, Role.CONSTRAINT, null));
        j = a + 2;
      } else if (k.isWord("RENAME") && j + 2 < t.size() && t.get(j + 1).isWord("TO")) {
        refs.add(new Ref(j + 2, j + 3, Role.NEW_TABLE_NAME, null));
      } else if (k.isWord("REFERENCES")) {
        int e = ShardDdl.nameEnd(t, j + 1);
        Long ref = tableOid(j + 1, e);
        if (ref == null || !meta.isDistributed(ref)) {
          throw BasaltException.builder(SqlState.FEATURE_NOT_SUPPORTED,
              "cannot create foreign key constraint since relations are not colocated or not"
                  + " referencing a reference table")
              .detail("A distributed table can only have foreign keys if it is referencing"
                  + " another colocated hash distributed table or a reference table").build();
        }
        refs.add(new Ref(j + 1, e, Role.REFERENCED, ref));
      } else if (k.isWord("USING") && j + 1 < t.size() && t.get(j + 1).isWord("INDEX")) {
        refs.add(new Ref(j + 2, j + 3, Role.CONSTRAINT, null));
      } else if (depth == 0 && touchesColumn(j, table)) {
        throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED,
            "cannot execute ALTER TABLE command involving partition column");
      } else if (depth == 0 && (k.isWord("ATTACH") || k.isWord("DETACH") || k.isWord("INHERIT")
          || (k.isWord("SET") && j + 1 < t.size() && t.get(j + 1).isWord("SCHEMA")))) {
        throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED, "ALTER TABLE ... "
            + k.upper() + " on distributed tables is not supported yet", null);
      } else if (k.isWord("nextval") || k.isWord("SERIAL") || k.isWord("BIGSERIAL")
          || k.isWord("SMALLSERIAL") || k.isWord("IDENTITY")) {
        throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED,
            "adding sequence-backed columns or defaults to a distributed table is not"
                + " supported yet",
            "Define serial and identity columns before distributing the table.");
      }
    }
  }

  /** ALTER [COLUMN] col TYPE / SET DATA TYPE, DROP [COLUMN] [IF EXISTS] col on the key. */
  private boolean touchesColumn(int j, DistributedTable table) {
    if (table.distributionColumn() == null) {
      return false;
    }
    Token k = t.get(j);
    if (k.isWord("ALTER") || k.isWord("DROP")) {
      int c = skip(j + 1, "COLUMN");
      if (k.isWord("DROP")) {
        if (t.size() > j + 1 && t.get(j + 1).isWord("CONSTRAINT")) {
          return false;
        }
        c = skipIfExists(c);
      }
      if (c >= t.size() || !ShardDdl.isName(t.get(c))
          || !ShardDdl.unquote(t.get(c).text()).equals(table.distributionColumn())) {
        return false;
      }
      if (k.isWord("DROP")) {
        return true;
      }
      return c + 1 < t.size() && (t.get(c + 1).isWord("TYPE")
          || (t.get(c + 1).isWord("SET") && c + 2 < t.size() && t.get(c + 2).isWord("DATA")));
    }
    return false;
  }

  private void parseTruncate() {
    int i = skip(1, "TABLE");
    while (i < t.size()) {
      i = skip(i, "ONLY");
      if (i >= t.size() || !ShardDdl.isName(t.get(i)) || t.get(i).isWord("RESTART")
          || t.get(i).isWord("CONTINUE") || t.get(i).isWord("CASCADE")
          || t.get(i).isWord("RESTRICT")) {
        break;
      }
      int end = ShardDdl.nameEnd(t, i);
      refs.add(new Ref(i, end, Role.TABLE, tableOid(i, end)));
      i = end;
      if (i < t.size() && t.get(i).is("*")) {
        i++;
      }
      if (i < t.size() && t.get(i).is(",")) {
        i++;
      } else {
        break;
      }
    }
  }

  private void parseVacuum() {
    int i = 1;
    if (i < t.size() && t.get(i).is("(")) {
      while (i < t.size() && !t.get(i).is(")")) {
        i++;
      }
      i++;
    }
    while (i < t.size() && (t.get(i).isWord("FULL") || t.get(i).isWord("FREEZE")
        || t.get(i).isWord("VERBOSE") || t.get(i).isWord("ANALYZE")
        || t.get(i).isWord("ANALYSE"))) {
      i++;
    }
    while (i < t.size() && ShardDdl.isName(t.get(i))) {
      int end = ShardDdl.nameEnd(t, i);
      refs.add(new Ref(i, end, Role.TABLE, tableOid(i, end)));
      i = end;
      if (i < t.size() && t.get(i).is("(")) {
        while (i < t.size() && !t.get(i).is(")")) {
          i++;
        }
        i++;
      }
      if (i < t.size() && t.get(i).is(",")) {
        i++;
      } else {
        break;
      }
    }
  }

  private String text(int from, int to) {
    int base = t.get(0).start();
    return statement.text().substring(t.get(from).start() - base, t.get(to - 1).end() - base);
  }

  private Long tableOid(int from, int to) {
    String oid = ctx.db().queryValue("SELECT pg_catalog.to_regclass(" + Sql.literal(text(from, to))
        + ")::oid");
    return oid == null ? null : Long.valueOf(oid);
  }

  private Long indexTable(int from, int to) {
    String oid = ctx.db().queryValue("SELECT indrelid::oid FROM pg_catalog.pg_index"
        + " WHERE indexrelid = pg_catalog.to_regclass(" + Sql.literal(text(from, to)) + ")");
    return oid == null ? null : Long.valueOf(oid);
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
    runOnShards(generated, true);
    if (refs.stream().anyMatch(r -> r.role == Role.NEW_TABLE_NAME)) {
      // The catalog rows stay (they hold the OID), but every snapshot has the old name.
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
        && refs.stream().noneMatch(r -> r.role == Role.NEW_INDEX_NAME);
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
    for (Ref r : refs) {
      if (r.role == Role.CONSTRAINT) {
        named.add(ShardDdl.unquote(text(r.from, r.to)));
      }
    }
    now.removeAll(named);
    if (now.isEmpty()) {
      return null;
    }
    if (now.size() > 1 || addPosition() < 0) {
      throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED,
          "cannot add unnamed constraints to a distributed table in this form",
          "Name the constraint: ALTER TABLE ... ADD CONSTRAINT name ...");
    }
    return now.iterator().next();
  }

  /** The token index of ADD in a single "ADD <unnamed table constraint>" action, else -1. */
  private int addPosition() {
    int found = -1;
    for (int i = 0; i + 1 < t.size(); i++) {
      if (t.get(i).isWord("ADD")) {
        Token n = t.get(i + 1);
        boolean tableConstraint = n.isWord("PRIMARY") || n.isWord("UNIQUE") || n.isWord("CHECK")
            || n.isWord("FOREIGN") || n.isWord("EXCLUDE");
        if (!tableConstraint || found >= 0) {
          return -1;
        }
        found = i;
      }
    }
    return found;
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
      perGroup.forEach((g, stmts) -> work.put(ctx.transaction().connection(
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

  /** The statement for one shard: every name reference replaced, back to front. */
  private String forShard(Shard shard, int index, String generated) {
    int base = t.get(0).start();
    long id = shard.shardId();
    record Edit(int from, int to, String text) {}
    List<Edit> edits = new ArrayList<>();
    for (Ref r : refs) {
      String replacement = switch (r.role) {
        case TABLE -> ShardDdl.shardTable(target.schema(), target.name(), id);
        case INDEX -> qualifiedIndex(r, id);
        case NEW_TABLE_NAME, NEW_INDEX_NAME, CONSTRAINT ->
            Identifiers.quote(ShardNames.shardName(ShardDdl.unquote(text(r.from, r.to)), id));
        case REFERENCED -> referenced(r.oid, index);
      };
      edits.add(new Edit(t.get(r.from).start() - base, t.get(r.to - 1).end() - base, replacement));
    }
    if (generated != null) {
      String name = Identifiers.quote(ShardNames.shardName(generated, id));
      if (command.equals("CREATE INDEX")) {
        // Unnamed index: the name goes right before ON.
        int pos = t.get(onPosition()).start() - base;
        edits.add(new Edit(pos, pos, name + " "));
      } else {
        int pos = t.get(addPosition()).end() - base;
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

  private int onPosition() {
    for (int i = 0; i < t.size(); i++) {
      if (t.get(i).isWord("ON")) {
        return i;
      }
    }
    throw new IllegalStateException("CREATE INDEX without ON");
  }

  private String qualifiedIndex(Ref r, long shardId) {
    String raw = text(r.from, r.to);
    String name = ShardDdl.unquote(t.get(r.to - 1).text());
    String schema = r.to - r.from > 1 ? ShardDdl.unquote(t.get(r.from).text()) : target.schema();
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
