package io.basalt.wire.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.wire.message.FrontendMessage;
import io.basalt.wire.testing.Await;
import io.basalt.wire.testing.BackendFrames.Frame;
import io.basalt.wire.testing.Frames;
import io.basalt.wire.testing.RawClient;
import io.basalt.wire.testing.TestSession;
import io.basalt.wire.testing.TestSessionFactory;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sessions that read their client's socket themselves ({@link DirectClientReader}), over real
 * sockets: what the event loop had received when it handed reading over comes first and whole,
 * big messages, protocol errors, Terminate, and a client that goes away while its session is
 * busy.
 */
class DirectClientReaderTest {
  private final TestSessionFactory sessions = new TestSessionFactory(true, true);
  private PgServer server;
  private int port;

  @BeforeEach
  void start() throws Exception {
    server = new PgServer(WireConfig.defaults().withPort(0).withEventLoopThreads(1)
        .withHba(HbaConfig.parse("host all all all trust")), sessions);
    port = server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void messagesSentBehindStartupAreAnsweredInOrder() throws Exception {
    try (RawClient client = new RawClient(port)) {
      // all in one write: the event loop decodes both queries before the session is open
      client.send(Unpooled.wrappedBuffer(Frames.startup("u", "db"), Frames.query("sleep 50"),
          Frames.query("SET x = 1")));
      assertEquals("RSSSSSSSKZ", client.readUntilReady());
      assertEquals("TDCZ", client.readUntilReady());
      assertEquals("CZ", client.readUntilReady());
      client.send(Frames.query("select again"));
      assertEquals("TDCZ", client.readUntilReady());
    }
    TestSession session = sessions.onlySession();
    assertNotNull(session.readingThread(), "the session read for itself");
    Await.until(() -> session.received().size() == 4, "Terminate or the close reached the session");
    assertEquals(List.of("sleep 50", "SET x = 1", "select again"),
        session.received().subList(0, 3).stream()
            .map(m -> ((FrontendMessage.Query) m).sql()).toList());
    assertInstanceOf(FrontendMessage.Terminate.class, session.received().get(3));
  }

  @Test
  void aMessageCutWhereTheEventLoopStoppedIsPiecedTogether() throws Exception {
    try (RawClient client = new RawClient(port)) {
      ByteBuf query = Frames.query("select the rest");
      int cut = 7;
      client.send(Unpooled.wrappedBuffer(Frames.startup("u", "db"), query.retainedSlice(0, cut)));
      assertEquals("RSSSSSSSKZ", client.readUntilReady());
      Thread.sleep(50);
      client.send(query.slice(cut, query.readableBytes() - cut));
      assertEquals("TDCZ", client.readUntilReady());
    }
    TestSession session = sessions.onlySession();
    assertEquals("select the rest", ((FrontendMessage.Query) session.received().get(0)).sql());
  }

  @Test
  void bigMessagesAndManySmallOnes() throws Exception {
    String big = "select '" + "x".repeat(3 << 20) + "'";
    try (RawClient client = connected()) {
      client.send(Frames.query(big));
      assertEquals("TDCZ", client.readUntilReady());
      ByteBuf many = Unpooled.buffer();
      for (int i = 0; i < 2000; i++) {
        many.writeBytes(Frames.query("q" + i));
      }
      client.send(many);
      for (int i = 0; i < 2000; i++) {
        assertEquals("TDCZ", client.readUntilReady());
      }
    }
    List<FrontendMessage> received = sessions.onlySession().received();
    assertEquals(big, ((FrontendMessage.Query) received.get(0)).sql());
    assertEquals("q1999", ((FrontendMessage.Query) received.get(2000)).sql());
  }

  @Test
  void aMalformedMessageGetsFatalAndTheServerGoesOn() throws Exception {
    try (RawClient client = connected()) {
      client.send(Frames.of('Q', 0, 0, 0, 2)); // a length below 4
      Frame error = client.read();
      assertEquals('E', error.tag());
      assertEquals("FATAL", error.fields().get('S'));
      assertEquals("08P01", error.fields().get('C'));
      assertEquals("invalid message length", error.fields().get('M'));
      assertClosedByServer(client);
    }
    try (RawClient client = connected()) {
      client.send(Frames.password("late"));
      Frame error = client.read();
      assertEquals("08P01", error.fields().get('C'));
      assertEquals("invalid frontend message type 112", error.fields().get('M'));
      assertClosedByServer(client);
    }
    try (RawClient client = connected()) {
      client.send(Frames.query("still serving"));
      assertEquals("TDCZ", client.readUntilReady());
    }
    Await.until(() -> server.connectionCount() == 0, "connections closed");
    Await.until(() -> sessions.sessions().stream().allMatch(s -> s.closedCalls() == 1),
        "each session closed once");
  }

  @Test
  void terminateEndsTheSessionAndTheConnection() throws Exception {
    try (RawClient client = connected()) {
      client.send(Frames.terminate());
      assertClosedByServer(client);
    }
    TestSession session = sessions.onlySession();
    Await.until(() -> session.closedCalls() == 1, "closed() called");
    session.readingThread().join(5_000);
    assertInstanceOf(FrontendMessage.Terminate.class, session.received().get(0));
    assertEquals(1, session.received().size());
  }

  @Test
  void aClientThatLeavesWhileItsSessionIsBusyIsNoticed() throws Exception {
    RawClient client = connected();
    client.send(Frames.query("sleep 5000"));
    Thread.sleep(50);
    long closedAt = System.nanoTime();
    client.close();
    TestSession session = sessions.onlySession();
    // the session is still sleeping: only the watch can have seen the socket close
    Await.until(() -> session.closedCalls() == 1, "closed() called while the session is busy");
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closedAt);
    assertTrue(millis < 3_000, "noticed after " + millis + " ms");
    assertTrue(session.readingThread().isAlive(), "the session was still busy");
    Await.until(() -> server.connectionCount() == 0, "the connection closed");
  }

  private static void assertClosedByServer(RawClient client) {
    assertThrows(IOException.class, () -> {
      try {
        client.read();
      } catch (SocketException e) {
        throw new EOFException(e.getMessage()); // a reset is a close too
      }
    });
  }

  /** A client past startup. */
  private RawClient connected() throws IOException {
    RawClient client = new RawClient(port);
    client.send(Frames.startup("u", "db"));
    assertEquals("RSSSSSSSKZ", client.readUntilReady());
    return client;
  }
}
