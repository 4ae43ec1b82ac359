/**
 * The distributed plan of one statement shape: which distributed and reference tables it names
 * (by token position), and whether it runs on one shard (router), on every shard (multi-shard
 * modify), on the placements of a reference table, or in the coordinator database over rows
 * gathered from the shards. Plans are computed once per shape and hold no constants: values
 * come from the statement's slots or bound parameters when it runs.
 */
package io.basalt.planner.plan;
