package io.basalt.coordinator.dist;

import io.basalt.coordinator.catalog.MetadataLoader;
import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import io.basalt.executor.backend.PgErrors;
import io.basalt.metadata.catalog.DistributedTable;
import io.basalt.metadata.catalog.MetadataSnapshot;
import io.basalt.metadata.catalog.Shard;
import java.io.ByteArrayOutputStream;
import java.sql.SQLException;
import org.postgresql.copy.CopyIn;

/**
 * undistribute_table: the shards' rows come back into the shell table, the metadata goes, and
 * the shards are dropped once the transaction has committed.
 */
public final class Undistribute {
  private final OperationContext ctx;

  public Undistribute(OperationContext ctx) {
    this.ctx = ctx;
  }

  public void run(long oid, boolean cascade) {
    MetadataSnapshot meta = MetadataLoader.load(ctx.db());
    DistributedTable t = meta.table(oid).orElseThrow(() -> BasaltException.of(
        SqlState.INVALID_PARAMETER_VALUE, "cannot undistribute table because the table is not"
            + " distributed"));
    if (cascade) {
      throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED,
          "cascade_via_foreign_keys is not supported yet",
          "Drop the foreign keys, undistribute each table, then add them back.");
    }
    String fk = ctx.db().queryValue("SELECT conname FROM pg_catalog.pg_constraint"
        + " WHERE contype = 'f' AND (conrelid = " + oid + " OR confrelid = " + oid + ")"
        + " AND conrelid <> confrelid LIMIT 1");
    if (fk != null) {
      throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED,
          "cannot complete operation because table " + t.name()
              + " has a foreign key or is referenced by a foreign key",
          "Use cascade option to undistribute all the relations involved in a foreign key"
              + " relationship with " + t.qualifiedName() + " by executing SELECT"
              + " undistribute_table($$" + t.qualifiedName() + "$$, cascade_via_foreign_keys=>true)");
    }
    TableDefinition def = TableDefinition.read(ctx.db(), oid);
    ctx.db().execute("LOCK TABLE ONLY " + t.qualifiedName() + " IN EXCLUSIVE MODE");
    String cols = def.copyColumns();
    // Metadata first: the shell stops being a distributed table (and accepts rows again); the
    // shards stay until this transaction commits, then they are dropped.
    ctx.db().execute("SELECT basalt_internal.undistribute(" + oid + ")");
    ctx.notice("moving the data of " + t.qualifiedName(), null, null);
    for (Shard s : t.shards()) {
      int group = s.placementGroups().get(0);
      ByteArrayOutputStream rows = new ByteArrayOutputStream();
      ctx.transaction().connection(CreateTable.nodeOf(meta, group), ctx.user()).copyOut(
          "COPY " + ShardDdl.shardTable(t.schema(), t.name(), s.shardId()) + " (" + cols
              + ") TO STDOUT", rows);
      if (rows.size() == 0) {
        continue;
      }
      try {
        CopyIn in = (CopyIn) ctx.backend().startCopy("COPY " + t.qualifiedName() + " ("
            + cols + ") FROM STDIN");
        byte[] data = rows.toByteArray();
        in.writeToCopy(data, 0, data.length);
        in.endCopy();
      } catch (SQLException e) {
        throw PgErrors.from(e);
      }
    }
    ctx.transaction().catalogChanged();
  }
}
