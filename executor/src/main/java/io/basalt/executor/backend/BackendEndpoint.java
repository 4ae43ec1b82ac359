package io.basalt.executor.backend;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach one PostgreSQL server. With a socket file, connections use the Unix-domain socket
 * (the embedded default: the server trusts its private socket, so the coordinator connects as the
 * client's own role after authenticating the client itself). Otherwise TCP to host:port, with an
 * optional password for the connecting role.
 */
public record BackendEndpoint(String host, int port, Optional<Path> socketFile,
    Optional<String> password) {
  public BackendEndpoint {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(socketFile, "socketFile");
    Objects.requireNonNull(password, "password");
    if (port <= 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  public static BackendEndpoint unixSocket(Path socketFile, int port) {
    return new BackendEndpoint("localhost", port, Optional.of(socketFile), Optional.empty());
  }

  public static BackendEndpoint tcp(String host, int port, String password) {
    return new BackendEndpoint(host, port, Optional.empty(), Optional.ofNullable(password));
  }

  public String describe() {
    return socketFile.map(Path::toString).orElse(host + ":" + port);
  }
}
