package io.basalt.coordinator.dist;

import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import io.basalt.executor.remote.RemoteConnection;
import io.basalt.metadata.catalog.MetadataSnapshot;
import io.basalt.metadata.catalog.Node;
import io.basalt.metadata.catalog.Shard;
import io.basalt.planner.Statement;
import io.basalt.planner.lexer.Token;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeSet;

/**
 * ALTER TYPE and DROP TYPE of an enum that columns of distributed or reference tables use. Each
 * worker holding their shards has its own copy of the type ({@link WorkerObjects}); left alone it
 * would refuse a value added on the coordinator, or return a label renamed there under its old
 * name. So ADD VALUE, RENAME VALUE, RENAME TO and SET SCHEMA run on the coordinator database and
 * then on every such worker, in the client's transaction (two-phase commit), with the type's name
 * written schema-qualified as the coordinator resolved it. DROP TYPE ... CASCADE would drop the
 * shell's columns but not the shards' and is refused. Types no distributed table uses are left to
 * the coordinator database.
 */
public final class EnumTypeDdl {
  private final OperationContext ctx;
  private final Statement statement;
  private final List<Token> t;
  /** Tokens [typeStart, nameEnd) name the type. */
  private final int typeStart;
  private final int nameEnd;
  /** pg_type OID and schema-qualified quoted name, once {@link #touchesWorkers} found them. */
  private String[] type;

  private EnumTypeDdl(OperationContext ctx, Statement statement, int typeStart) {
    this.ctx = ctx;
    this.statement = statement;
    this.t = statement.tokens();
    this.typeStart = typeStart;
    this.nameEnd = typeStart < t.size() && ShardDdl.isName(t.get(typeStart))
        ? ShardDdl.nameEnd(t, typeStart) : -1;
  }

  /** ALTER TYPE name ... */
  public static EnumTypeDdl alter(OperationContext ctx, Statement statement) {
    return new EnumTypeDdl(ctx, statement, 2);
  }

  /**
   * DROP TYPE [IF EXISTS] a, b ... CASCADE would drop the shell's columns of these types but not
   * the shards': refused when one of them is an enum distributed tables use. Other DROP TYPE
   * statements are the coordinator database's (it refuses a type in use without CASCADE).
   */
  public static void checkDrop(OperationContext ctx, Statement statement) {
    List<Token> t = statement.tokens();
    if (t.stream().noneMatch(k -> k.isWord("CASCADE"))) {
      return;
    }
    int i = 2;
    if (i + 1 < t.size() && t.get(i).isWord("IF") && t.get(i + 1).isWord("EXISTS")) {
      i += 2;
    }
    while (i < t.size() && ShardDdl.isName(t.get(i))) {
      EnumTypeDdl name = new EnumTypeDdl(ctx, statement, i);
      if (name.touchesWorkers()) {
        throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED, "cannot drop type "
            + name.type[1] + " with CASCADE: columns of distributed tables use it",
            "Drop those columns first with ALTER TABLE ... DROP COLUMN, then the type.");
      }
      i = name.nameEnd;
      if (i < t.size() && t.get(i).is(",")) {
        i++;
      } else {
        break;
      }
    }
  }

  /** Whether the statement is about an enum type the shards of a distributed table use. */
  public boolean touchesWorkers() {
    if (nameEnd < 0 || ctx.snapshot().tables().isEmpty()) {
      return false;
    }
    List<String[]> rows = ctx.db().query("SELECT t.oid, quote_ident(n.nspname) || '.'"
        + " || quote_ident(t.typname), t.typtype = 'e'"
        + " FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
        + " WHERE t.oid = pg_catalog.to_regtype(" + Sql.literal(text(typeStart, nameEnd)) + ")");
    if (rows.isEmpty() || !"t".equals(rows.get(0)[2]) || nodes(rows.get(0)[0]).isEmpty()) {
      return false;
    }
    type = rows.get(0);
    return true;
  }

  /** In the client's transaction: the coordinator database first, then every worker. */
  public void run() {
    String action = t.size() > nameEnd ? t.get(nameEnd).upper() : "";
    String prelude = "";
    switch (action) {
      case "ADD", "RENAME" -> {
        if (action.equals("ADD") && !(nameEnd + 1 < t.size()
            && t.get(nameEnd + 1).isWord("VALUE"))) {
          throw unsupported();
        }
      }
      case "SET" -> {
        if (!(nameEnd + 2 < t.size() && t.get(nameEnd + 1).isWord("SCHEMA"))) {
          throw unsupported();
        }
        // The new schema may be missing on a worker, as it was when the type went there.
        prelude = "CREATE SCHEMA IF NOT EXISTS " + text(nameEnd + 2, t.size()) + ";\n";
      }
      case "OWNER" -> {
        // Roles are the coordinator's business: the workers' copies stay the cluster user's.
        ctx.db().execute(statement.text());
        return;
      }
      default -> throw unsupported();
    }
    List<Node> nodes = nodes(type[0]);
    ctx.db().execute(statement.text());
    String forWorkers = prelude + text(0, typeStart) + " " + type[1] + " "
        + text(nameEnd, t.size());
    Map<RemoteConnection, String> work = new LinkedHashMap<>();
    for (Node n : nodes) {
      work.put(ctx.transaction().connectionForWrite(n, ctx.user()), forWorkers);
    }
    Parallel.forEach(work.entrySet(), e -> e.getKey().execute(e.getValue()));
  }

  private BasaltException unsupported() {
    return BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED,
        "this ALTER TYPE form is not supported for enum " + type[1]
            + ", which columns of distributed tables use",
        "ADD VALUE, RENAME VALUE, RENAME TO, SET SCHEMA and OWNER TO are supported.");
  }

  private String text(int from, int to) {
    int base = t.get(0).start();
    return from >= to ? "" : statement.text().substring(t.get(from).start() - base,
        t.get(to - 1).end() - base);
  }
  /** The nodes holding shards of tables with a column of this type or of its array type. */
  private List<Node> nodes(String typeOid) {
    MetadataSnapshot meta = ctx.snapshot();
    StringJoiner oids = new StringJoiner(",");
    meta.tables().keySet().forEach(oid -> oids.add(Long.toString(oid)));
    List<String[]> users = ctx.db().query("SELECT DISTINCT a.attrelid"
        + " FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid"
        + " WHERE a.attrelid IN (" + oids + ") AND a.attnum > 0 AND NOT a.attisdropped"
        + " AND (t.oid = " + typeOid + " OR t.typelem = " + typeOid + ")");
    TreeSet<Integer> groups = new TreeSet<>();
    for (String[] u : users) {
      for (Shard s : meta.table(Long.parseLong(u[0])).orElseThrow().shards()) {
        groups.addAll(s.placementGroups());
      }
    }
    return groups.stream().map(g -> CreateTable.nodeOf(meta, g)).toList();
  }
}
