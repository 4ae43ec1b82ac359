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

  /** Runs {@code task} for every item at once; rethrows the first failure after all finished. */
  public static <T> void forEach(Collection<T> items, Consumer<T> task) {
    if (items.size() == 1) {
      task.accept(items.iterator().next());
      return;
    }
    try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> futures = new ArrayList<>();
      for (T item : items) {
        futures.add(ex.submit(() -> task.accept(item)));
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
      if (first != null) {
        throw first;
      }
    }
  }
}
