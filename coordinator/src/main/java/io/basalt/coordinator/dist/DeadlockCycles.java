package io.basalt.coordinator.dist;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Cycles in a wait-for graph between distributed transactions, and which transactions to cancel
 * to break them all: in each cycle the youngest (the highest id, ids being handed out in start
 * order), as Citus's distributed deadlock detector does; cancelling it removes its edges, and the
 * search repeats until no cycle is left.
 */
public final class DeadlockCycles {
  private DeadlockCycles() {}

  /**
   * The victims, in the order they were chosen. {@code waitsFor} maps a transaction to the
   * transactions it waits for; self-edges are ignored (a transaction waiting for itself across
   * nodes is not a deadlock Basalt can break by cancelling).
   */
  public static List<Long> victims(Map<Long, Set<Long>> waitsFor) {
    Map<Long, Set<Long>> graph = new TreeMap<>();
    waitsFor.forEach((from, to) -> {
      Set<Long> targets = new TreeSet<>(to);
      targets.remove(from);
      graph.put(from, targets);
    });
    List<Long> victims = new ArrayList<>();
    List<Long> cycle;
    while (!(cycle = findCycle(graph)).isEmpty()) {
      long victim = Collections.max(cycle);
      victims.add(victim);
      graph.remove(victim);
      graph.values().forEach(t -> t.remove(victim));
    }
    return victims;
  }

  /** One cycle's members (empty when there is none): depth-first, iterative. */
  static List<Long> findCycle(Map<Long, Set<Long>> graph) {
    Set<Long> done = new HashSet<>();
    for (long start : graph.keySet()) {
      if (done.contains(start)) {
        continue;
      }
      // The current path, and for each of its nodes the edges not yet followed.
      List<Long> path = new ArrayList<>();
      Map<Long, Integer> onPath = new HashMap<>();
      Deque<Iterator<Long>> pending = new ArrayDeque<>();
      path.add(start);
      onPath.put(start, 0);
      pending.push(graph.getOrDefault(start, Set.of()).iterator());
      while (!pending.isEmpty()) {
        Iterator<Long> next = pending.peek();
        if (!next.hasNext()) {
          pending.pop();
          long finished = path.remove(path.size() - 1);
          onPath.remove(finished);
          done.add(finished);
          continue;
        }
        long target = next.next();
        Integer at = onPath.get(target);
        if (at != null) {
          return List.copyOf(path.subList(at, path.size()));
        }
        if (done.contains(target)) {
          continue;
        }
        onPath.put(target, path.size());
        path.add(target);
        pending.push(graph.getOrDefault(target, Set.of()).iterator());
      }
    }
    return List.of();
  }
}
