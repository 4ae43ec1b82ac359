package io.basalt.coordinator.dist;

import io.basalt.executor.backend.PgErrors;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/** Runs blocking work per node on virtual threads and waits for all of it. */
public final class Parallel {
  private Parallel() {}

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
