package io.basalt.coordinator.dist;

import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import io.basalt.metadata.catalog.Identifiers;
import io.basalt.metadata.shard.ShardNames;
import io.basalt.planner.lexer.Lexer;
import io.basalt.planner.lexer.Token;
import io.basalt.planner.lexer.TokenKind;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * The SQL that creates one shard of a table on a worker: the shell's columns, constraints and
 * indexes with shard-suffixed names. Column defaults that draw from a sequence and identity
 * columns are left to the coordinator (it computes those values before routing a row, so that
 * one sequence serves all shards); everything else is the shell's own definition.
 */
public final class ShardDdl {
  private ShardDdl() {}

  static String shardTable(String schema, String relname, long shardId) {
    return Identifiers.quote(schema) + "." + Identifiers.quote(ShardNames.shardName(relname, shardId));
  }

  /**
   * @param referencedShard for a foreign key's referenced table OID, the qualified name of the
   *     shard this shard's rows must reference (same shard index, or the reference table's shard)
   */
  static List<String> create(TableDefinition t, long shardId, LongFunction<String> referencedShard) {
    String shard = shardTable(t.schema(), t.name(), shardId);
    List<String> out = new ArrayList<>();
    StringBuilder sql = new StringBuilder("CREATE ");
    if (t.unlogged()) {
      sql.append("UNLOGGED ");
    }
    sql.append("TABLE ").append(shard).append(" (");
    boolean first = true;
    for (TableDefinition.ColumnDef c : t.columns()) {
      sql.append(first ? "\n  " : ",\n  ");
      first = false;
      sql.append(Identifiers.quote(c.name())).append(' ').append(c.type());
      if (c.collation() != null) {
        sql.append(" COLLATE ").append(c.collation());
      }
      if ("s".equals(c.generated())) {
        sql.append(" GENERATED ALWAYS AS (").append(c.defaultExpr()).append(") STORED");
      } else if (c.defaultExpr() != null && c.identity().isEmpty()
          && !c.defaultExpr().contains("nextval(")) {
        sql.append(" DEFAULT ").append(c.defaultExpr());
      }
      if (c.notNull()) {
        sql.append(" NOT NULL");
      }
    }
    sql.append("\n)");
    if (t.reloptions() != null && !t.reloptions().isEmpty()) {
      sql.append(" WITH (").append(t.reloptions()).append(')');
    }
    out.add(sql.toString());
    for (TableDefinition.ConstraintDef c : t.constraints()) {
      String def = c.type() == 'f'
          ? rewriteReferences(c.definition(), referencedShard.apply(c.referencedOid()))
          : c.definition();
      out.add("ALTER TABLE " + shard + " ADD CONSTRAINT "
          + Identifiers.quote(ShardNames.shardName(c.name(), shardId)) + " " + def);
    }
    for (TableDefinition.IndexDef i : t.indexes()) {
      out.add(rewriteIndex(i.definition(), shardId, shard));
    }
    return out;
  }

  /** FOREIGN KEY (...) REFERENCES other(...) ... with other replaced by {@code target}. */
  static String rewriteReferences(String definition, String target) {
    List<Token> tokens = Lexer.tokenize(definition);
    for (int i = 0; i < tokens.size(); i++) {
      if (tokens.get(i).isWord("REFERENCES")) {
        int end = nameEnd(tokens, i + 1);
        return definition.substring(0, tokens.get(i + 1).start()) + target
            + definition.substring(tokens.get(end - 1).end());
      }
    }
    throw BasaltException.of(SqlState.INTERNAL_ERROR, "unexpected foreign key definition: "
        + definition);
  }

  /** CREATE [UNIQUE] INDEX name ON [ONLY] table ... as printed by pg_get_indexdef. */
  static String rewriteIndex(String definition, long shardId, String shardTable) {
    List<Token> t = Lexer.tokenize(definition);
    int i = 0;
    while (!t.get(i).isWord("INDEX")) {
      i++;
    }
    Token name = t.get(i + 1);
    int on = i + 2;
    if (!t.get(on).isWord("ON")) {
      throw BasaltException.of(SqlState.INTERNAL_ERROR, "unexpected index definition: " + definition);
    }
    int table = on + 1;
    if (t.get(table).isWord("ONLY")) {
      table++;
    }
    int tableEnd = nameEnd(t, table);
    return definition.substring(0, name.start())
        + Identifiers.quote(ShardNames.shardName(Identifiers.nameOf(name.text()), shardId))
        + definition.substring(name.end(), t.get(table).start()) + shardTable
        + definition.substring(t.get(tableEnd - 1).end());
  }

  /** The index just past a possibly qualified name starting at {@code from}. */
  public static int nameEnd(List<Token> t, int from) {
    int i = from + 1;
    while (i + 1 < t.size() && t.get(i).is(".") && isName(t.get(i + 1))) {
      i += 2;
    }
    return i;
  }

  public static boolean isName(Token t) {
    return t.kind() == TokenKind.WORD || t.kind() == TokenKind.QUOTED_IDENTIFIER;
  }
}
