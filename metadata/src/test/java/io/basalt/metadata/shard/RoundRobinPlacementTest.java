package io.basalt.metadata.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.basalt.error.BasaltException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoundRobinPlacementTest {
  private static final WorkerNode W1 = new WorkerNode(1, "localhost", 57637);
  private static final WorkerNode W2 = new WorkerNode(2, "localhost", 57638);

  @Test
  void twoWorkersEightShardsAlternate() {
    List<List<WorkerNode>> placements = RoundRobinPlacement.place(List.of(W2, W1), 8, 1);
    assertEquals(8, placements.size());
    for (int shard = 0; shard < 8; shard++) {
      assertEquals(List.of(shard % 2 == 0 ? W1 : W2), placements.get(shard), "shard " + shard);
    }
  }

  @Test
  void replicasGoToTheFollowingNodes() {
    WorkerNode w3 = new WorkerNode(3, "localhost", 57639);
    List<List<WorkerNode>> placements = RoundRobinPlacement.place(List.of(w3, W2, W1), 4, 2);
    assertEquals(List.of(List.of(W1, W2), List.of(W2, w3), List.of(w3, W1), List.of(W1, W2)),
        placements);
  }

  @Test
  void nodesSortByNameBytesThenPort() {
    WorkerNode upper = new WorkerNode(5, "Zeta", 1);
    WorkerNode lower = new WorkerNode(6, "alpha", 9);
    WorkerNode accented = new WorkerNode(7, "é", 1); // 0xC3 sorts after every ASCII byte
    WorkerNode samePortLower = new WorkerNode(8, "alpha", 2);
    List<List<WorkerNode>> placements =
        RoundRobinPlacement.place(List.of(accented, lower, upper, samePortLower), 4, 1);
    assertEquals(List.of(List.of(upper), List.of(samePortLower), List.of(lower),
        List.of(accented)), placements);
  }

  @Test
  void replicationFactorAboveNodeCountFailsLikeCitus() {
    BasaltException e = assertThrows(BasaltException.class,
        () -> RoundRobinPlacement.place(List.of(W1, W2), 4, 3));
    assertEquals("22023", e.sqlState());
    assertEquals("replication_factor (3) exceeds number of worker nodes (2)", e.getMessage());
    assertEquals("Add more worker nodes or try again with a lower replication factor.",
        e.fields().get('H'));
    BasaltException none = assertThrows(BasaltException.class,
        () -> RoundRobinPlacement.place(List.of(), 4, 1));
    assertEquals("replication_factor (1) exceeds number of worker nodes (0)", none.getMessage());
  }

  @Test
  void nonPositiveCountsAreProgrammingErrors() {
    assertThrows(IllegalArgumentException.class,
        () -> RoundRobinPlacement.place(List.of(W1), 0, 1));
    assertThrows(IllegalArgumentException.class,
        () -> RoundRobinPlacement.place(List.of(W1), 1, 0));
  }
}
