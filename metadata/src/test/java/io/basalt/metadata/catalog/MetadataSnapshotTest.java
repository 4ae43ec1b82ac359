package io.basalt.metadata.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MetadataSnapshotTest {
  private static int nextId = 1;

  private static Node worker(String name, int port) {
    int id = nextId++;
    return new Node(id, id, name, port, true, "primary", "default", true);
  }

  private static List<String> addresses(List<Node> nodes) {
    return nodes.stream().map(Node::address).toList();
  }

  private static MetadataSnapshot snapshot(List<Node> nodes) {
    return MetadataSnapshot.of(1, nodes, List.of());
  }

  @Test
  void shardTargetsAreSortedByNameThenPort() {
    // Citus's example: localhost:57637 first, then :57638, whatever order they were added in.
    MetadataSnapshot s = snapshot(List.of(worker("localhost", 57638), worker("localhost", 57637),
        worker("localhost", 5432)));
    assertEquals(List.of("localhost:5432", "localhost:57637", "localhost:57638"),
        addresses(s.shardTargets()));
  }

  @Test
  void namesCompareAsUnsignedBytesLikeStrcmp() {
    MetadataSnapshot s = snapshot(List.of(
        worker("worker-b", 5432),
        worker("ä-host", 5432),        // C3 A4: after every ASCII name
        worker("worker-a", 5432),
        worker("Worker-c", 5432),      // 'W' 0x57 sorts before 'w' 0x77
        worker("10.0.0.2", 5432),
        worker("10.0.0.10", 5432),     // '1' < '2' byte by byte, not numerically
        worker("𝐀", 5432),             // U+1D400, F0 9D 90 80
        worker("\uFF21", 5432),        // U+FF21, EF BC A1: before F0, unlike UTF-16 order
        worker("worker", 5432)));      // a prefix sorts first
    assertEquals(List.of("10.0.0.10:5432", "10.0.0.2:5432", "Worker-c:5432", "worker:5432",
        "worker-a:5432", "worker-b:5432", "ä-host:5432", "\uFF21:5432", "𝐀:5432"),
        addresses(s.shardTargets()));
  }

  @Test
  void shardTargetsAreActivePrimariesOfTheDefaultClusterThatShouldHaveShards() {
    Node coordinator = new Node(1, 0, "coord", 5432, true, "primary", "default", false);
    Node a = new Node(2, 1, "a", 5432, true, "primary", "default", true);
    Node inactive = new Node(3, 2, "b", 5432, false, "primary", "default", true);
    Node secondary = new Node(4, 1, "a-replica", 5432, true, "secondary", "default", true);
    Node otherCluster = new Node(5, 3, "c", 5432, true, "secondary", "readers", true);
    Node unavailable = new Node(6, 4, "d", 5432, true, "unavailable", "default", true);
    Node drained = new Node(7, 5, "e", 5432, true, "primary", "default", false);
    Node f = new Node(8, 6, "f", 5432, true, "primary", "default", true);
    MetadataSnapshot s = snapshot(
        List.of(f, coordinator, a, inactive, secondary, otherCluster, unavailable, drained));
    assertEquals(List.of(a, f), s.shardTargets());
  }

  @Test
  void activePrimariesIncludeTheCoordinatorAndNodesWithoutShards() {
    Node coordinator = new Node(1, 0, "coord", 5432, true, "primary", "default", false);
    Node b = new Node(2, 1, "b", 5432, true, "primary", "default", true);
    Node inactive = new Node(3, 2, "c", 5432, false, "primary", "default", true);
    Node secondary = new Node(4, 1, "b-replica", 5432, true, "secondary", "default", true);
    Node drained = new Node(5, 3, "a", 5432, true, "primary", "default", false);
    Node otherCluster = new Node(6, 4, "d", 5432, true, "primary", "other", true);
    MetadataSnapshot s = snapshot(
        List.of(coordinator, b, inactive, secondary, drained, otherCluster));
    assertEquals(List.of(coordinator, b, drained), s.activePrimaries());
  }

  @Test
  void primaryOfAGroup() {
    Node replica = new Node(1, 1, "a-replica", 5432, true, "secondary", "default", false);
    Node primary = new Node(2, 1, "a", 5432, true, "primary", "default", true);
    Node coordinator = new Node(3, 0, "coord", 5432, true, "primary", "default", false);
    Node inactive = new Node(4, 2, "b", 5432, false, "primary", "default", true);
    MetadataSnapshot s = snapshot(List.of(replica, primary, coordinator, inactive));
    assertEquals(Optional.of(primary), s.primaryOf(1));
    assertEquals(Optional.of(coordinator), s.primaryOf(0));
    assertEquals(Optional.empty(), s.primaryOf(2));
    assertEquals(Optional.empty(), s.primaryOf(99));
    assertTrue(coordinator.isCoordinator());
  }

  @Test
  void tablesAndTableNames() {
    DistributedTable orders = new DistributedTable(16400, "public", "orders", 'h', 's', 1, "id",
        1, 20, List.of(new Shard(102008, 16400, Integer.MIN_VALUE, -1, List.of(1)),
            new Shard(102009, 16400, 0, Integer.MAX_VALUE, List.of(2))));
    DistributedTable sameName = new DistributedTable(16500, "other", "orders", 'h', 's', 1, "id",
        1, 20, List.of());
    DistributedTable countries = new DistributedTable(16410, "public", "Countries", 'n', 't', 2,
        null, 0, 0, List.of(new Shard(102040, 16410, null, null, List.of(0, 1, 2))));
    MetadataSnapshot s = MetadataSnapshot.of(7, List.of(), List.of(orders, sameName, countries));
    assertEquals(Set.of("orders", "Countries"), s.tableNames());
    assertEquals(Optional.of(countries), s.table(16410));
    assertEquals(Optional.empty(), s.table(1));
    assertTrue(s.isDistributed(16400));
    assertEquals(7, s.version());
    assertTrue(countries.isReference());
    assertEquals("public.\"Countries\"", countries.qualifiedName());
    assertEquals(Set.of(), MetadataSnapshot.EMPTY.tableNames());
    assertEquals(List.of(), MetadataSnapshot.EMPTY.shardTargets());
  }

  @Test
  void snapshotIsImmutable() {
    List<Node> nodes = new ArrayList<>(List.of(worker("a", 1)));
    MetadataSnapshot s = snapshot(nodes);
    nodes.add(worker("b", 2));
    assertEquals(1, s.nodes().size());
    assertThrows(UnsupportedOperationException.class, () -> s.nodes().add(worker("c", 3)));
    assertThrows(UnsupportedOperationException.class, () -> s.tableNames().add("x"));
  }
}
