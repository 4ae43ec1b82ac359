package io.basalt.wire.codec;

import io.basalt.wire.codec.Protocol.AuthCode;
import io.basalt.wire.codec.Protocol.Backend;
import io.basalt.wire.message.BackendMessage;
import io.basalt.wire.message.BackendMessage.AuthenticationCleartextPassword;
import io.basalt.wire.message.BackendMessage.AuthenticationMd5Password;
import io.basalt.wire.message.BackendMessage.AuthenticationOk;
import io.basalt.wire.message.BackendMessage.AuthenticationSasl;
import io.basalt.wire.message.BackendMessage.AuthenticationSaslContinue;
import io.basalt.wire.message.BackendMessage.AuthenticationSaslFinal;
import io.basalt.wire.message.BackendMessage.BackendKeyData;
import io.basalt.wire.message.BackendMessage.BindComplete;
import io.basalt.wire.message.BackendMessage.CloseComplete;
import io.basalt.wire.message.BackendMessage.CommandComplete;
import io.basalt.wire.message.BackendMessage.CopyData;
import io.basalt.wire.message.BackendMessage.CopyDone;
import io.basalt.wire.message.BackendMessage.CopyInResponse;
import io.basalt.wire.message.BackendMessage.CopyOutResponse;
import io.basalt.wire.message.BackendMessage.DataRow;
import io.basalt.wire.message.BackendMessage.EmptyQueryResponse;
import io.basalt.wire.message.BackendMessage.ErrorResponse;
import io.basalt.wire.message.BackendMessage.Field;
import io.basalt.wire.message.BackendMessage.FunctionCallResponse;
import io.basalt.wire.message.BackendMessage.NegotiateProtocolVersion;
import io.basalt.wire.message.BackendMessage.NoData;
import io.basalt.wire.message.BackendMessage.NoticeResponse;
import io.basalt.wire.message.BackendMessage.NotificationResponse;
import io.basalt.wire.message.BackendMessage.ParameterDescription;
import io.basalt.wire.message.BackendMessage.ParameterStatus;
import io.basalt.wire.message.BackendMessage.ParseComplete;
import io.basalt.wire.message.BackendMessage.PortalSuspended;
import io.basalt.wire.message.BackendMessage.ReadyForQuery;
import io.basalt.wire.message.BackendMessage.RowDescription;
import io.netty.buffer.ByteBuf;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Map;

/**
 * Lays out {@link BackendMessage}s as bytes: {@code Byte1 tag, Int32 length (counting itself),
 * body}. Strings are NUL-terminated in the client encoding; values stay raw bytes.
 */
public final class BackendEncoder {

  private BackendEncoder() {}

  /** Appends one complete message to {@code out}. */
  public static void encode(BackendMessage message, ByteBuf out, Charset charset) {
    int lengthIndex = switch (message) {
      case AuthenticationOk m -> authentication(out, AuthCode.OK);
      case AuthenticationCleartextPassword m -> authentication(out, AuthCode.CLEARTEXT_PASSWORD);
      case AuthenticationMd5Password m -> {
        if (m.salt().length != 4) {
          throw new IllegalArgumentException("md5 salt must be 4 bytes");
        }
        int at = authentication(out, AuthCode.MD5_PASSWORD);
        out.writeBytes(m.salt());
        yield at;
      }
      case AuthenticationSasl m -> {
        int at = authentication(out, AuthCode.SASL);
        m.mechanisms().forEach(name -> writeString(out, name, charset));
        out.writeByte(0);
        yield at;
      }
      case AuthenticationSaslContinue m -> {
        int at = authentication(out, AuthCode.SASL_CONTINUE);
        out.writeBytes(m.data());
        yield at;
      }
      case AuthenticationSaslFinal m -> {
        int at = authentication(out, AuthCode.SASL_FINAL);
        out.writeBytes(m.data());
        yield at;
      }
      case NegotiateProtocolVersion m -> {
        int at = begin(out, Backend.NEGOTIATE_PROTOCOL_VERSION);
        out.writeInt(m.newestMinor());
        out.writeInt(m.unrecognizedOptions().size());
        m.unrecognizedOptions().forEach(option -> writeString(out, option, charset));
        yield at;
      }
      case ParameterStatus m -> {
        int at = begin(out, Backend.PARAMETER_STATUS);
        writeString(out, m.name(), charset);
        writeString(out, m.value(), charset);
        yield at;
      }
      case BackendKeyData m -> {
        int at = begin(out, Backend.BACKEND_KEY_DATA);
        out.writeInt(m.processId());
        out.writeInt(m.secretKey());
        yield at;
      }
      case ReadyForQuery m -> {
        int at = begin(out, Backend.READY_FOR_QUERY);
        out.writeByte(transactionStatus(m.status()));
        yield at;
      }
      case ErrorResponse m -> fields(out, Backend.ERROR_RESPONSE, m.fields(), charset);
      case NoticeResponse m -> fields(out, Backend.NOTICE_RESPONSE, m.fields(), charset);
      case NotificationResponse m -> {
        int at = begin(out, Backend.NOTIFICATION_RESPONSE);
        out.writeInt(m.processId());
        writeString(out, m.channel(), charset);
        writeString(out, m.payload(), charset);
        yield at;
      }
      case RowDescription m -> rowDescription(out, m.fields(), charset);
      case DataRow m -> {
        int at = begin(out, Backend.DATA_ROW);
        writeCount(out, m.values().length);
        for (byte[] value : m.values()) {
          writeNullableValue(out, value);
        }
        yield at;
      }
      case CommandComplete m -> {
        int at = begin(out, Backend.COMMAND_COMPLETE);
        writeString(out, m.tag(), charset);
        yield at;
      }
      case EmptyQueryResponse m -> begin(out, Backend.EMPTY_QUERY_RESPONSE);
      case ParseComplete m -> begin(out, Backend.PARSE_COMPLETE);
      case BindComplete m -> begin(out, Backend.BIND_COMPLETE);
      case CloseComplete m -> begin(out, Backend.CLOSE_COMPLETE);
      case NoData m -> begin(out, Backend.NO_DATA);
      case PortalSuspended m -> begin(out, Backend.PORTAL_SUSPENDED);
      case ParameterDescription m -> {
        int at = begin(out, Backend.PARAMETER_DESCRIPTION);
        writeCount(out, m.typeOids().length);
        for (int oid : m.typeOids()) {
          out.writeInt(oid);
        }
        yield at;
      }
      case FunctionCallResponse m -> {
        int at = begin(out, Backend.FUNCTION_CALL_RESPONSE);
        writeNullableValue(out, m.value());
        yield at;
      }
      case CopyInResponse m -> copyResponse(out, Backend.COPY_IN_RESPONSE, m.format(),
          m.columnFormats());
      case CopyOutResponse m -> copyResponse(out, Backend.COPY_OUT_RESPONSE, m.format(),
          m.columnFormats());
      case CopyData m -> {
        int at = begin(out, Backend.COPY_DATA);
        out.writeBytes(m.data());
        yield at;
      }
      case CopyDone m -> begin(out, Backend.COPY_DONE);
    };
    out.setInt(lengthIndex, out.writerIndex() - lengthIndex);
  }

  /** Writes the tag and a length placeholder; returns where the length goes. */
  private static int begin(ByteBuf out, byte tag) {
    out.writeByte(tag);
    int lengthIndex = out.writerIndex();
    out.writeInt(0);
    return lengthIndex;
  }

  private static int authentication(ByteBuf out, int code) {
    int at = begin(out, Backend.AUTHENTICATION);
    out.writeInt(code);
    return at;
  }

  private static int fields(ByteBuf out, byte tag, Map<Character, String> fields,
      Charset charset) {
    int at = begin(out, tag);
    fields.forEach((code, value) -> {
      if (code == 0) {
        throw new IllegalArgumentException("field code 0 would end the message");
      }
      out.writeByte(code);
      writeString(out, value, charset);
    });
    out.writeByte(0);
    return at;
  }

  private static int rowDescription(ByteBuf out, List<Field> fields, Charset charset) {
    int at = begin(out, Backend.ROW_DESCRIPTION);
    writeCount(out, fields.size());
    for (Field f : fields) {
      writeString(out, f.name(), charset);
      out.writeInt(f.tableOid());
      out.writeShort(f.columnAttribute());
      out.writeInt(f.typeOid());
      out.writeShort(f.typeSize());
      out.writeInt(f.typeModifier());
      out.writeShort(f.format());
    }
    return at;
  }

  private static int copyResponse(ByteBuf out, byte tag, byte format, short[] columnFormats) {
    int at = begin(out, tag);
    out.writeByte(format);
    writeCount(out, columnFormats.length);
    for (short columnFormat : columnFormats) {
      out.writeShort(columnFormat);
    }
    return at;
  }

  private static byte transactionStatus(char status) {
    if (status != 'I' && status != 'T' && status != 'E') {
      throw new IllegalArgumentException("invalid ReadyForQuery status: " + status);
    }
    return (byte) status;
  }

  private static void writeNullableValue(ByteBuf out, byte[] value) {
    if (value == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(value.length);
      out.writeBytes(value);
    }
  }

  /** Counts are Int16 on the wire; clients read them unsigned. */
  private static void writeCount(ByteBuf out, int count) {
    if (count > 0xFFFF) {
      throw new IllegalArgumentException("too many entries for one message: " + count);
    }
    out.writeShort(count);
  }

  /** A string with a NUL inside would end early and desynchronise the client. */
  private static void writeString(ByteBuf out, String value, Charset charset) {
    if (value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("string contains a NUL character");
    }
    out.writeCharSequence(value, charset);
    out.writeByte(0);
  }
}
