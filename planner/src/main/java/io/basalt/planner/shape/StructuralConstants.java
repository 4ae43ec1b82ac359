package io.basalt.planner.shape;

import io.basalt.metadata.catalog.Identifiers;
import io.basalt.planner.lexer.Token;
import io.basalt.planner.lexer.TokenKind;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * Finds the constants that are part of a statement's structure rather than values, so that they
 * stay in its shape as written:
 *
 * <ul>
 *   <li>type modifiers, which change a type: {@code numeric(10,2)}, {@code varchar(20)},
 *       {@code float(24)} (real, where float(25) is double precision), {@code x::geometry(Point,
 *       4326)}, {@code CAST(x AS mytype(3))}, {@code mytype(3) 'literal'};
 *   <li>ordinals: {@code ORDER BY 2}, {@code GROUP BY 1}, {@code DISTINCT ON (1)} name an output
 *       column, so {@code ORDER BY 1} and {@code ORDER BY 2} are different statements.
 * </ul>
 *
 * <p>The rules look at tokens, not at a parse tree, and err towards keeping a constant: a number
 * that merely looks like an ordinal ({@code ORDER BY coalesce(a, 0)}) or a type modifier costs a
 * separate shape, never a wrong one.
 */
final class StructuralConstants {
  /** Type names that take modifiers and are key words, so {@code name(} cannot be a call. */
  private static final Set<String> TYPES_WITH_MODIFIERS = Set.of("bit", "varbit", "char",
      "character", "nchar", "bpchar", "varchar", "varying", "numeric", "decimal", "dec", "float",
      "time", "timetz", "timestamp", "timestamptz", "interval", "second");

  /** Words that continue a type name after its first word (double precision, time with ...). */
  private static final Set<String> TYPE_NAME_WORDS = Set.of("precision", "varying", "with",
      "without", "time", "zone", "year", "month", "day", "hour", "minute", "second", "to");

  /** Words that end an ORDER BY / GROUP BY list at its own depth. */
  private static final Set<String> CLAUSE_WORDS = Set.of("select", "from", "where", "having",
      "window", "limit", "offset", "fetch", "for", "union", "intersect", "except", "returning",
      "values", "into", "order", "group");

  /** An open parenthesis: where it is, whether constants inside are type modifiers, its call. */
  private record Group(int open, boolean modifiers, Token before) {}

  private final List<Token> tokens;
  private final BitSet keep = new BitSet();
  private final BitSet modifierParens = new BitSet();
  private final Deque<Group> groups = new ArrayDeque<>();
  /** Depths of the open ORDER BY / GROUP BY / DISTINCT ON lists, innermost first. */
  private final Deque<Integer> ordinalLists = new ArrayDeque<>();

  private StructuralConstants(List<Token> tokens) {
    this.tokens = tokens;
  }

  /** The indexes of the NUMBER and STRING tokens that are structure. */
  static BitSet find(List<Token> tokens) {
    StructuralConstants s = new StructuralConstants(tokens);
    for (int i = 0; i < tokens.size(); i++) {
      s.visit(i);
    }
    return s.keep;
  }

  private void visit(int i) {
    Token t = tokens.get(i);
    Token before = i > 0 ? tokens.get(i - 1) : null;
    if (t.is("(")) {
      boolean outer = !groups.isEmpty() && groups.peek().modifiers();
      boolean typeBefore = before != null && before.kind() == TokenKind.WORD
          && TYPES_WITH_MODIFIERS.contains(Identifiers.foldUnquoted(before.text()));
      groups.push(new Group(i, outer || typeBefore || modifierParens.get(i), before));
    } else if (t.is(")")) {
      close(i);
    } else if (t.is("::")) {
      typeNameFrom(i + 1);
    } else if (t.isWord("as") && !groups.isEmpty() && groups.peek().before() != null
        && (groups.peek().before().isWord("cast") || groups.peek().before().isWord("treat"))) {
      typeNameFrom(i + 1);
    } else if (t.isWord("by") && before != null
        && (before.isWord("order") || before.isWord("group") || before.isWord("partition"))) {
      ordinalLists.push(groups.size());
    } else if (t.isWord("on") && before != null && before.isWord("distinct")
        && i + 1 < tokens.size() && tokens.get(i + 1).is("(")) {
      ordinalLists.push(groups.size() + 1);
    } else if (t.kind() == TokenKind.WORD && !ordinalLists.isEmpty()
        && ordinalLists.peek() == groups.size()
        && CLAUSE_WORDS.contains(Identifiers.foldUnquoted(t.text()))) {
      ordinalLists.pop();
    } else if (t.kind() == TokenKind.NUMBER || t.kind() == TokenKind.STRING) {
      if (!groups.isEmpty() && groups.peek().modifiers()) {
        keep.set(i);
      } else if (t.kind() == TokenKind.NUMBER && ordinalPosition(before)) {
        keep.set(i);
      }
    }
  }

  private void close(int i) {
    if (groups.isEmpty()) {
      return;
    }
    Group g = groups.pop();
    // name(args) 'literal' is PostgreSQL's typed literal with modifiers (gram.y AexprConst).
    if (i + 1 < tokens.size() && tokens.get(i + 1).kind() == TokenKind.STRING) {
      for (int j = g.open() + 1; j < i; j++) {
        TokenKind k = tokens.get(j).kind();
        if (k == TokenKind.NUMBER || k == TokenKind.STRING) {
          keep.set(j);
        }
      }
    }
    while (!ordinalLists.isEmpty() && ordinalLists.peek() > groups.size()) {
      ordinalLists.pop();
    }
  }

  /** Whether a number after {@code before} is an item of an open ORDER BY-like list. */
  private boolean ordinalPosition(Token before) {
    return !ordinalLists.isEmpty() && ordinalLists.peek() <= groups.size() && before != null
        && (before.isWord("by") || before.is(",") || before.is("(") || before.isWord("all")
            || before.isWord("distinct"));
  }

  /** Skips a type name starting at {@code j}; a parenthesis right after it holds modifiers. */
  private void typeNameFrom(int j) {
    if (j >= tokens.size() || !isName(tokens.get(j))) {
      return;
    }
    j++;
    while (j + 1 < tokens.size() && tokens.get(j).is(".") && isName(tokens.get(j + 1))) {
      j += 2;
    }
    while (j < tokens.size() && tokens.get(j).kind() == TokenKind.WORD
        && TYPE_NAME_WORDS.contains(Identifiers.foldUnquoted(tokens.get(j).text()))) {
      j++;
    }
    if (j < tokens.size() && tokens.get(j).is("(")) {
      modifierParens.set(j);
    }
  }

  private static boolean isName(Token t) {
    return t.kind() == TokenKind.WORD || t.kind() == TokenKind.QUOTED_IDENTIFIER;
  }
}
