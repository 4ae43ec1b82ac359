package io.basalt.coordinator.session;

import io.basalt.coordinator.copy.BinarySplitter;
import io.basalt.coordinator.copy.CopyDataError;
import io.basalt.coordinator.copy.CopyFormat;
import io.basalt.coordinator.copy.CopyOptions;
import io.basalt.coordinator.copy.CopyRow;
import io.basalt.coordinator.copy.CopyStatement;
import io.basalt.coordinator.copy.FieldValues;
import io.basalt.coordinator.copy.GeneratedValues;
import io.basalt.coordinator.copy.RowSink;
import io.basalt.coordinator.copy.RowSplitter;
import io.basalt.coordinator.copy.ShardBatch;
import io.basalt.coordinator.copy.ShardErrorText;
import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import io.basalt.executor.remote.RemoteConnection;
import io.basalt.metadata.catalog.DistributedTable;
import io.basalt.metadata.catalog.Identifiers;
import io.basalt.metadata.catalog.Node;
import io.basalt.planner.plan.ShardChoice;
import io.basalt.wire.message.BackendMessage;
import io.basalt.wire.message.FrontendMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * COPY ... FROM STDIN into a distributed or reference table. The client's rows are cut and
 * routed here (the distribution column's hash picks the shard; a reference table's rows go to
 * every placement), gathered per shard into batches in the client's own format, and each batch
 * is sent as one COPY into the shard by the writer of its node, the nodes in parallel. Columns
 * the shards cannot fill themselves (sequence defaults, a left-out distribution column) are
 * computed in the coordinator database and appended to each row.
 *
 * <p>The whole COPY is one distributed transaction: any error (a malformed row, a constraint
 * on a worker, CopyFail, a lost client) leaves nothing anywhere. Errors name the client's line.
 */
final class DistributedCopyIn implements RowSink {
  /** A shard's batch is sent once it holds this much. */
  private static final int BATCH_BYTES = 512 * 1024;
  /** Input is read in slices of this size when default values must be fetched per slice. */
  private static final int SLICE_BYTES = 256 * 1024;

  private final CopyContext ctx;
  private final DistributedTable table;
  private final CopyStatement copy;
  private final CopyOptions options;
  private final CopyColumns columns;
  private final List<Target> targets = new ArrayList<>();
  /** Targets of each shard index: one, or every placement of a reference table. */
  private final List<int[]> shardTargets = new ArrayList<>();
  private final ShardBatch[] batches;
  private final List<String> shardSql = new ArrayList<>();
  private final List<CopyRow> pending = new ArrayList<>();
  private NodeWriters writers;
  private RowSplitter splitter;
  private long rows;
  /** Reads integer keys straight from the bytes (text and csv), or null. */
  private final io.basalt.coordinator.copy.IntegerKeys integerKeys;
  private io.basalt.coordinator.dist.CopyProgress.Entry progress;
  /** COPY data read from the source so far. */
  private long bytes;
  /** Rows the coordinator could not read, sent to a shard whose server must reject them. */
  private long oddRowLine = -1;
  private byte[] lineEnd = {'\n'};

  private record Target(int shardIndex, Node node, long shardId, String shardName) {}

  DistributedCopyIn(CopyContext ctx, DistributedTable table, CopyStatement copy,
      CopyColumns columns) {
    this.ctx = ctx;
    this.table = table;
    this.copy = copy;
    this.options = copy.options();
    this.columns = columns;
    this.integerKeys = io.basalt.coordinator.copy.IntegerKeys.of(table, copy.options());
    for (int i = 0; i < table.shards().size(); i++) {
      var shard = table.shards().get(i);
      List<Integer> groups = table.isReference() ? shard.placementGroups()
          : List.of(shard.placementGroups().get(0));
      int[] ts = new int[groups.size()];
      for (int g = 0; g < groups.size(); g++) {
        ts[g] = targets.size();
        targets.add(new Target(i, ctx.node(groups.get(g)), shard.shardId(),
            ctx.shardName(table, i)));
      }
      shardTargets.add(ts);
    }
    this.batches = new ShardBatch[targets.size()];
    String list = columns.shardColumnList();
    for (Target t : targets) {
      shardSql.add("COPY " + t.shardName() + " (" + list + ") FROM STDIN WITH "
          + options.shardOptions(false));
    }
  }

  /** Runs the COPY sub-protocol with the client; returns the row count. */
  long run() throws InterruptedException {
    List<Node> nodes = new ArrayList<>();
    for (Target t : targets) {
      if (!nodes.contains(t.node())) {
        nodes.add(t.node());
      }
    }
    List<RemoteConnection> connections = new ArrayList<>();
    for (Node n : nodes) {
      connections.add(ctx.writerConnection(n));
    }
    writers = new NodeWriters(nodes, connections, this::sendBatch);
    splitter = RowSplitter.of(options, this, columns.distField(), table.name(),
        columns.inputNames());
    ctx.out().write(new BackendMessage.CopyInResponse(
        (byte) (options.format() == CopyFormat.BINARY ? 1 : 0),
        new short[columns.inputCount()]));
    ctx.out().flush();
    progress = ctx.progress(table);
    try {
      receive();
      writers.finish();
    } finally {
      writers.stop();
      ctx.progressEnded(progress);
    }
    if (oddRowLine >= 0) {
      throw BasaltException.of(SqlState.INTERNAL_ERROR, "the COPY row at line " + oddRowLine
          + " was accepted by its shard although the coordinator could not read it; nothing"
          + " was loaded", "Please report this input to the Basalt developers.");
    }
    return rows;
  }

  private void receive() throws InterruptedException {
    int sliced = 0;
    List<byte[]> slice = new ArrayList<>();
    while (true) {
      writers.throwIfFailed();
      FrontendMessage m = ctx.nextMessage();
      switch (m) {
        case FrontendMessage.CopyData d -> {
          bytes += d.data().length;
          if (columns.generated().isEmpty()) {
            splitter.feed(d.data(), 0, d.data().length);
          } else {
            slice.add(d.data());
            sliced += d.data().length;
            if (sliced >= SLICE_BYTES) {
              feedSlice(slice, false);
              sliced = 0;
            }
          }
          progress.set(bytes, rows);
        }
        case FrontendMessage.CopyDone d -> {
          feedSlice(slice, true);
          flushAll();
          return;
        }
        case FrontendMessage.CopyFail f -> throw BasaltException.of(SqlState.QUERY_CANCELED,
            "COPY from stdin failed: " + f.message());
        case FrontendMessage.Flush f -> { }
        case FrontendMessage.Sync s -> { }
        default -> {
          if (ctx.isClosed(m)) {
            throw BasaltException.builder(SqlState.CONNECTION_FAILURE,
                "unexpected EOF on client connection with an open transaction").fatal().build();
          }
          throw BasaltException.of(SqlState.PROTOCOL_VIOLATION,
              "unexpected message type during COPY from stdin");
        }
      }
    }
  }

  private void feedSlice(List<byte[]> slice, boolean last) {
    for (byte[] b : slice) {
      splitter.feed(b, 0, b.length);
    }
    slice.clear();
    if (last) {
      splitter.finish();
    }
    routePending();
  }

  // ------------------------------------------------------------------ rows

  @Override
  public void header(List<String> fields, String lineText, long line) {
    List<String> names = columns.inputNames();
    if (fields.size() != names.size()) {
      throw CopyDataError.of("wrong number of fields in header line: got " + fields.size()
          + ", expected " + names.size(), null, table.name(), line, lineText);
    }
    for (int i = 0; i < names.size(); i++) {
      if (fields.get(i) == null) {
        throw CopyDataError.of("column name mismatch in header line field " + (i + 1)
            + ": got null value (\"" + options.nullString() + "\"), expected \"" + names.get(i)
            + "\"", null, table.name(), line, lineText);
      }
      if (!fields.get(i).equals(names.get(i))) {
        throw CopyDataError.of("column name mismatch in header line field " + (i + 1)
            + ": got \"" + fields.get(i) + "\", expected \"" + names.get(i) + "\"", null,
            table.name(), line, lineText);
      }
    }
  }

  @Override
  public void row(CopyRow row) {
    if (row.next() == row.end()) {
      lineEnd = splitter.lineEnd();
    }
    if (columns.generated().isEmpty()) {
      route(row, null);
    } else {
      pending.add(row.copy());
    }
  }

  /** Routes the rows of a slice once their computed values are known (one query a slice). */
  private void routePending() {
    if (pending.isEmpty()) {
      return;
    }
    List<Object[]> values = ctx.generate(columns.generatedExpressions(), pending.size(),
        options.format() == CopyFormat.BINARY);
    for (int i = 0; i < pending.size(); i++) {
      route(pending.get(i), values.get(i));
    }
    pending.clear();
  }

  private void route(CopyRow row, Object[] generated) {
    rows++;
    int shard;
    if (row.odd()) {
      shard = oddRow(row);
    } else {
      if (generated != null && row.fieldCount() != columns.inputCount()) {
        throw fieldCountError(row);
      }
      shard = shardOf(row, generated);
    }
    for (int t : shardTargets.get(shard)) {
      append(t, row, generated);
    }
  }

  private int oddRow(CopyRow row) {
    if (generated() && row.fieldCount() != columns.inputCount()) {
      throw fieldCountError(row);
    }
    oddRowLine = oddRowLine < 0 ? row.line() : oddRowLine;
    return 0;
  }

  private boolean generated() {
    return !columns.generated().isEmpty();
  }

  private int shardOf(CopyRow row, Object[] generated) {
    if (table.isReference()) {
      return 0;
    }
    boolean binary = options.format() == CopyFormat.BINARY;
    Object value;
    Integer fast;
    if (columns.distField() < 0) {
      value = generated[columns.distGenerated()];
    } else if (!row.hasDistField()) {
      // Too few fields: the server reports "missing data for column", as PostgreSQL does.
      return oddRow(row);
    } else if (integerKeys != null
        && (fast = integerKeys.shard(row.buf(), row.distStart(), row.distEnd())) != null) {
      return fast;
    } else if (binary) {
      value = row.distNullBinary() ? null
          : java.util.Arrays.copyOfRange(row.buf(), row.distStart(), row.distEnd());
    } else if (options.format() == CopyFormat.CSV) {
      value = FieldValues.csv(row.buf(), row.distStart(), row.distEnd(), options,
          columns.forceNull(), columns.forceNotNull());
    } else {
      value = FieldValues.text(row.buf(), row.distStart(), row.distEnd(), options.nullString());
    }
    if (value == null) {
      if (columns.distNotNull()) {
        // The shard's NOT NULL constraint gives PostgreSQL's own error for this row.
        return oddRow(row);
      }
      throw BasaltException.builder("22004", "the partition column of table "
          + table.name() + " cannot be NULL").field('W', CopyDataError.context(table.name(),
              row.line(), null)).build();
    }
    Integer index = value instanceof byte[] b ? ShardChoice.ofBinary(table, b, 0)
        : ShardChoice.ofText(table, (String) value);
    if (index == null) {
      index = ctx.shardByCast(table, value);
      if (index == null) {
        // PostgreSQL cannot read the value either: the shard's server reports its error.
        return oddRow(row);
      }
    }
    return index;
  }

  private BasaltException fieldCountError(CopyRow row) {
    String text = new String(row.buf(), row.start(), row.end() - row.start(),
        StandardCharsets.UTF_8);
    if (row.fieldCount() > columns.inputCount()) {
      return CopyDataError.of("extra data after last expected column", null, table.name(),
          row.line(), text);
    }
    return CopyDataError.of("missing data for column \""
        + columns.inputNames().get(row.fieldCount()) + "\"", null, table.name(), row.line(),
        text);
  }

  private void append(int target, CopyRow row, Object[] generated) {
    ShardBatch b = batches[target];
    if (b == null) {
      b = newBatch(target);
      batches[target] = b;
    }
    int rowStart = b.size();
    if (options.format() == CopyFormat.BINARY) {
      if (generated == null) {
        b.write(row.buf(), row.start(), row.end() - row.start());
      } else {
        b.writeShort(row.fieldCount() + generated.length);
        b.write(row.buf(), row.start() + 2, row.end() - row.start() - 2);
        for (Object v : generated) {
          GeneratedValues.appendBinary(b, (byte[]) v);
        }
      }
    } else if (generated == null && row.next() > row.end()) {
      b.write(row.buf(), row.start(), row.next() - row.start());
    } else {
      b.write(row.buf(), row.start(), row.end() - row.start());
      if (generated != null) {
        for (Object v : generated) {
          GeneratedValues.appendField(b, options, (String) v);
        }
      }
      if (row.next() > row.end()) {
        b.write(row.buf(), row.end(), row.next() - row.end());
      } else if (!row.odd()) {
        // A last line without its end gets one; an odd row (an unterminated quoted field)
        // must reach its shard as it came, or the line end becomes part of the field.
        b.write(lineEnd, 0, lineEnd.length);
      }
    }
    // The shard's server counts the first row of a COPY as a first line; the batch is one.
    b.rowEnd(row.line(), b.rows() == 0 ? row.firstLines() : row.lines(), rowStart,
        row.end() - row.start());
    if (b.size() >= BATCH_BYTES) {
      batches[target] = null;
      send(b);
    }
  }

  private ShardBatch newBatch(int target) {
    ShardBatch b = new ShardBatch(target, BATCH_BYTES + BATCH_BYTES / 4);
    if (options.format() == CopyFormat.BINARY) {
      b.write(BinarySplitter.HEADER, 0, BinarySplitter.HEADER.length);
    }
    return b;
  }

  private void flushAll() {
    for (int t = 0; t < batches.length; t++) {
      if (batches[t] != null) {
        send(batches[t]);
        batches[t] = null;
      }
    }
  }

  private void send(ShardBatch b) {
    if (options.format() == CopyFormat.BINARY) {
      b.write(BinarySplitter.TRAILER, 0, BinarySplitter.TRAILER.length);
    }
    writers.submit(nodeIndex(b.target()), b);
  }

  private int nodeIndex(int target) {
    return writers.indexOf(targets.get(target).node());
  }

  /** Runs on the node's writer thread: one COPY into the shard with the batch's rows. */
  private void sendBatch(RemoteConnection c, ShardBatch b) {
    Target t = targets.get(b.target());
    long loaded;
    try {
      loaded = c.copyIn(shardSql.get(b.target()), b.data(), b.size());
    } catch (BasaltException e) {
      throw ShardErrorText.rewrite(e, t.shardId(), table.name(), b);
    }
    if (loaded != b.rows()) {
      throw BasaltException.of(SqlState.INTERNAL_ERROR, "shard " + t.shardName() + " loaded "
          + loaded + " of the " + b.rows() + " rows sent to it; nothing was loaded");
    }
  }

  /** The columns as COPY names them: the client's list (or all), then the computed ones. */
  record CopyColumns(List<String> inputNames, List<String> generated,
      List<String> generatedExpressions, int distField, int distGenerated, boolean distNotNull,
      boolean forceNull, boolean forceNotNull) {
    int inputCount() {
      return inputNames.size();
    }

    String shardColumnList() {
      List<String> q = new ArrayList<>();
      for (String n : inputNames) {
        q.add(Identifiers.quote(n));
      }
      for (String n : generated) {
        q.add(Identifiers.quote(n));
      }
      return String.join(", ", q);
    }
  }

  /** What the COPY needs from its session. */
  interface CopyContext {
    io.basalt.wire.spi.BackendOutput out();

    FrontendMessage nextMessage() throws InterruptedException;

    boolean isClosed(FrontendMessage m);

    Node node(int group);

    String shardName(DistributedTable table, int index);

    RemoteConnection writerConnection(Node node);

    /** n rows of the columns' computed values, text or binary. */
    List<Object[]> generate(List<String> expressions, int n, boolean binary);

    /** The shard of a value only the coordinator database can read, or null if it fails. */
    Integer shardByCast(DistributedTable table, Object value);

    io.basalt.coordinator.dist.CopyProgress.Entry progress(DistributedTable table);

    void progressEnded(io.basalt.coordinator.dist.CopyProgress.Entry e);
  }
}
