package io.basalt.wire.server;

import io.netty.channel.Channel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.internal.SocketUtils;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Netty's NIO server channel, accepting {@link Child} channels: plain NIO socket channels that
 * also hand out their JDK socket, so a session thread can write its answers straight to the
 * kernel instead of waking the event loop for every ReadyForQuery ({@link ChannelBackendOutput}),
 * and read its client's messages itself ({@link DirectClientReader}).
 */
final class DirectWriteServerChannel extends NioServerSocketChannel {
  private static final Logger LOG = LoggerFactory.getLogger(DirectWriteServerChannel.class);

  @Override
  protected int doReadMessages(List<Object> buf) throws Exception {
    // as NioServerSocketChannel.doReadMessages, with our child class
    SocketChannel ch = SocketUtils.accept(javaChannel());
    try {
      if (ch != null) {
        buf.add(new Child(this, ch));
        return 1;
      }
    } catch (Throwable t) {
      LOG.warn("failed to create a channel for an accepted socket", t);
      try {
        ch.close();
      } catch (IOException e) {
        LOG.warn("failed to close a socket", e);
      }
    }
    return 0;
  }

  /** An accepted client connection whose JDK socket may be written from outside Netty. */
  static final class Child extends NioSocketChannel {
    Child(Channel parent, SocketChannel socket) {
      super(parent, socket);
    }

    /** The non-blocking JDK socket under this channel. */
    SocketChannel socket() {
      return javaChannel();
    }

    /**
     * Netty reads no more from this channel, not even a read its decoder asked for
     * ({@link DirectClientReader}); on the event loop.
     */
    void stopReading() {
      config().setAutoRead(false);
      clearReadPending();
    }
  }
}
