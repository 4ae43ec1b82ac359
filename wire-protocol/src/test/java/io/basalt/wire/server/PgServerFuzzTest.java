package io.basalt.wire.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.wire.testing.Await;
import io.basalt.wire.testing.Frames;
import io.basalt.wire.testing.RawClient;
import io.basalt.wire.testing.ScramClient;
import io.basalt.wire.testing.TestSession;
import io.basalt.wire.testing.TestSessionFactory;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random, truncated and corrupted input over real sockets, with and without a valid startup
 * before it. Whatever arrives, each connection must end (answered or closed) and the server must
 * stay healthy: it still serves a proper client, every session is closed exactly once, and the
 * thread count does not grow with the number of connections.
 */
class PgServerFuzzTest {
  private static final int ITERATIONS = 3000;
  private static final int CLIENT_THREADS = 8;
  private static final long SEED = 0xBA5A17L;

  /** Both ways a session gets its messages: from the event loop, or reading them itself. */
  @ParameterizedTest(name = "sessions read for themselves: {0}")
  @ValueSource(booleans = {false, true})
  void randomInputNeverHurtsTheServer(boolean sessionsRead) throws Exception {
    TestSessionFactory sessions = new TestSessionFactory(true, sessionsRead);
    sessions.withRole("alice", ScramClient.verifier("secret"));
    WireConfig config = WireConfig.defaults().withPort(0).withEventLoopThreads(2)
        .withMaxMessageSize(64 * 1024)
        .withHba(HbaConfig.parse("host all fuzz all trust\nhost all all all scram-sha-256"));
    try (PgServer server = new PgServer(config, sessions)) {
      int port = server.start();
      for (int i = 0; i < 4; i++) {
        assertServes(port); // starts every event loop thread and the session carriers
      }
      int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();

      ConcurrentLinkedQueue<String> hangs = new ConcurrentLinkedQueue<>();
      AtomicInteger done = new AtomicInteger();
      ExecutorService clients = Executors.newFixedThreadPool(CLIENT_THREADS);
      for (int i = 0; i < ITERATIONS; i++) {
        int iteration = i;
        clients.execute(() -> {
          Random random = new Random(SEED + iteration);
          byte[] payload = payload(random, iteration % 7);
          try {
            exchange(port, payload, random.nextInt(8) == 0);
          } catch (SocketTimeoutException e) {
            hangs.add("iteration " + iteration + " (kind " + iteration % 7 + ")");
          } catch (IOException e) {
            // a reset or broken pipe is a fine way for the server to end a bad connection
          }
          done.incrementAndGet();
        });
      }
      clients.shutdown();
      assertTrue(clients.awaitTermination(60, TimeUnit.SECONDS), "fuzz clients finished");
      assertEquals(ITERATIONS, done.get());
      assertEquals(List.of(), List.copyOf(hangs), "connections the server left hanging");

      assertServes(port);
      Await.until(() -> server.connectionCount() == 0, "all fuzz connections closed");
      Await.until(() -> sessions.sessions().stream().allMatch(s -> s.closedCalls() == 1),
          "every opened session closed exactly once");
      for (TestSession s : sessions.sessions()) {
        assertEquals(1, s.closedCalls());
      }
      Await.until(() -> ManagementFactory.getThreadMXBean().getThreadCount() <= threadsBefore + 2,
          "thread count stable (before: " + threadsBefore + ")");
      assertTrue(sessions.sessions().size() > 100, "the fuzz also reached open sessions");
      assertEquals(sessionsRead, sessions.sessions().get(0).readingThread() != null,
          "sessions read for themselves");
    }
  }

  /** A proper client still gets a full startup and its query answered. */
  private static void assertServes(int port) throws IOException {
    try (RawClient client = new RawClient(port)) {
      client.send(Frames.startup("fuzz", "db"));
      assertEquals("RSSSSSSSKZ", client.readUntilReady());
      client.send(Frames.query("select answer"));
      assertEquals("TDCZ", client.readUntilReady());
      client.send(Frames.terminate());
    }
  }

  /** Writes the payload, half-closes, and reads until the server closes (or cuts abruptly). */
  private static void exchange(int port, byte[] payload, boolean abrupt) throws IOException {
    try (Socket socket = new Socket()) {
      socket.setSoTimeout(5_000);
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.getOutputStream().write(payload);
      if (abrupt) {
        socket.setSoLinger(true, 0); // RST instead of FIN
        return;
      }
      socket.shutdownOutput();
      InputStream in = socket.getInputStream();
      byte[] sink = new byte[4096];
      while (in.read(sink) >= 0) {
        // drain until the server closes
      }
    }
  }

  private static byte[] payload(Random random, int kind) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    switch (kind) {
      case 0 -> out.writeBytes(randomBytes(random, random.nextInt(300)));
      case 1 -> out.writeBytes(corrupt(random, bytes(Frames.startup("fuzz", "db"))));
      case 2 -> {
        out.writeBytes(bytes(Frames.startup("fuzz", "db")));
        out.writeBytes(randomBytes(random, random.nextInt(300)));
      }
      case 3 -> {
        out.writeBytes(bytes(Frames.startup("fuzz", "db")));
        out.writeBytes(corrupt(random, validTraffic(random)));
      }
      case 4 -> {
        out.writeBytes(bytes(Frames.startup("alice", "db")));
        out.writeBytes(corrupt(random, bytes(Frames.saslInitialResponse("SCRAM-SHA-256",
            "n,,n=,r=" + random.nextLong()))));
        out.writeBytes(corrupt(random, bytes(Frames.saslResponse("c=biws,r=x,p=AAAA"))));
      }
      case 5 -> {
        ByteBuf requests = Unpooled.wrappedBuffer(Frames.sslRequest(), Frames.gssEncRequest(),
            Frames.cancelRequest(random.nextInt(), random.nextInt()));
        out.writeBytes(corrupt(random, bytes(requests)));
      }
      default -> {
        out.writeBytes(bytes(Frames.startup("fuzz", "db")));
        out.writeBytes(validTraffic(random));
        out.writeBytes(Frames.toArray(Frames.typed((char) random.nextInt(128),
            b -> b.writeBytes(randomBytes(random, random.nextInt(40))))));
      }
    }
    return out.toByteArray();
  }

  private static byte[] validTraffic(Random random) {
    ByteBuf traffic = Unpooled.wrappedBuffer(
        Frames.query("select " + random.nextInt()),
        Frames.typed('P', b -> {
          Frames.cstring(b, "s");
          Frames.cstring(b, "select $1");
          b.writeShort(1).writeInt(23);
        }),
        Frames.typed('B', b -> {
          Frames.cstring(b, "");
          Frames.cstring(b, "s");
          b.writeShort(0).writeShort(1).writeInt(2).writeShort(0x3432).writeShort(0);
        }),
        Frames.typed('E', b -> {
          Frames.cstring(b, "");
          b.writeInt(0);
        }),
        Frames.sync(),
        Frames.typed('d', b -> b.writeBytes(randomBytes(random, 20))));
    return bytes(traffic);
  }

  /** Flips, truncates or splices a few bytes. */
  private static byte[] corrupt(Random random, byte[] bytes) {
    byte[] copy = bytes.clone();
    int flips = 1 + random.nextInt(4);
    for (int i = 0; i < flips && copy.length > 0; i++) {
      copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
    }
    if (random.nextBoolean() && copy.length > 1) {
      return java.util.Arrays.copyOf(copy, random.nextInt(copy.length));
    }
    return copy;
  }

  private static byte[] randomBytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  private static byte[] bytes(ByteBuf buf) {
    byte[] bytes = Frames.toArray(buf);
    buf.release();
    return bytes;
  }

}
