package io.basalt.wire.server;

import io.basalt.wire.codec.Protocol;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the client-facing server.
 *
 * @param host address to listen on: an IP literal, a host name, or "*" for every interface
 *     (default 127.0.0.1)
 * @param port TCP port (default 5432); 0 picks a free port, which {@link PgServer#start()} returns
 * @param maxMessageSize cap on one typed message, length field included (default 1 GiB - 1, as
 *     PostgreSQL); startup packets have their own cap of 10 000 bytes
 * @param tls certificate and key; when absent SSLRequest is answered 'N'
 * @param hba who may connect and how they authenticate (default: loopback with SCRAM)
 * @param authenticationTimeout a connection that has not finished startup and authentication
 *     by then is closed, like PostgreSQL's authentication_timeout (default 60 s; zero disables)
 * @param eventLoopThreads I/O threads serving all connections; 0 means Netty's default of two
 *     per core
 */
public record WireConfig(String host, int port, int maxMessageSize, Optional<TlsConfig> tls,
    HbaConfig hba, Duration authenticationTimeout, int eventLoopThreads) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 5432;
  public static final Duration DEFAULT_AUTHENTICATION_TIMEOUT = Duration.ofSeconds(60);

  public WireConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(hba, "hba");
    Objects.requireNonNull(authenticationTimeout, "authenticationTimeout");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (maxMessageSize < 5) {
      throw new IllegalArgumentException("maxMessageSize too small: " + maxMessageSize);
    }
    if (authenticationTimeout.isNegative()) {
      throw new IllegalArgumentException("authenticationTimeout must not be negative");
    }
    if (eventLoopThreads < 0) {
      throw new IllegalArgumentException("eventLoopThreads must not be negative");
    }
  }

  public static WireConfig defaults() {
    return new WireConfig(DEFAULT_HOST, DEFAULT_PORT, Protocol.DEFAULT_MAX_MESSAGE_SIZE,
        Optional.empty(), HbaConfig.loopbackScram(), DEFAULT_AUTHENTICATION_TIMEOUT, 0);
  }

  public WireConfig withHost(String host) {
    return new WireConfig(host, port, maxMessageSize, tls, hba, authenticationTimeout,
        eventLoopThreads);
  }

  public WireConfig withPort(int port) {
    return new WireConfig(host, port, maxMessageSize, tls, hba, authenticationTimeout,
        eventLoopThreads);
  }

  public WireConfig withMaxMessageSize(int maxMessageSize) {
    return new WireConfig(host, port, maxMessageSize, tls, hba, authenticationTimeout,
        eventLoopThreads);
  }

  public WireConfig withTls(TlsConfig tls) {
    return new WireConfig(host, port, maxMessageSize, Optional.of(tls), hba,
        authenticationTimeout, eventLoopThreads);
  }

  public WireConfig withoutTls() {
    return new WireConfig(host, port, maxMessageSize, Optional.empty(), hba,
        authenticationTimeout, eventLoopThreads);
  }

  public WireConfig withHba(HbaConfig hba) {
    return new WireConfig(host, port, maxMessageSize, tls, hba, authenticationTimeout,
        eventLoopThreads);
  }

  public WireConfig withAuthenticationTimeout(Duration authenticationTimeout) {
    return new WireConfig(host, port, maxMessageSize, tls, hba, authenticationTimeout,
        eventLoopThreads);
  }

  public WireConfig withEventLoopThreads(int eventLoopThreads) {
    return new WireConfig(host, port, maxMessageSize, tls, hba, authenticationTimeout,
        eventLoopThreads);
  }
}
