package io.basalt.wire.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.wire.auth.Md5Password;
import io.basalt.wire.message.BackendMessage;
import io.basalt.wire.message.FrontendMessage;
import io.basalt.wire.spi.WireError;
import io.basalt.wire.testing.BackendFrames.Frame;
import io.basalt.wire.testing.Frames;
import io.basalt.wire.testing.ScramClient;
import io.basalt.wire.testing.TestSession;
import io.basalt.wire.testing.TestSessionFactory;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionHandlerTest {
  private static final String TRUST = "host all all 127.0.0.1/32 trust";

  private final TestSessionFactory sessions = new TestSessionFactory(false);

  // ---- encryption requests ----

  @Test
  void sslRequestIsRefusedWithoutTls() {
    EmbeddedConnection c = new EmbeddedConnection(TRUST, sessions);
    c.send(Frames.sslRequest());
    assertEquals("N", c.output().toString(StandardCharsets.US_ASCII));
    c.send(Frames.startup("alice", "db"));
    assertReady(c.frames());
  }

  @Test
  void gssEncRequestIsRefused() {
    EmbeddedConnection c = new EmbeddedConnection(TRUST, sessions);
    c.send(Frames.gssEncRequest());
    assertEquals("N", c.output().toString(StandardCharsets.US_ASCII));
    c.send(Frames.sslRequest());
    assertEquals("N", c.output().toString(StandardCharsets.US_ASCII));
  }

  @Test
  void secondSslRequestIsAnUnsupportedProtocol() {
    EmbeddedConnection c = new EmbeddedConnection(TRUST, sessions);
    c.send(Frames.sslRequest());
    c.output();
    c.send(Frames.sslRequest());
    Frame error = c.frames().get(0);
    assertEquals("0A000", error.fields().get('C'));
    assertFalse(c.isOpen());
  }

  @Test
  void sslRequestIsAcceptedWithTls(@TempDir Path dir) throws Exception {
    TlsConfig tls = SelfSignedCertificates.generate(dir);
    WireConfig config = WireConfig.defaults().withHba(HbaConfig.parse(TRUST)).withTls(tls);
    EmbeddedConnection c =
        new EmbeddedConnection(config, sessions, Optional.of(tls.newServerContext()));
    c.send(Frames.sslRequest());
    ByteBuf out = c.output();
    assertEquals('S', out.readByte(), "the answer goes out in plaintext");
    assertInstanceOf(SslHandler.class, c.channel.pipeline().first());
  }

  // ---- trust, startup parameters, protocol negotiation ----

  @Test
  void trustStartupThenQuery() {
    EmbeddedConnection c = new EmbeddedConnection(TRUST, sessions);
    c.send(Frames.startup("alice", "db"));
    List<Frame> frames = c.frames();
    assertReady(frames);
    TestSession session = sessions.onlySession();
    assertEquals("alice", session.startup().user());
    assertEquals(EmbeddedConnection.PEER, session.client().remoteAddress());
    assertFalse(session.client().ssl());

    c.send(Frames.query("select 42"));
    List<Frame> answer = c.frames();
    assertEquals("TDCZ", tags(answer));
    assertEquals("SELECT 1", cstring(answer.get(2)));
    assertEquals('I', (char) answer.get(3).body()[0]);
  }

  @Test
  void newerMinorVersionAndProtocolOptionsAreNegotiatedDown() {
    EmbeddedConnection c = new EmbeddedConnection(TRUST, sessions);
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("user", "alice");
    parameters.put("_pq_.magic", "1");
    parameters.put("application_name", "psql");
    c.send(Frames.startup(3, 2, parameters));
    List<Frame> frames = c.frames();
    Frame negotiate = frames.get(0);
    assertEquals('v', negotiate.tag());
    ByteBuf body = negotiate.buf();
    assertEquals(0, body.readInt(), "newest minor version we support");
    assertEquals(1, body.readInt());
    assertEquals("_pq_.magic", io.basalt.wire.testing.BackendFrames.readCString(body));
    assertReady(frames.subList(1, frames.size()));
    FrontendMessage.Startup startup = sessions.onlySession().startup();
    assertEquals(0, startup.protocolMinor());
    assertEquals(Map.of("user", "alice", "application_name", "psql"), startup.parameters());
  }

  @Test
  void missingUserName() {
    EmbeddedConnection c = new EmbeddedConnection(TRUST, sessions);
    c.send(Frames.startup(3, 0, Map.of("database", "db")));
    assertFatal(c, "28000", "no PostgreSQL user name specified in startup packet");
  }

  // ---- pg_hba outcomes ----

  @Test
  void rejectRule() {
    EmbeddedConnection c = new EmbeddedConnection("host all all all reject", sessions);
    c.send(Frames.startup("alice", "db"));
    assertFatal(c, "28000", "pg_hba.conf rejects connection for host \"127.0.0.1\", "
        + "user \"alice\", database \"db\", no encryption");
  }

  @Test
  void noMatchingRule() {
    EmbeddedConnection c = new EmbeddedConnection("host all bob all trust", sessions);
    c.send(Frames.startup("alice", "db"));
    assertFatal(c, "28000", "no pg_hba.conf entry for host \"127.0.0.1\", user \"alice\", "
        + "database \"db\", no encryption");
  }

  // ---- cleartext and md5 ----

  @Test
  void cleartextPassword() throws Exception {
    sessions.withRole("alice", ScramClient.verifier("secret"));
    EmbeddedConnection c = new EmbeddedConnection("host all all all password", sessions);
    c.send(Frames.startup("alice", "db"));
    assertEquals(3, c.frames().get(0).authCode());
    c.send(Frames.password("secret"));
    assertReady(c.frames());
  }

  @Test
  void wrongCleartextPassword() {
    sessions.withRole("alice", Md5Password.encrypt("secret", "alice"));
    EmbeddedConnection c = new EmbeddedConnection("host all all all password", sessions);
    c.send(Frames.startup("alice", "db"));
    assertEquals(3, c.frames().get(0).authCode());
    c.send(Frames.password("wrong"));
    assertFatal(c, "28P01", "password authentication failed for user \"alice\"");
  }

  @Test
  void md5Password() throws Exception {
    sessions.withRole("alice", Md5Password.encrypt("secret", "alice"));
    EmbeddedConnection c = new EmbeddedConnection("host all all all md5", sessions);
    c.send(Frames.startup("alice", "db"));
    Frame request = c.frames().get(0);
    assertEquals(5, request.authCode());
    byte[] salt = new byte[4];
    request.buf().skipBytes(4).readBytes(salt);
    c.send(Frames.password(md5Answer("secret", "alice", salt)));
    assertReady(c.frames());
  }

  @Test
  void wrongMd5Password() throws Exception {
    sessions.withRole("alice", Md5Password.encrypt("secret", "alice"));
    EmbeddedConnection c = new EmbeddedConnection("host all all all md5", sessions);
    c.send(Frames.startup("alice", "db"));
    byte[] salt = new byte[4];
    c.frames().get(0).buf().skipBytes(4).readBytes(salt);
    c.send(Frames.password(md5Answer("guess", "alice", salt)));
    assertFatal(c, "28P01", "password authentication failed for user \"alice\"");
  }

  @Test
  void md5RuleWithScramVerifierRunsScram() throws Exception {
    sessions.withRole("alice", ScramClient.verifier("secret"));
    EmbeddedConnection c = new EmbeddedConnection("host all all all md5", sessions);
    c.send(Frames.startup("alice", "db"));
    assertEquals(10, c.frames().get(0).authCode());
    scram(c, "secret");
    List<Frame> frames = c.frames();
    assertEquals(12, frames.get(0).authCode());
    assertReady(frames.subList(1, frames.size()));
  }

  // ---- SCRAM-SHA-256 ----

  @Test
  void scramFullExchange() throws Exception {
    sessions.withRole("alice", ScramClient.verifier("secret"));
    EmbeddedConnection c = new EmbeddedConnection("host all all all scram-sha-256", sessions);
    c.send(Frames.startup("alice", "db"));
    Frame sasl = c.frames().get(0);
    assertEquals(10, sasl.authCode());
    assertEquals("SCRAM-SHA-256\0\0", sasl.authData());

    ScramClient client = new ScramClient("secret", "fyko+d2lbbFgONRv9qkxdawL");
    c.send(Frames.saslInitialResponse("SCRAM-SHA-256", client.clientFirst()));
    Frame serverFirst = c.frames().get(0);
    assertEquals(11, serverFirst.authCode());
    assertTrue(serverFirst.authData().startsWith("r=fyko+d2lbbFgONRv9qkxdawL"));

    c.send(Frames.saslResponse(client.clientFinal(serverFirst.authData())));
    List<Frame> frames = c.frames();
    assertEquals(12, frames.get(0).authCode());
    assertTrue(client.verifyServerFinal(frames.get(0).authData()), "server proves its key");
    assertReady(frames.subList(1, frames.size()));
  }

  @Test
  void scramWrongPassword() throws Exception {
    sessions.withRole("alice", ScramClient.verifier("secret"));
    EmbeddedConnection c = new EmbeddedConnection("host all all all scram-sha-256", sessions);
    c.send(Frames.startup("alice", "db"));
    c.frames();
    scram(c, "Secret");
    assertFatal(c, "28P01", "password authentication failed for user \"alice\"");
    assertTrue(sessions.sessions().isEmpty());
  }

  @Test
  void scramUnknownRoleLooksLikeAWrongPassword() throws Exception {
    EmbeddedConnection c = new EmbeddedConnection("host all all all scram-sha-256", sessions);
    c.send(Frames.startup("ghost", "db"));
    assertEquals(10, c.frames().get(0).authCode());
    scram(c, "secret");
    assertFatal(c, "28P01", "password authentication failed for user \"ghost\"");
  }

  @Test
  void malformedScramMessageIsAProtocolViolation() {
    sessions.withRole("alice", "SCRAM-SHA-256$4096:c2FsdA==$"
        + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    EmbeddedConnection c = new EmbeddedConnection("host all all all scram-sha-256", sessions);
    c.send(Frames.startup("alice", "db"));
    c.frames();
    c.send(Frames.saslInitialResponse("SCRAM-SHA-256", "p=tls-unique,,n=,r=abc"));
    assertFatal(c, "08P01", "malformed SCRAM message");
  }

  // ---- ordering and waiting for the coordinator ----

  @Test
  void messagesArrivingDuringAPasswordLookUpWaitTheirTurn() throws Exception {
    CompletableFuture<Optional<String>> lookUp = new CompletableFuture<>();
    sessions.gatePasswordLookUp(lookUp);
    EmbeddedConnection c = new EmbeddedConnection("host all all all password", sessions);
    c.send(Unpooled.wrappedBuffer(Frames.startup("alice", "db"), Frames.password("secret"),
        Frames.query("select 1")));
    assertEquals(0, c.output().readableBytes(), "nothing before the look-up completes");
    assertFalse(c.channel.config().isAutoRead(), "reading pauses while waiting");

    lookUp.complete(Optional.of("secret"));
    List<Frame> frames = c.frames();
    assertEquals(3, frames.get(0).authCode());
    assertReady(frames.subList(1, 11));
    assertEquals("TDCZ", tags(frames.subList(11, frames.size())));
    assertTrue(c.channel.config().isAutoRead());
  }

  @Test
  void typedMessageDuringAuthenticationIsAViolation() {
    EmbeddedConnection c = new EmbeddedConnection("host all all all password", sessions);
    c.send(Frames.startup("alice", "db"));
    c.frames();
    c.send(Frames.query("select 1"));
    assertFatal(c, "08P01", "expected password response, got message type 81");
  }

  @Test
  void passwordMessageAfterStartupIsAnInvalidType() {
    EmbeddedConnection c = new EmbeddedConnection(TRUST, sessions);
    c.send(Frames.startup("alice", "db"));
    c.frames();
    c.send(Frames.password("x"));
    assertFatal(c, "08P01", "invalid frontend message type 112");
  }

  @Test
  void everyMessageReachesTheSessionInOrderAndTerminateCloses() {
    EmbeddedConnection c = new EmbeddedConnection(TRUST, sessions);
    c.send(Frames.startup("alice", "db"));
    c.frames();
    c.send(Unpooled.wrappedBuffer(Frames.typed('P', b -> {
      Frames.cstring(b, "");
      Frames.cstring(b, "select 1");
      b.writeShort(0);
    }), Frames.typed('H', b -> { }), Frames.sync(), Frames.terminate()));
    TestSession session = sessions.onlySession();
    assertEquals(List.of(FrontendMessage.Parse.class, FrontendMessage.Flush.class,
        FrontendMessage.Sync.class, FrontendMessage.Terminate.class),
        session.received().stream().map(Object::getClass).toList());
    assertFalse(c.isOpen());
    assertEquals(1, session.closedCalls());
  }

  @Test
  void closeWithoutTerminateClosesTheSessionOnce() {
    EmbeddedConnection c = new EmbeddedConnection(TRUST, sessions);
    c.send(Frames.startup("alice", "db"));
    c.frames();
    c.channel.close();
    c.channel.close();
    assertEquals(1, sessions.onlySession().closedCalls());
    assertFalse(sessions.onlySession().output().isOpen());
    sessions.onlySession().output().write(new BackendMessage.NoData());
    sessions.onlySession().output().flush();
    assertEquals(0, c.output().readableBytes(), "writes after close are dropped quietly");
  }

  @Test
  void sessionOpenFailureIsSentAndCloses() {
    sessions.failOpenWith(WireError.fatal("3D000", "database \"nope\" does not exist"));
    EmbeddedConnection c = new EmbeddedConnection(TRUST, sessions);
    c.send(Frames.startup("alice", "nope"));
    assertFatal(c, "3D000", "database \"nope\" does not exist");
  }

  @Test
  void sessionCanCloseWithAnError() {
    EmbeddedConnection c = new EmbeddedConnection(TRUST, sessions);
    c.send(Frames.startup("alice", "db"));
    c.frames();
    sessions.onlySession().output().closeWithError(
        new BackendMessage.ErrorResponse(Map.of('S', "FATAL", 'C', "57P01",
            'M', "terminating connection due to administrator command")));
    assertFatal(c, "57P01", "terminating connection due to administrator command");
    assertEquals(1, sessions.onlySession().closedCalls());
  }

  @Test
  void cancelRequestIsForwardedAndClosedWithoutAnswer() {
    EmbeddedConnection c = new EmbeddedConnection(TRUST, sessions);
    c.send(Frames.cancelRequest(1001, 77));
    assertEquals(0, c.output().readableBytes());
    assertFalse(c.isOpen());
    assertArrayEquals(new int[] {1001, 77}, sessions.cancels().get(0));
  }

  @Test
  void authenticationTimeoutClosesAStalledConnection() {
    WireConfig config = WireConfig.defaults().withHba(HbaConfig.parse(TRUST))
        .withAuthenticationTimeout(java.time.Duration.ofSeconds(5));
    EmbeddedConnection c = new EmbeddedConnection(config, sessions, Optional.empty());
    c.send(Frames.sslRequest());
    c.channel.advanceTimeBy(6, TimeUnit.SECONDS);
    c.channel.runScheduledPendingTasks();
    assertFalse(c.isOpen());
  }

  // ---- protocol violations ----

  @Test
  void malformedFrameBeforeStartup() {
    EmbeddedConnection c = new EmbeddedConnection(TRUST, sessions);
    c.send(Frames.of(0, 0, 0, 2));
    assertFatal(c, "08P01", "invalid length of startup packet");
  }

  @Test
  void malformedFrameAfterStartup() {
    EmbeddedConnection c = new EmbeddedConnection(TRUST, sessions);
    c.send(Frames.startup("alice", "db"));
    c.frames();
    c.send(Frames.of('x', 0, 0, 0, 4));
    assertFatal(c, "08P01", "invalid frontend message type 120");
    assertEquals(1, sessions.onlySession().closedCalls());
  }

  @Test
  void messageTooLarge() {
    WireConfig config = WireConfig.defaults().withHba(HbaConfig.parse(TRUST))
        .withMaxMessageSize(1024);
    EmbeddedConnection c = new EmbeddedConnection(config, sessions, Optional.empty());
    c.send(Frames.startup("alice", "db"));
    c.frames();
    c.send(Frames.of('Q', 0, 0, 0x10, 0));
    assertFatal(c, "08P01", "invalid message length");
  }

  // ---- helpers ----

  private static void scram(EmbeddedConnection c, String password) throws Exception {
    ScramClient client = new ScramClient(password, "clientnonce42");
    c.send(Frames.saslInitialResponse("SCRAM-SHA-256", client.clientFirst()));
    String serverFirst = c.frames().get(0).authData();
    c.send(Frames.saslResponse(client.clientFinal(serverFirst)));
  }

  private static String md5Answer(String password, String user, byte[] salt) throws Exception {
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    String inner = HexFormat.of().formatHex(
        md5.digest((password + user).getBytes(StandardCharsets.UTF_8)));
    md5.update(inner.getBytes(StandardCharsets.US_ASCII));
    md5.update(salt);
    return "md5" + HexFormat.of().formatHex(md5.digest());
  }

  /** AuthenticationOk, seven ParameterStatus, BackendKeyData, ReadyForQuery('I'). */
  private void assertReady(List<Frame> frames) {
    assertEquals("RSSSSSSSKZ", tags(frames), frames.toString());
    assertEquals(0, frames.get(0).authCode());
    assertEquals("server_version", cstring(frames.get(1)));
    ByteBuf key = frames.get(8).buf();
    TestSession session = sessions.sessions().get(sessions.sessions().size() - 1);
    assertEquals(session.processId(), key.readInt());
    assertEquals(TestSession.SECRET, key.readInt());
    assertEquals('I', (char) frames.get(9).body()[0]);
  }

  private static void assertFatal(EmbeddedConnection c, String sqlState, String message) {
    List<Frame> frames = c.frames();
    Frame error = frames.get(frames.size() - 1);
    assertEquals('E', error.tag(), frames.toString());
    assertEquals("FATAL", error.fields().get('S'));
    assertEquals(sqlState, error.fields().get('C'));
    assertEquals(message, error.fields().get('M'));
    assertFalse(c.isOpen(), "connection closed after FATAL");
  }

  private static String tags(List<Frame> frames) {
    StringBuilder tags = new StringBuilder();
    frames.forEach(f -> tags.append(f.tag()));
    return tags.toString();
  }

  private static String cstring(Frame frame) {
    return io.basalt.wire.testing.BackendFrames.readCString(frame.buf());
  }
}
