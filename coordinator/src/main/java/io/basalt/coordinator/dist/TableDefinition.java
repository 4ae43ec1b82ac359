package io.basalt.coordinator.dist;

import io.basalt.coordinator.catalog.Querier;
import java.util.ArrayList;
import java.util.List;

/**
 * What a shard needs to look like its shell table: columns, constraints and indexes as the
 * coordinator database prints them (format_type, pg_get_expr, pg_get_constraintdef,
 * pg_get_indexdef), read in the caller's transaction so a table created in it is seen.
 */
record TableDefinition(long oid, String schema, String name, boolean unlogged,
    String reloptions, List<ColumnDef> columns, List<ConstraintDef> constraints,
    List<IndexDef> indexes) {

  /**
   * @param identity pg_attribute.attidentity ('' none, 'a' always, 'd' by default)
   * @param generated pg_attribute.attgenerated ('' none, 's' stored)
   */
  record ColumnDef(int attnum, String name, String type, boolean notNull, String defaultExpr,
      String identity, String generated, String collation, boolean userType) {}

  /**
   * @param referencedOid the referenced table of a foreign key, else 0
   * @param columns conkey; @param referencedColumns confkey (foreign keys)
   */
  record ConstraintDef(String name, char type, String definition, long referencedOid,
      List<Integer> columns, List<Integer> referencedColumns) {

    /** A constraint other than a foreign key (or one whose referenced columns do not matter). */
    ConstraintDef(String name, char type, String definition, long referencedOid,
        List<Integer> columns) {
      this(name, type, definition, referencedOid, columns, List.of());
    }

    /**
     * Citus's rule for a foreign key between distributed tables: the distribution columns of
     * both sides at the same position, so each row's referenced row is in the co-located shard.
     */
    boolean pairsDistributionColumns(int key, int referencedKey) {
      int at = columns.indexOf(key);
      return at >= 0 && at < referencedColumns.size() && referencedColumns.get(at) == referencedKey;
    }
  }

  record IndexDef(String name, String definition, boolean unique, List<Integer> columns) {}

  /** schema.name, quoted where needed. */
  String qualifiedName() {
    return io.basalt.metadata.catalog.Identifiers.quote(schema) + "."
        + io.basalt.metadata.catalog.Identifiers.quote(name);
  }

  /** The columns COPY can write, in order: all but generated ones, quoted where needed. */
  String copyColumns() {
    StringBuilder sb = new StringBuilder();
    for (ColumnDef c : columns) {
      if (!"s".equals(c.generated())) {
        sb.append(sb.isEmpty() ? "" : ", ").append(
            io.basalt.metadata.catalog.Identifiers.quote(c.name()));
      }
    }
    return sb.toString();
  }

  static TableDefinition read(Querier q, long oid) {
    List<String[]> rel = q.query("SELECT n.nspname, c.relname, c.relpersistence = 'u',"
        + " array_to_string(c.reloptions, ', ') FROM pg_catalog.pg_class c"
        + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = " + oid);
    String[] r = rel.get(0);
    List<ColumnDef> columns = new ArrayList<>();
    for (String[] c : q.query("SELECT a.attnum, a.attname,"
        + " pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,"
        + " pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated,"
        + " CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN"
        + "  (SELECT quote_ident(cn.nspname) || '.' || quote_ident(co.collname)"
        + "   FROM pg_catalog.pg_collation co"
        + "   JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace"
        + "   WHERE co.oid = a.attcollation) END,"
        + " tn.nspname NOT IN ('pg_catalog', 'information_schema')"
        + " FROM pg_catalog.pg_attribute a"
        + " JOIN pg_catalog.pg_type t ON t.oid = a.atttypid"
        + " JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace"
        + " LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
        + " WHERE a.attrelid = " + oid + " AND a.attnum > 0 AND NOT a.attisdropped"
        + " ORDER BY a.attnum")) {
      columns.add(new ColumnDef(Integer.parseInt(c[0]), c[1], c[2], "t".equals(c[3]), c[4],
          c[5], c[6], c[7], "t".equals(c[8])));
    }
    List<ConstraintDef> constraints = new ArrayList<>();
    // Primary and unique keys first: foreign keys of other shards may need them.
    for (String[] c : q.query("SELECT conname, contype, pg_catalog.pg_get_constraintdef(oid),"
        + " confrelid::oid, array_to_string(conkey, ','), array_to_string(confkey, ',')"
        + " FROM pg_catalog.pg_constraint"
        + " WHERE conrelid = " + oid + " AND contype IN ('p', 'u', 'x', 'c', 'f')"
        + " ORDER BY array_position(ARRAY['p', 'u', 'x', 'c', 'f']::\"char\"[], contype), conname")) {
      constraints.add(new ConstraintDef(c[0], c[1].charAt(0), c[2], Long.parseLong(c[3]),
          ints(c[4]), ints(c[5])));
    }
    List<IndexDef> indexes = new ArrayList<>();
    for (String[] c : q.query("SELECT ic.relname, pg_catalog.pg_get_indexdef(i.indexrelid),"
        + " i.indisunique, array_to_string(i.indkey, ',')"
        + " FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid"
        + " WHERE i.indrelid = " + oid + " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint"
        + "  k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid"
        + "  AND k.contype IN ('p', 'u', 'x'))"
        + " ORDER BY ic.relname")) {
      indexes.add(new IndexDef(c[0], c[1], "t".equals(c[2]), ints(c[3].replace(' ', ','))));
    }
    return new TableDefinition(oid, r[0], r[1], "t".equals(r[2]), r[3], columns, constraints,
        indexes);
  }

  private static List<Integer> ints(String csv) {
    List<Integer> out = new ArrayList<>();
    if (csv == null || csv.isBlank()) {
      return out;
    }
    for (String s : csv.split(",")) {
      if (!s.isBlank()) {
        out.add(Integer.parseInt(s.trim()));
      }
    }
    return out;
  }
}
