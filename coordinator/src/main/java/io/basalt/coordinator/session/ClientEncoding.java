package io.basalt.coordinator.session;

import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import java.util.Locale;

/**
 * The coordinator owns client_encoding: its backend sessions always speak UTF8 (pgjdbc requires
 * it) and the client's choice is tracked here. UTF8 and SQL_ASCII need no conversion because the
 * databases Basalt creates are UTF8 and SQL_ASCII means "no conversion" in PostgreSQL.
 */
public final class ClientEncoding {
  private ClientEncoding() {}

  /** The canonical name PostgreSQL reports for an accepted encoding name. */
  public static String canonical(String requested) {
    String n = requested.trim().toUpperCase(Locale.ROOT).replace("-", "").replace("_", "");
    return switch (n) {
      case "UTF8", "UNICODE" -> "UTF8";
      case "SQLASCII" -> "SQL_ASCII";
      default -> throw BasaltException.of(SqlState.FEATURE_NOT_SUPPORTED,
          "client_encoding \"" + requested + "\" is not supported by Basalt",
          "Use UTF8 (or SQL_ASCII); PostgreSQL then converts nothing on the way to the client.");
    };
  }
}
