package io.basalt.error;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The one exception type of Basalt. It carries exactly what a PostgreSQL ErrorResponse carries:
 * the field map uses PostgreSQL's one-letter field codes ('S' severity, 'C' SQLSTATE, 'M' message,
 * 'D' detail, 'H' hint, 'P' position, 'W' where, ...), so an error relayed from a server keeps every
 * field it had.
 */
public final class BasaltException extends RuntimeException {
  private final Map<Character, String> fields;

  private BasaltException(Map<Character, String> fields, Throwable cause) {
    super(fields.get('M'), cause);
    this.fields = Collections.unmodifiableMap(fields);
  }

  public static BasaltException of(SqlState state, String message) {
    return builder(state.code(), message).build();
  }

  public static BasaltException of(SqlState state, String message, String hint) {
    return builder(state.code(), message).hint(hint).build();
  }

  public static Builder builder(SqlState state, String message) {
    return builder(state.code(), message);
  }

  public static Builder builder(String sqlState, String message) {
    return new Builder().field('S', "ERROR").field('V', "ERROR").field('C', sqlState)
        .field('M', message);
  }

  /** An error relayed from a server, with every field it sent. */
  public static BasaltException fromFields(Map<Character, String> fields, Throwable cause) {
    Map<Character, String> copy = new LinkedHashMap<>(fields);
    copy.putIfAbsent('S', "ERROR");
    copy.putIfAbsent('C', SqlState.INTERNAL_ERROR.code());
    copy.putIfAbsent('M', "unknown error");
    return new BasaltException(copy, cause);
  }

  public String sqlState() {
    return fields.get('C');
  }

  public String severity() {
    return fields.get('S');
  }

  /** FATAL and PANIC errors end the client's session. */
  public boolean isFatal() {
    String s = fields.getOrDefault('V', fields.get('S'));
    return "FATAL".equals(s) || "PANIC".equals(s);
  }

  public Map<Character, String> fields() {
    return fields;
  }

  public static final class Builder {
    private final Map<Character, String> fields = new LinkedHashMap<>();
    private Throwable cause;

    public Builder field(char code, String value) {
      if (value != null) {
        fields.put(code, value);
      }
      return this;
    }

    public Builder fatal() {
      return field('S', "FATAL").field('V', "FATAL");
    }

    public Builder detail(String detail) {
      return field('D', detail);
    }

    public Builder hint(String hint) {
      return field('H', hint);
    }

    public Builder position(int position) {
      return field('P', Integer.toString(position));
    }

    public Builder cause(Throwable cause) {
      this.cause = cause;
      return this;
    }

    public BasaltException build() {
      Objects.requireNonNull(fields.get('C'), "SQLSTATE");
      return new BasaltException(new LinkedHashMap<>(fields), cause);
    }
  }
}
