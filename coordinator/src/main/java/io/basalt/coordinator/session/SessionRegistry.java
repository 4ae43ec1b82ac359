package io.basalt.coordinator.session;

import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Live sessions by process id, for CancelRequest. Process ids are Basalt's own (they do not
 * name a PostgreSQL backend); secret keys are random so a cancel cannot be forged by guessing.
 */
public final class SessionRegistry {
  private final Map<Integer, CoordinatorSession> sessions = new ConcurrentHashMap<>();
  private final AtomicInteger nextPid = new AtomicInteger(1000);
  private final SecureRandom random = new SecureRandom();

  int allocatePid() {
    return nextPid.getAndUpdate(p -> p == Integer.MAX_VALUE ? 1000 : p + 1);
  }

  int newSecret() {
    return random.nextInt();
  }

  void register(CoordinatorSession s) {
    sessions.put(s.processId(), s);
  }

  void unregister(CoordinatorSession s) {
    sessions.remove(s.processId(), s);
  }

  /** Cancels the session's running statement when pid and secret match; otherwise nothing. */
  public void cancel(int pid, int secret) {
    CoordinatorSession s = sessions.get(pid);
    if (s != null && s.secretKey() == secret) {
      s.cancelRunning();
    }
  }

  public int size() {
    return sessions.size();
  }
}
