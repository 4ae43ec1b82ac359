package io.basalt.coordinator.copy;

import java.util.ArrayList;
import java.util.List;

/**
 * COPY's text format: one row per line, fields split by the delimiter, a backslash escaping the
 * next byte (a newline or delimiter included), "\." ending the data.
 */
final class TextSplitter extends RowSplitter {
  private final byte delimiter;
  private final CopyOptions options;
  private final LineEnds ends;

  TextSplitter(CopyOptions options, RowSink sink, int distField, String relation) {
    super(sink, distField, relation);
    this.options = options;
    this.delimiter = options.delimiter();
    this.ends = new LineEnds(false, relation);
  }

  @Override
  public byte[] lineEnd() {
    return ends.style() == LineEnds.Style.CRNL ? new byte[] {'\r', '\n'} : new byte[] {'\n'};
  }

  @Override
  protected void scan(boolean atEnd) {
    while (!ended && (pos < limit) && scanRow(atEnd)) {
      // one row per turn
    }
  }

  /** Reads one row from {@code pos}; false if it needs more input. */
  private boolean scanRow(boolean atEnd) {
    int p = pos;
    row.reset();
    int field = 0;
    if (distField == 0) {
      row.distStart = p;
    }
    int i = p;
    while (true) {
      if (i >= limit) {
        if (!atEnd) {
          return false;
        }
        finishRow(p, limit, limit, field);
        return true;
      }
      byte b = buf[i];
      if (b == '\\') {
        if (i + 1 >= limit && !atEnd) {
          return false;
        }
        if (i + 1 < limit && buf[i + 1] == '.') {
          int marker = markerLineEnd(i + 2, atEnd);
          if (marker == -2) {
            return false;
          }
          if (marker >= 0) {
            // PostgreSQL keeps the data before "\." on its line as the last row.
            if (i > p) {
              finishRow(p, i, i, field);
            }
            ended = true;
            pos = limit;
            return true;
          }
          // "\." followed by something else: the server reports the corrupt marker.
          row.odd = true;
        }
        i += 2;
        continue;
      }
      if (b == delimiter) {
        field = fieldEnds(i, field);
      } else if (b == '\n') {
        ends.newline(line + 1);
        finishRow(p, i, i + 1, field);
        return true;
      } else if (b == '\r') {
        if (i + 1 >= limit && !atEnd) {
          return false;
        }
        boolean crnl = i + 1 < limit && buf[i + 1] == '\n';
        ends.carriageReturn(crnl, line + 1);
        finishRow(p, i, i + 2, field);
        return true;
      }
      i++;
    }
  }

  private void finishRow(int start, int end, int next, int field) {
    line++;
    endDelimitedRow(start, end, next, field, line == 1, options);
  }

  @Override
  protected List<String> headerFields(int start, int end) {
    List<String> out = new ArrayList<>();
    int f = start;
    for (int i = start; i <= end; i++) {
      if (i == end || buf[i] == delimiter) {
        out.add(FieldValues.text(buf, f, i, options.nullString()));
        f = i + 1;
      } else if (buf[i] == '\\') {
        i++;
      }
    }
    return out;
  }
}
