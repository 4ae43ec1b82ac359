/**
 * Statement shapes: a statement's tokens with its constants and parameters replaced by slots, and
 * a bounded cache from shape to the analysis made of it, so that a statement repeated with new
 * literals or parameter values is parsed and analysed once.
 *
 * <p>A shape may over-distinguish (two statements PostgreSQL treats alike get different shapes,
 * costing one more analysis) but must never merge statements whose analysis differs. Hence: a
 * constant's type class is part of the shape ({@code 1}, {@code 3000000000} and {@code 1.5} are
 * int4, int8 and numeric), and constants that are structure rather than values stay in the shape
 * as written (type modifiers such as {@code numeric(10,2)}, ordinals in {@code ORDER BY 1}).
 */
package io.basalt.planner.shape;
