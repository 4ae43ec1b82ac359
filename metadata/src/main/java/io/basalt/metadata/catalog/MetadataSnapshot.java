package io.basalt.metadata.catalog;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * An immutable copy of the catalog at one version (pg_catalog.basalt_metadata_version, bumped by
 * every change). Readers take the current snapshot once per statement and use it throughout, so
 * a statement never sees half of a concurrent change.
 */
public record MetadataSnapshot(long version, List<Node> nodes, Map<Long, DistributedTable> tables,
    java.util.Set<String> tableNames) {

  public static final MetadataSnapshot EMPTY = new MetadataSnapshot(0, List.of(), Map.of());

  public MetadataSnapshot(long version, List<Node> nodes, Map<Long, DistributedTable> tables) {
    this(version, nodes, tables, tables.values().stream().map(DistributedTable::name)
        .collect(Collectors.toUnmodifiableSet()));
  }

  public MetadataSnapshot {
    nodes = List.copyOf(nodes);
    tables = Map.copyOf(tables);
    tableNames = java.util.Set.copyOf(tableNames);
  }

  public static MetadataSnapshot of(long version, List<Node> nodes, List<DistributedTable> tables) {
    return new MetadataSnapshot(version, nodes,
        tables.stream().collect(Collectors.toMap(DistributedTable::oid, Function.identity())));
  }

  public Optional<DistributedTable> table(long oid) {
    return Optional.ofNullable(tables.get(oid));
  }

  public boolean isDistributed(long oid) {
    return tables.containsKey(oid);
  }

  /** The active primary nodes of a group (a group is one server and its replicas). */
  public Optional<Node> primaryOf(int groupId) {
    // A plain loop: every routed statement asks, and a stream costs more than the few nodes.
    for (Node n : nodes) {
      if (n.groupId() == groupId && n.isActivePrimary()) {
        return Optional.of(n);
      }
    }
    return Optional.empty();
  }

  /**
   * Workers that receive new shards: active primaries with shouldhaveshards, sorted by name then
   * port as Citus sorts them for round-robin placement.
   */
  public List<Node> shardTargets() {
    return nodes.stream().filter(n -> n.isActivePrimary() && n.shouldHaveShards())
        .sorted(Comparator.comparing(Node::name, MetadataSnapshot::compareBytes)
            .thenComparingInt(Node::port))
        .toList();
  }

  /** All active primaries, the coordinator included when it is registered. */
  public List<Node> activePrimaries() {
    return nodes.stream().filter(Node::isActivePrimary).toList();
  }

  /** strcmp order: UTF-8 bytes compared unsigned. */
  static int compareBytes(String a, String b) {
    byte[] x = a.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] y = b.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return java.util.Arrays.compareUnsigned(x, y);
  }
}
