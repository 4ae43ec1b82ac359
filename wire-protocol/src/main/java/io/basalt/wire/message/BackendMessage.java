package io.basalt.wire.message;

import java.util.List;
import java.util.Map;

/** A message the server sends. */
public sealed interface BackendMessage {

  // ---- authentication ----

  record AuthenticationOk() implements BackendMessage {}

  record AuthenticationCleartextPassword() implements BackendMessage {}

  record AuthenticationMd5Password(byte[] salt) implements BackendMessage {}

  record AuthenticationSasl(List<String> mechanisms) implements BackendMessage {}

  record AuthenticationSaslContinue(byte[] data) implements BackendMessage {}

  record AuthenticationSaslFinal(byte[] data) implements BackendMessage {}

  record NegotiateProtocolVersion(int newestMinor, List<String> unrecognizedOptions)
      implements BackendMessage {}

  // ---- session ----

  record ParameterStatus(String name, String value) implements BackendMessage {}

  record BackendKeyData(int processId, int secretKey) implements BackendMessage {}

  /** ReadyForQuery; status is 'I' (idle), 'T' (in transaction) or 'E' (failed transaction). */
  record ReadyForQuery(char status) implements BackendMessage {}

  /**
   * ErrorResponse or NoticeResponse fields by PostgreSQL's one-letter codes, in the order to send.
   */
  record ErrorResponse(Map<Character, String> fields) implements BackendMessage {
    public ErrorResponse {
      fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
    }
  }

  record NoticeResponse(Map<Character, String> fields) implements BackendMessage {
    public NoticeResponse {
      fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
    }
  }

  record NotificationResponse(int processId, String channel, String payload)
      implements BackendMessage {}

  // ---- query results ----

  /** One column of a RowDescription, exactly the seven fields PostgreSQL sends. */
  record Field(String name, int tableOid, short columnAttribute, int typeOid, short typeSize,
      int typeModifier, short format) {}

  record RowDescription(List<Field> fields) implements BackendMessage {
    public RowDescription {
      fields = List.copyOf(fields);
    }
  }

  /** DataRow; a null entry is SQL NULL. Values are relayed as the server produced them. */
  record DataRow(byte[][] values) implements BackendMessage {}

  record CommandComplete(String tag) implements BackendMessage {}

  record EmptyQueryResponse() implements BackendMessage {}

  record ParseComplete() implements BackendMessage {}

  record BindComplete() implements BackendMessage {}

  record CloseComplete() implements BackendMessage {}

  record NoData() implements BackendMessage {}

  record ParameterDescription(int[] typeOids) implements BackendMessage {}

  record PortalSuspended() implements BackendMessage {}

  record FunctionCallResponse(byte[] value) implements BackendMessage {}

  // ---- COPY ----

  /** CopyInResponse / CopyOutResponse: overall format 0 text, 1 binary; one code per column. */
  record CopyInResponse(byte format, short[] columnFormats) implements BackendMessage {}

  record CopyOutResponse(byte format, short[] columnFormats) implements BackendMessage {}

  record CopyData(byte[] data) implements BackendMessage {}

  record CopyDone() implements BackendMessage {}
}
