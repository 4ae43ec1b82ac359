package io.basalt.wire.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

/** Builds frontend frames byte by byte, independently of the production codec. */
public final class Frames {

  private Frames() {}

  public static ByteBuf startup(int major, int minor, Map<String, String> parameters) {
    return untyped(b -> {
      b.writeShort(major);
      b.writeShort(minor);
      parameters.forEach((k, v) -> {
        cstring(b, k);
        cstring(b, v);
      });
      b.writeByte(0);
    });
  }

  public static ByteBuf startup(String user, String database) {
    return startup(3, 0, Map.of("user", user, "database", database));
  }

  public static ByteBuf sslRequest() {
    return untyped(b -> b.writeInt(80877103));
  }

  public static ByteBuf gssEncRequest() {
    return untyped(b -> b.writeInt(80877104));
  }

  public static ByteBuf cancelRequest(int pid, int key) {
    return untyped(b -> {
      b.writeInt(80877102);
      b.writeInt(pid);
      b.writeInt(key);
    });
  }

  /** {@code Int32 length (including itself), body}. */
  public static ByteBuf untyped(Consumer<ByteBuf> body) {
    ByteBuf b = Unpooled.buffer();
    b.writeInt(0);
    body.accept(b);
    b.setInt(0, b.readableBytes());
    return b;
  }

  /** {@code Byte1 tag, Int32 length (including itself), body}. */
  public static ByteBuf typed(char tag, Consumer<ByteBuf> body) {
    ByteBuf b = Unpooled.buffer();
    b.writeByte(tag);
    b.writeInt(0);
    body.accept(b);
    b.setInt(1, b.readableBytes() - 1);
    return b;
  }

  public static ByteBuf query(String sql) {
    return typed('Q', b -> cstring(b, sql));
  }

  public static ByteBuf password(String password) {
    return typed('p', b -> cstring(b, password));
  }

  public static ByteBuf saslInitialResponse(String mechanism, String data) {
    return typed('p', b -> {
      cstring(b, mechanism);
      byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
      b.writeInt(bytes.length);
      b.writeBytes(bytes);
    });
  }

  public static ByteBuf saslResponse(String data) {
    return typed('p', b -> b.writeBytes(data.getBytes(StandardCharsets.UTF_8)));
  }

  public static ByteBuf sync() {
    return typed('S', b -> { });
  }

  public static ByteBuf terminate() {
    return typed('X', b -> { });
  }

  public static void cstring(ByteBuf b, String s) {
    b.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    b.writeByte(0);
  }

  public static ByteBuf of(int... bytes) {
    ByteBuf b = Unpooled.buffer(bytes.length);
    for (int x : bytes) {
      b.writeByte(x);
    }
    return b;
  }

  public static byte[] toArray(ByteBuf b) {
    byte[] bytes = new byte[b.readableBytes()];
    b.getBytes(b.readerIndex(), bytes);
    return bytes;
  }
}
