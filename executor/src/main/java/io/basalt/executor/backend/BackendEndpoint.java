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

  /**
   * pgjdbc connection properties for {@code user} on this endpoint: the password, the socket
   * factory (Unix socket or TCP; both filter pgjdbc's streams with StartupPacketFilter and
   * ParameterStatusFilter, which needs them free of SSL or GSS negotiation, so both are off).
   */
  public java.util.Properties jdbcProperties(String user) {
    java.util.Properties props = new java.util.Properties();
    props.setProperty("user", user);
    password.ifPresent(p -> props.setProperty("password", p));
    socketFile.ifPresentOrElse(f -> {
      props.setProperty("socketFactory", UnixDomainSocketFactory.class.getName());
      props.setProperty("socketFactoryArg", f.toString());
    }, () -> props.setProperty("socketFactory", TcpSocketFactory.class.getName()));
    props.setProperty("sslmode", "disable");
    props.setProperty("gssEncMode", "disable");
    props.setProperty("assumeMinServerVersion", "12");
    props.setProperty("tcpNoDelay", "true");
    return props;
  }

  /** The JDBC URL of {@code database} on this endpoint. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host + ":" + port + "/"
        + java.net.URLEncoder.encode(database, java.nio.charset.StandardCharsets.UTF_8)
            .replace("+", "%20");
  }

  public String describe() {
    return socketFile.map(Path::toString).orElse(host + ":" + port);
  }
}
