/**
 * Routing decisions for parsed statements: {@link io.basalt.planner.route.FastPathRouter} says
 * whether a statement runs locally, on one shard (and from which value), on every shard of one
 * table, on a reference table's placements, or is not handled by the fast path. Nothing here
 * executes or rewrites SQL.
 */
package io.basalt.planner.route;
