package io.basalt.wire.server;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * PEM files for TLS, like PostgreSQL's ssl_cert_file and ssl_key_file. The key must be an
 * unencrypted PKCS#8 key ("BEGIN PRIVATE KEY"), which {@code openssl req -nodes} writes.
 */
public record TlsConfig(Path certChain, Path privateKey) {

  public TlsConfig {
    Objects.requireNonNull(certChain, "certChain");
    Objects.requireNonNull(privateKey, "privateKey");
  }

  /** Builds the server context with the JDK's TLS; TLS 1.2 is the floor, as in PostgreSQL. */
  public SslContext newServerContext() throws SSLException {
    for (Path file : new Path[] {certChain, privateKey}) {
      if (!Files.isReadable(file)) {
        throw new SSLException("TLS file is missing or unreadable: " + file);
      }
    }
    try {
      return SslContextBuilder.forServer(certChain.toFile(), privateKey.toFile())
          .sslProvider(SslProvider.JDK)
          .protocols("TLSv1.3", "TLSv1.2")
          .build();
    } catch (IllegalArgumentException e) {
      throw new SSLException("could not load TLS certificate " + certChain + " and key "
          + privateKey + ": " + e.getMessage(), e);
    }
  }
}
