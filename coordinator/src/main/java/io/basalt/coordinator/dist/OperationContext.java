package io.basalt.coordinator.dist;

import io.basalt.executor.backend.BackendConnection;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a distributed operation works with: the client's own session on the coordinator
 * database (catalog changes happen in the client's transaction), that session's raw connection
 * for COPY, the transaction's worker connections, the client's role, and a way to send the
 * client NOTICEs.
 */
public record OperationContext(ClusterServices cluster, Sql db, BackendConnection backend,
    DistributedTransaction transaction, String user, Consumer<Map<Character, String>> notices) {

  /**
   * The catalog as this transaction sees it: the shared snapshot, or, when this transaction
   * changed the catalog itself, a fresh read inside it.
   */
  public io.basalt.metadata.catalog.MetadataSnapshot snapshot() {
    return transaction.hasCatalogChanges()
        ? io.basalt.coordinator.catalog.MetadataLoader.load(db) : cluster.snapshot();
  }

  public void notice(String message, String detail, String hint) {
    Map<Character, String> f = new java.util.LinkedHashMap<>();
    f.put('S', "NOTICE");
    f.put('V', "NOTICE");
    f.put('C', "00000");
    f.put('M', message);
    if (detail != null) {
      f.put('D', detail);
    }
    if (hint != null) {
      f.put('H', hint);
    }
    notices.accept(f);
  }
}
