package io.basalt.wire.codec;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the fields of one frame body and turns every way a body can be malformed into a
 * {@link ProtocolViolation} with PostgreSQL's wording (pqformat.c), never an index exception.
 */
final class FrameReader {
  private final ByteBuf body;
  private final Charset charset;

  FrameReader(ByteBuf body, Charset charset) {
    this.body = body;
    this.charset = charset;
  }

  byte readByte() {
    require(1);
    return body.readByte();
  }

  short readInt16() {
    require(2);
    return body.readShort();
  }

  /** A count sent as Int16; PostgreSQL reads it unsigned, so up to 65535 is legitimate. */
  int readCount() {
    require(2);
    return body.readUnsignedShort();
  }

  int readInt32() {
    require(4);
    return body.readInt();
  }

  short[] readInt16Array(int count) {
    require(2L * count);
    short[] values = new short[count];
    for (int i = 0; i < count; i++) {
      values[i] = body.readShort();
    }
    return values;
  }

  int[] readInt32Array(int count) {
    require(4L * count);
    int[] values = new int[count];
    for (int i = 0; i < count; i++) {
      values[i] = body.readInt();
    }
    return values;
  }

  /** {@code count} values each prefixed by an Int32 length, where -1 stands for NULL. */
  List<byte[]> readNullableValues(int count) {
    List<byte[]> values = new ArrayList<>(Math.min(count, body.readableBytes() / 4 + 1));
    for (int i = 0; i < count; i++) {
      values.add(readNullableValue());
    }
    return values;
  }

  byte[] readNullableValue() {
    int length = readInt32();
    if (length == -1) {
      return null;
    }
    return readBytes(length);
  }

  byte[] readBytes(int length) {
    if (length < 0) {
      throw insufficientData();
    }
    require(length);
    byte[] bytes = new byte[length];
    body.readBytes(bytes);
    return bytes;
  }

  byte[] readRemaining() {
    return readBytes(body.readableBytes());
  }

  /** A NUL-terminated string in the client's encoding. */
  String readString() {
    int length = body.bytesBefore((byte) 0);
    if (length < 0) {
      throw new ProtocolViolation("invalid string in message");
    }
    String value = decode(body.nioBuffer(body.readerIndex(), length), charset);
    body.skipBytes(length + 1);
    return value;
  }

  boolean isReadable() {
    return body.isReadable();
  }

  /** PostgreSQL's pq_getmsgend: a body with bytes left over is malformed. */
  void requireEnd() {
    if (body.isReadable()) {
      throw new ProtocolViolation("invalid message format");
    }
  }

  private void require(long length) {
    if (body.readableBytes() < length) {
      throw insufficientData();
    }
  }

  private static ProtocolViolation insufficientData() {
    return new ProtocolViolation("insufficient data left in message");
  }

  /**
   * Strict decoding: a string that is not valid in the client encoding is refused, as PostgreSQL
   * refuses it, instead of being silently altered with replacement characters.
   */
  static String decode(ByteBuffer bytes, Charset charset) {
    try {
      return charset.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes)
          .toString();
    } catch (CharacterCodingException e) {
      throw new ProtocolViolation(Protocol.SqlState.CHARACTER_NOT_IN_REPERTOIRE,
          "invalid byte sequence for encoding \"" + charset.name() + "\"", Optional.empty());
    }
  }
}
