package io.basalt.coordinator.copy;

import io.basalt.metadata.catalog.Identifiers;
import java.util.ArrayList;
import java.util.List;

/**
 * The options of one COPY, after PostgreSQL accepted the statement (the coordinator database
 * validates it first, so only valid combinations reach here). Defaults are PostgreSQL's.
 *
 * @param header NONE, TRUE (skip the first line) or MATCH (check it against the column names)
 * @param forceNull / forceNotNull / forceQuote column names; {@code ["*"]} for FORCE_QUOTE *
 * @param encoding the ENCODING option, or null for the client's encoding
 */
public record CopyOptions(CopyFormat format, byte delimiter, String nullString, Header header,
    byte quote, byte escape, List<String> forceNull, List<String> forceNotNull,
    List<String> forceQuote, String encoding, boolean freeze) {

  public enum Header { NONE, TRUE, MATCH }

  public CopyOptions {
    forceNull = List.copyOf(forceNull);
    forceNotNull = List.copyOf(forceNotNull);
    forceQuote = List.copyOf(forceQuote);
  }

  /** PostgreSQL's defaults for a format. */
  public static CopyOptions defaults(CopyFormat format) {
    boolean csv = format == CopyFormat.CSV;
    return new CopyOptions(format, csv ? (byte) ',' : (byte) '\t', csv ? "" : "\\N",
        Header.NONE, (byte) '"', (byte) '"', List.of(), List.of(), List.of(), null, false);
  }

  /**
   * The option list for a shard's own COPY: the same reading rules, without the header (the
   * coordinator reads it once) and without FREEZE (the shards were not created in this
   * transaction).
   */
  public String shardOptions(boolean withHeader) {
    List<String> o = new ArrayList<>();
    o.add("FORMAT " + format.name().toLowerCase(java.util.Locale.ROOT));
    if (format != CopyFormat.BINARY) {
      o.add("DELIMITER " + literal(String.valueOf((char) (delimiter & 0xff))));
      o.add("NULL " + literal(nullString));
    }
    if (withHeader && header != Header.NONE) {
      o.add("HEADER");
    }
    if (format == CopyFormat.CSV) {
      o.add("QUOTE " + literal(String.valueOf((char) (quote & 0xff))));
      o.add("ESCAPE " + literal(String.valueOf((char) (escape & 0xff))));
      if (!forceNull.isEmpty()) {
        o.add("FORCE_NULL (" + columns(forceNull) + ")");
      }
      if (!forceNotNull.isEmpty()) {
        o.add("FORCE_NOT_NULL (" + columns(forceNotNull) + ")");
      }
      if (!forceQuote.isEmpty()) {
        o.add("FORCE_QUOTE " + (forceQuote.equals(List.of("*")) ? "*"
            : "(" + columns(forceQuote) + ")"));
      }
    }
    if (encoding != null) {
      o.add("ENCODING " + literal(encoding));
    }
    return "(" + String.join(", ", o) + ")";
  }

  private static String columns(List<String> names) {
    List<String> q = new ArrayList<>();
    for (String n : names) {
      q.add(Identifiers.quote(n));
    }
    return String.join(", ", q);
  }

  /** A string constant that reads back the same whatever standard_conforming_strings says. */
  static String literal(String s) {
    if (s.indexOf('\\') < 0) {
      return "'" + s.replace("'", "''") + "'";
    }
    return "E'" + s.replace("\\", "\\\\").replace("'", "''") + "'";
  }
}
