package io.basalt.wire.server;

import io.basalt.wire.auth.PasswordExchanges;
import io.basalt.wire.codec.BackendMessageEncoder;
import io.basalt.wire.codec.ClientEncoding;
import io.basalt.wire.codec.FrontendDecoder;
import io.basalt.wire.spi.SessionFactory;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.SslContext;
import java.util.Optional;

/**
 * The pipeline of one client connection:
 * {@code [tls] → FrontendDecoder → BackendMessageEncoder → ConnectionHandler}. The TLS handler is
 * added in front only after the client asked for it with SSLRequest.
 */
public final class PgChannelInitializer extends ChannelInitializer<Channel> {
  private final WireConfig config;
  private final SessionFactory sessions;
  private final Optional<SslContext> sslContext;
  private final PasswordExchanges exchanges;
  private final ClientWatch watch = new ClientWatch();

  public PgChannelInitializer(WireConfig config, SessionFactory sessions,
      Optional<SslContext> sslContext, PasswordExchanges exchanges) {
    this.config = config;
    this.sessions = sessions;
    this.sslContext = sslContext;
    this.exchanges = exchanges;
  }

  @Override
  protected void initChannel(Channel channel) {
    ClientEncoding encoding = new ClientEncoding();
    channel.pipeline()
        .addLast("decoder",
            new FrontendDecoder(config.maxMessageSize(), encoding, sslContext.isPresent()))
        .addLast("encoder", new BackendMessageEncoder(encoding))
        .addLast("connection",
            new ConnectionHandler(config, sessions, sslContext, exchanges, encoding, watch));
  }

  /** Watches the clients whose sessions read for themselves; the server starts and stops it. */
  ClientWatch watch() {
    return watch;
  }
}
