package io.basalt.planner.shape;

import java.util.List;
import java.util.Locale;

/**
 * A statement's normalised token stream, with the constants and parameters it was built from.
 * Two statements have equal shapes when they differ only in whitespace, comments, the case of
 * unquoted words and the values of their constants; the slots are the values and take no part
 * in equality. Built by {@link Shapes}.
 *
 * <p>The token stream is held as one string of elements (a kind character, the text's length in
 * two characters, the text), so that equality is one {@link String#equals} and no element can
 * be mistaken for two; {@link #toString()} renders it readably.
 */
public final class StatementShape {
  static final char WORD = 'w';
  static final char QUOTED = 'q';
  static final char OPERATOR = 'o';
  static final char PUNCTUATION = 'p';
  /** Text: the constant's {@link NumberClass}. */
  static final char NUMBER_SLOT = 'n';
  /** Text: the string's prefix ("", "E", "U&", "N") or "$" for a dollar-quoted string. */
  static final char STRING_SLOT = 's';
  /** Text: the parameter as written, $1. */
  static final char PARAMETER_SLOT = '$';
  /** Text: a constant kept as written (see {@link StructuralConstants}, {@link NumberClass}). */
  static final char CONSTANT = 'c';

  private final String key;
  private final int hash;
  private final List<Slot> slots;

  StatementShape(String key, List<Slot> slots) {
    this.key = key;
    this.hash = key.hashCode();
    this.slots = slots;
  }

  /** The statement's constants and parameters, in the order they appear. */
  public List<Slot> slots() {
    return slots;
  }

  /**
   * The same shape without the statement's slots, for a cache to hold as its key: a cached shape
   * must not keep one statement's (possibly large) literals alive.
   */
  public StatementShape withoutSlots() {
    return slots.isEmpty() ? this : new StatementShape(key, List.of());
  }

  @Override
  public boolean equals(Object o) {
    return this == o
        || (o instanceof StatementShape s && s.hash == hash && s.key.equals(key));
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /**
   * The normalised statement, tokens separated by one space: slots as {@code ?int4},
   * {@code ?int8}, {@code ?numeric}, {@code '?'}, {@code E'?'}, {@code $$?$$}; parameters as
   * written. For logs and tests; two different shapes may render alike in rare cases (a quoted
   * identifier that contains a space), equality never relies on it.
   */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(key.length());
    int i = 0;
    while (i < key.length()) {
      char kind = key.charAt(i);
      int length = (key.charAt(i + 1) << 16) | key.charAt(i + 2);
      String text = key.substring(i + 3, i + 3 + length);
      i += 3 + length;
      if (!out.isEmpty()) {
        out.append(' ');
      }
      switch (kind) {
        case NUMBER_SLOT -> out.append('?').append(text.toLowerCase(Locale.ROOT));
        case STRING_SLOT -> out.append(text.equals("$") ? "$$?$$" : text + "'?'");
        default -> out.append(text);
      }
    }
    return out.toString();
  }
}
