package io.basalt.coordinator.copy;

import java.util.ArrayList;
import java.util.List;

/**
 * COPY's csv format, cut into rows by PostgreSQL's rules: quotes toggle (an escape character
 * before a quote keeps it literal), line ends inside quotes belong to the field and count as
 * lines, "\." alone on a line ends the data.
 */
final class CsvSplitter extends RowSplitter {
  private final CopyOptions options;
  private final byte delimiter;
  private final byte quote;
  /** PostgreSQL ignores the escape character for cutting lines when it equals the quote. */
  private final int escape;
  private final LineEnds ends;

  CsvSplitter(CopyOptions options, RowSink sink, int distField, String relation) {
    super(sink, distField, relation);
    this.options = options;
    this.delimiter = options.delimiter();
    this.quote = options.quote();
    this.escape = options.escape() == options.quote() ? -1 : options.escape();
    this.ends = new LineEnds(true, relation);
  }

  @Override
  public byte[] lineEnd() {
    return ends.style() == LineEnds.Style.CRNL ? new byte[] {'\r', '\n'} : new byte[] {'\n'};
  }

  @Override
  protected void scan(boolean atEnd) {
    while (!ended && pos < limit && scanRow(atEnd)) {
      // one row per turn
    }
  }

  private boolean scanRow(boolean atEnd) {
    int p = pos;
    row.reset();
    if (buf[p] == '\\') {
      int marker = markerEnd(p, atEnd);
      if (marker == -2) {
        return false;
      }
      if (marker >= 0) {
        ended = true;
        pos = limit;
        return true;
      }
    }
    int field = 0;
    if (distField == 0) {
      row.distStart = p;
    }
    boolean inQuote = false;
    boolean lastWasEscape = false;
    int embedded = 0;
    int embeddedCr = 0;
    int i = p;
    while (true) {
      if (i >= limit) {
        if (!atEnd) {
          return false;
        }
        if (inQuote) {
          // The server reports the unterminated quoted field.
          row.odd = true;
        }
        finishRow(p, limit, limit, field, embedded, embeddedCr);
        return true;
      }
      byte b = buf[i];
      if (b == '\r' && i + 1 >= limit && !atEnd) {
        return false;
      }
      if (inQuote && b == escape) {
        lastWasEscape = !lastWasEscape;
      }
      if (b == quote && !lastWasEscape) {
        inQuote = !inQuote;
      }
      if (b != escape) {
        lastWasEscape = false;
      }
      if (inQuote) {
        if (b == (ends.style() == LineEnds.Style.NL ? '\n' : '\r')) {
          embedded++;
        }
        if (b == '\r') {
          embeddedCr++;
        }
        i++;
        continue;
      }
      if (b == delimiter) {
        field = fieldEnds(i, field);
      } else if (b == '\n') {
        ends.newline(line + 1 + embedded);
        finishRow(p, i, i + 1, field, embedded, embeddedCr);
        return true;
      } else if (b == '\r') {
        boolean crnl = i + 1 < limit && buf[i + 1] == '\n';
        ends.carriageReturn(crnl, line + 1 + embedded);
        finishRow(p, i, i + 2, field, embedded, embeddedCr);
        return true;
      }
      i++;
    }
  }

  /** "\." alone on its line: the end of the data (-1: not a marker, -2: need more input). */
  private int markerEnd(int p, boolean atEnd) {
    if (p + 1 >= limit) {
      return atEnd ? -1 : -2;
    }
    return buf[p + 1] == '.' ? markerLineEnd(p + 2, atEnd) : -1;
  }


  private void finishRow(int start, int end, int next, int field, int embedded,
      int embeddedCr) {
    line += 1 + embedded;
    row.lines = 1 + embedded;
    row.firstLines = 1 + embeddedCr;
    endDelimitedRow(start, end, next, field, line - row.lines == 0, options);
  }

  @Override
  protected List<String> headerFields(int start, int end) {
    List<String> out = new ArrayList<>();
    boolean inQuote = false;
    int f = start;
    for (int i = start; i <= end; i++) {
      if (i == end || (!inQuote && buf[i] == delimiter)) {
        out.add(FieldValues.csv(buf, f, i, options, false, false));
        f = i + 1;
      } else if (buf[i] == quote) {
        inQuote = !inQuote;
      }
    }
    return out;
  }
}
