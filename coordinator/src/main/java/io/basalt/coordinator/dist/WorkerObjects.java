package io.basalt.coordinator.dist;

import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import io.basalt.metadata.catalog.Identifiers;
import java.util.List;

/**
 * Objects a shard depends on that plain PostgreSQL workers lack: the table's schema and the enum
 * types of its columns, created if missing. Other user-defined column types are refused.
 */
final class WorkerObjects {
  private WorkerObjects() {}

  static String prelude(Sql db, TableDefinition def) {
    StringBuilder sql = new StringBuilder();
    if (!def.schema().equals("public")) {
      sql.append("CREATE SCHEMA IF NOT EXISTS ").append(Identifiers.quote(def.schema()))
          .append(";\n");
    }
    List<String[]> types = db.query("SELECT DISTINCT t.typtype, quote_ident(n.nspname),"
        + " quote_ident(n.nspname) || '.' || quote_ident(t.typname),"
        + " (SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder)"
        + "  FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid),"
        + " pg_catalog.format_type(t.oid, NULL)"
        + " FROM pg_catalog.pg_attribute a"
        + " JOIN pg_catalog.pg_type t0 ON t0.oid = a.atttypid"
        + " JOIN pg_catalog.pg_type t ON t.oid = CASE WHEN t0.typcategory = 'A' THEN t0.typelem"
        + "  ELSE t0.oid END"
        + " JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
        + " WHERE a.attrelid = " + def.oid() + " AND a.attnum > 0 AND NOT a.attisdropped"
        + " AND n.nspname NOT IN ('pg_catalog', 'information_schema')");
    for (String[] t : types) {
      if (!"e".equals(t[0])) {
        throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED, "column type " + t[4]
            + " cannot be created on the workers yet",
            "Use built-in types or enum types for columns of distributed tables.");
      }
      if (!t[1].equals("public")) {
        sql.append("CREATE SCHEMA IF NOT EXISTS ").append(t[1]).append(";\n");
      }
      // Created only where missing: a worker may have it from an earlier table.
      sql.append("DO $basalt$ BEGIN CREATE TYPE ").append(t[2]).append(" AS ENUM (")
          .append(t[3] == null ? "" : t[3])
          .append("); EXCEPTION WHEN duplicate_object THEN NULL; END $basalt$;\n");
    }
    return sql.toString();
  }
}
