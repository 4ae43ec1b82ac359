package io.basalt.coordinator.session;

import io.basalt.coordinator.copy.ShardBatch;
import io.basalt.error.BasaltException;
import io.basalt.executor.backend.PgErrors;
import io.basalt.executor.remote.RemoteConnection;
import io.basalt.metadata.catalog.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * One writer thread per node, each sending batches over the node's connection in order. The
 * queues are short: when workers fall behind, the reader blocks, stops reading the client's
 * socket, and the client waits (memory stays bounded). The first failure stops every writer.
 */
final class NodeWriters {
  private static final int QUEUE = 3;
  private static final ShardBatch END = new ShardBatch(-1, 0);

  private final List<Node> nodes;
  private final List<BlockingQueue<ShardBatch>> queues = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile BasaltException failure;
  private volatile boolean stopping;

  NodeWriters(List<Node> nodes, List<RemoteConnection> connections,
      BiConsumer<RemoteConnection, ShardBatch> send) {
    this.nodes = List.copyOf(nodes);
    for (int i = 0; i < nodes.size(); i++) {
      BlockingQueue<ShardBatch> q = new ArrayBlockingQueue<>(QUEUE);
      queues.add(q);
      RemoteConnection c = connections.get(i);
      threads.add(Thread.ofVirtual().name("basalt-copy-" + nodes.get(i).nodeId())
          .start(() -> drain(q, c, send)));
    }
  }

  int indexOf(Node node) {
    return nodes.indexOf(node);
  }

  private void drain(BlockingQueue<ShardBatch> q, RemoteConnection c,
      BiConsumer<RemoteConnection, ShardBatch> send) {
    try {
      while (true) {
        ShardBatch b = q.take();
        if (b == END || stopping) {
          return;
        }
        send.accept(c, b);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      fail(PgErrors.from(e));
    }
  }

  private synchronized void fail(BasaltException e) {
    if (failure == null) {
      failure = e;
    }
    stopping = true;
  }

  void throwIfFailed() {
    if (failure != null) {
      throw failure;
    }
  }

  /** Queues a batch for its node, waiting while the node is behind. */
  void submit(int node, ShardBatch b) {
    BlockingQueue<ShardBatch> q = queues.get(node);
    try {
      while (!q.offer(b, 50, TimeUnit.MILLISECONDS)) {
        throwIfFailed();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw BasaltException.of(io.basalt.error.SqlState.QUERY_CANCELED,
          "canceling statement due to user request");
    }
    throwIfFailed();
  }

  /** Waits until every queued batch is sent; throws the first failure. */
  void finish() throws InterruptedException {
    for (int i = 0; i < queues.size(); i++) {
      while (!queues.get(i).offer(END, 50, TimeUnit.MILLISECONDS)) {
        throwIfFailed();
      }
    }
    for (Thread t : threads) {
      t.join();
    }
    throwIfFailed();
  }

  /** Stops the writers (after a failure) and waits for them: the connections are free after. */
  void stop() throws InterruptedException {
    stopping = true;
    for (BlockingQueue<ShardBatch> q : queues) {
      q.clear();
      q.offer(END);
    }
    for (Thread t : threads) {
      t.join();
    }
  }
}
