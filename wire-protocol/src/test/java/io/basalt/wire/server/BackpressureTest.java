package io.basalt.wire.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.wire.message.BackendMessage;
import io.basalt.wire.message.FrontendMessage;
import io.basalt.wire.spi.BackendOutput;
import io.basalt.wire.spi.ClientInfo;
import io.basalt.wire.spi.ClientSession;
import io.basalt.wire.spi.SessionFactory;
import io.basalt.wire.testing.BackendFrames.Frame;
import io.basalt.wire.testing.Frames;
import io.basalt.wire.testing.RawClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A session streaming a large result to a client that does not read must be held back by
 * flush(), so the server never buffers more than a bounded amount; once the client reads, the
 * whole result arrives.
 */
class BackpressureTest {
  private static final int ROW_SIZE = 64 * 1024;
  private static final int ROWS = 1000; // 64 MiB in all
  /** Kernel socket buffers plus the channel's high water mark leave far less in flight. */
  private static final long BOUND = 16L * 1024 * 1024;

  private final AtomicInteger rowsWritten = new AtomicInteger();
  private final CountDownLatch finished = new CountDownLatch(1);

  /** Answers any Query with ROWS rows of ROW_SIZE bytes, from a virtual thread. */
  private final class StreamingSession implements ClientSession {
    private final BackendOutput output;

    StreamingSession(BackendOutput output) {
      this.output = output;
    }

    @Override
    public Map<String, String> initialParameters() {
      return Map.of();
    }

    @Override
    public int processId() {
      return 1;
    }

    @Override
    public int secretKey() {
      return 2;
    }

    @Override
    public void handle(FrontendMessage message) {
      if (message instanceof FrontendMessage.Query) {
        Thread.ofVirtual().start(this::stream);
      }
    }

    private void stream() {
      byte[] value = new byte[ROW_SIZE - 10];
      output.write(new BackendMessage.RowDescription(List.of(new BackendMessage.Field("v", 0,
          (short) 0, 17, (short) -1, -1, (short) 0))));
      for (int i = 0; i < ROWS; i++) {
        // numbered, so the client can tell that the rows arrive whole and in order (a write the
        // kernel only partly takes leaves its rest to Netty: see ChannelBackendOutput)
        java.nio.ByteBuffer.wrap(value).putInt(i);
        output.write(new BackendMessage.DataRow(new byte[][] {value}));
        rowsWritten.incrementAndGet();
      }
      output.write(new BackendMessage.CommandComplete("SELECT " + ROWS));
      output.write(new BackendMessage.ReadyForQuery('I'));
      output.flush();
      finished.countDown();
    }

    @Override
    public void closed() {
    }
  }

  @Test
  void aSlowReaderHoldsTheSessionBack() throws Exception {
    SessionFactory factory = new SessionFactory() {
      @Override
      public CompletableFuture<Optional<String>> storedPassword(String role) {
        return CompletableFuture.completedFuture(Optional.empty());
      }

      @Override
      public CompletableFuture<ClientSession> open(FrontendMessage.Startup startup,
          ClientInfo client, BackendOutput output) {
        return CompletableFuture.completedFuture(new StreamingSession(output));
      }

      @Override
      public void cancel(int processId, int secretKey) {
      }
    };
    WireConfig config = WireConfig.defaults().withPort(0).withEventLoopThreads(1)
        .withHba(HbaConfig.parse("host all all 127.0.0.1/32 trust"));
    try (PgServer server = new PgServer(config, factory);
         RawClient client = new RawClient(server.start(), 64 * 1024)) {
      client.send(Frames.startup("reader", "db"));
      assertEquals("RKZ", client.readUntilReady());
      client.send(Frames.query("select big"));

      Thread.sleep(1000); // not reading
      long inFlight = (long) rowsWritten.get() * ROW_SIZE;
      assertTrue(inFlight < BOUND, "session ran ahead by " + inFlight + " bytes");
      assertEquals(1, finished.getCount(), "session still waiting for the client");

      int rows = 0;
      Frame frame;
      while ((frame = client.read()).tag() != 'Z') {
        if (frame.tag() == 'D') {
          // DataRow: int16 column count, int32 length, then the value
          assertEquals(rows, java.nio.ByteBuffer.wrap(frame.body()).getInt(6), "row order");
          rows++;
        }
      }
      assertEquals(ROWS, rows);
      assertTrue(finished.await(5, TimeUnit.SECONDS));
    }
  }
}
