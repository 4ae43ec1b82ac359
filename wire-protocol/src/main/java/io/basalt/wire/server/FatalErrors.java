package io.basalt.wire.server;

import io.basalt.wire.message.BackendMessage;
import java.util.LinkedHashMap;
import java.util.Map;

/** The FATAL ErrorResponses the handler itself sends, in PostgreSQL's wording. */
final class FatalErrors {

  private FatalErrors() {}

  static BackendMessage.ErrorResponse fatal(String sqlState, String message) {
    Map<Character, String> fields = new LinkedHashMap<>();
    fields.put('S', "FATAL");
    fields.put('V', "FATAL");
    fields.put('C', sqlState);
    fields.put('M', message);
    return new BackendMessage.ErrorResponse(fields);
  }

  static String connectionDescription(String host, String user, String database, boolean ssl) {
    return "host \"" + host + "\", user \"" + user + "\", database \"" + database + "\", "
        + (ssl ? "SSL encryption" : "no encryption");
  }
}
