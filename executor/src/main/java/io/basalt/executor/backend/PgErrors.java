package io.basalt.executor.backend;

import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import java.lang.reflect.Field;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.util.LinkedHashMap;
import java.util.Map;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLWarning;
import org.postgresql.util.ServerErrorMessage;

/**
 * The one place where foreign exceptions become {@link BasaltException}. A server's error keeps
 * every field the server sent, in PostgreSQL's field order, so the client sees what PostgreSQL
 * would have shown it.
 */
public final class PgErrors {
  /** PostgreSQL's order of ErrorResponse fields. */
  private static final String FIELD_ORDER = "SVCMDHPpqWstcdnFLR";
  private static final Field MESSAGE_PARTS = messageParts();

  private PgErrors() {}

  public static BasaltException from(Throwable t) {
    if (t instanceof BasaltException be) {
      return be;
    }
    if (t instanceof PSQLException pe && pe.getServerErrorMessage() != null) {
      return BasaltException.fromFields(fields(pe.getServerErrorMessage()), t);
    }
    if (t instanceof SQLException se) {
      String state = se.getSQLState();
      if (state == null || state.length() != 5) {
        state = SqlState.INTERNAL_ERROR.code();
      }
      // pgjdbc's own errors about a broken connection are class 08 already.
      return BasaltException.builder(state, String.valueOf(se.getMessage())).cause(se).build();
    }
    if (t instanceof java.io.IOException) {
      return BasaltException.builder(SqlState.CONNECTION_FAILURE,
          "connection to the server was lost: " + t.getMessage()).cause(t).build();
    }
    return BasaltException.builder(SqlState.INTERNAL_ERROR, String.valueOf(t))
        .cause(t).build();
  }

  /** A server notice's fields, or a WARNING built from a driver-side warning. */
  public static Map<Character, String> notice(SQLWarning warning) {
    if (warning instanceof PSQLWarning pw && pw.getServerErrorMessage() != null) {
      return fields(pw.getServerErrorMessage());
    }
    Map<Character, String> f = new LinkedHashMap<>();
    f.put('S', "WARNING");
    f.put('V', "WARNING");
    f.put('C', warning.getSQLState() == null ? "01000" : warning.getSQLState());
    f.put('M', String.valueOf(warning.getMessage()));
    return f;
  }

  @SuppressWarnings("unchecked")
  static Map<Character, String> fields(ServerErrorMessage m) {
    Map<Character, String> raw = null;
    if (MESSAGE_PARTS != null) {
      try {
        raw = (Map<Character, String>) MESSAGE_PARTS.get(m);
      } catch (IllegalAccessException e) {
        raw = null;
      }
    }
    if (raw == null) {
      raw = new LinkedHashMap<>();
      put(raw, 'S', m.getSeverity());
      put(raw, 'C', m.getSQLState());
      put(raw, 'M', m.getMessage());
      put(raw, 'D', m.getDetail());
      put(raw, 'H', m.getHint());
      if (m.getPosition() > 0) {
        raw.put('P', Integer.toString(m.getPosition()));
      }
      put(raw, 'W', m.getWhere());
      put(raw, 's', m.getSchema());
      put(raw, 't', m.getTable());
      put(raw, 'c', m.getColumn());
      put(raw, 'd', m.getDatatype());
      put(raw, 'n', m.getConstraint());
      put(raw, 'F', m.getFile());
      put(raw, 'R', m.getRoutine());
    }
    Map<Character, String> ordered = new LinkedHashMap<>();
    for (char c : FIELD_ORDER.toCharArray()) {
      if (raw.containsKey(c)) {
        ordered.put(c, raw.get(c));
      }
    }
    raw.forEach(ordered::putIfAbsent);
    return ordered;
  }

  private static void put(Map<Character, String> map, char code, String value) {
    if (value != null) {
      map.put(code, value);
    }
  }

  private static Field messageParts() {
    // Reading the raw map keeps fields pgjdbc has no getter for (V, p, q).
    try {
      Field f = ServerErrorMessage.class.getDeclaredField("mesgParts");
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
