package io.basalt.wire.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Splits what the server wrote into frames and reads their fields, like a tiny client would. */
public final class BackendFrames {

  /** One server message: tag and body (without tag and length). */
  public record Frame(char tag, byte[] body) {
    public ByteBuf buf() {
      return Unpooled.wrappedBuffer(body);
    }

    public int authCode() {
      if (tag != 'R') {
        throw new AssertionError("not an authentication message: " + this);
      }
      return buf().readInt();
    }

    /** Body after the authentication code. */
    public String authData() {
      return new String(body, 4, body.length - 4, StandardCharsets.UTF_8);
    }

    public Map<Character, String> fields() {
      if (tag != 'E' && tag != 'N') {
        throw new AssertionError("not an error or notice: " + this);
      }
      Map<Character, String> fields = new LinkedHashMap<>();
      ByteBuf b = buf();
      while (true) {
        byte code = b.readByte();
        if (code == 0) {
          return fields;
        }
        fields.put((char) code, readCString(b));
      }
    }

    @Override
    public String toString() {
      String text = tag == 'E' || tag == 'N' ? fields().toString()
          : new String(body, StandardCharsets.ISO_8859_1);
      return "Frame[" + tag + " " + text + "]";
    }
  }

  private BackendFrames() {}

  public static String readCString(ByteBuf b) {
    int length = b.bytesBefore((byte) 0);
    String s = b.toString(b.readerIndex(), length, StandardCharsets.UTF_8);
    b.skipBytes(length + 1);
    return s;
  }

  /** Reads every outbound ByteBuf written so far and concatenates them. */
  public static ByteBuf drain(EmbeddedChannel channel) {
    ByteBuf all = Unpooled.buffer();
    Object out;
    while ((out = channel.readOutbound()) != null) {
      ByteBuf b = (ByteBuf) out;
      all.writeBytes(b);
      b.release();
    }
    return all;
  }

  /** Splits tagged frames; a single leading 'S'/'N' encryption answer must be read first. */
  public static List<Frame> split(ByteBuf bytes) {
    List<Frame> frames = new ArrayList<>();
    while (bytes.isReadable()) {
      char tag = (char) bytes.readByte();
      int length = bytes.readInt();
      byte[] body = new byte[length - 4];
      bytes.readBytes(body);
      frames.add(new Frame(tag, body));
    }
    return frames;
  }

  public static List<Frame> read(EmbeddedChannel channel) {
    return split(drain(channel));
  }
}
