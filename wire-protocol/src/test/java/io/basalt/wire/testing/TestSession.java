package io.basalt.wire.testing;

import io.basalt.wire.message.BackendMessage;
import io.basalt.wire.message.FrontendMessage;
import io.basalt.wire.spi.BackendOutput;
import io.basalt.wire.spi.ClientInfo;
import io.basalt.wire.spi.ClientReader;
import io.basalt.wire.spi.ClientSession;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A session that answers Query with a fixed one-row result ({@code answer int4 = 42}), "SET ..."
 * with CommandComplete SET, and an empty query with EmptyQueryResponse. "sleep N" takes N ms
 * before it answers. A session that reads for itself ({@link ClientSession#readsItself()}) does
 * so on a platform thread of its own.
 */
public final class TestSession implements ClientSession {
  public static final int SECRET = 0x5EC2E7;
  public static final BackendMessage.Field ANSWER_FIELD =
      new BackendMessage.Field("answer", 0, (short) 0, 23, (short) 4, -1, (short) 0);

  private final FrontendMessage.Startup startup;
  private final ClientInfo client;
  private final BackendOutput output;
  private final int processId;
  private final ExecutorService worker;
  private final List<FrontendMessage> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger closedCalls = new AtomicInteger();
  private final boolean readsItself;
  private volatile Thread readingThread;

  TestSession(FrontendMessage.Startup startup, ClientInfo client, BackendOutput output,
      int processId, boolean onVirtualThread, boolean readsItself) {
    this.startup = startup;
    this.client = client;
    this.output = output;
    this.processId = processId;
    this.readsItself = readsItself;
    this.worker = onVirtualThread && !readsItself
        ? Executors.newSingleThreadExecutor(Thread.ofVirtual().name("test-session").factory())
        : null;
  }

  @Override
  public boolean readsItself() {
    return readsItself;
  }

  @Override
  public void readFrom(ClientReader reader) {
    readingThread = Thread.ofPlatform().daemon().name("test-session-reader-" + processId)
        .start(() -> {
          try {
            while (true) {
              FrontendMessage m = reader.read(0);
              received.add(m);
              if (m instanceof FrontendMessage.Terminate) {
                return;
              }
              answer(m);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            reader.close();
          }
        });
  }

  /** The thread reading for this session, or null if the event loop hands messages over. */
  public Thread readingThread() {
    return readingThread;
  }

  @Override
  public Map<String, String> initialParameters() {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("server_version", "16.0");
    parameters.put("server_encoding", "UTF8");
    parameters.put("client_encoding", "UTF8");
    parameters.put("DateStyle", "ISO, MDY");
    parameters.put("integer_datetimes", "on");
    parameters.put("standard_conforming_strings", "on");
    parameters.put("TimeZone", "UTC");
    return parameters;
  }

  @Override
  public int processId() {
    return processId;
  }

  @Override
  public int secretKey() {
    return SECRET;
  }

  @Override
  public void handle(FrontendMessage message) {
    received.add(message);
    if (worker == null) {
      answer(message);
    } else {
      worker.execute(() -> answer(message));
    }
  }

  private void answer(FrontendMessage message) {
    if (!(message instanceof FrontendMessage.Query query)) {
      return;
    }
    String sql = query.sql().strip();
    if (sql.startsWith("sleep ")) {
      try {
        Thread.sleep(Long.parseLong(sql.substring(6)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    if (sql.isEmpty()) {
      output.write(new BackendMessage.EmptyQueryResponse());
    } else if (sql.regionMatches(true, 0, "SET", 0, 3)) {
      output.write(new BackendMessage.CommandComplete("SET"));
    } else {
      output.write(new BackendMessage.RowDescription(List.of(ANSWER_FIELD)));
      output.write(new BackendMessage.DataRow(
          new byte[][] {"42".getBytes(StandardCharsets.US_ASCII)}));
      output.write(new BackendMessage.CommandComplete("SELECT 1"));
    }
    output.write(new BackendMessage.ReadyForQuery('I'));
    output.flush();
  }

  @Override
  public void closed() {
    closedCalls.incrementAndGet();
    if (worker != null) {
      worker.shutdownNow();
    }
  }

  public FrontendMessage.Startup startup() {
    return startup;
  }

  public ClientInfo client() {
    return client;
  }

  public BackendOutput output() {
    return output;
  }

  public List<FrontendMessage> received() {
    return received;
  }

  public int closedCalls() {
    return closedCalls.get();
  }
}
