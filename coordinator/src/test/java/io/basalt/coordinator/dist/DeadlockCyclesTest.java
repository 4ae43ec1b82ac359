package io.basalt.coordinator.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeadlockCyclesTest {
  @Test
  void noCycleNoVictim() {
    assertEquals(List.of(), DeadlockCycles.victims(Map.of()));
    assertEquals(List.of(), DeadlockCycles.victims(Map.of(1L, Set.of(2L), 2L, Set.of(3L),
        4L, Set.of(2L, 3L))));
  }

  @Test
  void selfEdgesAreNotDeadlocks() {
    assertEquals(List.of(), DeadlockCycles.victims(Map.of(5L, Set.of(5L))));
  }

  @Test
  void twoTransactionsWaitingForEachOtherLoseTheYoungest() {
    assertEquals(List.of(8L), DeadlockCycles.victims(Map.of(3L, Set.of(8L), 8L, Set.of(3L))));
  }

  @Test
  void aLongCycleLosesItsYoungestOnly() {
    assertEquals(List.of(9L), DeadlockCycles.victims(Map.of(1L, Set.of(9L), 9L, Set.of(4L),
        4L, Set.of(2L), 2L, Set.of(1L), 7L, Set.of(1L))));
  }

  @Test
  void cyclesSharingTheYoungestCostOneVictim() {
    assertEquals(List.of(9L), DeadlockCycles.victims(Map.of(1L, Set.of(9L), 9L, Set.of(1L, 2L),
        2L, Set.of(9L))));
  }

  @Test
  void separateCyclesEachLoseOne() {
    List<Long> v = DeadlockCycles.victims(Map.of(1L, Set.of(2L), 2L, Set.of(1L),
        10L, Set.of(11L), 11L, Set.of(12L), 12L, Set.of(10L)));
    assertEquals(2, v.size());
    assertTrue(v.containsAll(List.of(2L, 12L)), v::toString);
  }

  @Test
  void aCycleLeftAfterTheFirstVictimIsBrokenToo() {
    // 3-4-3 and 4-6-4: whichever is found first, 4 or 6 goes, and then the rest.
    List<Long> v = DeadlockCycles.victims(Map.of(3L, Set.of(4L), 4L, Set.of(3L, 6L),
        6L, Set.of(4L)));
    assertTrue(v.equals(List.of(4L)) || v.equals(List.of(6L, 4L)), v::toString);
    // 1-2-1 and 2-3-2: 2 found first breaks both; 3 first leaves 1-2.
    List<Long> w = DeadlockCycles.victims(Map.of(1L, Set.of(2L), 2L, Set.of(1L, 3L),
        3L, Set.of(2L)));
    assertTrue(w.equals(List.of(2L)) || w.equals(List.of(3L, 2L)), w::toString);
  }

  @Test
  void findCycleReturnsTheMembers() {
    List<Long> c = DeadlockCycles.findCycle(new java.util.TreeMap<>(Map.of(1L, Set.of(2L),
        2L, Set.of(3L), 3L, Set.of(2L))));
    assertEquals(Set.of(2L, 3L), Set.copyOf(c));
  }
}
