package io.basalt.coordinator.dist;

import io.basalt.executor.backend.PgErrors;
import io.basalt.executor.remote.RemoteConnection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;

/** Runs blocking work per node at once and waits for all of it. */
public final class Parallel {
  private Parallel() {}

  /**
   * Runs a transaction-control statement on every connection at once from the calling thread:
   * all are sent before any answer is read (RemoteConnection#send), which costs far less than a
   * thread per connection. Every connection that was sent to has its answer read, whatever else
   * failed. Returns the failures by key, in {@code keys} order (empty when all succeeded).
   */
  public static <K> Map<K, RuntimeException> statementOnEach(List<K> keys,
      Function<K, RemoteConnection> connection, Function<K, String> sql) {
    Map<K, RuntimeException> failures = new HashMap<>();
    for (K key : keys) {
      try {
        connection.apply(key).send(sql.apply(key));
      } catch (RuntimeException e) {
        failures.put(key, e);
      }
    }
    Map<K, RuntimeException> inOrder = new LinkedHashMap<>();
    for (K key : keys) {
      RuntimeException failure = failures.get(key);
      if (failure == null) {
        try {
          connection.apply(key).awaitSent();
        } catch (RuntimeException e) {
          failure = e;
        }
      }
      if (failure != null) {
        inOrder.put(key, failure);
      }
    }
    return inOrder;
  }

  /**
   * Runs {@code task} for every item at once (the last one on the calling thread, which would
   * only wait otherwise); rethrows the first failure in item order after all finished.
   */
  public static <T> void forEach(Collection<T> items, Consumer<T> task) {
    if (items.size() <= 1) {
      items.forEach(task);
      return;
    }
    List<T> list = new ArrayList<>(items);
    T last = list.remove(list.size() - 1);
    try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> futures = new ArrayList<>();
      for (T item : list) {
        futures.add(ex.submit(() -> task.accept(item)));
      }
      RuntimeException lastFailure = null;
      try {
        task.accept(last);
      } catch (RuntimeException e) {
        lastFailure = e;
      }
      RuntimeException first = null;
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          if (first == null) {
            first = PgErrors.from(e.getCause());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw PgErrors.from(e);
        }
      }
      if (first == null && lastFailure != null) {
        first = PgErrors.from(lastFailure);
      }
      if (first != null) {
        throw first;
      }
    }
  }
}
