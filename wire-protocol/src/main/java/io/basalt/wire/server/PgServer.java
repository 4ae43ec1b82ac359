package io.basalt.wire.server;

import io.basalt.wire.auth.PasswordExchanges;
import io.basalt.wire.spi.SessionFactory;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The PostgreSQL-protocol listener. A few event loop threads serve every connection, so an idle
 * client costs a socket and a few small objects, not a thread.
 *
 * <pre>{@code
 * PgServer server = new PgServer(WireConfig.defaults().withPort(5432), sessionFactory);
 * int port = server.start();   // binds; throws BindException if the port is taken
 * ...
 * server.close();              // closes every client connection, then the threads
 * }</pre>
 */
public final class PgServer implements AutoCloseable {
  /** Above this many unsent bytes a connection counts as not writable (backpressure). */
  static final int HIGH_WATER_MARK = 1024 * 1024;
  static final int LOW_WATER_MARK = 512 * 1024;

  private final WireConfig config;
  private final SessionFactory sessions;
  private EventLoopGroup acceptGroup;
  private EventLoopGroup ioGroup;
  private volatile ChannelGroup clients;
  private ClientWatch watch;
  private Channel serverChannel;
  private boolean closed;

  public PgServer(WireConfig config, SessionFactory sessions) {
    this.config = Objects.requireNonNull(config, "config");
    this.sessions = Objects.requireNonNull(sessions, "sessions");
  }

  /**
   * Binds and starts accepting clients.
   *
   * @return the bound port (useful when the configured port is 0)
   * @throws BindException "could not bind 127.0.0.1:5432: address already in use" and the like
   * @throws IOException when the TLS certificate or key cannot be loaded
   */
  public synchronized int start() throws IOException {
    if (serverChannel != null || closed) {
      throw new IllegalStateException(closed ? "server was closed" : "server already started");
    }
    Optional<SslContext> ssl = config.tls().isPresent()
        ? Optional.of(config.tls().get().newServerContext()) : Optional.empty();
    acceptGroup = new NioEventLoopGroup(1, new DefaultThreadFactory("basalt-wire-accept"));
    ioGroup = new NioEventLoopGroup(config.eventLoopThreads(),
        new DefaultThreadFactory("basalt-wire-io"));
    clients = new DefaultChannelGroup("basalt-wire-clients", acceptGroup.next());
    PgChannelInitializer pipeline =
        new PgChannelInitializer(config, sessions, ssl, new PasswordExchanges(new SecureRandom()));
    watch = pipeline.watch();
    watch.start(ioGroup);
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(acceptGroup, ioGroup)
        .channelFactory(DirectWriteServerChannel::new)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
            new WriteBufferWaterMark(LOW_WATER_MARK, HIGH_WATER_MARK))
        .childHandler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel channel) {
            clients.add(channel);
            channel.pipeline().addLast(pipeline);
          }
        });
    InetSocketAddress address = config.host().equals("*")
        ? new InetSocketAddress(config.port())
        : new InetSocketAddress(config.host(), config.port());
    try {
      serverChannel = bootstrap.bind(address).sync().channel();
    } catch (Exception e) {
      shutDownThreads();
      throw bindFailure(e);
    }
    return port();
  }

  private IOException bindFailure(Exception e) {
    String where = config.host() + ":" + config.port();
    String reason = e.getMessage() == null ? e.toString() : e.getMessage().toLowerCase(Locale.ROOT);
    IOException failure = e instanceof BindException
        ? new BindException("could not bind " + where + ": " + reason)
        : new IOException("could not bind " + where + ": " + reason);
    failure.initCause(e);
    return failure;
  }

  /** The bound port; only valid after {@link #start()}. */
  public synchronized int port() {
    return address().getPort();
  }

  public synchronized InetSocketAddress address() {
    if (serverChannel == null) {
      throw new IllegalStateException("server not started");
    }
    return (InetSocketAddress) serverChannel.localAddress();
  }

  /** Open client connections, at any stage. */
  public int connectionCount() {
    ChannelGroup group = clients;
    return group == null ? 0 : group.size();
  }

  /** Stops listening, closes every client connection (sessions see closed()), stops threads. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (serverChannel != null) {
      serverChannel.close().syncUninterruptibly();
    }
    if (clients != null) {
      clients.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    shutDownThreads();
  }

  private void shutDownThreads() {
    if (watch != null) {
      watch.stop();
    }
    for (EventLoopGroup group : new EventLoopGroup[] {ioGroup, acceptGroup}) {
      if (group != null) {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
      }
    }
  }
}
