package io.basalt.coordinator.dist;

import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import io.basalt.metadata.catalog.DistributedTable;
import io.basalt.metadata.catalog.MetadataSnapshot;

/**
 * Citus's rules on keys of distributed tables, checked when a table is distributed and after
 * every DDL that changes one: UNIQUE, PRIMARY KEY and EXCLUDE constraints and unique indexes
 * include the distribution column (so uniqueness can be enforced per shard); a foreign key points
 * at a reference table, or at a co-located table with both distribution columns at the same
 * position (so the referenced row is in the co-located shard). Reference tables may only
 * reference reference tables.
 */
final class DistributionRules {
  private DistributionRules() {}

  /**
   * @param key the distribution column's attribute number (ignored for reference tables)
   * @param colocationId the table's co-location group
   */
  static void check(TableDefinition def, String name, int key, int colocationId,
      boolean reference, MetadataSnapshot meta) {
    for (TableDefinition.ConstraintDef c : def.constraints()) {
      if (!reference && (c.type() == 'p' || c.type() == 'u' || c.type() == 'x')
          && !c.columns().contains(key)) {
        throw BasaltException.builder(SqlState.FEATURE_NOT_SUPPORTED,
            "cannot create constraint on \"" + name + "\"")
            .detail("Distributed relations cannot have UNIQUE, EXCLUDE, or PRIMARY KEY"
                + " constraints that do not include the partition column (with an equality"
                + " operator if EXCLUDE).").build();
      }
      if (c.type() == 'f' && !foreignKeyAllowed(def, c, key, colocationId, reference, meta)) {
        throw BasaltException.builder(SqlState.FEATURE_NOT_SUPPORTED,
            "cannot create foreign key constraint")
            .detail("Foreign keys are supported in two cases, either in between two colocated"
                + " tables including partition column in the same ordinal in the both tables or"
                + " from distributed to reference tables").build();
      }
    }
    for (TableDefinition.IndexDef i : def.indexes()) {
      if (!reference && i.unique() && !i.columns().contains(key)) {
        throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED,
            "creating unique indexes on non-partition columns is currently unsupported");
      }
    }
  }

  private static boolean foreignKeyAllowed(TableDefinition def, TableDefinition.ConstraintDef c,
      int key, int colocationId, boolean reference, MetadataSnapshot meta) {
    if (c.referencedOid() == def.oid()) {
      return reference || c.pairsDistributionColumns(key, key);
    }
    DistributedTable target = meta.table(c.referencedOid()).orElse(null);
    if (target == null) {
      return false;
    }
    if (target.isReference()) {
      return true;
    }
    return !reference && target.colocationId() == colocationId
        && c.pairsDistributionColumns(key, target.distributionAttnum());
  }
}
