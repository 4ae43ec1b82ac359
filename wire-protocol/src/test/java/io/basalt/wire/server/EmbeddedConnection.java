package io.basalt.wire.server;

import io.basalt.wire.auth.PasswordExchanges;
import io.basalt.wire.testing.BackendFrames;
import io.basalt.wire.testing.BackendFrames.Frame;
import io.basalt.wire.testing.TestSessionFactory;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

/** The production pipeline on an EmbeddedChannel whose peer is 127.0.0.1. */
final class EmbeddedConnection {
  static final InetSocketAddress PEER;

  static {
    try {
      PEER = new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 54321);
    } catch (UnknownHostException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final EmbeddedChannel channel;

  EmbeddedConnection(WireConfig config, TestSessionFactory sessions, Optional<SslContext> ssl) {
    PgChannelInitializer initializer = new PgChannelInitializer(config, sessions, ssl,
        new PasswordExchanges(new SecureRandom()));
    channel = new EmbeddedChannel(initializer) {
      @Override
      protected SocketAddress remoteAddress0() {
        return PEER;
      }
    };
  }

  EmbeddedConnection(String hba, TestSessionFactory sessions) {
    this(WireConfig.defaults().withHba(HbaConfig.parse(hba)), sessions, Optional.empty());
  }

  /** Sends bytes and lets the event loop finish what the futures scheduled. */
  EmbeddedConnection send(ByteBuf... frames) {
    for (ByteBuf frame : frames) {
      channel.writeInbound(frame);
    }
    channel.runPendingTasks();
    return this;
  }

  ByteBuf output() {
    channel.runPendingTasks();
    return BackendFrames.drain(channel);
  }

  List<Frame> frames() {
    return BackendFrames.split(output());
  }

  boolean isOpen() {
    channel.runPendingTasks();
    return channel.isOpen();
  }
}
