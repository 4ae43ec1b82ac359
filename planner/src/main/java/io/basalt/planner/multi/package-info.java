/**
 * Planning of statements that read many shards and combine their results on the coordinator.
 * {@link io.basalt.planner.multi.AggregateSplitter} splits a single-table aggregate SELECT into a
 * per-shard query computing partial aggregates and a combine query over their rows. Nothing here
 * executes SQL: the classes only read the parsed tree and cut the client's own text.
 */
package io.basalt.planner.multi;
