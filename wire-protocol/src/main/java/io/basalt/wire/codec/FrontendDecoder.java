package io.basalt.wire.codec;

import io.basalt.wire.codec.Protocol.Frontend;
import io.basalt.wire.codec.Protocol.RequestCode;
import io.basalt.wire.message.FrontendMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Frames the bytes of one connection into {@link FrontendMessage}s.
 *
 * <pre>
 *   STARTUP ──SSLRequest / GSSENCRequest──▶ STARTUP  (the handler answers, the client continues)
 *   STARTUP ──CancelRequest──────────────▶ STARTUP  (the handler closes the connection)
 *   STARTUP ──StartupMessage─────────────▶ TYPED
 *   any     ──malformed input────────────▶ FAILED   (ProtocolViolation; all later bytes dropped)
 * </pre>
 *
 * <p>In STARTUP a packet is {@code Int32 length, Int32 code, body} with no tag byte; in TYPED it is
 * {@code Byte1 tag, Int32 length, body}. Lengths include themselves. A length is checked as soon as
 * it is readable, so an oversized message is refused before its body is buffered.
 */
public final class FrontendDecoder extends ByteToMessageDecoder {

  enum State {
    STARTUP,
    TYPED,
    FAILED
  }

  private final int maxMessageSize;
  private final ClientEncoding encoding;
  private final boolean tlsAvailable;
  private State state = State.STARTUP;

  /**
   * @param maxMessageSize cap on a typed message's length field (which counts itself)
   * @param tlsAvailable whether an SSLRequest will be accepted; then plaintext that arrives right
   *     behind it is refused (it would otherwise be taken as if it had come over TLS)
   */
  public FrontendDecoder(int maxMessageSize, ClientEncoding encoding, boolean tlsAvailable) {
    if (maxMessageSize < 5) {
      throw new IllegalArgumentException("maxMessageSize must be at least 5: " + maxMessageSize);
    }
    this.maxMessageSize = maxMessageSize;
    this.encoding = encoding;
    this.tlsAvailable = tlsAvailable;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    try {
      switch (state) {
        case STARTUP -> decodeStartupPacket(in, out);
        case TYPED -> {
          FrontendMessage message = decodeTypedMessage(in);
          if (message != null) {
            out.add(message);
          }
        }
        case FAILED -> in.skipBytes(in.readableBytes());
      }
    } catch (ProtocolViolation e) {
      state = State.FAILED;
      in.skipBytes(in.readableBytes());
      throw e;
    }
  }

  private void decodeStartupPacket(ByteBuf in, List<Object> out) {
    if (in.readableBytes() < 4) {
      return;
    }
    int length = in.getInt(in.readerIndex());
    if (length < 8 || length > Protocol.MAX_STARTUP_PACKET_LENGTH) {
      throw new ProtocolViolation("invalid length of startup packet");
    }
    if (in.readableBytes() < length) {
      return;
    }
    ByteBuf packet = in.readSlice(length).skipBytes(4);
    int code = packet.readInt();
    switch (code) {
      case RequestCode.SSL -> {
        requireEmpty(packet, "invalid length of SSL request");
        if (tlsAvailable && in.isReadable()) {
          throw unencryptedDataAfter("SSL request");
        }
        out.add(new FrontendMessage.SslRequest());
      }
      case RequestCode.GSSENC -> {
        requireEmpty(packet, "invalid length of GSSAPI encryption request");
        out.add(new FrontendMessage.GssEncRequest());
      }
      case RequestCode.CANCEL -> {
        if (packet.readableBytes() != 8) {
          throw new ProtocolViolation("invalid length of cancel request packet");
        }
        out.add(new FrontendMessage.CancelRequest(packet.readInt(), packet.readInt()));
      }
      default -> {
        out.add(startupMessage(code, packet));
        state = State.TYPED;
      }
    }
  }

  private FrontendMessage.Startup startupMessage(int version, ByteBuf packet) {
    int major = version >>> 16;
    int minor = version & 0xFFFF;
    if (major != Protocol.MAJOR_VERSION) {
      throw new ProtocolViolation(Protocol.SqlState.FEATURE_NOT_SUPPORTED,
          "unsupported frontend protocol " + major + "." + minor + ": server supports "
              + Protocol.MAJOR_VERSION + ".0 to " + Protocol.MAJOR_VERSION + "."
              + Protocol.LATEST_MINOR_VERSION,
          Optional.empty());
    }
    // name/value pairs, then one NUL; anything else is PostgreSQL's "invalid startup packet layout"
    FrameReader reader = new FrameReader(packet, encoding.charset());
    Map<String, String> parameters = new LinkedHashMap<>();
    while (true) {
      if (!packet.isReadable()) {
        throw invalidLayout();
      }
      if (packet.getByte(packet.readerIndex()) == 0) {
        packet.skipBytes(1);
        break;
      }
      String name = readStartupString(reader);
      String value = readStartupString(reader);
      parameters.put(name, value);
    }
    if (packet.isReadable()) {
      throw invalidLayout();
    }
    return new FrontendMessage.Startup(major, minor, parameters);
  }

  private static String readStartupString(FrameReader reader) {
    try {
      return reader.readString();
    } catch (ProtocolViolation e) {
      if (e.sqlState().equals(Protocol.SqlState.PROTOCOL_VIOLATION)) {
        throw invalidLayout();
      }
      throw e;
    }
  }

  private static ProtocolViolation invalidLayout() {
    return new ProtocolViolation(
        "invalid startup packet layout: expected terminator as last byte");
  }

  private static ProtocolViolation unencryptedDataAfter(String request) {
    return new ProtocolViolation(Protocol.SqlState.PROTOCOL_VIOLATION,
        "received unencrypted data after " + request,
        Optional.of("This could be either a client-software bug or evidence of an attempted "
            + "man-in-the-middle attack."));
  }

  private static void requireEmpty(ByteBuf packet, String message) {
    if (packet.isReadable()) {
      throw new ProtocolViolation(message);
    }
  }

  /**
   * Decodes one typed message from {@code in} for a reader that took the connection over from
   * this decoder ({@link #handOver}); null while the message is not all there yet.
   *
   * @throws ProtocolViolation for malformed input; the decoder then refuses everything after
   */
  public FrontendMessage decodeOne(ByteBuf in) {
    if (state != State.TYPED) {
      throw new ProtocolViolation(state == State.FAILED ? "connection already failed"
          : "startup is not over");
    }
    try {
      return decodeTypedMessage(in);
    } catch (ProtocolViolation e) {
      state = State.FAILED;
      throw e;
    }
  }

  /**
   * Moves the bytes received but not decoded yet (the start of a message, or messages that came
   * behind the one that ended startup) to {@code target}: reading goes on elsewhere.
   */
  public void handOver(ByteBuf target) {
    ByteBuf rest = internalBuffer();
    target.writeBytes(rest);
  }

  private FrontendMessage decodeTypedMessage(ByteBuf in) {
    if (!in.isReadable()) {
      return null;
    }
    int start = in.readerIndex();
    byte tag = in.getByte(start);
    int limit = limitFor(tag);
    if (in.readableBytes() < 5) {
      return null;
    }
    int length = in.getInt(start + 1);
    if (length < 4 || length > limit) {
      throw new ProtocolViolation("invalid message length");
    }
    if (in.readableBytes() < 1 + length) {
      return null;
    }
    in.skipBytes(5);
    ByteBuf body = in.readSlice(length - 4);
    FrameReader reader = new FrameReader(body, encoding.charset());
    FrontendMessage message = typedMessage(tag, reader);
    reader.requireEnd();
    return message;
  }

  /** The size cap per tag, as PostgreSQL's SocketBackend sets it; also rejects unknown tags. */
  private int limitFor(byte tag) {
    return switch (tag) {
      case Frontend.QUERY, Frontend.PARSE, Frontend.BIND, Frontend.FUNCTION_CALL,
          Frontend.COPY_DATA -> maxMessageSize;
      case Frontend.PASSWORD -> Math.min(Protocol.MAX_AUTH_MESSAGE_LENGTH, maxMessageSize);
      case Frontend.DESCRIBE, Frontend.EXECUTE, Frontend.CLOSE, Frontend.SYNC, Frontend.FLUSH,
          Frontend.TERMINATE, Frontend.COPY_DONE, Frontend.COPY_FAIL ->
          Math.min(Protocol.SMALL_MESSAGE_LIMIT, maxMessageSize);
      default -> throw new ProtocolViolation("invalid frontend message type " + (tag & 0xFF));
    };
  }

  private static FrontendMessage typedMessage(byte tag, FrameReader r) {
    return switch (tag) {
      case Frontend.QUERY -> new FrontendMessage.Query(r.readString());
      case Frontend.PARSE -> new FrontendMessage.Parse(r.readString(), r.readString(),
          r.readInt32Array(r.readCount()));
      case Frontend.BIND -> bind(r);
      case Frontend.DESCRIBE -> new FrontendMessage.Describe(target(r, "DESCRIBE"), r.readString());
      case Frontend.EXECUTE -> new FrontendMessage.Execute(r.readString(), r.readInt32());
      case Frontend.CLOSE -> new FrontendMessage.Close(target(r, "CLOSE"), r.readString());
      case Frontend.SYNC -> new FrontendMessage.Sync();
      case Frontend.FLUSH -> new FrontendMessage.Flush();
      case Frontend.FUNCTION_CALL -> functionCall(r);
      case Frontend.COPY_DATA -> new FrontendMessage.CopyData(r.readRemaining());
      case Frontend.COPY_DONE -> new FrontendMessage.CopyDone();
      case Frontend.COPY_FAIL -> new FrontendMessage.CopyFail(r.readString());
      case Frontend.PASSWORD -> new FrontendMessage.PasswordData(r.readRemaining());
      case Frontend.TERMINATE -> new FrontendMessage.Terminate();
      default -> throw new ProtocolViolation("invalid frontend message type " + (tag & 0xFF));
    };
  }

  private static FrontendMessage.Bind bind(FrameReader r) {
    String portal = r.readString();
    String statement = r.readString();
    short[] parameterFormats = r.readInt16Array(r.readCount());
    int parameterCount = r.readCount();
    checkFormatCount("parameter formats", parameterFormats.length, "parameters", parameterCount);
    List<byte[]> parameters = r.readNullableValues(parameterCount);
    short[] resultFormats = r.readInt16Array(r.readCount());
    return new FrontendMessage.Bind(portal, statement, parameterFormats, parameters, resultFormats);
  }

  private static FrontendMessage.FunctionCall functionCall(FrameReader r) {
    int oid = r.readInt32();
    short[] argumentFormats = r.readInt16Array(r.readCount());
    int argumentCount = r.readCount();
    checkFormatCount("argument formats", argumentFormats.length, "arguments", argumentCount);
    List<byte[]> arguments = r.readNullableValues(argumentCount);
    return new FrontendMessage.FunctionCall(oid, argumentFormats, arguments, r.readInt16());
  }

  /**
   * PostgreSQL reports this as a non-fatal error; here it is fatal because a session reading
   * format i of a short array would fail in a worse way.
   */
  private static void checkFormatCount(String formats, int formatCount, String values,
      int valueCount) {
    if (formatCount > 1 && formatCount != valueCount) {
      throw new ProtocolViolation("message has " + formatCount + " " + formats + " but "
          + valueCount + " " + values);
    }
  }

  private static char target(FrameReader r, String message) {
    byte kind = r.readByte();
    if (kind != Frontend.TARGET_STATEMENT && kind != Frontend.TARGET_PORTAL) {
      throw new ProtocolViolation("invalid " + message + " message subtype " + kind);
    }
    return (char) kind;
  }
}
