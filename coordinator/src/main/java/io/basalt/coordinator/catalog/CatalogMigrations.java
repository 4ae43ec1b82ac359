package io.basalt.coordinator.catalog;

import io.basalt.executor.remote.RemoteConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and upgrades the catalog in the coordinator database at start-up. Migrations are
 * numbered SQL files next to this class (V1__catalog.sql, V2__functions.sql, ...), applied in
 * order, each in its own transaction together with its row in basalt_schema_migrations, so a
 * crash half-way leaves the catalog at the previous version. Applied files are never edited: a
 * change is a new file.
 */
public final class CatalogMigrations {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogMigrations.class);
  static final List<String> FILES = List.of("V1__catalog.sql", "V2__functions.sql",
      "V3__copy_progress.sql", "V4__infinite_date_hash.sql", "V5__record_prepared_batch.sql");

  private CatalogMigrations() {}

  /** Applies the missing migrations; returns the catalog version afterwards. */
  public static int apply(RemoteConnection admin) {
    admin.execute("BEGIN; SET LOCAL allow_system_table_mods = on;"
        + " CREATE TABLE IF NOT EXISTS pg_catalog.basalt_schema_migrations ("
        + " version int PRIMARY KEY, name text NOT NULL,"
        + " applied_at timestamptz NOT NULL DEFAULT now()); COMMIT");
    // Two coordinators starting on one database must not both migrate.
    admin.execute("SELECT pg_advisory_lock(7466, 0)");
    try {
      String current = admin.queryValue(
          "SELECT coalesce(max(version), 0) FROM pg_catalog.basalt_schema_migrations");
      int version = Integer.parseInt(current);
      for (int v = version + 1; v <= FILES.size(); v++) {
        String file = FILES.get(v - 1);
        LOG.info("applying catalog migration {}", file);
        admin.execute("BEGIN; SET LOCAL allow_system_table_mods = on;\n" + read(file)
            + "\n;INSERT INTO pg_catalog.basalt_schema_migrations (version, name) VALUES ("
            + v + ", '" + file + "'); COMMIT");
      }
      return FILES.size();
    } catch (RuntimeException e) {
      admin.execute("ROLLBACK");
      throw e;
    } finally {
      admin.execute("SELECT pg_advisory_unlock(7466, 0)");
    }
  }

  private static String read(String file) {
    try (InputStream in = CatalogMigrations.class.getResourceAsStream(file)) {
      if (in == null) {
        throw new IllegalStateException("missing catalog migration " + file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
