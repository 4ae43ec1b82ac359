package io.basalt.wire.spi;

import java.util.Map;

/**
 * An error the wire layer sends as an ErrorResponse (fields by PostgreSQL's one-letter codes).
 * The coordinator converts its own exception type to this at the boundary.
 */
public final class WireError extends RuntimeException {
  private final Map<Character, String> fields;

  public WireError(Map<Character, String> fields, Throwable cause) {
    super(fields.get('M'), cause);
    this.fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
  }

  public static WireError fatal(String sqlState, String message) {
    Map<Character, String> f = new java.util.LinkedHashMap<>();
    f.put('S', "FATAL");
    f.put('V', "FATAL");
    f.put('C', sqlState);
    f.put('M', message);
    return new WireError(f, null);
  }

  public Map<Character, String> fields() {
    return fields;
  }
}
