package io.basalt.wire.server;

import io.basalt.wire.codec.BackendEncoder;
import io.basalt.wire.codec.ClientEncoding;
import io.basalt.wire.message.BackendMessage;
import io.basalt.wire.spi.BackendOutput;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A session's way to the client. Messages are encoded on the session's own thread into a buffer
 * that thread owns; {@link #flush()} hands the buffer to Netty and then, while the channel is above
 * its high water mark (the client is not reading), parks the session thread; the event loop
 * itself never waits here.
 *
 * <p>The buffer is unpooled heap memory on purpose: a session that stops writing after the
 * connection died simply drops it to the garbage collector, with no release to forget.
 *
 * <h2>Direct writes</h2>
 * Handing a buffer to Netty from the session thread means waking the connection's event loop,
 * a thread switch per answer that costs as much CPU as the rest of a small query's relaying.
 * Given the connection's JDK socket (plain TCP; never under TLS), {@link #flush()} therefore
 * first writes the buffer to the socket itself, without blocking, while nothing of this
 * session's is still queued in Netty. Whatever the kernel does not take goes to Netty as before,
 * and later buffers follow it through Netty until it is written, so the client sees the bytes in
 * order. The event loop's own writes after startup are its FATAL errors; it calls
 * {@link #eventLoopTakesOver()} first, which waits out a direct write in progress and puts an
 * unwritten rest ahead of the error, so a message is never cut by another.
 */
public final class ChannelBackendOutput implements BackendOutput {
  /** Above this many buffered bytes a write goes out without waiting for flush(). */
  static final int EARLY_WRITE_THRESHOLD = 64 * 1024;

  /** Re-check period while parked; covers a signal lost to a racing channel close. */
  private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  /** A buffer that grew past this is not kept for reuse after a direct write. */
  private static final int MAX_REUSED_CAPACITY = 16 * 1024;

  /** {@link #writeDirectly}: all written (or the connection failed, which closes it). */
  private static final int WRITTEN = 0;
  /** {@link #writeDirectly}: part written, the rest is on its way to Netty. */
  private static final int REST_QUEUED = 1;
  /** {@link #writeDirectly}: nothing written; the caller passes the buffer to Netty. */
  private static final int NOT_WRITTEN = 2;

  private final Channel channel;
  private final ClientEncoding encoding;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition writable = lock.newCondition();
  private ByteBuf buffer;

  /** The JDK socket for direct writes, or null: everything goes through Netty. */
  private final SocketChannel socket;
  /** Serialises direct writes with {@link #eventLoopTakesOver()}. */
  private final ReentrantLock directLock = new ReentrantLock();
  /** Buffers handed to Netty by this output and not yet written (or failed). */
  private final AtomicInteger queued = new AtomicInteger();
  /** Guarded by directLock: the rest of a partial direct write, on its way to Netty. */
  private ByteBuf rest;
  /** Guarded by directLock: set once the event loop writes on its own; never direct again. */
  private boolean directOff;
  /** An emptied buffer of a direct write, reused by the next write (session thread only). */
  private ByteBuf spare;
  private final ChannelFutureListener written = this::written;
  private volatile boolean sessionReads;
  /** {@link #closeWithError} was called: the connection closes once the error is written. */
  private volatile boolean closing;

  public ChannelBackendOutput(Channel channel, ClientEncoding encoding) {
    this(channel, encoding, null);
  }

  /**
   * @param socket the channel's JDK socket, written directly when possible; null to write only
   *     through Netty (required under TLS, whose handler must see every byte)
   */
  ChannelBackendOutput(Channel channel, ClientEncoding encoding, SocketChannel socket) {
    this.channel = channel;
    this.encoding = encoding;
    this.socket = socket;
  }

  @Override
  public void write(BackendMessage message) {
    if (!channel.isActive()) {
      buffer = null;
      return;
    }
    if (buffer == null) {
      buffer = spare != null ? spare : Unpooled.buffer(512);
      spare = null;
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
    if (socket != null) {
      int outcome = queued.get() == 0 ? writeDirectly(pending) : NOT_WRITTEN;
      if (outcome == WRITTEN) {
        if (pending.capacity() <= MAX_REUSED_CAPACITY) {
          spare = pending.clear();
        }
        return;
      }
      if (outcome == NOT_WRITTEN) {
        queued.incrementAndGet();
        channel.writeAndFlush(pending).addListener(written);
      }
    } else {
      channel.writeAndFlush(pending, channel.voidPromise());
    }
    awaitWritable();
  }

  /** Writes as much of {@code buf} as the socket takes now, without blocking. */
  private int writeDirectly(ByteBuf buf) {
    directLock.lock();
    try {
      // Bytes the event loop still holds for the client (its own, or ours) go first.
      ChannelOutboundBuffer netty = channel.unsafe().outboundBuffer();
      if (directOff || netty == null || netty.totalPendingWriteBytes() != 0) {
        return NOT_WRITTEN;
      }
      ByteBuffer nio = buf.nioBuffer();
      int total = nio.remaining();
      try {
        while (nio.hasRemaining() && socket.write(nio) > 0) {
          // the kernel takes more
        }
      } catch (IOException e) {
        // as Netty does on a failed write: the connection is closed, the bytes are lost
        channel.close();
        return WRITTEN;
      }
      if (!nio.hasRemaining()) {
        return WRITTEN;
      }
      if (nio.remaining() == total) {
        return NOT_WRITTEN;
      }
      // The client is not reading fast enough: the rest waits in Netty, ahead of anything else.
      buf.skipBytes(total - nio.remaining());
      rest = buf;
      queued.incrementAndGet();
      channel.eventLoop().execute(this::queueRest);
      return REST_QUEUED;
    } finally {
      directLock.unlock();
    }
  }

  /** On the event loop: passes a partial direct write's rest to Netty (unless already done). */
  private void queueRest() {
    ByteBuf r;
    directLock.lock();
    try {
      r = rest;
      rest = null;
    } finally {
      directLock.unlock();
    }
    if (r != null) {
      channel.writeAndFlush(r).addListener(written);
    }
  }

  /**
   * Called on the event loop before it writes to the client itself (a FATAL error): ends direct
   * writes, waiting for one in progress, and queues an unwritten rest first.
   */
  void eventLoopTakesOver() {
    if (socket == null) {
      return;
    }
    ByteBuf r;
    directLock.lock();
    try {
      directOff = true;
      r = rest;
      rest = null;
    } finally {
      directLock.unlock();
    }
    if (r != null) {
      channel.write(r).addListener(written);
    }
  }

  private void written(ChannelFuture future) {
    queued.decrementAndGet();
    if (!future.isSuccess()) {
      // what the void promise used otherwise would do
      channel.pipeline().fireExceptionCaught(future.cause());
    }
  }

  @Override
  public void clientCharset(Charset charset) {
    encoding.charset(charset);
  }

  @Override
  public void closeWithError(BackendMessage.ErrorResponse error) {
    closing = true;
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

  boolean closing() {
    return closing;
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

  @Override
  public void readFromClient(boolean on) {
    if (!sessionReads) {
      channel.config().setAutoRead(on);
    }
  }

  /**
   * The session reads the client's socket itself from now on ({@link DirectClientReader}):
   * Netty must never read it again, whatever {@link #readFromClient} is asked.
   */
  void sessionReads() {
    sessionReads = true;
  }
}
