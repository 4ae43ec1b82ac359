package io.basalt.wire.message;

import java.util.List;
import java.util.Map;

/**
 * A message a client sends. Strings are already decoded with the connection's client encoding;
 * parameter and copy payloads stay raw bytes so they pass through unchanged.
 */
public sealed interface FrontendMessage {

  // ---- messages without a type byte (start of a connection) ----

  /** SSLRequest (code 80877103). */
  record SslRequest() implements FrontendMessage {}

  /** GSSENCRequest (code 80877104). */
  record GssEncRequest() implements FrontendMessage {}

  /** CancelRequest (code 80877102), sent on a fresh connection. */
  record CancelRequest(int processId, int secretKey) implements FrontendMessage {}

  /**
   * StartupMessage. {@code parameters} keeps the client's order; "options" is included as sent.
   */
  record Startup(int protocolMajor, int protocolMinor, Map<String, String> parameters)
      implements FrontendMessage {
    public Startup {
      parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
    }

    public String user() {
      return parameters.get("user");
    }

    /** The database, defaulting to the user name as PostgreSQL does. */
    public String database() {
      String db = parameters.get("database");
      return db == null || db.isEmpty() ? user() : db;
    }
  }

  // ---- authentication ('p'); its meaning depends on the auth exchange in progress ----

  /** PasswordMessage, SASLInitialResponse or SASLResponse: all use tag 'p'. */
  record PasswordData(byte[] payload) implements FrontendMessage {}

  // ---- simple query ----

  record Query(String sql) implements FrontendMessage {}

  // ---- extended query ----

  /** Parse. A type OID of 0 means "unspecified". */
  record Parse(String statementName, String sql, int[] parameterTypes) implements FrontendMessage {}

  /**
   * Bind. {@code parameterFormats} and {@code resultFormats} are as sent (0, 1 or N codes);
   * a null entry in {@code parameters} is SQL NULL.
   */
  record Bind(String portalName, String statementName, short[] parameterFormats,
      List<byte[]> parameters, short[] resultFormats) implements FrontendMessage {
    public Bind {
      parameters = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(parameters));
    }

    /** The format code of parameter i, applying PostgreSQL's 0/1/N rule. */
    public short parameterFormat(int i) {
      if (parameterFormats.length == 0) {
        return 0;
      }
      return parameterFormats.length == 1 ? parameterFormats[0] : parameterFormats[i];
    }

    /** The format code of result column i, applying PostgreSQL's 0/1/N rule. */
    public short resultFormat(int i) {
      if (resultFormats.length == 0) {
        return 0;
      }
      return resultFormats.length == 1 ? resultFormats[0] : resultFormats[i];
    }
  }

  /** Describe: {@code kind} is 'S' (statement) or 'P' (portal). */
  record Describe(char kind, String name) implements FrontendMessage {}

  /** Execute; {@code maxRows} 0 means no limit. */
  record Execute(String portalName, int maxRows) implements FrontendMessage {}

  /** Close: {@code kind} is 'S' (statement) or 'P' (portal). */
  record Close(char kind, String name) implements FrontendMessage {}

  record Sync() implements FrontendMessage {}

  record Flush() implements FrontendMessage {}

  /** FunctionCall ('F'), the legacy fast-path interface. */
  record FunctionCall(int functionOid, short[] argumentFormats, List<byte[]> arguments,
      short resultFormat) implements FrontendMessage {}

  // ---- COPY sub-protocol ----

  record CopyData(byte[] data) implements FrontendMessage {}

  record CopyDone() implements FrontendMessage {}

  record CopyFail(String message) implements FrontendMessage {}

  // ---- end ----

  record Terminate() implements FrontendMessage {}
}
