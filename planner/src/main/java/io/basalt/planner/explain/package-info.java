/**
 * EXPLAIN of statements on distributed tables: reading EXPLAIN's options (what the coordinator
 * itself must act on) and writing a distributed plan, with the workers' own plans of its tasks,
 * as EXPLAIN's text output.
 */
package io.basalt.planner.explain;
