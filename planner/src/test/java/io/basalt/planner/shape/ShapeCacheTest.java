package io.basalt.planner.shape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ShapeCacheTest {

  private static StatementShape shape(String sql) {
    return Shapes.of(sql);
  }

  @Test
  void aShapeIsAnalysedOnceForAllItsLiterals() {
    ShapeCache<String> cache = new ShapeCache<>();
    List<String> analysed = new ArrayList<>();
    Function<StatementShape, String> analyse = s -> {
      analysed.add(s.slots().get(0).text());
      return "plan of " + s;
    };
    String first = cache.computeIfAbsent(shape("SELECT * FROM t WHERE id = 1"), analyse);
    String second = cache.computeIfAbsent(shape("select * from t where id = 42"), analyse);
    assertSame(first, second);
    // The analysis saw the first statement's slots.
    assertEquals(List.of("1"), analysed);
    assertEquals(1, cache.misses());
    assertEquals(1, cache.hits());
    assertEquals(1, cache.size());
  }

  @Test
  void getCountsHitsAndMisses() {
    ShapeCache<Integer> cache = new ShapeCache<>(10);
    assertNull(cache.get(shape("SELECT 1")));
    cache.computeIfAbsent(shape("SELECT 1"), s -> 7);
    assertEquals(7, cache.get(shape("SELECT 2")));
    assertEquals(7, cache.get(shape("SELECT 3")));
    assertNull(cache.get(shape("SELECT 'x'")));
    assertEquals(2, cache.hits());
    assertEquals(3, cache.misses());
  }

  @Test
  void theCacheKeepsNoSlotValues() {
    ShapeCache<String> cache = new ShapeCache<>(10);
    List<StatementShape> seen = new ArrayList<>();
    cache.computeIfAbsent(shape("SELECT 'big literal'"), s -> {
      seen.add(s);
      return "v";
    });
    assertEquals(1, seen.get(0).slots().size());
    // What the map holds is a key without slots; it is equal to any statement of the shape.
    assertEquals("v", cache.get(shape("SELECT 'other'")));
  }

  @Test
  void evictsAtCapacityGivingReferencedEntriesASecondChance() {
    ShapeCache<String> cache = new ShapeCache<>(3);
    cache.computeIfAbsent(shape("SELECT a"), s -> "a");
    cache.computeIfAbsent(shape("SELECT b"), s -> "b");
    cache.computeIfAbsent(shape("SELECT c"), s -> "c");
    assertEquals(3, cache.size());
    assertEquals("a", cache.get(shape("SELECT a")));
    cache.computeIfAbsent(shape("SELECT d"), s -> "d");
    assertEquals(3, cache.size());
    assertEquals(1, cache.evictions());
    assertEquals("a", cache.get(shape("SELECT a")));
    assertNull(cache.get(shape("SELECT b")));
    assertEquals("c", cache.get(shape("SELECT c")));
    assertEquals("d", cache.get(shape("SELECT d")));
  }

  @Test
  void staysWithinCapacityUnderManyShapes() {
    ShapeCache<Integer> cache = new ShapeCache<>(100);
    for (int i = 0; i < 1000; i++) {
      int n = i;
      cache.computeIfAbsent(shape("SELECT c" + i + " FROM t WHERE a = 1"), s -> n);
      assertTrue(cache.size() <= 100);
    }
    assertEquals(100, cache.size());
    assertEquals(900, cache.evictions());
    assertEquals(999, cache.computeIfAbsent(shape("SELECT c999 FROM t WHERE a = 5"), s -> -1));
  }

  @Test
  void concurrentThreadsComputeEachShapeOnce() throws Exception {
    ShapeCache<String> cache = new ShapeCache<>(1000);
    int shapes = 50;
    int threads = 200;
    Map<StatementShape, AtomicInteger> computed = new ConcurrentHashMap<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < shapes; i++) {
            int k = (i + thread) % shapes;
            StatementShape s = shape("SELECT c" + k + " FROM t WHERE id = " + thread);
            String v = cache.computeIfAbsent(s, x -> {
              computed.computeIfAbsent(x.withoutSlots(), y -> new AtomicInteger())
                  .incrementAndGet();
              Thread.yield();
              return "plan " + k;
            });
            assertEquals("plan " + k, v);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get();
      }
    }
    assertEquals(shapes, computed.size());
    computed.values().forEach(n -> assertEquals(1, n.get()));
    assertEquals(shapes, cache.misses());
    assertEquals((long) shapes * threads - shapes, cache.hits());
    assertEquals(shapes, cache.size());
  }

  @Test
  void waitersGetTheComputedValue() throws Exception {
    ShapeCache<String> cache = new ShapeCache<>(10);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<String> first = new CompletableFuture<>();
    Thread computer = run(first, () -> cache.computeIfAbsent(shape("SELECT 1"), s -> {
      await(release);
      return "one";
    }));
    awaitParked(computer);
    CompletableFuture<String> second = new CompletableFuture<>();
    awaitParked(run(second,
        () -> cache.computeIfAbsent(shape("SELECT 2"), s -> "computed twice")));
    assertNull(cache.get(shape("SELECT 3")), "a pending entry is not a value");
    release.countDown();
    assertEquals("one", first.get());
    assertEquals("one", second.get());
    assertEquals(2, cache.misses(), "one computation and one get");
    assertEquals(1, cache.hits());
  }

  @Test
  void aFailedAnalysisIsNotCachedAndReachesTheWaiters() throws Exception {
    ShapeCache<String> cache = new ShapeCache<>(10);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<String> first = new CompletableFuture<>();
    Thread computer = run(first, () -> cache.computeIfAbsent(shape("SELECT 1"), s -> {
      await(release);
      throw new IllegalArgumentException("syntax error");
    }));
    awaitParked(computer);
    CompletableFuture<String> waiter = new CompletableFuture<>();
    awaitParked(run(waiter, () -> cache.computeIfAbsent(shape("SELECT 2"), s -> "not called")));
    release.countDown();
    ExecutionException a = assertThrows(ExecutionException.class, first::get);
    ExecutionException b = assertThrows(ExecutionException.class, waiter::get);
    assertEquals("syntax error", a.getCause().getMessage());
    assertSame(a.getCause(), b.getCause());
    assertEquals(0, cache.size());
    assertEquals("ok", cache.computeIfAbsent(shape("SELECT 3"), s -> "ok"));
  }

  @Test
  void nullValuesAndRecursionAreRefused() {
    ShapeCache<String> cache = new ShapeCache<>(10);
    assertThrows(NullPointerException.class,
        () -> cache.computeIfAbsent(shape("SELECT 1"), s -> null));
    assertEquals(0, cache.size());
    assertThrows(IllegalStateException.class, () -> cache.computeIfAbsent(shape("SELECT 1"),
        s -> cache.computeIfAbsent(shape("SELECT 2"), t -> "inner")));
    assertEquals(0, cache.size());
  }

  @Test
  void clearDropsEverything() {
    ShapeCache<String> cache = new ShapeCache<>(10);
    cache.computeIfAbsent(shape("SELECT a"), s -> "a");
    cache.computeIfAbsent(shape("SELECT b"), s -> "b");
    cache.clear();
    assertEquals(0, cache.size());
    assertNull(cache.get(shape("SELECT a")));
    assertEquals("a2", cache.computeIfAbsent(shape("SELECT a"), s -> "a2"));
    assertEquals(1, cache.size());
  }

  @Test
  void capacityMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new ShapeCache<String>(0));
    assertEquals(ShapeCache.DEFAULT_CAPACITY, new ShapeCache<String>().capacity());
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs {@code body} on a virtual thread, its outcome going to {@code result}. */
  private static <T> Thread run(CompletableFuture<T> result, Callable<T> body) {
    return Thread.ofVirtual().start(() -> {
      try {
        result.complete(body.call());
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    });
  }

  /** Waits until a thread is parked (computing under a latch, or waiting for a computation). */
  private static void awaitParked(Thread t) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (t.getState() != Thread.State.WAITING) {
      assertTrue(t.isAlive(), "thread ended before it parked");
      assertTrue(System.nanoTime() < deadline, "thread never parked: " + t.getState());
      Thread.sleep(1);
    }
  }
}
