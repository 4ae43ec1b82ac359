package io.basalt.coordinator.it;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A loopback TCP proxy in front of one PostgreSQL server that a test drives to inject faults
 * between the coordinator and that server: refuse new connections, cut open ones, cut or hold a
 * connection at a chosen statement, delay every request.
 *
 * <p>It reads the PostgreSQL protocol rather than raw chunks, so a rule matches one whole message
 * whatever the TCP segmentation: the startup packet (no type byte, possibly preceded by an
 * SSLRequest or GSSENCRequest answered with a single byte), then frontend messages (type byte,
 * int32 length including itself, body) in one direction and backend messages in the other. A
 * {@link Rule} matches a simple Query ('Q') or a Parse ('P') whose text contains its needle.
 * Encrypted sessions (the server said 'S' to SSLRequest) are piped through unread.
 *
 * <p>Each accepted connection gets two virtual threads, one per direction.
 */
final class FaultProxy implements AutoCloseable {
  private static final int SSL_REQUEST = 80877103;
  private static final int GSSENC_REQUEST = 80877104;
  private static final int CANCEL_REQUEST = 80877102;

  /** What a rule does to the connection whose message matched. */
  enum Action {
    /** Close both sides instead of forwarding the message: the server never sees it. */
    CUT_BEFORE,
    /** Forward it, let the server answer, then close both sides without passing the answer on. */
    CUT_AFTER_REPLY,
    /** Hold the message until {@link Rule#release}, then forward it. */
    STALL_BEFORE,
    /** Forward it, and hold the server's whole answer until {@link Rule#release}. */
    STALL_REPLY
  }

  /** A fault armed for the next {@code times} messages containing {@code needle}. */
  static final class Rule {
    private final String needle;
    private final Action action;
    private int remaining;
    private final CountDownLatch hit = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    private Rule(String needle, Action action, int times) {
      this.needle = needle;
      this.action = action;
      this.remaining = times;
    }

    /** Waits until a message matched (and, for the stalls, is being held). */
    boolean awaitHit(Duration timeout) throws InterruptedException {
      return hit.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean wasHit() {
      return hit.getCount() == 0;
    }

    /** Lets held messages go on (a stall), and disarms the rule. */
    void release() {
      synchronized (this) {
        remaining = 0;
      }
      released.countDown();
    }

    private synchronized boolean take(String text) {
      if (remaining <= 0 || !text.contains(needle)) {
        return false;
      }
      remaining--;
      return true;
    }

    private void awaitRelease() throws InterruptedException {
      released.await();
    }
  }

  private final InetSocketAddress target;
  private final int port;
  private final ServerSocket listener;
  private volatile boolean refusing;
  private volatile boolean ignoring;
  private final Set<Socket> ignored = ConcurrentHashMap.newKeySet();
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final Set<Pair> open = ConcurrentHashMap.newKeySet();
  private volatile long delayMillis;
  private volatile boolean closed;
  private int accepted;

  private FaultProxy(InetSocketAddress target, ServerSocket listener) {
    this.target = target;
    this.listener = listener;
    this.port = listener.getLocalPort();
  }

  /** A proxy on a free loopback port in front of {@code 127.0.0.1:targetPort}. */
  static FaultProxy start(int targetPort) throws IOException {
    InetAddress lo = InetAddress.getLoopbackAddress();
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(lo, 0));
    FaultProxy p = new FaultProxy(new InetSocketAddress(lo, targetPort), s);
    p.acceptOn(s);
    return p;
  }

  int port() {
    return port;
  }

  /** Arms a rule for the next message containing {@code needle}. */
  Rule on(String needle, Action action) {
    return on(needle, action, 1);
  }

  Rule on(String needle, Action action, int times) {
    Rule r = new Rule(needle, action, times);
    rules.add(r);
    return r;
  }

  /** Releases and removes every rule, and drops the delay. */
  void clearFaults() {
    rules.forEach(Rule::release);
    rules.clear();
    delayMillis = 0;
  }

  /** Every request (Query, Sync, ...) waits this long before it is forwarded: a slow worker. */
  void delay(Duration d) {
    delayMillis = d.toMillis();
  }

  /**
   * Refuses new connections: each is reset (RST) as soon as it is accepted, before a byte passes;
   * open ones are left alone. The port stays bound: closed, it could be taken by any server
   * started meanwhile on this machine, and the "refused" connections would reach that one.
   * {@link #accept} lets new connections through again.
   */
  void refuse() {
    refusing = true;
  }

  /**
   * New connections are accepted and then ignored (nothing read, nothing forwarded) until
   * {@link #accept}: a node that takes connections and never answers, as when its host hangs.
   */
  void ignore() {
    ignoring = true;
  }

  void accept() {
    refusing = false;
    ignoring = false;
    for (Socket s : List.copyOf(ignored)) {
      closeQuietly(s);
    }
    ignored.clear();
  }

  /** Cuts every open connection now. */
  void cutAll() {
    for (Pair p : List.copyOf(open)) {
      p.cut();
    }
  }

  int openConnections() {
    return open.size();
  }

  synchronized int acceptedConnections() {
    return accepted;
  }

  @Override
  public void close() {
    closed = true;
    clearFaults();
    try {
      listener.close();
    } catch (IOException e) {
      // Closing a listener: nothing to do.
    }
    cutAll();
    accept();
  }

  private void acceptOn(ServerSocket s) {
    Thread.ofVirtual().name("fault-proxy-accept-" + port).start(() -> {
      while (!closed && !s.isClosed()) {
        Socket client;
        try {
          client = s.accept();
        } catch (IOException e) {
          return; // refused or closed
        }
        if (refusing) {
          try {
            client.setSoLinger(true, 0); // close with a reset, as a refused connect would
          } catch (IOException e) {
            // Closed anyway below.
          }
          closeQuietly(client);
          continue;
        }
        if (ignoring) {
          ignored.add(client);
          continue;
        }
        synchronized (this) {
          accepted++;
        }
        Pair p = new Pair(client);
        open.add(p);
        Thread.ofVirtual().name("fault-proxy-" + port + "-c2s").start(p::clientToServer);
      }
    });
  }

  private Rule match(byte type, byte[] body) {
    if (type != 'Q' && type != 'P' || rules.isEmpty()) {
      return null;
    }
    String text = new String(body, StandardCharsets.UTF_8);
    for (Rule r : rules) {
      if (r.take(text)) {
        return r;
      }
    }
    return null;
  }

  /** One client connection and its connection to the server. */
  private final class Pair {
    private final Socket client;
    private Socket server;
    /** A rule waiting for the answer to the message it matched (read by the s2c thread). */
    private volatile Rule awaitingReply;

    Pair(Socket client) {
      this.client = client;
    }

    void clientToServer() {
      try (client) {
        client.setTcpNoDelay(true);
        server = new Socket();
        server.setTcpNoDelay(true);
        server.connect(target, 10_000);
        DataInputStream in = new DataInputStream(client.getInputStream());
        OutputStream toServer = server.getOutputStream();
        if (!startup(in, toServer)) {
          return;
        }
        Thread.ofVirtual().name("fault-proxy-" + port + "-s2c").start(this::serverToClient);
        while (true) {
          byte type = in.readByte();
          byte[] body = body(in);
          Rule r = match(type, body);
          if (r != null) {
            switch (r.action) {
              case CUT_BEFORE -> {
                r.hit.countDown();
                cut();
                return;
              }
              case STALL_BEFORE -> {
                r.hit.countDown();
                r.awaitRelease();
                if (!open.contains(this)) {
                  return; // cut while held: the message is dropped, never delivered late
                }
              }
              case CUT_AFTER_REPLY, STALL_REPLY -> awaitingReply = r;
            }
          }
          long delay = delayMillis;
          if (delay > 0 && (type == 'Q' || type == 'S')) {
            Thread.sleep(delay);
          }
          writeMessage(toServer, type, body);
        }
      } catch (IOException | InterruptedException e) {
        // The client went away or the connection was cut.
      } finally {
        cut();
      }
    }

    /**
     * Forwards the startup phase: SSL/GSS requests are answered by the server with one byte
     * (an 'S' means TLS follows, which this proxy does not read, so it pipes from then on);
     * then the startup packet itself. Returns false when the session is not to be parsed.
     */
    private boolean startup(DataInputStream in, OutputStream toServer)
        throws IOException, InterruptedException {
      InputStream fromServer = server.getInputStream();
      while (true) {
        int len = in.readInt();
        byte[] rest = new byte[len - 4];
        in.readFully(rest);
        int code = ((rest[0] & 0xff) << 24) | ((rest[1] & 0xff) << 16) | ((rest[2] & 0xff) << 8)
            | (rest[3] & 0xff);
        writeInt(toServer, len);
        toServer.write(rest);
        toServer.flush();
        if (code == SSL_REQUEST || code == GSSENC_REQUEST) {
          int answer = fromServer.read();
          if (answer < 0) {
            return false;
          }
          client.getOutputStream().write(answer);
          client.getOutputStream().flush();
          if (answer == 'S' || answer == 'G') {
            pipeRaw(in, toServer);
            return false;
          }
          continue;
        }
        if (code == CANCEL_REQUEST) {
          // The server closes a cancel request's connection after acting on it.
          Thread.ofVirtual().start(() -> pipe(fromServer, client));
          pipeRaw(in, toServer);
          return false;
        }
        return true;
      }
    }

    private void pipeRaw(InputStream in, OutputStream toServer) throws IOException {
      Thread.ofVirtual().start(() -> pipe(server, client));
      in.transferTo(toServer);
    }

    private void pipe(Socket from, Socket to) {
      try {
        pipe(from.getInputStream(), to);
      } catch (IOException e) {
        cut();
      }
    }

    private void pipe(InputStream from, Socket to) {
      try {
        from.transferTo(to.getOutputStream());
      } catch (IOException e) {
        // Cut.
      } finally {
        cut();
      }
    }

    void serverToClient() {
      try {
        DataInputStream in = new DataInputStream(server.getInputStream());
        OutputStream toClient = client.getOutputStream();
        List<byte[][]> held = new ArrayList<>();
        while (true) {
          byte type = in.readByte();
          byte[] body = body(in);
          Rule r = awaitingReply;
          if (r == null) {
            writeMessage(toClient, type, body);
            continue;
          }
          // The answer to the matched message ends with its ReadyForQuery.
          held.add(new byte[][] {{type}, body});
          if (type != 'Z') {
            continue;
          }
          awaitingReply = null;
          r.hit.countDown();
          if (r.action == Action.CUT_AFTER_REPLY) {
            cut();
            return;
          }
          r.awaitRelease();
          for (byte[][] m : held) {
            writeMessage(toClient, m[0][0], m[1]);
          }
          held.clear();
        }
      } catch (IOException | InterruptedException e) {
        // Cut, or the server closed the connection.
      } finally {
        cut();
      }
    }

    void cut() {
      open.remove(this);
      closeQuietly(client);
      if (server != null) {
        closeQuietly(server);
      }
    }
  }

  private static byte[] body(DataInputStream in) throws IOException {
    int len = in.readInt();
    if (len < 4) {
      throw new EOFException("bad message length " + len);
    }
    byte[] body = new byte[len - 4];
    in.readFully(body);
    return body;
  }

  private static void writeMessage(OutputStream out, byte type, byte[] body) throws IOException {
    byte[] m = new byte[5 + body.length];
    m[0] = type;
    int len = body.length + 4;
    m[1] = (byte) (len >>> 24);
    m[2] = (byte) (len >>> 16);
    m[3] = (byte) (len >>> 8);
    m[4] = (byte) len;
    System.arraycopy(body, 0, m, 5, body.length);
    out.write(m);
    out.flush();
  }

  private static void writeInt(OutputStream out, int v) throws IOException {
    out.write(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // Already closed.
    }
  }
}
