package io.basalt.coordinator.catalog;

import io.basalt.executor.remote.RemoteConnection;
import io.basalt.metadata.catalog.MetadataSnapshot;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's current {@link MetadataSnapshot}. It is reloaded after every catalog change
 * Basalt makes itself, and whenever the catalog tables' triggers notify channel basalt_metadata
 * (a change committed by another session, or by hand), so every change is seen within
 * milliseconds. Swaps keep the highest version, so a slow reload never replaces a newer one.
 */
public final class MetadataCache implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetadataCache.class);

  private final Supplier<RemoteConnection> connect;
  private final AtomicReference<MetadataSnapshot> current =
      new AtomicReference<>(MetadataSnapshot.EMPTY);
  private final Thread listener;
  private volatile boolean closed;
  private RemoteConnection reader;
  private volatile RemoteConnection listening;
  /** Names of tables some session is distributing right now (see {@link #markPending}). */
  private final java.util.Set<String> pending = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.ConcurrentHashMap<String, Integer> pendingCounts =
      new java.util.concurrent.ConcurrentHashMap<>();

  public MetadataCache(Supplier<RemoteConnection> connect) {
    this.connect = connect;
    refresh();
    this.listener = Thread.ofVirtual().name("metadata-listener").start(this::listen);
  }

  public MetadataSnapshot current() {
    return current.get();
  }

  /**
   * Marks a table name as being distributed, from before its rows move until its session has
   * reloaded the snapshot after the commit (or rolled back): statements naming it are refused
   * meanwhile rather than read an emptied local table. Counted per mark, so two sessions
   * distributing tables of one name do not clear each other's.
   */
  public void markPending(String name) {
    pendingCounts.merge(name, 1, Integer::sum);
    pending.add(name);
  }

  public void unmarkPending(String name) {
    pendingCounts.computeIfPresent(name, (k, n) -> {
      if (n <= 1) {
        pending.remove(name);
        return null;
      }
      return n - 1;
    });
  }

  public boolean isPending(String name) {
    return !pending.isEmpty() && pending.contains(name);
  }

  public boolean hasPending() {
    return !pending.isEmpty();
  }

  /** Reads the committed catalog and installs it unless a newer snapshot is installed already. */
  public synchronized MetadataSnapshot refresh() {
    try {
      if (reader == null || reader.isClosed()) {
        reader = connect.get();
      }
      reader.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      MetadataSnapshot loaded;
      try {
        // A change is usually seen twice (its session reloads, then the NOTIFY arrives): the
        // second time only the version is read.
        MetadataSnapshot installed = current.get();
        long version = Long.parseLong(reader.queryValue(
            "SELECT version FROM pg_catalog.basalt_metadata_version"));
        if (version <= installed.version()) {
          return installed;
        }
        loaded = MetadataLoader.load(reader::query);
      } finally {
        reader.execute("COMMIT");
      }
      return current.accumulateAndGet(loaded,
          (old, fresh) -> fresh.version() >= old.version() ? fresh : old);
    } catch (RuntimeException e) {
      if (reader != null) {
        reader.close();
        reader = null;
      }
      throw e;
    }
  }

  private void listen() {
    while (!closed) {
      try (RemoteConnection c = connect.get()) {
        listening = c;
        c.execute("LISTEN basalt_metadata");
        refresh();
        while (!closed) {
          if (c.awaitNotifications(1000) > 0) {
            refresh();
          }
        }
      } catch (RuntimeException e) {
        if (!closed) {
          LOG.warn("metadata listener lost its connection; retrying: {}", e.getMessage());
          sleepQuietly();
        }
      }
    }
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    RemoteConnection l = listening;
    if (l != null) {
      l.close();
    }
    listener.interrupt();
    if (reader != null) {
      reader.close();
    }
  }
}
