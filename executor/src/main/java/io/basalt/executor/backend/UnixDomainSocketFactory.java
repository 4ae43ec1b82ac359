package io.basalt.executor.backend;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import javax.net.SocketFactory;

/**
 * pgjdbc {@code socketFactory} for Unix-domain sockets; {@code socketFactoryArg} is the socket
 * file (e.g. /run/basalt/.s.PGSQL.5433). pgjdbc instantiates it by reflection.
 */
public final class UnixDomainSocketFactory extends SocketFactory {
  private final Path path;

  public UnixDomainSocketFactory(String socketFile) {
    this.path = Path.of(socketFile);
  }

  @Override
  public Socket createSocket() {
    return new UnixDomainSocket(path);
  }

  @Override
  public Socket createSocket(String host, int port) throws java.io.IOException {
    Socket s = createSocket();
    s.connect(null);
    return s;
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws java.io.IOException {
    return createSocket(host, port);
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws java.io.IOException {
    return createSocket("", port);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress,
      int localPort) throws java.io.IOException {
    return createSocket("", port);
  }
}
