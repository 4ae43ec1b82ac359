package io.basalt.planner.multi;

/**
 * A part of the statement has no exact split; {@link AggregateSplitter#split} answers empty and
 * the caller gathers rows instead. It is an answer rather than a failure, so it carries no stack
 * trace; the message says which part, for whoever debugs a fallback.
 */
final class NotSplittable extends RuntimeException {
  NotSplittable(String reason) {
    super(reason, null, false, false);
  }
}
