package io.basalt.wire.codec;

import io.basalt.wire.message.BackendMessage;
import io.netty.handler.codec.DecoderException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A client broke the protocol. The connection handler answers with a FATAL ErrorResponse carrying
 * this SQLSTATE (08P01 unless stated) and closes the connection; no other connection is affected.
 * It extends {@link DecoderException} so that Netty's decoder passes it on unwrapped.
 */
public final class ProtocolViolation extends DecoderException {
  private final String sqlState;
  private final Optional<String> detail;

  public ProtocolViolation(String message) {
    this(Protocol.SqlState.PROTOCOL_VIOLATION, message, Optional.empty());
  }

  public ProtocolViolation(String sqlState, String message, Optional<String> detail) {
    super(message);
    this.sqlState = sqlState;
    this.detail = detail;
  }

  public String sqlState() {
    return sqlState;
  }

  public Optional<String> detail() {
    return detail;
  }

  /** The ErrorResponse the client receives before the connection closes. */
  public BackendMessage.ErrorResponse toErrorResponse() {
    Map<Character, String> fields = new LinkedHashMap<>();
    fields.put('S', "FATAL");
    fields.put('V', "FATAL");
    fields.put('C', sqlState);
    fields.put('M', getMessage());
    detail.ifPresent(d -> fields.put('D', d));
    return new BackendMessage.ErrorResponse(fields);
  }
}
