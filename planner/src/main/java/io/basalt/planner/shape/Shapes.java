package io.basalt.planner.shape;

import io.basalt.metadata.catalog.Identifiers;
import io.basalt.planner.lexer.Lexer;
import io.basalt.planner.lexer.Token;
import io.basalt.planner.lexer.TokenKind;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;

/**
 * Builds the shape of one statement (the classifier splits query strings first; a semicolon
 * here is an ordinary token).
 *
 * <p>What becomes a slot, and what stays in the shape:
 *
 * <ul>
 *   <li>Unquoted words are folded as PostgreSQL folds them (ASCII A-Z only, as
 *       {@code Identifiers.foldUnquoted}); quoted identifiers stay exactly as written, so
 *       {@code "foo"} and {@code foo} are different shapes even where they name the same thing.
 *   <li>Numbers and strings become slots; the number's type class and the string's prefix stay
 *       in the shape. {@code NULL}, {@code TRUE} and {@code FALSE} are key words, not constants.
 *       B'' and X'' bit strings stay as written: their length is part of their type.
 *   <li>A typed literal keeps its type: in {@code date '2020-01-01'} only the string is a slot.
 *       A cast keeps its type and its modifiers: {@code x::numeric(10,2)}.
 *   <li>{@code $n} is a parameter slot and keeps its number, so {@code $1} and a literal never
 *       share a shape, nor do {@code a = $1 AND b = $2} and {@code a = $2 AND b = $1}.
 *   <li>A minus sign stays an operator before its number: the lexer cannot tell {@code a -1}
 *       (subtraction) from {@code = -1} (a negative constant), so {@code x = -1} and
 *       {@code x = 1} are two shapes, and the slot's text is "1". Whoever reads the slot's value
 *       takes the operator before it from the parse.
 *   <li>{@code LIMIT 10} and {@code OFFSET 5} are slots like any other number, marked with the
 *       key word before them ({@link Slot#keyword()}), so a plan can still read the count.
 *   <li>{@code IN (1, 2)} and {@code IN (1, 2, 3)} are different shapes. Collapsing constant
 *       lists into one slot would make one analysis serve lists of every length, which every
 *       later step (pruning, the SQL sent to workers) would then have to expand; a statement
 *       with a new list length costs one more analysis instead.
 *   <li>Adjacent strings ({@code 'a'} newline {@code 'b'}, which PostgreSQL joins into one
 *       constant) are two slots; a shape does not see the newline that makes them valid.
 * </ul>
 */
public final class Shapes {
  private Shapes() {}

  public static StatementShape of(String sql) {
    return of(Lexer.tokenize(sql));
  }

  /** The shape of lexed tokens; slot positions are the tokens' positions. */
  public static StatementShape of(List<Token> tokens) {
    BitSet structural = StructuralConstants.find(tokens);
    StringBuilder key = new StringBuilder(tokens.size() * 8);
    List<Slot> slots = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      Token before = i > 0 ? tokens.get(i - 1) : null;
      switch (t.kind()) {
        case WORD -> appendFolded(key, t.text());
        case QUOTED_IDENTIFIER -> append(key, StatementShape.QUOTED, t.text());
        case OPERATOR -> append(key, StatementShape.OPERATOR, t.text());
        case PUNCTUATION -> append(key, StatementShape.PUNCTUATION, t.text());
        case PARAMETER -> {
          append(key, StatementShape.PARAMETER_SLOT, t.text());
          slots.add(slot(SlotKind.PARAMETER, t, slots.size(), before));
        }
        case NUMBER -> {
          NumberClass c = structural.get(i) ? null : NumberClass.of(t.text());
          if (c == null) {
            append(key, StatementShape.CONSTANT, t.text());
          } else {
            append(key, StatementShape.NUMBER_SLOT, c.name());
            slots.add(slot(SlotKind.NUMBER, t, slots.size(), before));
          }
        }
        case STRING -> {
          String prefix = structural.get(i) ? null : stringPrefix(t, before);
          if (prefix == null) {
            append(key, StatementShape.CONSTANT, t.text());
          } else {
            append(key, StatementShape.STRING_SLOT, prefix);
            slots.add(slot(SlotKind.STRING, t, slots.size(), before));
          }
        }
      }
    }
    return new StatementShape(key.toString(), Collections.unmodifiableList(slots));
  }

  /**
   * "", "E", "U&", "N" or "$", or null for a string that stays as written: a bit string, and
   * the escape character of {@code U&'...' UESCAPE '!'}, which is syntax, not a value.
   */
  private static String stringPrefix(Token t, Token before) {
    if (before != null && before.isWord("uescape")) {
      return null;
    }
    return switch (t.text().charAt(0)) {
      case '\'' -> "";
      case '$' -> "$";
      case 'E', 'e' -> "E";
      case 'U', 'u' -> "U&";
      case 'N', 'n' -> "N";
      default -> null;
    };
  }

  private static Slot slot(SlotKind kind, Token t, int index, Token before) {
    String keyword = before != null && before.kind() == TokenKind.WORD
        ? Identifiers.foldUnquoted(before.text()) : "";
    return new Slot(kind, t.text(), t.start(), t.end(), index, keyword);
  }

  private static void append(StringBuilder key, char kind, String text) {
    key.append(kind).append((char) (text.length() >>> 16)).append((char) text.length())
        .append(text);
  }

  /** Folds as {@code Identifiers.foldUnquoted} does, without an intermediate string. */
  private static void appendFolded(StringBuilder key, String word) {
    key.append(StatementShape.WORD).append((char) (word.length() >>> 16))
        .append((char) word.length());
    for (int i = 0; i < word.length(); i++) {
      char c = word.charAt(i);
      key.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
    }
  }
}
