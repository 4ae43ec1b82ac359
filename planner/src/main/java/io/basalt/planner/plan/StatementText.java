package io.basalt.planner.plan;

import io.basalt.metadata.catalog.Identifiers;
import io.basalt.planner.lexer.Token;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The SQL sent to workers or to the coordinator database: the client's own text with table
 * names replaced at their token positions, nothing else re-written.
 */
public final class StatementText {
  private StatementText() {}

  /** One replacement of the text from {@code start} (inclusive) to {@code end} (exclusive). */
  public record Edit(int start, int end, String text) {}

  /**
   * The statement with each table spot replaced by the relation {@code relation} names for it.
   * Unless the statement gave the table an alias, the replacement carries the table's own name
   * as one, so that {@code orders.id} still resolves.
   */
  public static String withTables(String sql, List<Token> tokens, List<TableSpot> spots,
      Function<TableSpot, String> relation) {
    return apply(sql, tableEdits(tokens, spots, relation));
  }

  public static List<Edit> tableEdits(List<Token> tokens, List<TableSpot> spots,
      Function<TableSpot, String> relation) {
    List<Edit> edits = new ArrayList<>(spots.size());
    for (TableSpot spot : spots) {
      String name = relation.apply(spot);
      if (!spot.aliased() && !spot.explicitTable()) {
        name = name + " AS " + Identifiers.quote(spot.table().name());
      }
      edits.add(new Edit(tokens.get(spot.firstToken()).start(),
          tokens.get(spot.lastToken()).end(), name));
    }
    edits.addAll(schemaQualifiedColumns(tokens, spots));
    return edits;
  }

  /**
   * {@code ON CONFLICT ON CONSTRAINT c} of an INSERT sent to shard group {@code index}: the
   * shard's constraint is named after the shard ({@code c_<shardid>}, as its table is), so the
   * name is replaced by that one. Empty for any other statement.
   */
  public static List<Edit> constraintEdits(List<Token> tokens, List<TableSpot> spots,
      int index) {
    if (tokens.isEmpty() || !tokens.get(0).isWord("INSERT")) {
      return List.of();
    }
    TableSpot target = null;
    for (TableSpot spot : spots) {
      if (spot.firstToken() > 0 && tokens.get(spot.firstToken() - 1).isWord("INTO")
          && (target == null || spot.firstToken() < target.firstToken())) {
        target = spot;
      }
    }
    if (target == null) {
      return List.of();
    }
    int depth = 0;
    for (int i = 0; i + 4 < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.is("(")) {
        depth++;
      } else if (t.is(")")) {
        depth--;
      } else if (depth == 0 && t.isWord("ON") && tokens.get(i + 1).isWord("CONFLICT")
          && tokens.get(i + 2).isWord("ON") && tokens.get(i + 3).isWord("CONSTRAINT")
          && isName(tokens.get(i + 4))) {
        io.basalt.metadata.catalog.DistributedTable table = target.table();
        long shardId = table.shards().get(table.isReference() ? 0 : index).shardId();
        Token name = tokens.get(i + 4);
        return List.of(new Edit(name.start(), name.end(), Identifiers.quote(
            io.basalt.metadata.shard.ShardNames.shardName(Identifiers.nameOf(name.text()),
                shardId))));
      }
    }
    return List.of();
  }

  /** Whether the statement has column references qualified with a spot table's schema. */
  public static boolean hasSchemaQualifiedColumns(List<Token> tokens, List<TableSpot> spots) {
    return !schemaQualifiedColumns(tokens, spots).isEmpty();
  }

  /**
   * Column references qualified with the schema ({@code public.orders.id}) lose the schema: the
   * table's replacement carries its bare name as an alias, and PostgreSQL refuses a
   * schema-qualified reference to an aliased table.
   */
  private static List<Edit> schemaQualifiedColumns(List<Token> tokens, List<TableSpot> spots) {
    List<Edit> edits = new ArrayList<>();
    for (int i = 0; i + 4 < tokens.size(); i++) {
      if (!isName(tokens.get(i)) || !tokens.get(i + 1).is(".") || !isName(tokens.get(i + 2))
          || !tokens.get(i + 3).is(".")
          || !(isName(tokens.get(i + 4)) || tokens.get(i + 4).is("*"))
          || (i > 0 && tokens.get(i - 1).is("."))) {
        continue;
      }
      String schema = Identifiers.nameOf(tokens.get(i).text());
      String table = Identifiers.nameOf(tokens.get(i + 2).text());
      boolean inSpot = false;
      boolean named = false;
      for (TableSpot spot : spots) {
        inSpot |= i >= spot.firstToken() && i <= spot.lastToken();
        named |= !spot.aliased() && !spot.explicitTable()
            && spot.table().schema().equals(schema) && spot.table().name().equals(table);
      }
      if (named && !inSpot) {
        edits.add(new Edit(tokens.get(i).start(), tokens.get(i + 2).start(), ""));
        i += 4;
      }
    }
    return edits;
  }

  private static boolean isName(Token t) {
    return t.kind() == io.basalt.planner.lexer.TokenKind.WORD
        || t.kind() == io.basalt.planner.lexer.TokenKind.QUOTED_IDENTIFIER;
  }

  /**
   * The alias written after an aliased table spot (after an optional AS), as written; null when
   * a column alias list follows it ({@code t AS x(a, b)}), since the table's own column names
   * are then hidden.
   */
  public static String aliasOf(List<Token> tokens, TableSpot spot) {
    int a = spot.lastToken() + 1;
    if (tokens.get(a).isWord("AS")) {
      a++;
    }
    return a + 1 < tokens.size() && tokens.get(a + 1).is("(") ? null : tokens.get(a).text();
  }

  /**
   * The text between two tokens, both included, with its schema-qualified column references of
   * the spots' tables made table-qualified, as {@link #withTables} makes them.
   */
  public static String betweenWithTables(String sql, List<Token> tokens, int first, int last,
      List<TableSpot> spots) {
    int base = tokens.get(first).start();
    int end = tokens.get(last).end();
    List<Edit> edits = new ArrayList<>();
    for (Edit e : schemaQualifiedColumns(tokens, spots)) {
      if (e.start() >= base && e.end() <= end) {
        edits.add(new Edit(e.start() - base, e.end() - base, e.text()));
      }
    }
    return apply(between(sql, tokens, first, last), edits);
  }

  /** The text between two tokens, both included. */
  public static String between(String sql, List<Token> tokens, int first, int last) {
    return sql.substring(tokens.get(first).start(), tokens.get(last).end());
  }

  /** Applies non-overlapping edits. */
  public static String apply(String sql, List<Edit> edits) {
    List<Edit> sorted = new ArrayList<>(edits);
    sorted.sort(Comparator.comparingInt(Edit::start));
    StringBuilder out = new StringBuilder(sql.length() + 32 * sorted.size());
    int at = 0;
    for (Edit e : sorted) {
      if (e.start() < at) {
        throw new IllegalArgumentException("overlapping edits at " + e.start());
      }
      out.append(sql, at, e.start()).append(e.text());
      at = e.end();
    }
    return out.append(sql, at, sql.length()).toString();
  }
}
