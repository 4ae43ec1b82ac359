package io.basalt.agent;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What {@code pg_isready} does, for machines without it (the bundled binaries have no client
 * programs): open the unix socket, send a startup packet and judge the first reply the way
 * libpq's {@code PQping} does. Any authentication request, or any error other than "the database
 * system is starting up / shutting down" (57P03), means the server accepts connections.
 */
final class ReadinessProbe {
  private static final int PROTOCOL_3_0 = 196608;
  private static final String CANNOT_CONNECT_NOW = "57P03";

  private ReadinessProbe() {}

  static boolean accepting(Path socketFile, String user, Duration timeout) {
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      Future<Boolean> probe = executor.submit(() -> exchange(channel, socketFile, user));
      try {
        return probe.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        return false; // closing the channel, first of the resources, unblocks the probe
      } catch (ExecutionException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean exchange(SocketChannel channel, Path socketFile, String user)
      throws IOException {
    channel.connect(UnixDomainSocketAddress.of(socketFile));
    write(channel, startupPacket(user));
    byte type = readFully(channel, 1).get();
    int length = readFully(channel, 4).getInt();
    ByteBuffer body = readFully(channel, Math.max(0, length - 4));
    if (type == 'R') {
      try {
        write(channel, ByteBuffer.wrap(new byte[] {'X', 0, 0, 0, 4})); // Terminate
      } catch (IOException e) {
        // The server may already have closed (e.g. after "role does not exist" following its
        // authentication reply): the answer is known either way.
      }
      return true;
    }
    return type == 'E' && !CANNOT_CONNECT_NOW.equals(sqlState(body));
  }

  private static ByteBuffer startupPacket(String user) {
    byte[] parameters = ("user\0" + user + "\0database\0postgres\0\0")
        .getBytes(StandardCharsets.UTF_8);
    ByteBuffer packet = ByteBuffer.allocate(8 + parameters.length);
    packet.putInt(8 + parameters.length).putInt(PROTOCOL_3_0).put(parameters).flip();
    return packet;
  }

  /** The 'C' field of an ErrorResponse body: pairs of a field code and a NUL-ended string. */
  private static String sqlState(ByteBuffer body) {
    String text = StandardCharsets.UTF_8.decode(body).toString();
    for (String field : text.split("\0")) {
      if (field.startsWith("C")) {
        return field.substring(1);
      }
    }
    return "";
  }

  private static void write(SocketChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  private static ByteBuffer readFully(SocketChannel channel, int size) throws IOException {
    if (size > 1 << 20) {
      throw new IOException("implausible message length " + size);
    }
    ByteBuffer buffer = ByteBuffer.allocate(size);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new IOException("server closed the connection");
      }
    }
    return buffer.flip();
  }
}
