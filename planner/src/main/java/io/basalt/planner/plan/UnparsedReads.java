package io.basalt.planner.plan;

import io.basalt.metadata.catalog.DistributedTable;
import io.basalt.metadata.catalog.Identifiers;
import io.basalt.planner.TableReferences;
import io.basalt.planner.lexer.Token;
import io.basalt.planner.lexer.TokenKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A query PostgreSQL accepts but Calcite's grammar does not read ({@code FETCH FIRST ... WITH
 * TIES}, say) can still get PostgreSQL's answer from a gather: the coordinator database runs the
 * client's own text over copies of the tables' rows. That needs every distributed table it reads
 * found by token position alone, without a parse tree, so this only answers when the positions
 * leave no doubt; otherwise the statement is refused as before.
 *
 * <p>No doubt means: a plain query (no data-modifying or locking word, no SELECT INTO), and every
 * word that names a distributed table is either a relation reference found where FROM, JOIN or
 * TABLE puts one ({@link TableReferences#spans}), a column's qualifier ({@code t.col}), or the
 * word after AS (an alias or a type). A name in any other place (a CTE named like a table, a
 * relation in parentheses the positions do not reach) could be a reference the gather would
 * miss, which would then read the coordinator's empty shell table: a wrong answer, so those are
 * refused.
 */
public final class UnparsedReads {
  /** Words that make a statement more than a read, or a read that locks or creates. */
  private static final Set<String> NOT_PLAIN = Set.of("INSERT", "UPDATE", "DELETE", "MERGE",
      "INTO", "FOR");
  /** Words that may follow a relation reference and are not an alias. */
  private static final Set<String> NOT_ALIAS = Set.of("ON", "USING", "JOIN", "INNER", "LEFT",
      "RIGHT", "FULL", "CROSS", "NATURAL", "WHERE", "GROUP", "HAVING", "WINDOW", "ORDER", "LIMIT",
      "OFFSET", "FETCH", "FOR", "UNION", "INTERSECT", "EXCEPT", "TABLESAMPLE", "RETURNING");

  private UnparsedReads() {}

  /**
   * The spots of the distributed tables the query reads, for a gather; empty when the statement
   * is not a plain query or its references are in doubt. {@code resolve} finds a written name
   * (its parts) as PostgreSQL would; {@code tableNames} are the names of all distributed
   * tables.
   */
  public static Optional<List<TableSpot>> spots(List<Token> tokens,
      Function<List<String>, Optional<DistributedTable>> resolve, Set<String> tableNames) {
    if (tokens.isEmpty() || !(tokens.get(0).isWord("SELECT") || tokens.get(0).isWord("WITH")
        || tokens.get(0).isWord("TABLE") || tokens.get(0).isWord("VALUES")
        || tokens.get(0).is("("))) {
      return Optional.empty();
    }
    for (Token t : tokens) {
      if (t.kind() == TokenKind.WORD && NOT_PLAIN.contains(t.upper())) {
        return Optional.empty();
      }
    }
    List<TableSpot> spots = new ArrayList<>();
    Set<Integer> referenced = new HashSet<>();
    for (int[] span : TableReferences.spans(tokens)) {
      List<String> names = new ArrayList<>();
      for (int k = span[0]; k <= span[1]; k += 2) {
        names.add(Identifiers.nameOf(tokens.get(k).text()));
      }
      Optional<DistributedTable> table = resolve.apply(names);
      if (table.isEmpty()) {
        continue;
      }
      referenced.add(span[1]);
      boolean explicit = span[0] > 0 && tokens.get(span[0] - 1).isWord("TABLE");
      spots.add(new TableSpot(span[0], span[1], table.get(), aliased(tokens, span[1] + 1),
          explicit));
    }
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      boolean name = t.kind() == TokenKind.WORD || t.kind() == TokenKind.QUOTED_IDENTIFIER;
      if (!name || !tableNames.contains(Identifiers.nameOf(t.text())) || referenced.contains(i)) {
        continue;
      }
      boolean qualifier = i + 2 < tokens.size() && tokens.get(i + 1).is(".")
          && (i == 0 || !tokens.get(i - 1).is("."));
      // After AS: a column's or a FROM item's alias, or a type; never a relation it reads.
      boolean afterAs = i > 0 && tokens.get(i - 1).isWord("AS");
      if (!qualifier && !afterAs) {
        return Optional.empty();
      }
    }
    return spots.isEmpty() ? Optional.empty() : Optional.of(spots);
  }

  private static boolean aliased(List<Token> tokens, int next) {
    if (next >= tokens.size()) {
      return false;
    }
    Token t = tokens.get(next);
    return t.kind() == TokenKind.QUOTED_IDENTIFIER
        || (t.kind() == TokenKind.WORD && !NOT_ALIAS.contains(t.upper()));
  }
}
