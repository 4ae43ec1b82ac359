package io.basalt.coordinator.dist;

import io.basalt.executor.remote.RemoteConnection;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Running COPY commands and how far they are, published about once a second into
 * basalt_internal.copy_progress (read through the view pg_catalog.basalt_stat_progress_copy) by
 * {@link #publish}. Sessions only bump counters here; nothing waits on the database.
 */
public final class CopyProgress {
  private final Map<Integer, Entry> running = new ConcurrentHashMap<>();
  private final Set<Integer> ended = ConcurrentHashMap.newKeySet();

  /** One COPY's counters, updated by its session's thread. */
  public static final class Entry {
    private final int pid;
    private final long relid;
    private final String command;
    private final String type;
    private final Instant started = Instant.now();
    private volatile long bytes;
    private volatile long tuples;

    private Entry(int pid, long relid, String command, String type) {
      this.pid = pid;
      this.relid = relid;
      this.command = command;
      this.type = type;
    }

    /** The counts so far; the owner counts locally and reports now and then. */
    public void set(long bytesSoFar, long tuplesSoFar) {
      bytes = bytesSoFar;
      tuples = tuplesSoFar;
    }
  }

  /** A COPY starts: {@code command} "COPY FROM" or "COPY TO", {@code type} "PIPE" here. */
  public Entry start(int pid, long relid, String command) {
    Entry e = new Entry(pid, relid, command, "PIPE");
    ended.remove(pid);
    running.put(pid, e);
    return e;
  }

  public void end(Entry e) {
    if (running.remove(e.pid, e)) {
      ended.add(e.pid);
    }
  }

  boolean idle() {
    return running.isEmpty() && ended.isEmpty();
  }

  /** Writes the running COPYs' rows and removes the ended ones'. */
  void publish(RemoteConnection admin) {
    StringBuilder sql = new StringBuilder();
    for (Integer pid : ended) {
      if (!running.containsKey(pid)) {
        sql.append("DELETE FROM basalt_internal.copy_progress WHERE pid = ").append(pid)
            .append(";");
      }
      ended.remove(pid);
    }
    for (Entry e : running.values()) {
      sql.append("INSERT INTO basalt_internal.copy_progress VALUES (").append(e.pid).append(", ")
          .append(e.relid).append(", ").append(Sql.literal(e.command)).append(", ")
          .append(Sql.literal(e.type)).append(", ").append(e.bytes).append(", ")
          .append(e.tuples).append(", ").append(Sql.literal(e.started.toString()))
          .append(", now()) ON CONFLICT (pid) DO UPDATE SET relid = excluded.relid,"
              + " command = excluded.command, bytes_processed = excluded.bytes_processed,"
              + " tuples_processed = excluded.tuples_processed,"
              + " started_at = excluded.started_at, updated_at = now();");
    }
    if (!sql.isEmpty()) {
      admin.execute(sql.toString());
    }
  }
}
