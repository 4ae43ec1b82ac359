package io.basalt.coordinator.session;

import io.basalt.wire.message.FrontendMessage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A session's messages, in the order the client sent them: the connection's event loop adds,
 * the session's one thread takes, waiting while there is none.
 *
 * <p>Parse, Bind, Describe, Execute and Close do not wake a waiting session: it would only
 * gather them until Sync or Flush ({@link ExtendedQuery}), and a client's Bind, Describe,
 * Execute and Sync usually arrive together, so they cost one wake-up of the session's thread
 * instead of up to four. Every other message wakes it.
 */
final class Inbox {
  private final ConcurrentLinkedQueue<FrontendMessage> queue = new ConcurrentLinkedQueue<>();
  /** The session's thread while it waits (parks) for a message, else null. */
  private volatile Thread waiting;

  /** Adds a message; any thread. */
  void add(FrontendMessage m) {
    queue.add(m);
    if (wakes(m)) {
      Thread t = waiting;
      if (t != null) {
        LockSupport.unpark(t);
      }
    }
  }

  /** The next message, waiting for one; the session's thread only. */
  FrontendMessage take() throws InterruptedException {
    while (true) {
      FrontendMessage m = queue.poll();
      if (m != null) {
        return m;
      }
      waiting = Thread.currentThread();
      try {
        // Looked at again after announcing the wait: a message added meanwhile may have seen
        // no one waiting and woken no one.
        m = queue.poll();
        if (m != null) {
          return m;
        }
        LockSupport.park(this);
      } finally {
        waiting = null;
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }

  /**
   * The next message, waiting at most the given time; null if none came (the session's thread
   * only). Used for idle_in_transaction_session_timeout.
   */
  FrontendMessage poll(long timeout, java.util.concurrent.TimeUnit unit)
      throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (true) {
      FrontendMessage m = queue.poll();
      if (m != null) {
        return m;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      waiting = Thread.currentThread();
      try {
        m = queue.poll();
        if (m != null) {
          return m;
        }
        LockSupport.parkNanos(this, left);
      } finally {
        waiting = null;
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }

  private static boolean wakes(FrontendMessage m) {
    return !(m instanceof FrontendMessage.Parse || m instanceof FrontendMessage.Bind
        || m instanceof FrontendMessage.Describe || m instanceof FrontendMessage.Execute
        || m instanceof FrontendMessage.Close);
  }
}
