package io.basalt.executor.adaptive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.error.BasaltException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Slow start driven by a fake clock and a simulated pool. */
class SlowStartTest {
  private static final long MS = 1_000_000;

  /**
   * A pool simulated tick by tick (1 ms): every task takes {@code taskMs}; opening a
   * connection takes {@code connectMs}; one connection exists at the start (the session's
   * cached one). Returns the most connections the pool ever had.
   */
  private static int simulate(PoolSettings s, int tasks, long taskMs, long connectMs) {
    SlowStart slow = new SlowStart(s, false);
    slow.started(0);
    int ready = tasks;
    List<Long> busyUntil = new java.util.ArrayList<>();
    int idle = 1;
    List<Long> establishedAt = new java.util.ArrayList<>();
    int finished = 0;
    int max = 1;
    for (long now = 0; ready > 0 || !busyUntil.isEmpty(); now += MS) {
      final long t = now;
      int done = (int) busyUntil.stream().filter(u -> u <= t).count();
      busyUntil.removeIf(u -> u <= t);
      finished += done;
      idle += done;
      int up = (int) establishedAt.stream().filter(u -> u <= t).count();
      establishedAt.removeIf(u -> u <= t);
      idle += up;
      while (idle > 0 && ready > 0) {
        idle--;
        ready--;
        busyUntil.add(now + taskMs * MS);
      }
      PoolState state = new PoolState(ready, idle, busyUntil.size(), establishedAt.size(), false,
          finished, taskMs * MS, finished > 0 || up > 0 ? connectMs * MS : 0);
      int n = slow.toOpen(now, state);
      for (int i = 0; i < n; i++) {
        establishedAt.add(now + connectMs * MS);
      }
      max = Math.max(max, idle + busyUntil.size() + establishedAt.size());
    }
    return max;
  }

  @Test
  void shortTasksStayOnOneOrTwoConnections() {
    assertEquals(2, simulate(PoolSettings.DEFAULTS, 16, 1, 4));
  }

  /**
   * A node with {@code cores} CPUs: a task started while {@code b} tasks run (itself included)
   * takes {@code taskMs * max(1, b / cores)}. Opening a connection takes {@code connectMs}.
   * Returns the most connections the pool had; the executor's statistics (task times before
   * the pool grew and beside others, connections that have not yet run a task beside others)
   * are kept as AdaptiveExecutor keeps them.
   */
  private static int simulateCores(int cores, int tasks, long taskMs, long connectMs) {
    SlowStart slow = new SlowStart(PoolSettings.DEFAULTS, false);
    slow.started(0);
    record Running(long until, long took, int busyAtStart, boolean fresh) {}
    List<Running> running = new java.util.ArrayList<>();
    List<Long> establishedAt = new java.util.ArrayList<>();
    int ready = tasks;
    int idle = 1;
    int freshIdle = 0;
    int unproven = 0;
    int finished = 0;
    long total = 0;
    long solo = 0;
    int soloCount = 0;
    long overlap = 0;
    int overlapCount = 0;
    long overlapBusy = 0;
    int max = 1;
    boolean grown = false;
    for (long now = 0; ready > 0 || !running.isEmpty(); now += MS) {
      final long t = now;
      for (Running r : List.copyOf(running)) {
        if (r.until() <= t) {
          running.remove(r);
          finished++;
          total += r.took();
          // A new connection has shown what it adds once it ran a task beside others.
          if (r.fresh() && r.busyAtStart() > 1) {
            unproven--;
            idle++;
          } else if (r.fresh()) {
            freshIdle++;
          } else {
            idle++;
          }
          if (!grown) {
            solo += r.took();
            soloCount++;
          }
          if (r.busyAtStart() > 1) {
            overlap += r.took();
            overlapCount++;
            overlapBusy += r.busyAtStart();
          }
        }
      }
      int up = (int) establishedAt.stream().filter(u -> u <= t).count();
      establishedAt.removeIf(u -> u <= t);
      freshIdle += up;
      unproven += up;
      while ((idle > 0 || freshIdle > 0) && ready > 0) {
        // The connections already proven take tasks first; a new one then starts beside them.
        boolean fresh = idle == 0;
        if (fresh) {
          freshIdle--;
        } else {
          idle--;
        }
        ready--;
        int busy = running.size() + 1;
        long took = taskMs * MS * Math.max(1, (busy + cores - 1) / cores);
        running.add(new Running(now + took, took, busy, fresh));
      }
      PoolState state = new PoolState(ready, idle + freshIdle, running.size(),
          establishedAt.size(), false, finished, finished == 0 ? 0 : total / finished,
          connectMs * MS, unproven, soloCount == 0 ? 0 : solo / soloCount,
          overlapCount == 0 ? 0 : overlap / overlapCount,
          overlapCount == 0 ? 0 : (double) overlapBusy / overlapCount);
      int n = slow.toOpen(now, state);
      grown |= n > 0;
      for (int i = 0; i < n; i++) {
        establishedAt.add(now + connectMs * MS);
      }
      max = Math.max(max, idle + freshIdle + running.size() + establishedAt.size());
    }
    return max;
  }

  @Test
  void aNodeWithoutSpareCpuStopsGrowing() {
    // 64 scans of 6 ms on a one-core worker: a second connection only shares the core.
    int oneCore = simulateCores(1, 64, 6, 20);
    assertTrue(oneCore <= 2, "one core: " + oneCore);
    // The same tasks on a worker with cores to spare keep spreading.
    int manyCores = simulateCores(16, 64, 6, 20);
    assertTrue(manyCores >= 4, "16 cores: " + manyCores);
    // Long tasks grow as in Citus before any has finished, whatever the node.
    assertEquals(16, simulateCores(1, 16, 500, 4));
  }

  @Test
  void aNodeFoundBusyRecentlyKeepsShortTasksOnTheConnectionsThereAre() {
    SlowStart shortTasks = new SlowStart(PoolSettings.DEFAULTS, false);
    shortTasks.started(0);
    shortTasks.busyBefore();
    // A task has finished by the first step: short tasks, no new connection.
    assertEquals(0, shortTasks.toOpen(10 * MS, new PoolState(14, 0, 1, 0, false, 1, 5 * MS, 0)));
    SlowStart longTasks = new SlowStart(PoolSettings.DEFAULTS, false);
    longTasks.started(0);
    longTasks.busyBefore();
    // None has finished: long tasks grow as always.
    assertEquals(1, longTasks.toOpen(10 * MS, new PoolState(15, 0, 1, 0, false, 0, 0, 0)));
  }

  @Test
  void longTasksGrowToTheTargetWithinMilliseconds() {
    assertEquals(16, simulate(PoolSettings.DEFAULTS, 16, 500, 4));
  }

  @Test
  void neverMoreThanTheReadyTasks() {
    assertEquals(3, simulate(PoolSettings.DEFAULTS, 3, 500, 4));
  }

  @Test
  void batchesGrowOneTwoThreePerInterval() {
    SlowStart slow = new SlowStart(PoolSettings.DEFAULTS, false);
    int initiated = 1;
    int[] opened = new int[5];
    for (int tick = 0; tick < 5; tick++) {
      // Nothing has finished yet (long tasks): the brake has no figures.
      PoolState s = new PoolState(100, 0, initiated, 0, false, 0, 0, 0);
      opened[tick] = slow.toOpen(tick * 10 * MS, s);
      initiated += opened[tick];
    }
    assertEquals("[1, 2, 3, 4, 5]", Arrays.toString(opened));
  }

  @Test
  void waitsForTheIntervalAndForConnectionsBeingOpened() {
    SlowStart slow = new SlowStart(PoolSettings.DEFAULTS, false);
    assertEquals(1, slow.toOpen(0, new PoolState(10, 0, 1, 0, false, 0, 0, 0)));
    assertEquals(0, slow.toOpen(5 * MS, new PoolState(10, 0, 2, 0, false, 0, 0, 0)));
    assertEquals(0, slow.toOpen(12 * MS, new PoolState(10, 0, 1, 1, false, 0, 0, 0)));
    assertEquals(2, slow.toOpen(12 * MS, new PoolState(10, 0, 2, 0, false, 0, 0, 0)));
    assertEquals(22 * MS, slow.nextCheckNanos(13 * MS));
  }

  @Test
  void poolSizeCapsAndSequentialWritesKeepOne() {
    PoolSettings four = new PoolSettings(4, 10, 1, 600_000, false, false, 30_000, true);
    assertEquals(4, simulate(four, 32, 500, 4));
    PoolSettings sequential = new PoolSettings(16, 10, 1, 600_000, false, true, 30_000, true);
    SlowStart slow = new SlowStart(sequential, true);
    assertEquals(0, slow.toOpen(0, new PoolState(10, 0, 1, 0, false, 0, 0, 0)));
    // Sequential mode is for writes only.
    assertEquals(1, new SlowStart(sequential, false).toOpen(0,
        new PoolState(10, 0, 1, 0, false, 0, 0, 0)));
  }

  @Test
  void intervalZeroOpensWhatIsNeededAtOnce() {
    PoolSettings noSlowStart = new PoolSettings(16, 0, 1, 600_000, false, false, 30_000, true);
    SlowStart slow = new SlowStart(noSlowStart, false);
    assertEquals(10, slow.toOpen(0, new PoolState(10, 0, 1, 0, false, 0, 0, 0)));
  }

  @Test
  void forceMaxParallelizationOpensAConnectionPerTaskBeyondThePoolSize() {
    PoolSettings force = new PoolSettings(4, 10, 1, 600_000, true, false, 30_000, true);
    SlowStart slow = new SlowStart(force, false);
    assertEquals(31, slow.toOpen(0, new PoolState(32, 1, 0, 0, false, 0, 0, 0)));
  }

  @Test
  void aFailedPoolOpensNothingMore() {
    SlowStart slow = new SlowStart(PoolSettings.DEFAULTS, false);
    assertEquals(0, slow.toOpen(0, new PoolState(10, 0, 1, 0, true, 0, 0, 0)));
  }

  @Test
  void costBrakeOffLetsShortTasksFanOut() {
    PoolSettings noBrake = new PoolSettings(16, 10, 1, 600_000, false, false, 30_000, false);
    // The brake keeps short tasks on fewer connections than plain slow start opens.
    int braked = simulate(PoolSettings.DEFAULTS, 64, 1, 4);
    int unbraked = simulate(noBrake, 64, 1, 4);
    assertTrue(braked < unbraked, braked + " vs " + unbraked);
  }

  @Test
  void settingsFromTheirTextValues() {
    PoolSettings s = PoolSettings.of(Arrays.asList("4", "0", "2", "5min", "on", "sequential",
        "2s", "off"));
    assertEquals(new PoolSettings(4, 0, 2, 300_000, true, true, 2_000, false), s);
    assertEquals(PoolSettings.DEFAULTS, PoolSettings.of(Arrays.asList(new String[8])));
    assertEquals(PoolSettings.DEFAULTS, PoolSettings.of(Arrays.asList("", "", "", "", "", "",
        "", "")));
    BasaltException e = assertThrows(BasaltException.class, () -> PoolSettings.of(
        Arrays.asList(null, null, null, null, null, "sideways", null, null)));
    assertEquals("22023", e.sqlState());
    assertThrows(BasaltException.class, () -> PoolSettings.of(
        Arrays.asList("0", null, null, null, null, null, null, null)));
    assertThrows(BasaltException.class, () -> PoolSettings.of(
        Arrays.asList(null, "10 parsecs", null, null, null, null, null, null)));
  }
}
