package io.basalt.planner.route;

import java.util.Objects;

/** The other side of the equality that pins a statement to one shard. */
public sealed interface ValueSource {
  /**
   * A constant, in PostgreSQL's text form (quotes removed and doubled quotes undone for a string;
   * a number as written, sign included).
   *
   * @param isString whether it was a string constant ('...'), whose type PostgreSQL infers from
   *     the column, rather than a number or boolean
   */
  record Literal(String text, boolean isString) implements ValueSource {
    public Literal {
      Objects.requireNonNull(text, "text");
    }
  }

  /** A bind parameter: {@code $n} has index n - 1. */
  record Parameter(int index) implements ValueSource {
    public Parameter {
      if (index < 0) {
        throw new IllegalArgumentException("parameter index must not be negative: " + index);
      }
    }
  }
}
