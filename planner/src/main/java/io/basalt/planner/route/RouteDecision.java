package io.basalt.planner.route;

import io.basalt.metadata.catalog.DistributedTable;
import java.util.Objects;

/**
 * Where {@link FastPathRouter} would send one statement: nowhere special (no distributed table),
 * one shard of a hash table (chosen later from the value), every shard of one table, any or all
 * placements of a reference table, or not by the fast path at all.
 */
public sealed interface RouteDecision {
  /** No distributed or reference table is referenced: the coordinator runs the statement. */
  record NotDistributed() implements RouteDecision {
  }

  /**
   * A single-shard statement on a hash-distributed table: the shard is the one holding the hash
   * of {@code value} (a constant now, or a parameter once bound).
   */
  record FastPath(DistributedTable table, ValueSource value) implements RouteDecision {
    public FastPath {
      Objects.requireNonNull(table, "table");
      Objects.requireNonNull(value, "value");
    }
  }

  /** A single-table statement on a hash-distributed table that no equality pins to one shard. */
  record MultiShard(DistributedTable table) implements RouteDecision {
    public MultiShard {
      Objects.requireNonNull(table, "table");
    }
  }

  /**
   * A single-table statement on a reference table: a read goes to any placement, a write to all
   * of them.
   */
  record Reference(DistributedTable table) implements RouteDecision {
    public Reference {
      Objects.requireNonNull(table, "table");
    }
  }

  /** A statement touching distributed tables that the fast path does not handle, and why. */
  record Unsupported(String reason) implements RouteDecision {
    public Unsupported {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
