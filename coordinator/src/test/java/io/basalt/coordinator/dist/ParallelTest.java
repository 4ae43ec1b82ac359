package io.basalt.coordinator.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class ParallelTest {
  @Test
  void runsEveryItemIncludingNoneAndOne() {
    for (List<Integer> items : List.of(List.<Integer>of(), List.of(1), List.of(1, 2, 3))) {
      Set<Integer> ran = ConcurrentHashMap.newKeySet();
      Parallel.forEach(items, ran::add);
      assertEquals(Set.copyOf(items), ran);
    }
  }

  @Test
  void rethrowsTheFirstFailureInItemOrderAfterAllRan() {
    Set<Integer> ran = ConcurrentHashMap.newKeySet();
    BasaltException e = assertThrows(BasaltException.class,
        () -> Parallel.forEach(List.of(1, 2, 3), i -> {
          ran.add(i);
          if (i >= 2) {
            throw BasaltException.of(SqlState.CONNECTION_FAILURE, "item " + i);
          }
        }));
    assertEquals("item 2", e.getMessage());
    assertEquals(Set.of(1, 2, 3), ran);
  }
}
