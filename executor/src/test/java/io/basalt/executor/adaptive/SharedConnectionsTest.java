package io.basalt.executor.adaptive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.error.BasaltException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SharedConnectionsTest {
  @Test
  void optionalSlotsAreRefusedWhenTheNodeIsFull() {
    SharedConnections shared = new SharedConnections(2);
    assertTrue(shared.tryAcquire(1));
    assertTrue(shared.tryAcquire(1));
    assertFalse(shared.tryAcquire(1));
    // Another node has its own cap.
    assertTrue(shared.tryAcquire(2));
    shared.release(1);
    assertTrue(shared.tryAcquire(1));
    assertEquals(2, shared.open(1));
  }

  @Test
  void aRequiredSlotWaitsForARelease() throws Exception {
    SharedConnections shared = new SharedConnections(1);
    shared.acquire(1, 1_000);
    CountDownLatch got = new CountDownLatch(1);
    Thread waiter = Thread.ofVirtual().start(() -> {
      shared.acquire(1, 60_000);
      got.countDown();
    });
    while (!shared.hasWaiters(1)) {
      Thread.sleep(1);
    }
    assertEquals(1, got.getCount());
    shared.release(1);
    assertTrue(got.await(10, TimeUnit.SECONDS));
    waiter.join();
    assertFalse(shared.hasWaiters(1));
    assertEquals(1, shared.open(1));
  }

  @Test
  void aRequiredSlotGivesUpWith53300() {
    SharedConnections shared = new SharedConnections(1);
    shared.acquire(1, 1_000);
    BasaltException e = assertThrows(BasaltException.class, () -> shared.acquire(1, 20));
    assertEquals("53300", e.sqlState());
    assertFalse(shared.hasWaiters(1));
  }

  @Test
  void unlimitedAndRaisedLimits() throws Exception {
    SharedConnections shared = new SharedConnections(SharedConnections.UNLIMITED);
    for (int i = 0; i < 1000; i++) {
      assertTrue(shared.tryAcquire(1));
    }
    SharedConnections one = new SharedConnections(1);
    one.acquire(3, 1_000);
    Thread waiter = Thread.ofVirtual().start(() -> one.acquire(3, 60_000));
    while (!one.hasWaiters(3)) {
      Thread.sleep(1);
    }
    one.limit(2);
    waiter.join(10_000);
    assertFalse(waiter.isAlive());
    assertEquals(2, one.open(3));
  }
}
