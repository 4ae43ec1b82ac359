package io.basalt.planner.plan;

import io.basalt.metadata.catalog.DistributedTable;

/**
 * Where a statement names a distributed or reference table: its tokens, from the first part of
 * a qualified name to the last.
 *
 * @param aliased an alias follows, so the name is hidden inside the statement; otherwise a
 *     replacement name must carry the original one as alias ({@code shard AS orders}) so that
 *     column references qualified by the table name still resolve
 * @param explicitTable the name of a {@code TABLE name} query, which takes no alias
 */
public record TableSpot(int firstToken, int lastToken, DistributedTable table, boolean aliased,
    boolean explicitTable) {}
