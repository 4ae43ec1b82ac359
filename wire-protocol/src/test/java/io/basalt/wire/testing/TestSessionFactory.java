package io.basalt.wire.testing;

import io.basalt.wire.message.FrontendMessage;
import io.basalt.wire.spi.BackendOutput;
import io.basalt.wire.spi.ClientInfo;
import io.basalt.wire.spi.ClientSession;
import io.basalt.wire.spi.SessionFactory;
import io.basalt.wire.spi.WireError;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Stands in for the coordinator: roles with stored passwords, sessions that answer every query
 * with one fixed row, and a record of what happened, for assertions.
 */
public final class TestSessionFactory implements SessionFactory {
  private final Map<String, String> storedPasswords = new ConcurrentHashMap<>();
  private final boolean answerOnVirtualThread;
  private final boolean readsItself;
  private final AtomicInteger nextPid = new AtomicInteger(1000);
  private final List<TestSession> sessions = new CopyOnWriteArrayList<>();
  private final List<int[]> cancels = new CopyOnWriteArrayList<>();
  private final AtomicReference<WireError> openFailure = new AtomicReference<>();
  private final AtomicReference<CompletableFuture<Optional<String>>> passwordGate =
      new AtomicReference<>();

  /**
   * @param answerOnVirtualThread true to answer from a virtual thread per session, as the
   *     coordinator does; false to answer inside handle(), which EmbeddedChannel tests need
   */
  public TestSessionFactory(boolean answerOnVirtualThread) {
    this(answerOnVirtualThread, false);
  }

  /**
   * @param readsItself true for sessions that read their client's messages on a thread of their
   *     own ({@link io.basalt.wire.spi.ClientReader}), as the coordinator's do on plain TCP
   */
  public TestSessionFactory(boolean answerOnVirtualThread, boolean readsItself) {
    this.answerOnVirtualThread = answerOnVirtualThread;
    this.readsItself = readsItself;
  }

  public TestSessionFactory withRole(String role, String storedPassword) {
    storedPasswords.put(role, storedPassword);
    return this;
  }

  /** Makes open() fail with this error. */
  public void failOpenWith(WireError error) {
    openFailure.set(error);
  }

  /** Makes the next storedPassword() return this future, to test waiting for the coordinator. */
  public void gatePasswordLookUp(CompletableFuture<Optional<String>> gate) {
    passwordGate.set(gate);
  }

  @Override
  public CompletableFuture<Optional<String>> storedPassword(String role) {
    CompletableFuture<Optional<String>> gate = passwordGate.getAndSet(null);
    if (gate != null) {
      return gate;
    }
    return CompletableFuture.completedFuture(Optional.ofNullable(storedPasswords.get(role)));
  }

  @Override
  public CompletableFuture<ClientSession> open(FrontendMessage.Startup startup, ClientInfo client,
      BackendOutput output) {
    WireError failure = openFailure.get();
    if (failure != null) {
      return CompletableFuture.failedFuture(failure);
    }
    TestSession session = new TestSession(startup, client, output, nextPid.incrementAndGet(),
        answerOnVirtualThread, readsItself);
    sessions.add(session);
    return CompletableFuture.completedFuture(session);
  }

  @Override
  public void cancel(int processId, int secretKey) {
    cancels.add(new int[] {processId, secretKey});
  }

  public List<TestSession> sessions() {
    return sessions;
  }

  public TestSession onlySession() {
    if (sessions.size() != 1) {
      throw new AssertionError("expected one session, got " + sessions.size());
    }
    return sessions.get(0);
  }

  public List<int[]> cancels() {
    return cancels;
  }
}
