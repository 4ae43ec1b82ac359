package io.basalt.coordinator.copy;

import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;

/**
 * The line-end style of a text or CSV input, fixed by its first line as PostgreSQL fixes it.
 * Rows go on to the shards with their own line ends, so every shard sees the client's style;
 * a row that breaks the style fails here with PostgreSQL's error.
 */
final class LineEnds {
  enum Style { UNKNOWN, NL, CRNL }

  private Style style = Style.UNKNOWN;
  private final boolean csv;
  private final String relation;

  LineEnds(boolean csv, String relation) {
    this.csv = csv;
    this.relation = relation;
  }

  Style style() {
    return style;
  }

  /** A bare newline ended a row (at line {@code line}). */
  void newline(long line) {
    if (style == Style.UNKNOWN) {
      style = Style.NL;
    } else if (style == Style.CRNL) {
      throw csv
          ? CopyDataError.of("unquoted newline found in data",
              "Use quoted CSV field to represent newline.", relation, line, null)
          : CopyDataError.of("literal newline found in data",
              "Use \"\\n\" to represent newline.", relation, line, null);
    }
  }

  /** A carriage return outside quotes; {@code crnl} when a newline follows it. */
  void carriageReturn(boolean crnl, long line) {
    if (style == Style.UNKNOWN && crnl) {
      style = Style.CRNL;
      return;
    }
    if (style == Style.UNKNOWN) {
      throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED,
          "COPY data whose lines end with a bare carriage return is not supported on"
              + " distributed tables",
          "End lines with \\n or \\r\\n.");
    }
    if (style == Style.NL || !crnl) {
      throw csv
          ? CopyDataError.of("unquoted carriage return found in data",
              "Use quoted CSV field to represent carriage return.", relation, line, null)
          : CopyDataError.of("literal carriage return found in data",
              "Use \"\\r\" to represent carriage return.", relation, line, null);
    }
  }
}
