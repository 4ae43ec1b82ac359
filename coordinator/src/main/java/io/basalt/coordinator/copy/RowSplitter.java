package io.basalt.coordinator.copy;

import java.util.Arrays;
import java.util.List;

/**
 * Cuts a COPY input stream, arriving in chunks of any size, into rows, and finds the
 * distribution column's field in each, as PostgreSQL's COPY FROM would read them. Rows are
 * handed to the sink in input order; nothing is kept once a row has been handed over except an
 * incomplete last row.
 */
public abstract class RowSplitter {
  protected final RowSink sink;
  /** Index of the distribution column among the row's fields, or -1 if the input lacks it. */
  protected final int distField;
  protected final String relation;
  protected byte[] buf = new byte[1 << 16];
  protected int pos;
  protected int limit;
  /** PostgreSQL's cur_lineno: lines read so far. */
  protected long line;
  protected boolean ended;
  protected final CopyRow row = new CopyRow();

  protected RowSplitter(RowSink sink, int distField, String relation) {
    this.sink = sink;
    this.distField = distField;
    this.relation = relation;
  }

  public static RowSplitter of(CopyOptions options, RowSink sink, int distField,
      String relation, List<String> columns) {
    return switch (options.format()) {
      case TEXT -> new TextSplitter(options, sink, distField, relation);
      case CSV -> new CsvSplitter(options, sink, distField, relation);
      case BINARY -> new BinarySplitter(sink, distField, relation, columns);
    };
  }

  /** Adds a chunk of input and hands over every row it completes. */
  public final void feed(byte[] chunk, int off, int len) {
    if (ended) {
      afterEnd(len);
      return;
    }
    if (limit + len > buf.length) {
      if (pos > 0) {
        System.arraycopy(buf, pos, buf, 0, limit - pos);
        limit -= pos;
        pos = 0;
      }
      if (limit + len > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, limit + len));
      }
    }
    System.arraycopy(chunk, off, buf, limit, len);
    limit += len;
    scan(false);
  }

  /** The input is complete (CopyDone): hands over a last row without a line terminator. */
  public final void finish() {
    if (!ended) {
      scan(true);
    }
  }

  /** Whether the end-of-data marker was seen. */
  public boolean ended() {
    return ended;
  }

  public long line() {
    return line;
  }

  /** The line end to give a last row that came without one. */
  public byte[] lineEnd() {
    return new byte[] {'\n'};
  }

  /** Data after the end marker: PostgreSQL ignores it in text formats. */
  protected void afterEnd(int len) {}

  protected abstract void scan(boolean atEnd);

  /**
   * A delimiter at {@code i} ends field {@code field}: notes where the distribution field ends
   * or starts; returns the next field's index.
   */
  protected final int fieldEnds(int i, int field) {
    if (field == distField) {
      row.distEnd = i;
    }
    if (field + 1 == distField) {
      row.distStart = i + 1;
    }
    return field + 1;
  }

  /**
   * After "\.": the end of the marker's line (its line end, or the end of the input), -1 if
   * something else follows so it is no end marker, -2 if more input is needed to tell.
   */
  protected final int markerLineEnd(int j, boolean atEnd) {
    if (j >= limit) {
      return atEnd ? j : -2;
    }
    if (buf[j] == '\n') {
      return j + 1;
    }
    if (buf[j] == '\r') {
      if (j + 1 >= limit && !atEnd) {
        return -2;
      }
      return j + 1 < limit && buf[j + 1] == '\n' ? j + 2 : j + 1;
    }
    return -1;
  }

  /**
   * Ends a row of the text or csv format: where its distribution field ends, then the header
   * rule for the input's first row (skipped, or handed over for HEADER MATCH), else the sink.
   */
  protected final void endDelimitedRow(int start, int end, int next, int field,
      boolean firstRow, CopyOptions options) {
    row.fieldCount = field + 1;
    if (distField > field) {
      row.distStart = -1;
    } else if (row.distEnd < 0 && row.distStart >= 0) {
      row.distEnd = end;
    }
    pos = next;
    if (firstRow && options.header() != CopyOptions.Header.NONE) {
      if (options.header() == CopyOptions.Header.MATCH) {
        sink.header(headerFields(start, end), text(start, end), line);
      }
      return;
    }
    emit(start, end, next);
  }

  /** The fields of a header line, as the format reads them. */
  protected java.util.List<String> headerFields(int start, int end) {
    throw new UnsupportedOperationException("no header in this format");
  }

  protected final void emit(int start, int end, int next) {
    row.buf = buf;
    row.start = start;
    row.end = end;
    row.next = next;
    row.line = line;
    sink.row(row);
  }

  protected final String text(int start, int end) {
    return new String(buf, start, end - start, java.nio.charset.StandardCharsets.UTF_8);
  }
}
