package io.basalt.planner.plan;

/** Where the distribution column's value of a router statement comes from when it runs. */
public sealed interface ValueRef {
  /**
   * A constant of the statement: its slot in the shape, and whether a minus sign precedes it
   * (the lexer leaves the sign an operator).
   */
  record Slot(int index, boolean negated) implements ValueRef {}

  /** A bind parameter ($n has index n - 1). */
  record Parameter(int index) implements ValueRef {}

  /**
   * A constant that could not be tied to one slot of the shape (the same text appears twice):
   * the plan holds this statement's value and is not reused for another statement.
   */
  record Fixed(String text) implements ValueRef {}
}
