package io.basalt.coordinator.dist;

import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import io.basalt.executor.backend.PgErrors;
import io.basalt.executor.remote.RemoteConnection;
import io.basalt.metadata.catalog.MetadataSnapshot;
import io.basalt.metadata.shard.ShardRanges;
import java.io.ByteArrayOutputStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.copy.CopyOut;

/**
 * Moves the rows of a table being distributed from the coordinator database into its new
 * shards, in the same transaction: one COPY out of the shell with each row's hash computed by
 * the coordinator database's own hash function, rows routed by hash range into per-shard
 * buffers, each buffer copied into its shard when it fills. Then the shell is emptied, so every
 * row lives in exactly one place when the transaction commits.
 */
final class ShardLoader {
  /** Flush a shard's buffer at this size: bounded memory whatever the table's size. */
  private static final int FLUSH_BYTES = 1 << 20;

  private final OperationContext ctx;
  private final TableDefinition def;
  private final MetadataSnapshot meta;

  ShardLoader(OperationContext ctx, TableDefinition def, MetadataSnapshot meta) {
    this.ctx = ctx;
    this.def = def;
    this.meta = meta;
  }

  /** @param hashCall SQL hashing the distribution column, or null for a reference table */
  void moveLocalRows(List<CreateTable.PlannedShard> shards, String hashCall) {
    String shell = def.qualifiedName();
    if (!"t".equals(ctx.db().queryValue("SELECT EXISTS (SELECT 1 FROM ONLY " + shell + ")"))) {
      return;
    }
    ctx.notice("Copying data from local table...", null, null);
    String columns = def.copyColumns();
    String select = "SELECT " + (hashCall == null ? "" : hashCall + ", ") + columns
        + " FROM ONLY " + shell;
    ByteArrayOutputStream[] buffers = new ByteArrayOutputStream[shards.size()];
    for (int i = 0; i < buffers.length; i++) {
      buffers[i] = new ByteArrayOutputStream();
    }
    List<io.basalt.metadata.shard.HashRange> ranges = new ArrayList<>();
    if (hashCall != null) {
      shards.forEach(s -> ranges.add(s.range()));
    }
    long rows = 0;
    try {
      CopyOut out = (CopyOut) ctx.backend().startCopy("COPY (" + select + ") TO STDOUT");
      byte[] row;
      while ((row = out.readFromCopy()) != null) {
        rows++;
        int target = 0;
        int start = 0;
        if (hashCall != null) {
          int tab = indexOf(row, (byte) '\t');
          if (tab == 2 && row[0] == '\\' && row[1] == 'N') {
            throw BasaltException.of(SqlState.NOT_NULL_VIOLATION, "the partition column of table "
                + shell + " cannot be NULL");
          }
          int hash = Integer.parseInt(new String(row, 0, tab, java.nio.charset.StandardCharsets.US_ASCII));
          target = ShardRanges.indexOf(hash, ranges);
          start = tab + 1;
        }
        buffers[target].write(row, start, row.length - start);
        if (buffers[target].size() >= FLUSH_BYTES) {
          flush(shards.get(target), buffers[target], columns);
        }
      }
    } catch (SQLException e) {
      throw PgErrors.from(e);
    }
    for (int i = 0; i < buffers.length; i++) {
      flush(shards.get(i), buffers[i], columns);
    }
    // The rows now live in the shards; the shell keeps the definition only.
    ctx.db().execute("TRUNCATE ONLY " + shell);
    ctx.notice("copying the data has completed",
        rows + " rows were moved into the shards; the local table no longer holds them.", null);
  }

  private void flush(CreateTable.PlannedShard shard, ByteArrayOutputStream buffer,
      String columns) {
    if (buffer.size() == 0) {
      return;
    }
    String target = ShardDdl.shardTable(def.schema(), def.name(), shard.shardId());
    byte[] data = buffer.toByteArray();
    for (int g : shard.groups()) {
      RemoteConnection c = ctx.transaction().connectionForWrite(CreateTable.nodeOf(meta, g),
          ctx.user());
      c.copyIn("COPY " + target + " (" + columns + ") FROM STDIN", data, data.length);
    }
    buffer.reset();
  }

  private static int indexOf(byte[] row, byte b) {
    for (int i = 0; i < row.length; i++) {
      if (row[i] == b) {
        return i;
      }
    }
    return row.length;
  }
}
