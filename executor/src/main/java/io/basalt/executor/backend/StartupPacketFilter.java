package io.basalt.executor.backend;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/**
 * The backend socket's output: pgjdbc's bytes unchanged, except that its StartupMessage loses the
 * DateStyle and TimeZone parameters pgjdbc always adds ("ISO" and the JVM's zone).
 *
 * <p>Explicit startup parameters beat the "-c" settings of the startup "options", so with them the
 * client's own DateStyle and TimeZone (replayed as "-c" options, see {@link StartupOptions}) would
 * be lost, and a session without them would get the JVM's zone instead of the server's default.
 * Without them the backend session starts exactly as the client's session on PostgreSQL would:
 * server defaults, then the client's options and parameters, which are also what RESET and
 * DISCARD ALL return to. A DateStyle that is not ISO is harmless here: see
 * {@link ParameterStatusFilter}.
 *
 * <p>Only the first message is examined (a CancelRequest or any other non-startup packet passes
 * unchanged); after it every write goes straight through.
 */
final class StartupPacketFilter extends OutputStream {
  /** Parameters pgjdbc sends itself that must not override the session's own settings. */
  static final Set<String> DROPPED = Set.of("DateStyle", "TimeZone");

  /** PostgreSQL's MAX_STARTUP_PACKET_LENGTH: anything longer is not a startup packet. */
  private static final int MAX_STARTUP_LENGTH = 10000;
  private static final int PROTOCOL_MAJOR_3 = 3;

  private final OutputStream out;
  /** The first packet so far, while it is incomplete; null once it has been passed on. */
  private ByteArrayOutputStream first = new ByteArrayOutputStream(256);

  StartupPacketFilter(OutputStream out) {
    this.out = Objects.requireNonNull(out, "out");
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (first == null) {
      out.write(b, off, len);
      return;
    }
    Objects.checkFromIndexSize(off, len, b.length);
    first.write(b, off, len);
    byte[] sofar = first.toByteArray();
    if (sofar.length < 8) {
      return;
    }
    int length = int32(sofar, 0);
    if (length < 8 || length > MAX_STARTUP_LENGTH) {
      passOn(sofar);
      return;
    }
    if (sofar.length < length) {
      return;
    }
    byte[] packet = Arrays.copyOf(sofar, length);
    byte[] rewritten = int32(sofar, 4) >>> 16 == PROTOCOL_MAJOR_3 ? rewrite(packet) : packet;
    byte[] rest = Arrays.copyOfRange(sofar, length, sofar.length);
    first = null;
    out.write(rewritten);
    out.write(rest);
  }

  private void passOn(byte[] bytes) throws IOException {
    first = null;
    out.write(bytes);
  }

  /** The startup packet without the dropped parameters; unchanged if it does not parse. */
  static byte[] rewrite(byte[] packet) {
    ByteArrayOutputStream kept = new ByteArrayOutputStream(packet.length);
    kept.write(packet, 0, 8);
    int p = 8;
    while (p < packet.length && packet[p] != 0) {
      int nameEnd = indexOfNul(packet, p);
      int valueEnd = nameEnd < 0 ? -1 : indexOfNul(packet, nameEnd + 1);
      if (valueEnd < 0) {
        return packet;
      }
      String name = new String(packet, p, nameEnd - p, StandardCharsets.UTF_8);
      if (!DROPPED.contains(name)) {
        kept.write(packet, p, valueEnd + 1 - p);
      }
      p = valueEnd + 1;
    }
    if (p != packet.length - 1) {
      return packet;   // no terminator where the length says the packet ends
    }
    kept.write(0);
    byte[] result = kept.toByteArray();
    int n = result.length;
    result[0] = (byte) (n >>> 24);
    result[1] = (byte) (n >>> 16);
    result[2] = (byte) (n >>> 8);
    result[3] = (byte) n;
    return result;
  }

  private static int indexOfNul(byte[] b, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == 0) {
        return i;
      }
    }
    return -1;
  }

  private static int int32(byte[] b, int p) {
    return (b[p] & 0xff) << 24 | (b[p + 1] & 0xff) << 16 | (b[p + 2] & 0xff) << 8
        | (b[p + 3] & 0xff);
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
