/**
 * SQL cursors (DECLARE ... CURSOR FOR query) over distributed tables, read as far as the
 * coordinator needs to run their query's plan.
 */
package io.basalt.planner.cursor;
