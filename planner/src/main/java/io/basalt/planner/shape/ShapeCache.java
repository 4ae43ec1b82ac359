package io.basalt.planner.shape;

import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A bounded cache from statement shape to what was made of it (an analysis, a plan), safe for
 * any number of threads, virtual ones included.
 *
 * <p>A hit is a {@link ConcurrentHashMap} lookup, a volatile read and a counter increment; it
 * takes no lock. A miss installs a pending entry with {@code putIfAbsent}, so one thread computes
 * a shape while others asking for it wait on a latch (parking, never pinning a carrier thread);
 * the computation runs outside any lock. A shape is computed again only after it was evicted or
 * the cache was {@linkplain #clear() cleared} while it was being computed.
 *
 * <p>Eviction is CLOCK (second chance), which approximates LRU without reordering anything on a
 * hit: a hit sets the entry's reference bit; to admit a new entry into a full cache the hand
 * sweeps the ring, clearing set bits, and evicts the first entry whose bit was clear. Only
 * admission and eviction take the lock, and they happen on misses, which parse and analyse
 * anyway.
 *
 * <p>A value must depend on the shape alone, never on its slots' values: the next statement of
 * the same shape gets the same value with different slots. Whatever else the value depends on
 * (the metadata snapshot, the search_path, parameter types) belongs in the key or calls for
 * {@link #clear()} when it changes.
 */
public final class ShapeCache<V> {
  public static final int DEFAULT_CAPACITY = 10_000;

  private final ConcurrentHashMap<StatementShape, Entry<V>> map;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder evictions = new LongAdder();

  private final ReentrantLock clockLock = new ReentrantLock();
  /** The admitted entries; guarded by clockLock. */
  private final Entry<?>[] clock;
  /** Guarded by clockLock. */
  private int hand;
  /** Slots of clock in use; written under clockLock, read without it by size(). */
  private volatile int filled;

  public ShapeCache() {
    this(DEFAULT_CAPACITY);
  }

  public ShapeCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("shape cache capacity must be at least 1: " + capacity);
    }
    this.map = new ConcurrentHashMap<>(Math.min(capacity, 1024));
    this.clock = new Entry<?>[capacity];
  }

  /** The value of a shape, or null when it is not cached (or still being computed). */
  public V get(StatementShape shape) {
    Entry<V> e = map.get(shape);
    V v = e == null ? null : e.value;
    if (v == null) {
      misses.increment();
      return null;
    }
    e.touch();
    hits.increment();
    return v;
  }

  /**
   * The value of a shape, computed by {@code analyse} if it is not cached. {@code analyse} gets
   * the caller's shape, slots included, and must not return null. If it throws, nothing is
   * cached and the exception reaches the caller and every thread waiting for the same shape.
   */
  public V computeIfAbsent(StatementShape shape,
      Function<? super StatementShape, ? extends V> analyse) {
    Entry<V> e = map.get(shape);
    if (e != null) {
      V v = e.value;
      if (v != null) {
        e.touch();
        hits.increment();
        return v;
      }
    } else {
      Entry<V> mine = new Entry<>(shape.withoutSlots());
      e = map.putIfAbsent(mine.key, mine);
      if (e == null) {
        return compute(mine, shape, analyse);
      }
    }
    V v = e.await();
    hits.increment();
    return v;
  }

  private V compute(Entry<V> mine, StatementShape shape,
      Function<? super StatementShape, ? extends V> analyse) {
    misses.increment();
    V v;
    try {
      v = Objects.requireNonNull(analyse.apply(shape), "a shape's value must not be null");
    } catch (Throwable failure) {
      // Throwable, so that even a sneakily thrown checked exception releases the waiters.
      map.remove(mine.key, mine);
      mine.fail(failure);
      throw failure;
    }
    mine.complete(v);
    admit(mine);
    return v;
  }

  /** Puts a computed entry on the clock, evicting one if the cache is full. */
  private void admit(Entry<V> e) {
    clockLock.lock();
    try {
      if (map.get(e.key) != e) {
        return; // cleared while it was being computed
      }
      if (filled < clock.length) {
        clock[filled] = e;
        filled = filled + 1;
        return;
      }
      int victim = sweep();
      Entry<?> old = clock[victim];
      map.remove(old.key, old);
      evictions.increment();
      clock[victim] = e;
      hand = (victim + 1) % clock.length;
    } finally {
      clockLock.unlock();
    }
  }

  /**
   * The slot to evict. One turn clears every reference bit, so the sweep ends within two turns
   * unless hits keep setting bits behind the hand; then it stops and takes where the hand is.
   */
  private int sweep() {
    for (int step = 0; step < 2 * clock.length; step++) {
      Entry<?> candidate = clock[hand];
      if (!candidate.referenced) {
        return hand;
      }
      candidate.referenced = false;
      hand = (hand + 1) % clock.length;
    }
    return hand;
  }

  /**
   * Drops every entry, for when what the values were computed from changed. A computation under
   * way finishes and answers the threads waiting for it, but its value is not kept.
   */
  public void clear() {
    clockLock.lock();
    try {
      map.clear();
      Arrays.fill(clock, null);
      filled = 0;
      hand = 0;
    } finally {
      clockLock.unlock();
    }
  }

  /** The number of cached values. */
  public int size() {
    return filled;
  }

  public int capacity() {
    return clock.length;
  }

  /** Lookups answered from the cache, including those that waited for another's computation. */
  public long hits() {
    return hits.sum();
  }

  /** Computations, plus {@link #get} calls that found nothing. */
  public long misses() {
    return misses.sum();
  }

  public long evictions() {
    return evictions.sum();
  }

  /** A shape's value, or the promise of one while its first thread computes it. */
  private static final class Entry<V> {
    final StatementShape key;
    /** Set once, then read without locking: a hit needs no more than this volatile read. */
    volatile V value;
    /** Read by the clock sweep and set by hits; a lost update only shifts eviction order. */
    volatile boolean referenced;
    private volatile Throwable failure;
    /** The computing thread until it is done, to refuse a computation that waits for itself. */
    private volatile Thread computer = Thread.currentThread();
    private final CountDownLatch done = new CountDownLatch(1);

    Entry(StatementShape key) {
      this.key = key;
    }

    /** Reads before writing, so hits on a hot shape do not keep writing a shared cache line. */
    void touch() {
      if (!referenced) {
        referenced = true;
      }
    }

    void complete(V v) {
      value = v;
      computer = null;
      done.countDown();
    }

    void fail(Throwable t) {
      failure = t;
      computer = null;
      done.countDown();
    }

    V await() {
      if (computer == Thread.currentThread()) {
        throw new IllegalStateException("a statement shape's analysis asked for its own result");
      }
      try {
        done.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw BasaltException.of(SqlState.QUERY_CANCELED,
            "canceling statement due to user request");
      }
      Throwable t = failure;
      if (t instanceof RuntimeException r) {
        throw r;
      }
      if (t instanceof Error err) {
        throw err;
      }
      if (t != null) {
        throw new IllegalStateException("the shape's analysis failed", t);
      }
      return value;
    }
  }
}
