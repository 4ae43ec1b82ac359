package io.basalt.executor.backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * A {@link Socket} over a Unix-domain socket, built on the JDK's own SocketChannel so blocking
 * reads park virtual threads instead of pinning carrier threads. pgjdbc only needs connect, the
 * two streams and close; the TCP options it sets are accepted and ignored. The streams go through
 * a {@link ParameterStatusFilter} and a {@link StartupPacketFilter}.
 */
final class UnixDomainSocket extends Socket {
  private final Path path;
  private SocketChannel channel;
  private InputStream in;
  private OutputStream out;
  private int soTimeout;
  private volatile boolean closed;

  UnixDomainSocket(Path path) {
    this.path = path;
  }

  @Override
  public void connect(SocketAddress ignored, int timeout) throws IOException {
    // The address pgjdbc passes is the nominal host:port; the socket file decides.
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      ch.connect(UnixDomainSocketAddress.of(path));
    } catch (IOException e) {
      ch.close();
      throw new java.net.ConnectException("could not connect to " + path + ": " + e.getMessage());
    }
    channel = ch;
    in = new ParameterStatusFilter(Channels.newInputStream(ch));
    out = new StartupPacketFilter(Channels.newOutputStream(ch));
  }

  @Override
  public void connect(SocketAddress endpoint) throws IOException {
    connect(endpoint, 0);
  }

  @Override
  public boolean isConnected() {
    return channel != null && channel.isConnected();
  }

  @Override
  public InputStream getInputStream() throws IOException {
    ensureOpen();
    return in;
  }

  @Override
  public OutputStream getOutputStream() throws IOException {
    ensureOpen();
    return out;
  }

  private void ensureOpen() throws SocketException {
    if (channel == null || closed) {
      throw new SocketException("socket is not connected");
    }
  }

  @Override
  public synchronized void close() throws IOException {
    closed = true;
    if (channel != null) {
      channel.close();
    }
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public void setTcpNoDelay(boolean on) {}

  @Override
  public void setKeepAlive(boolean on) {}

  @Override
  public void setReceiveBufferSize(int size) {}

  @Override
  public void setSendBufferSize(int size) {}

  @Override
  public int getSendBufferSize() {
    return 65536;
  }

  @Override
  public int getReceiveBufferSize() {
    return 65536;
  }

  @Override
  public void setSoTimeout(int timeout) {
    soTimeout = timeout;
  }

  @Override
  public int getSoTimeout() {
    return soTimeout;
  }

  @Override
  public void shutdownInput() throws IOException {
    if (channel != null) {
      channel.shutdownInput();
    }
  }

  @Override
  public void shutdownOutput() throws IOException {
    if (channel != null) {
      channel.shutdownOutput();
    }
  }

  @Override
  public String toString() {
    return "UnixDomainSocket[" + path + "]";
  }
}
