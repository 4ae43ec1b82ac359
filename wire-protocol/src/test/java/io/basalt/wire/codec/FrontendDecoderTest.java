package io.basalt.wire.codec;

import static io.basalt.wire.testing.Frames.cstring;
import static io.basalt.wire.testing.Frames.of;
import static io.basalt.wire.testing.Frames.typed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.basalt.wire.message.FrontendMessage;
import io.basalt.wire.testing.Frames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrontendDecoderTest {
  private final ClientEncoding encoding = new ClientEncoding();

  private EmbeddedChannel decoder(int maxMessageSize, boolean tls) {
    return new EmbeddedChannel(new FrontendDecoder(maxMessageSize, encoding, tls));
  }

  /** A decoder that has already seen a StartupMessage, so it reads typed messages. */
  private EmbeddedChannel typedDecoder(int maxMessageSize) {
    EmbeddedChannel channel = decoder(maxMessageSize, false);
    channel.writeInbound(Frames.startup("u", "d"));
    assertInstanceOf(FrontendMessage.Startup.class, channel.readInbound());
    return channel;
  }

  private <T extends FrontendMessage> T decodeTyped(ByteBuf frame, Class<T> kind) {
    EmbeddedChannel channel = typedDecoder(Protocol.DEFAULT_MAX_MESSAGE_SIZE);
    channel.writeInbound(frame);
    Object message = channel.readInbound();
    assertNull(channel.readInbound(), "one frame, one message");
    return assertInstanceOf(kind, message);
  }

  private static ProtocolViolation violation(EmbeddedChannel channel, ByteBuf bytes) {
    return assertThrows(ProtocolViolation.class, () -> channel.writeInbound(bytes));
  }

  // ---- startup packets ----

  @Test
  void sslRequestFromExactBytes() {
    EmbeddedChannel channel = decoder(1000, false);
    channel.writeInbound(of(0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f));
    assertInstanceOf(FrontendMessage.SslRequest.class, channel.readInbound());
  }

  @Test
  void gssEncRequestFromExactBytes() {
    EmbeddedChannel channel = decoder(1000, false);
    channel.writeInbound(of(0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x30));
    assertInstanceOf(FrontendMessage.GssEncRequest.class, channel.readInbound());
  }

  @Test
  void cancelRequestFromExactBytes() {
    EmbeddedChannel channel = decoder(1000, false);
    channel.writeInbound(of(0, 0, 0, 16, 0x04, 0xd2, 0x16, 0x2e, 0, 0, 0x30, 0x39,
        0xff, 0xff, 0xff, 0xfe));
    FrontendMessage.CancelRequest cancel =
        assertInstanceOf(FrontendMessage.CancelRequest.class, channel.readInbound());
    assertEquals(12345, cancel.processId());
    assertEquals(-2, cancel.secretKey());
  }

  @Test
  void startupMessageFromExactBytes() {
    EmbeddedChannel channel = decoder(1000, false);
    // length 31, version 3.0, user=bob database=db1, terminator
    ByteBuf bytes = of(0, 0, 0, 31, 0, 3, 0, 0,
        'u', 's', 'e', 'r', 0, 'b', 'o', 'b', 0,
        'd', 'a', 't', 'a', 'b', 'a', 's', 'e', 0, 'd', 'b', '1', 0, 0);
    channel.writeInbound(bytes);
    FrontendMessage.Startup startup =
        assertInstanceOf(FrontendMessage.Startup.class, channel.readInbound());
    assertEquals(3, startup.protocolMajor());
    assertEquals(0, startup.protocolMinor());
    assertEquals(List.of("user", "database"), new ArrayList<>(startup.parameters().keySet()));
    assertEquals("bob", startup.user());
    assertEquals("db1", startup.database());
  }

  @Test
  void startupForNewerMinorVersionKeepsProtocolOptions() {
    EmbeddedChannel channel = decoder(1000, false);
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("user", "bob");
    parameters.put("_pq_.compression", "on");
    channel.writeInbound(Frames.startup(3, 2, parameters));
    FrontendMessage.Startup startup =
        assertInstanceOf(FrontendMessage.Startup.class, channel.readInbound());
    assertEquals(2, startup.protocolMinor());
    assertEquals("on", startup.parameters().get("_pq_.compression"));
    assertEquals("bob", startup.database(), "database defaults to the user name");
  }

  @Test
  void startupPacketsMayArriveInPieces() {
    EmbeddedChannel channel = decoder(1000, false);
    ByteBuf all = Unpooled.wrappedBuffer(Frames.sslRequest(), Frames.startup("u", "d"),
        Frames.query("select 1"));
    while (all.isReadable()) {
      channel.writeInbound(all.readRetainedSlice(1));
    }
    assertInstanceOf(FrontendMessage.SslRequest.class, channel.readInbound());
    assertInstanceOf(FrontendMessage.Startup.class, channel.readInbound());
    assertEquals("select 1",
        assertInstanceOf(FrontendMessage.Query.class, channel.readInbound()).sql());
    all.release();
  }

  // ---- typed messages ----

  @Test
  void query() {
    // 'Q', length 13, "select 1\0"
    ByteBuf bytes = of('Q', 0, 0, 0, 13, 's', 'e', 'l', 'e', 'c', 't', ' ', '1', 0);
    assertEquals("select 1", decodeTyped(bytes, FrontendMessage.Query.class).sql());
  }

  @Test
  void parse() {
    ByteBuf bytes = of('P', 0, 0, 0, 27, 's', '1', 0, 's', 'e', 'l', 'e', 'c', 't', ' ', '$', '1',
        0, 0, 2, 0, 0, 0, 23, 0, 0, 0, 0);
    FrontendMessage.Parse parse = decodeTyped(bytes, FrontendMessage.Parse.class);
    assertEquals("s1", parse.statementName());
    assertEquals("select $1", parse.sql());
    assertArrayEquals(new int[] {23, 0}, parse.parameterTypes());
  }

  @Test
  void bind() {
    ByteBuf bytes = typed('B', b -> {
      cstring(b, "p1");
      cstring(b, "s1");
      b.writeShort(2).writeShort(0).writeShort(1); // two parameter formats
      b.writeShort(2);                             // two parameters
      b.writeInt(2).writeBytes(new byte[] {'4', '2'});
      b.writeInt(-1);                              // NULL
      b.writeShort(1).writeShort(1);               // one result format: binary
    });
    FrontendMessage.Bind bind = decodeTyped(bytes, FrontendMessage.Bind.class);
    assertEquals("p1", bind.portalName());
    assertEquals("s1", bind.statementName());
    assertArrayEquals(new short[] {0, 1}, bind.parameterFormats());
    assertArrayEquals("42".getBytes(StandardCharsets.US_ASCII), bind.parameters().get(0));
    assertNull(bind.parameters().get(1));
    assertArrayEquals(new short[] {1}, bind.resultFormats());
    assertEquals(1, bind.resultFormat(7));
  }

  @Test
  void describe() {
    FrontendMessage.Describe statement =
        decodeTyped(of('D', 0, 0, 0, 8, 'S', 's', '1', 0), FrontendMessage.Describe.class);
    assertEquals('S', statement.kind());
    assertEquals("s1", statement.name());
    FrontendMessage.Describe portal =
        decodeTyped(of('D', 0, 0, 0, 6, 'P', 0), FrontendMessage.Describe.class);
    assertEquals('P', portal.kind());
    assertEquals("", portal.name());
  }

  @Test
  void execute() {
    FrontendMessage.Execute execute =
        decodeTyped(of('E', 0, 0, 0, 11, 'p', '1', 0, 0, 0, 1, 0), FrontendMessage.Execute.class);
    assertEquals("p1", execute.portalName());
    assertEquals(256, execute.maxRows());
  }

  @Test
  void close() {
    FrontendMessage.Close close =
        decodeTyped(of('C', 0, 0, 0, 8, 'P', 'p', '1', 0), FrontendMessage.Close.class);
    assertEquals('P', close.kind());
    assertEquals("p1", close.name());
  }

  @Test
  void syncFlushTerminateCopyDone() {
    decodeTyped(of('S', 0, 0, 0, 4), FrontendMessage.Sync.class);
    decodeTyped(of('H', 0, 0, 0, 4), FrontendMessage.Flush.class);
    decodeTyped(of('X', 0, 0, 0, 4), FrontendMessage.Terminate.class);
    decodeTyped(of('c', 0, 0, 0, 4), FrontendMessage.CopyDone.class);
  }

  @Test
  void functionCall() {
    ByteBuf bytes = typed('F', b -> {
      b.writeInt(1598);            // function oid
      b.writeShort(1).writeShort(1);
      b.writeShort(1);
      b.writeInt(4).writeInt(7);
      b.writeShort(1);
    });
    FrontendMessage.FunctionCall call = decodeTyped(bytes, FrontendMessage.FunctionCall.class);
    assertEquals(1598, call.functionOid());
    assertArrayEquals(new short[] {1}, call.argumentFormats());
    assertArrayEquals(new byte[] {0, 0, 0, 7}, call.arguments().get(0));
    assertEquals(1, call.resultFormat());
  }

  @Test
  void copyDataAndCopyFail() {
    FrontendMessage.CopyData data =
        decodeTyped(of('d', 0, 0, 0, 7, '1', '\t', '\n'), FrontendMessage.CopyData.class);
    assertArrayEquals(new byte[] {'1', '\t', '\n'}, data.data());
    FrontendMessage.CopyFail fail =
        decodeTyped(of('f', 0, 0, 0, 8, 'b', 'a', 'd', 0), FrontendMessage.CopyFail.class);
    assertEquals("bad", fail.message());
  }

  @Test
  void passwordDataStaysRaw() {
    FrontendMessage.PasswordData data =
        decodeTyped(of('p', 0, 0, 0, 8, 'p', 'w', 0, 1), FrontendMessage.PasswordData.class);
    assertArrayEquals(new byte[] {'p', 'w', 0, 1}, data.payload());
  }

  @Test
  void clientEncodingAppliesToLaterStrings() {
    EmbeddedChannel channel = typedDecoder(1000);
    encoding.charset(StandardCharsets.ISO_8859_1);
    channel.writeInbound(of('Q', 0, 0, 0, 7, 'c', 0xe9, 0));
    assertEquals("cé", ((FrontendMessage.Query) channel.readInbound()).sql());
  }

  // ---- violations ----

  @Test
  void unknownTag() {
    ProtocolViolation e = violation(typedDecoder(1000), of('x'));
    assertEquals("invalid frontend message type 120", e.getMessage());
    assertEquals("08P01", e.sqlState());
  }

  @Test
  void secondStartupMessageIsAnUnknownTag() {
    ProtocolViolation e = violation(typedDecoder(1000), Frames.startup("u", "d"));
    assertEquals("invalid frontend message type 0", e.getMessage());
  }

  @Test
  void lengthShorterThanItself() {
    assertEquals("invalid message length",
        violation(typedDecoder(1000), of('Q', 0, 0, 0, 3)).getMessage());
    assertEquals("invalid message length",
        violation(typedDecoder(1000), of('Q', 0xff, 0xff, 0xff, 0xf0)).getMessage());
  }

  @Test
  void oversizedMessageIsRefusedFromItsHeaderAlone() {
    assertEquals("invalid message length",
        violation(typedDecoder(1000), of('Q', 0, 0, 0x03, 0xe9)).getMessage());
    assertEquals("invalid message length", violation(typedDecoder(Protocol.DEFAULT_MAX_MESSAGE_SIZE),
        of('Q', 0x40, 0, 0, 0)).getMessage());
  }

  @Test
  void smallMessagesHaveASmallCap() {
    assertEquals("invalid message length", violation(typedDecoder(Protocol.DEFAULT_MAX_MESSAGE_SIZE),
        of('S', 0, 0, 0x27, 0x11)).getMessage());
  }

  @Test
  void stringWithoutTerminator() {
    assertEquals("invalid string in message",
        violation(typedDecoder(1000), of('Q', 0, 0, 0, 6, 'a', 'b')).getMessage());
  }

  @Test
  void negativeValueLength() {
    ByteBuf bytes = typed('B', b -> {
      cstring(b, "");
      cstring(b, "");
      b.writeShort(0).writeShort(1).writeInt(-2).writeShort(0);
    });
    assertEquals("insufficient data left in message",
        violation(typedDecoder(1000), bytes).getMessage());
  }

  @Test
  void countLargerThanTheData() {
    ByteBuf bytes = typed('P', b -> {
      cstring(b, "");
      cstring(b, "select $1");
      b.writeShort(-1).writeInt(23);
    });
    assertEquals("insufficient data left in message",
        violation(typedDecoder(1000), bytes).getMessage());
  }

  @Test
  void formatCountMustMatchValueCount() {
    ByteBuf bytes = typed('B', b -> {
      cstring(b, "");
      cstring(b, "");
      b.writeShort(2).writeShort(0).writeShort(0);
      b.writeShort(3).writeInt(-1).writeInt(-1).writeInt(-1);
      b.writeShort(0);
    });
    violation(typedDecoder(1000), bytes);
  }

  @Test
  void trailingBytes() {
    assertEquals("invalid message format",
        violation(typedDecoder(1000), of('S', 0, 0, 0, 5, 0)).getMessage());
  }

  @Test
  void describeSubtype() {
    assertEquals("invalid DESCRIBE message subtype 88",
        violation(typedDecoder(1000), of('D', 0, 0, 0, 6, 'X', 0)).getMessage());
  }

  @Test
  void invalidUtf8() {
    ProtocolViolation e = violation(typedDecoder(1000), of('Q', 0, 0, 0, 7, 0xc3, 0x28, 0));
    assertEquals("22021", e.sqlState());
  }

  @Test
  void startupLengthOutOfRange() {
    assertEquals("invalid length of startup packet",
        violation(decoder(1000, false), of(0, 0, 0, 7)).getMessage());
    assertEquals("invalid length of startup packet",
        violation(decoder(1000, false), of(0, 0, 0x27, 0x11)).getMessage());
    assertEquals("invalid length of startup packet",
        violation(decoder(1000, false), of(0x80, 0, 0, 0)).getMessage());
  }

  @Test
  void startupWithUnsupportedProtocol() {
    ProtocolViolation e = violation(decoder(1000, false),
        Frames.startup(2, 0, Map.of("user", "u")));
    assertEquals("unsupported frontend protocol 2.0: server supports 3.0 to 3.0", e.getMessage());
    assertEquals("0A000", e.sqlState());
  }

  @Test
  void startupWithoutTerminator() {
    ByteBuf bytes = Frames.untyped(b -> {
      b.writeInt(196608);
      cstring(b, "user");
      cstring(b, "u");
    });
    assertEquals("invalid startup packet layout: expected terminator as last byte",
        violation(decoder(1000, false), bytes).getMessage());
  }

  @Test
  void cancelRequestOfWrongLength() {
    violation(decoder(1000, false), Frames.untyped(b -> b.writeInt(80877102).writeInt(1)));
  }

  @Test
  void plaintextRightBehindAnSslRequestIsRefusedWhenTlsIsOn() {
    ByteBuf bytes = Unpooled.wrappedBuffer(Frames.sslRequest(), Frames.startup("u", "d"));
    assertEquals("received unencrypted data after SSL request",
        violation(decoder(1000, true), bytes).getMessage());
  }

  @Test
  void afterAViolationLaterBytesAreDropped() {
    EmbeddedChannel channel = typedDecoder(1000);
    violation(channel, of('x'));
    channel.writeInbound(Frames.query("select 1"));
    assertNull(channel.readInbound());
  }

  @Test
  void fragmentsOfEveryKindReassemble() {
    ByteBuf all = Unpooled.wrappedBuffer(Frames.query("a"), Frames.sync(), of('D', 0, 0, 0, 6,
        'S', 0), Frames.terminate());
    EmbeddedChannel channel = typedDecoder(1000);
    while (all.isReadable()) {
      channel.writeInbound(all.readRetainedSlice(1));
    }
    all.release();
    assertInstanceOf(FrontendMessage.Query.class, channel.readInbound());
    assertInstanceOf(FrontendMessage.Sync.class, channel.readInbound());
    assertInstanceOf(FrontendMessage.Describe.class, channel.readInbound());
    assertInstanceOf(FrontendMessage.Terminate.class, channel.readInbound());
  }
}
