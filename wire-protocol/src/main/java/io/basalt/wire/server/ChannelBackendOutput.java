package io.basalt.wire.server;

import io.basalt.wire.codec.BackendEncoder;
import io.basalt.wire.codec.ClientEncoding;
import io.basalt.wire.message.BackendMessage;
import io.basalt.wire.spi.BackendOutput;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.nio.charset.Charset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A session's way to the client. Messages are encoded on the session's own thread into a buffer
 * that thread owns; {@link #flush()} hands the buffer to Netty and then, while the channel is above
 * its high water mark (the client is not reading), parks the session thread. The thread is a
 * virtual thread, so parking costs nothing; the event loop itself never waits here.
 *
 * <p>The buffer is unpooled heap memory on purpose: a session that stops writing after the
 * connection died simply drops it to the garbage collector, with no release to forget.
 */
public final class ChannelBackendOutput implements BackendOutput {
  /** Above this many buffered bytes a write goes out without waiting for flush(). */
  static final int EARLY_WRITE_THRESHOLD = 64 * 1024;

  /** Re-check period while parked; covers a signal lost to a racing channel close. */
  private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private final Channel channel;
  private final ClientEncoding encoding;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition writable = lock.newCondition();
  private ByteBuf buffer;

  public ChannelBackendOutput(Channel channel, ClientEncoding encoding) {
    this.channel = channel;
    this.encoding = encoding;
  }

  @Override
  public void write(BackendMessage message) {
    if (!channel.isActive()) {
      buffer = null;
      return;
    }
    if (buffer == null) {
      buffer = Unpooled.buffer(512);
    }
    int start = buffer.writerIndex();
    try {
      BackendEncoder.encode(message, buffer, encoding.charset());
    } catch (RuntimeException e) {
      // a half-written message would desynchronise the client; drop it and report
      buffer.writerIndex(start);
      throw e;
    }
    if (buffer.readableBytes() >= EARLY_WRITE_THRESHOLD) {
      flush();
    }
  }

  @Override
  public void flush() {
    ByteBuf pending = buffer;
    buffer = null;
    if (pending == null || !pending.isReadable() || !channel.isActive()) {
      return;
    }
    channel.writeAndFlush(pending, channel.voidPromise());
    awaitWritable();
  }

  @Override
  public void clientCharset(Charset charset) {
    encoding.charset(charset);
  }

  @Override
  public void closeWithError(BackendMessage.ErrorResponse error) {
    ByteBuf pending = buffer == null ? Unpooled.buffer(256) : buffer;
    buffer = null;
    if (!channel.isActive()) {
      return;
    }
    if (error != null) {
      BackendEncoder.encode(error, pending, encoding.charset());
    }
    channel.writeAndFlush(pending).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public boolean isOpen() {
    return channel.isActive();
  }

  /** Called by the handler on the event loop when the channel crosses a water mark. */
  void writabilityChanged() {
    signal();
  }

  /** Called by the handler on the event loop when the connection is gone. */
  void channelClosed() {
    signal();
  }

  private void signal() {
    lock.lock();
    try {
      writable.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void awaitWritable() {
    if (channel.eventLoop().inEventLoop()) {
      // the event loop is what makes the channel writable again; it must never wait for itself
      return;
    }
    lock.lock();
    try {
      while (channel.isActive() && !channel.isWritable()) {
        writable.awaitNanos(PARK_NANOS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }
}
