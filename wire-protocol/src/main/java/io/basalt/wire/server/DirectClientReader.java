package io.basalt.wire.server;

import io.basalt.wire.codec.FrontendDecoder;
import io.basalt.wire.codec.ProtocolViolation;
import io.basalt.wire.message.FrontendMessage;
import io.basalt.wire.spi.ClientReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a plain-TCP client's socket on the session's own thread, after startup.
 *
 * <p>Why: when the event loop reads a message and hands it over, the session's thread must be
 * woken for it: per small query, the event loop's epoll_wait, read and futex wake, and the
 * session's futex wait, about a sixth of all CPU a point select costs through Basalt (perf,
 * docs/benchmarks.md). Here the session waits in epoll_wait on its own selector, which the
 * kernel wakes directly when the client's bytes arrive.
 *
 * <p>Netty keeps the channel (its writes, its close) but no longer reads it: the hand-over clears
 * its read interest and takes the bytes its decoder held back. The decoder object goes on
 * framing messages here.
 *
 * <p>While the session runs a statement nobody would read, so a client that went away would go
 * unnoticed until the statement ends. {@link ClientWatch} therefore looks at the socket of a
 * session busy for a while ({@link #watch}); finding it closed, it closes the channel, and the
 * session's {@code closed()} cancels the statement, as when the event loop was reading. It
 * reads at most 64 KiB ahead of the session: a client that pipelined more than that behind a
 * long statement and then left is noticed when the statement ends.
 */
final class DirectClientReader implements ClientReader {
  private static final Logger LOG = LoggerFactory.getLogger(DirectClientReader.class);
  /** A session busy for this long has its client's socket looked at. */
  static final long WATCH_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  /** The watch reads no more than this ahead of the session. */
  private static final int WATCH_READ_LIMIT = 64 * 1024;
  private static final int INITIAL_CAPACITY = 8 * 1024;
  /** Reads start at 8 KiB and double while they fill up (a COPY), up to this. */
  private static final int MAX_READ_CHUNK = 128 * 1024;
  /** A buffer grown past this (a big message) is replaced once it is empty again. */
  private static final int MAX_KEPT_CAPACITY = 256 * 1024;
  private static final long NOT_BUSY = Long.MIN_VALUE;

  private final DirectWriteServerChannel.Child channel;
  private final SocketChannel socket;
  private final FrontendDecoder decoder;
  private final ChannelBackendOutput output;
  private final ClientWatch watch;
  /** Messages the event loop decoded before the hand-over; they come first. */
  private final ArrayDeque<FrontendMessage> early;
  /** Held while reading or decoding, by the session or the watch; never while waiting. */
  private final ReentrantLock lock = new ReentrantLock();
  private ByteBuf buffer;
  private int readChunk = INITIAL_CAPACITY;
  private volatile Selector selector;
  /**
   * When the session was handed the message it is busy with (it has not asked for the next one
   * yet); {@link #NOT_BUSY} while it reads or waits.
   */
  private volatile long busySince = NOT_BUSY;
  private volatile boolean closed;
  /** The session has been given its Terminate. */
  private boolean ended;

  private DirectClientReader(DirectWriteServerChannel.Child channel, FrontendDecoder decoder,
      ChannelBackendOutput output, ClientWatch watch, Collection<FrontendMessage> early) {
    this.channel = channel;
    this.socket = channel.socket();
    this.decoder = decoder;
    this.output = output;
    this.watch = watch;
    this.early = new ArrayDeque<>(early);
    this.buffer = Unpooled.directBuffer(INITIAL_CAPACITY);
  }

  /**
   * Takes reading over from Netty; on the channel's event loop, with auto-read off.
   *
   * @param early messages decoded but not delivered yet, in order
   */
  static DirectClientReader takeOver(DirectWriteServerChannel.Child channel,
      FrontendDecoder decoder, ChannelBackendOutput output, ClientWatch watch,
      Collection<FrontendMessage> early) {
    channel.stopReading();
    output.sessionReads();
    DirectClientReader reader = new DirectClientReader(channel, decoder, output, watch, early);
    decoder.handOver(reader.buffer);
    channel.pipeline().remove(decoder);
    watch.add(reader);
    return reader;
  }

  @Override
  public FrontendMessage read(long timeoutMillis) throws InterruptedException {
    long deadline = timeoutMillis > 0 ? System.nanoTime() + timeoutMillis * 1_000_000 : 0;
    lock.lock();
    try {
      busySince = NOT_BUSY;
      while (true) {
        if (closed || ended) {
          return end();
        }
        FrontendMessage message = next();
        if (message != null) {
          return handOut(message);
        }
        int n = fill();
        if (n < 0) {
          return end();
        }
        if (n == 0 && !await(deadline)) {
          return null;
        }
      }
    } catch (ProtocolViolation e) {
      LOG.debug("protocol violation from {}: {}", channel.remoteAddress(), e.getMessage());
      // closes the channel once the error is written
      output.closeWithError(e.toErrorResponse());
      return end(false);
    } catch (IOException | ClosedSelectorException e) {
      LOG.debug("connection from {} failed: {}", channel.remoteAddress(), e.toString());
      return end();
    } catch (RuntimeException | Error e) {
      // e.g. no direct memory left for a huge message: the event loop used to close the
      // connection then; here nobody else would
      end();
      throw e;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      end(!output.closing());
    } finally {
      lock.unlock();
    }
  }

  private FrontendMessage next() {
    FrontendMessage message = early.poll();
    if (message == null) {
      message = decoder.decodeOne(buffer);
    }
    if (message instanceof FrontendMessage.PasswordData) {
      throw ConnectionHandler.passwordOutsideExchange();
    }
    return message;
  }

  private FrontendMessage handOut(FrontendMessage message) {
    if (message instanceof FrontendMessage.Terminate) {
      end();
      return message;
    }
    busySince = System.nanoTime();
    return message;
  }

  /** Reads what the socket has, without waiting: bytes read, or -1 at the end of the stream. */
  private int fill() throws IOException {
    if (!buffer.isReadable() && buffer.capacity() > MAX_KEPT_CAPACITY) {
      buffer.release();
      buffer = Unpooled.directBuffer(INITIAL_CAPACITY);
      readChunk = INITIAL_CAPACITY;
    }
    buffer.discardSomeReadBytes();
    buffer.ensureWritable(readChunk);
    int room = buffer.writableBytes();
    int n = buffer.writeBytes(socket, room);
    if (n == room && readChunk < MAX_READ_CHUNK) {
      readChunk *= 2;
    }
    return n;
  }

  /**
   * Waits, without the lock, until the socket is readable, the deadline (0: none) passes or the
   * connection closes; false if the deadline passed.
   */
  private boolean await(long deadline) throws IOException, InterruptedException {
    long timeout = 0;
    if (deadline != 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      timeout = Math.max(1, TimeUnit.NANOSECONDS.toMillis(left));
    }
    Selector s = selector;
    if (s == null) {
      s = Selector.open();
      try {
        socket.register(s, SelectionKey.OP_READ);
      } catch (IOException | RuntimeException e) {
        s.close();
        throw e;
      }
      selector = s;
    }
    if (closed) {
      // channelClosed() may have looked for the selector just before it was there
      return true;
    }
    lock.unlock();
    try {
      s.select(key -> { }, timeout);
    } finally {
      lock.lock();
    }
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    return true;
  }

  /** Ends reading: the session gets Terminate from now on and the connection closes. */
  private FrontendMessage end() {
    return end(true);
  }

  private FrontendMessage end(boolean close) {
    if (!ended) {
      ended = true;
      busySince = NOT_BUSY;
      release();
      if (close) {
        channel.close();
      }
    }
    return new FrontendMessage.Terminate();
  }

  /** Frees the selector and the buffer; with the lock held. */
  private void release() {
    watch.remove(this);
    Selector s = selector;
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        LOG.debug("closing a selector failed", e);
      }
    }
    if (buffer != null) {
      buffer.release();
      buffer = Unpooled.EMPTY_BUFFER;
    }
  }

  /**
   * The channel closed (event loop): a waiting session wakes up to its Terminate. If the session
   * is not reading now, what the reader holds is freed here, in case it never reads again.
   */
  void channelClosed() {
    closed = true;
    Selector s = selector;
    if (s != null) {
      s.wakeup();
    }
    if (lock.tryLock()) {
      try {
        if (!ended) {
          ended = true;
          release();
        }
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * Called by {@link ClientWatch} from its own thread: if the session has been busy with a
   * message for a while, reads what the client sent since (kept for the session), which shows
   * whether the client closed the connection; if it did, closes the channel.
   */
  void watch(long now) {
    long since = busySince;
    if (since == NOT_BUSY || closed || now - since < WATCH_AFTER_NANOS || !lock.tryLock()) {
      return;
    }
    try {
      if (busySince == NOT_BUSY || ended || buffer.readableBytes() >= WATCH_READ_LIMIT) {
        return;
      }
      if (fill() < 0) {
        LOG.debug("client {} closed its connection while its session was busy",
            channel.remoteAddress());
        channel.close();
      }
    } catch (IOException e) {
      channel.close();
    } finally {
      if (closed && !ended) {
        // channelClosed() found the lock taken by this watch: its clean-up falls to us
        ended = true;
        release();
      }
      lock.unlock();
    }
  }
}
