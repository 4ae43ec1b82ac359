package io.basalt.agent;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Free TCP ports on the loopback interface, for servers started by the launcher and by tests. */
public final class FreePorts {
  private static final int ATTEMPTS = 100;
  /**
   * Ports handed out by this JVM. The OS may offer a port again once its probe socket is closed,
   * and the server meant for the first one may not be listening yet.
   */
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private FreePorts() {}

  /** A port that was free on 127.0.0.1 just now and was not returned before by this JVM. */
  public static int find() {
    InetAddress loopback = loopback();
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(loopback, 0));
        int port = socket.getLocalPort();
        if (HANDED_OUT.add(port)) {
          return port;
        }
      } catch (IOException e) {
        throw new AgentException("cannot bind a probe socket on 127.0.0.1: " + e.getMessage(), e);
      }
    }
    throw new AgentException("found no free port on 127.0.0.1 in " + ATTEMPTS + " attempts");
  }

  /**
   * Whether a server could listen on {@code port} of {@code address} now. Uses SO_REUSEADDR like
   * PostgreSQL, so a port held only by connections in TIME_WAIT counts as free.
   */
  public static boolean isFree(InetAddress address, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(address, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static InetAddress loopback() {
    try {
      return InetAddress.getByName("127.0.0.1");
    } catch (UnknownHostException e) {
      throw new IllegalStateException("an IP literal always resolves", e);
    }
  }
}
