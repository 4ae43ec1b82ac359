package io.basalt.planner.shape;

/** What a slot of a statement shape stands for. */
public enum SlotKind {
  /** A numeric constant: 42, 1.5, .5, 1e10 (never with its sign, see {@link Shapes}). */
  NUMBER,
  /** A string constant: 'x', E'x', U&'x', N'x' or $tag$x$tag$, including a typed literal's. */
  STRING,
  /** A parameter: $1, $2, ... Its number stays in the shape; only its value varies. */
  PARAMETER
}
