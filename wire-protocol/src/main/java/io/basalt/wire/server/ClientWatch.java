package io.basalt.wire.server;

import io.netty.channel.EventLoopGroup;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks, ten times a second, at the sockets of the clients whose sessions read for themselves
 * and have been busy for a while ({@link DirectClientReader#watch}), so that a client that goes
 * away in the middle of a long statement has it cancelled, as the event loop noticed it when it
 * was reading every connection. A session reading (waiting for its client) is not looked at.
 */
final class ClientWatch {
  private static final Logger LOG = LoggerFactory.getLogger(ClientWatch.class);
  private static final long PERIOD_MILLIS = 100;

  private final Set<DirectClientReader> readers = ConcurrentHashMap.newKeySet();
  private ScheduledFuture<?> task;

  /** Starts looking, on one of the group's threads. */
  synchronized void start(EventLoopGroup group) {
    if (task == null) {
      task = group.next().scheduleAtFixedRate(this::look, PERIOD_MILLIS, PERIOD_MILLIS,
          TimeUnit.MILLISECONDS);
    }
  }

  synchronized void stop() {
    if (task != null) {
      task.cancel(false);
      task = null;
    }
  }

  void add(DirectClientReader reader) {
    readers.add(reader);
  }

  void remove(DirectClientReader reader) {
    readers.remove(reader);
  }

  int size() {
    return readers.size();
  }

  private void look() {
    long now = System.nanoTime();
    for (DirectClientReader reader : readers) {
      try {
        reader.watch(now);
      } catch (RuntimeException | Error e) {
        // an exception would end this periodic task, and the watch with it
        LOG.warn("watching a client connection failed", e);
      }
    }
  }
}
