package io.basalt.coordinator.dist;

import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import io.basalt.metadata.catalog.DistributedTable;
import io.basalt.metadata.catalog.Identifiers;
import io.basalt.metadata.catalog.MetadataSnapshot;
import io.basalt.planner.Statement;
import io.basalt.planner.lexer.Token;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where a table DDL statement names things, by token position: the table (or index) it acts on,
 * names it creates (indexes, constraints, a new table name), constraint names, and REFERENCES
 * targets, each resolved against the coordinator database; plus Citus's refusals that the
 * statement's text alone decides (the distribution column changed, forms not supported yet).
 * {@link DdlPropagation} rewrites these positions for every shard.
 */
final class DdlReferences {
  enum Role { TABLE, INDEX, NEW_TABLE_NAME, NEW_INDEX_NAME, CONSTRAINT, REFERENCED }

  /** Tokens [from, to) standing for a name in the given role; oid for tables and indexes. */
  record Ref(int from, int to, Role role, Long oid) {}

  private final OperationContext ctx;
  private final Statement statement;
  private final List<Token> t;
  private final String command;
  private final List<Ref> refs = new ArrayList<>();
  private DistributedTable target;
  private MetadataSnapshot meta;
  private boolean concurrently;

  DdlReferences(OperationContext ctx, Statement statement, String command) {
    this.ctx = ctx;
    this.statement = statement;
    this.t = statement.tokens();
    this.command = command;
    resolve();
  }

  List<Ref> refs() {
    return refs;
  }

  /** The one distributed or reference table the statement acts on, or null if none. */
  /** The distributed tables a TRUNCATE names, in its order (one for other commands). */
  List<DistributedTable> targets() {
    List<DistributedTable> out = new ArrayList<>();
    for (Ref r : refs) {
      if (r.role == Role.TABLE && r.oid != null && meta.isDistributed(r.oid)) {
        DistributedTable table = meta.table(r.oid).orElseThrow();
        if (!out.contains(table)) {
          out.add(table);
        }
      }
    }
    return out;
  }

  DistributedTable target() {
    return target;
  }

  MetadataSnapshot meta() {
    return meta;
  }

  boolean concurrently() {
    return concurrently;
  }

  List<Token> tokens() {
    return t;
  }

  private void resolve() {
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
    if (targets.size() > 1 && !command.equals("TRUNCATE")) {
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
          || !Identifiers.nameOf(t.get(c).text()).equals(table.distributionColumn())) {
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

  String text(int from, int to) {
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

  /** The token index of ADD in a single "ADD <unnamed table constraint>" action, else -1. */
  int addPosition() {
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

  int onPosition() {
    for (int i = 0; i < t.size(); i++) {
      if (t.get(i).isWord("ON")) {
        return i;
      }
    }
    throw new IllegalStateException("CREATE INDEX without ON");
  }
}
