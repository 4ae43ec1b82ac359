package io.basalt.coordinator.session;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What kind of thread runs a session: a platform thread, unless the system property
 * {@code basalt.sessionThreads=virtual} (or the environment variable
 * {@code BASALT_SESSION_THREADS=virtual}) asks for virtual threads.
 *
 * <p>Measured with pgbench -S (docs/benchmarks.md): a session thread blocks on its backend
 * socket once per statement. A platform thread blocks in the kernel and is woken directly when
 * PostgreSQL answers; a virtual thread parks, and the JDK's poller thread wakes, sees the socket
 * ready and hands the virtual thread back to a carrier thread: two more thread switches per
 * statement, a quarter of the CPU Basalt spent on a small query. Every session holds a backend
 * connection, that is a PostgreSQL server process, so an OS thread more per session is small by
 * comparison.
 *
 * <p>The backend connection must also be opened on a platform thread ({@link #opener()}): a
 * socket a virtual thread has used is switched to non-blocking mode for good, and a platform
 * thread then waits on it with poll(2) and an extra read(2).
 */
public final class SessionThreads {
  private static final boolean VIRTUAL = "virtual".equals(System.getProperty(
      "basalt.sessionThreads", System.getenv().getOrDefault("BASALT_SESSION_THREADS", "")));

  /**
   * Whether a session on a platform thread reads its client's socket itself (plain TCP), unless
   * {@code basalt.sessionReadsClient=false} (or {@code BASALT_SESSION_READS_CLIENT=false}): it
   * then waits for the client in the kernel too, instead of being woken by the event loop
   * (io.basalt.wire.server.DirectClientReader).
   */
  private static final boolean READS_CLIENT = !VIRTUAL && !"false".equals(System.getProperty(
      "basalt.sessionReadsClient", System.getenv().getOrDefault("BASALT_SESSION_READS_CLIENT",
          "")));

  private SessionThreads() {}

  /** Whether sessions read their clients' sockets themselves. */
  static boolean readClient() {
    return READS_CLIENT;
  }

  /** Creates (unstarted) the thread that runs a session. */
  static Thread newThread(String name, Runnable task) {
    return VIRTUAL ? Thread.ofVirtual().name(name).unstarted(task)
        : Thread.ofPlatform().daemon().name(name).unstarted(task);
  }

  /** Runs the blocking work of opening sessions (the backend connection's start-up). */
  public static ExecutorService opener() {
    return VIRTUAL ? Executors.newVirtualThreadPerTaskExecutor()
        : Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("basalt-session-open-", 0).factory());
  }
}
