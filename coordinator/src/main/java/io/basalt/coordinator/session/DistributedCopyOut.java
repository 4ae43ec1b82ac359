package io.basalt.coordinator.session;

import io.basalt.coordinator.copy.CopyFormat;
import io.basalt.coordinator.copy.CopyStatement;
import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import io.basalt.executor.backend.PgErrors;
import io.basalt.executor.remote.RemoteConnection;
import io.basalt.metadata.catalog.DistributedTable;
import io.basalt.metadata.catalog.Identifiers;
import io.basalt.metadata.catalog.Node;
import io.basalt.planner.plan.TaskSql;
import io.basalt.wire.message.BackendMessage;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.copy.CopyOut;

/**
 * COPY distributed_table TO STDOUT: the shell's own COPY gives the frame (the response, the
 * header line or binary header, checked options), then each shard's rows follow, shard by shard,
 * streamed to the client as they arrive. A reference table is read from one placement.
 */
final class DistributedCopyOut {
  private static final int BINARY_HEADER = 19;
  private static final int BINARY_TRAILER = 2;

  private final DistributedCopy copy;
  private final DistributedTable table;
  private final CopyStatement statement;

  DistributedCopyOut(DistributedCopy copy, DistributedTable table, CopyStatement statement) {
    this.copy = copy;
    this.table = table;
    this.statement = statement;
  }

  boolean run(String text, ClientSink sink) {
    CopyOut shell = startOnShell(text);
    boolean binary = statement.options().format() == CopyFormat.BINARY;
    short[] formats = new short[shell.getFieldCount()];
    for (int i = 0; i < formats.length; i++) {
      formats[i] = (short) shell.getFieldFormat(i);
    }
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    try {
      byte[] chunk;
      while ((chunk = shell.readFromCopy()) != null) {
        frame.write(chunk, 0, chunk.length);
      }
    } catch (SQLException e) {
      throw PgErrors.from(e);
    }
    var out = copy.out();
    out.write(new BackendMessage.CopyOutResponse((byte) shell.getFormat(), formats));
    byte[] f = frame.toByteArray();
    int frameLength = binary ? f.length - BINARY_TRAILER : f.length;
    if (frameLength > 0) {
      out.write(new BackendMessage.CopyData(java.util.Arrays.copyOf(f, frameLength)));
    }
    long rows = 0;
    long bytes = 0;
    String columns = "";
    if (statement.columns() != null) {
      List<String> q = new ArrayList<>();
      for (String c : statement.columns()) {
        q.add(Identifiers.quote(c));
      }
      columns = " (" + String.join(", ", q) + ")";
    }
    int shards = table.isReference() ? 1 : table.shards().size();
    var progress = copy.progress().start(copy.processId(), table.oid(), "COPY TO");
    try {
      for (int i = 0; i < shards; i++) {
        Node node = copy.node(table.shards().get(i).placementGroups().get(0));
        RemoteConnection c = copy.reader(node);
        ClientStream stream = new ClientStream(out, binary, bytes);
        try {
          rows += c.copyOut("COPY " + TaskSql.shardName(table, i) + columns
              + " TO STDOUT WITH " + statement.options().shardOptions(false),
              stream);
          bytes = stream.total;
          progress.set(bytes, rows);
        } finally {
          copy.doneReading(node, c);
        }
      }
    } catch (BasaltException e) {
      copy.fail(e, sink);
      return false;
    } finally {
      copy.progress().end(progress);
    }
    if (binary) {
      out.write(new BackendMessage.CopyData(new byte[] {(byte) 0xff, (byte) 0xff}));
    }
    out.write(new BackendMessage.CopyDone());
    sink.complete("COPY " + rows);
    return true;
  }

  private CopyOut startOnShell(String text) {
    var op = copy.startOnShell(text);
    if (!(op instanceof CopyOut o)) {
      throw BasaltException.of(SqlState.PROTOCOL_VIOLATION,
          "the server did not enter COPY OUT mode");
    }
    return o;
  }

  /**
   * A shard's COPY output as CopyData messages to the client; in binary format without the
   * shard's own header and trailer (the client gets one of each).
   */
  private static final class ClientStream extends OutputStream {
    private final io.basalt.wire.spi.BackendOutput out;
    private final boolean binary;
    private int skip;
    private byte[] held = new byte[0];
    private long written;
    /** Bytes sent to the client by this COPY, earlier shards included. */
    private long total;

    ClientStream(io.basalt.wire.spi.BackendOutput out, boolean binary, long sentBefore) {
      this.out = out;
      this.total = sentBefore;
      this.binary = binary;
      this.skip = binary ? BINARY_HEADER : 0;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (skip > 0) {
        int n = Math.min(skip, len);
        skip -= n;
        off += n;
        len -= n;
      }
      if (!binary) {
        send(java.util.Arrays.copyOfRange(b, off, off + len));
        return;
      }
      // Hold back the last two bytes seen: at the end they are the shard's trailer.
      byte[] all = new byte[held.length + len];
      System.arraycopy(held, 0, all, 0, held.length);
      System.arraycopy(b, off, all, held.length, len);
      int keep = Math.min(BINARY_TRAILER, all.length);
      if (all.length > keep) {
        send(java.util.Arrays.copyOf(all, all.length - keep));
      }
      held = java.util.Arrays.copyOfRange(all, all.length - keep, all.length);
    }

    private void send(byte[] data) {
      if (data.length == 0) {
        return;
      }
      out.write(new BackendMessage.CopyData(data));
      written += data.length;
      total += data.length;
      if (written >= 1 << 20) {
        // Waits while the client is not reading: a large table never piles up in memory.
        out.flush();
        written = 0;
      }
    }
  }
}
