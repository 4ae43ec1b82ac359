import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * The floor of any relaying coordinator on this machine (bench/relay-floor.sh): a proxy that
 * does nothing but copy bytes between a TCP client and a PostgreSQL server's Unix socket.
 * {@code threads}: two blocking threads per connection, one per direction, as Basalt's
 * sessions block; {@code loop}: one thread with a selector over every socket, as an event-loop
 * proxy (pgbouncer) works.
 *
 * <p>Usage: {@code java RelayFloor.java <threads|loop> <listen port> <server socket file>}
 */
public class RelayFloor {
  public static void main(String[] a) throws Exception {
    int port = Integer.parseInt(a[1]);
    Path server = Path.of(a[2]);
    if (a[0].equals("threads")) {
      try (ServerSocket ss = new ServerSocket()) {
        ss.bind(new InetSocketAddress("127.0.0.1", port));
        while (true) {
          Socket c = ss.accept();
          c.setTcpNoDelay(true);
          SocketChannel s = SocketChannel.open(UnixDomainSocketAddress.of(server));
          pump(c.getInputStream(), Channels.newOutputStream(s));
          pump(Channels.newInputStream(s), c.getOutputStream());
        }
      }
    }
    Selector sel = Selector.open();
    ServerSocketChannel ss = ServerSocketChannel.open();
    ss.bind(new InetSocketAddress("127.0.0.1", port));
    ss.configureBlocking(false);
    ss.register(sel, SelectionKey.OP_ACCEPT);
    ByteBuffer buf = ByteBuffer.allocateDirect(65536);
    while (true) {
      sel.select();
      for (SelectionKey k : sel.selectedKeys()) {
        if (!k.isValid()) {
          continue; // its pair was closed earlier in this round
        }
        if (k.isAcceptable()) {
          SocketChannel c = ss.accept();
          c.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
          c.configureBlocking(false);
          SocketChannel s = SocketChannel.open(StandardProtocolFamily.UNIX);
          s.connect(UnixDomainSocketAddress.of(server));
          s.configureBlocking(false);
          c.register(sel, SelectionKey.OP_READ, s);
          s.register(sel, SelectionKey.OP_READ, c);
          continue;
        }
        SocketChannel from = (SocketChannel) k.channel();
        SocketChannel to = (SocketChannel) k.attachment();
        try {
          buf.clear();
          if (from.read(buf) < 0) {
            throw new java.io.EOFException();
          }
          buf.flip();
          while (buf.hasRemaining()) {
            to.write(buf); // request-response traffic: the peer's buffer always has room
          }
        } catch (java.io.IOException e) {
          from.close(); // either side gone (a reset as well as an end): both go
          to.close();
        }
      }
      sel.selectedKeys().clear();
    }
  }

  static void pump(InputStream in, OutputStream out) {
    Thread.ofPlatform().start(() -> {
      byte[] b = new byte[65536];
      try {
        for (int n; (n = in.read(b)) > 0; ) {
          out.write(b, 0, n);
          out.flush();
        }
      } catch (Exception e) {
        // closed
      } finally {
        try {
          in.close();
          out.close();
        } catch (Exception e) {
          // closed
        }
      }
    });
  }
}
