package io.basalt.coordinator.copy;

/**
 * One row of COPY input as a splitter found it: a window on the splitter's buffer, valid only
 * during the {@link RowSink#row} call (the sink copies what it keeps).
 */
public final class CopyRow {
  byte[] buf;
  /** The row's bytes: [start, end) without its line terminator, [start, next) with it. */
  int start;
  int end;
  int next;
  /** PostgreSQL's line number after reading this row (its cur_lineno). */
  long line;
  /** How many lines PostgreSQL counts for the row (CSV fields may hold newlines). */
  int lines;
  /**
   * How many lines a server counts for the row when it is the first of its COPY: the line end
   * style is not known yet, so only carriage returns inside quotes count (PostgreSQL's
   * CopyReadLineText). A shard's batch starts such a COPY.
   */
  int firstLines;
  int fieldCount;
  /** Where the distribution column's raw field is, or -1 if the row has no such field. */
  int distStart = -1;
  int distEnd = -1;
  /**
   * Why the coordinator cannot read this row safely (PostgreSQL will reject it): the row goes to
   * any one shard, whose server then reports PostgreSQL's own error for it.
   */
  boolean odd;

  public byte[] buf() {
    return buf;
  }

  public int start() {
    return start;
  }

  public int end() {
    return end;
  }

  public int next() {
    return next;
  }

  public long line() {
    return line;
  }

  public int lines() {
    return lines;
  }

  public int firstLines() {
    return firstLines;
  }

  public int fieldCount() {
    return fieldCount;
  }

  public boolean hasDistField() {
    return distStart >= 0;
  }

  /** Binary format: the distribution field is NULL (length -1). */
  public boolean distNullBinary() {
    return distEnd == -2;
  }

  public boolean odd() {
    return odd;
  }

  /** A copy that owns its bytes (the splitter reuses its buffer and this object). */
  public CopyRow copy() {
    CopyRow c = new CopyRow();
    c.buf = java.util.Arrays.copyOfRange(buf, start, next);
    c.start = 0;
    c.end = end - start;
    c.next = next - start;
    c.line = line;
    c.lines = lines;
    c.firstLines = firstLines;
    c.fieldCount = fieldCount;
    c.distStart = distStart < 0 ? distStart : distStart - start;
    c.distEnd = distEnd < 0 ? distEnd : distEnd - start;
    c.odd = odd;
    return c;
  }

  public int distStart() {
    return distStart;
  }

  public int distEnd() {
    return distEnd;
  }

  void reset() {
    distStart = -1;
    distEnd = -1;
    odd = false;
    fieldCount = 0;
    lines = 1;
    firstLines = 1;
  }
}
