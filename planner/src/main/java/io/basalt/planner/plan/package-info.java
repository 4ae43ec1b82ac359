/**
 * The distributed plan of one statement shape: which distributed and reference tables it names
 * (by token position), and whether it runs on one shard (router), on every shard (multi-shard
 * modify), on the placements of a reference table, or in the coordinator database over rows
 * gathered from the shards. Plans are computed once per shape and hold no constants: values
 * come from the statement's slots or bound parameters when it runs; with them, the plan's
 * tasks (which worker runs which SQL) follow from {@link io.basalt.planner.plan.TaskPlanner},
 * whose SQL execution builds with the same {@link io.basalt.planner.plan.TaskSql} functions.
 */
package io.basalt.planner.plan;
