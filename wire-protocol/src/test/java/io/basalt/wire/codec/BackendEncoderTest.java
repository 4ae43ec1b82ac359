package io.basalt.wire.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.basalt.wire.message.BackendMessage;
import io.basalt.wire.message.BackendMessage.Field;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BackendEncoderTest {

  private record Case(BackendMessage message, String hex) {}

  private static Map<Character, String> errorFields() {
    Map<Character, String> fields = new LinkedHashMap<>();
    fields.put('S', "ERROR");
    fields.put('C', "42P01");
    fields.put('M', "x");
    return fields;
  }

  /** Every backend message kind with its exact bytes (spaces only for reading). */
  private static List<Case> cases() {
    byte[] one = {'1'};
    return List.of(
        new Case(new BackendMessage.AuthenticationOk(), "52 00000008 00000000"),
        new Case(new BackendMessage.AuthenticationCleartextPassword(), "52 00000008 00000003"),
        new Case(new BackendMessage.AuthenticationMd5Password(new byte[] {1, 2, 3, 4}),
            "52 0000000c 00000005 01020304"),
        new Case(new BackendMessage.AuthenticationSasl(List.of("SCRAM-SHA-256")),
            "52 00000017 0000000a 5343 52414d2d5348412d323536 00 00"),
        new Case(new BackendMessage.AuthenticationSaslContinue(ascii("r=abc")),
            "52 0000000d 0000000b 723d616263"),
        new Case(new BackendMessage.AuthenticationSaslFinal(ascii("v=xyz")),
            "52 0000000d 0000000c 763d78797a"),
        new Case(new BackendMessage.NegotiateProtocolVersion(0, List.of("_pq_.a")),
            "76 00000013 00000000 00000001 5f70715f2e6100"),
        new Case(new BackendMessage.ParameterStatus("a", "b"), "53 00000008 6100 6200"),
        new Case(new BackendMessage.BackendKeyData(1, 2), "4b 0000000c 00000001 00000002"),
        new Case(new BackendMessage.ReadyForQuery('I'), "5a 00000005 49"),
        new Case(new BackendMessage.ErrorResponse(errorFields()),
            "45 00000016 53 4552524f5200 43 343250303100 4d 7800 00"),
        new Case(new BackendMessage.NoticeResponse(errorFields()),
            "4e 00000016 53 4552524f5200 43 343250303100 4d 7800 00"),
        new Case(new BackendMessage.NotificationResponse(7, "ch", "pl"),
            "41 0000000e 00000007 636800 706c00"),
        new Case(new BackendMessage.RowDescription(
            List.of(new Field("a", 16384, (short) 1, 23, (short) 4, -1, (short) 0))),
            "54 0000001a 0001 6100 00004000 0001 00000017 0004 ffffffff 0000"),
        new Case(new BackendMessage.DataRow(new byte[][] {one, null}),
            "44 0000000f 0002 00000001 31 ffffffff"),
        new Case(new BackendMessage.CommandComplete("SELECT 1"),
            "43 0000000d 53454c4543542031 00"),
        new Case(new BackendMessage.EmptyQueryResponse(), "49 00000004"),
        new Case(new BackendMessage.ParseComplete(), "31 00000004"),
        new Case(new BackendMessage.BindComplete(), "32 00000004"),
        new Case(new BackendMessage.CloseComplete(), "33 00000004"),
        new Case(new BackendMessage.NoData(), "6e 00000004"),
        new Case(new BackendMessage.ParameterDescription(new int[] {23, 25}),
            "74 0000000e 0002 00000017 00000019"),
        new Case(new BackendMessage.PortalSuspended(), "73 00000004"),
        new Case(new BackendMessage.FunctionCallResponse(new byte[] {42}),
            "56 00000009 00000001 2a"),
        new Case(new BackendMessage.CopyInResponse((byte) 0, new short[] {0, 0}),
            "47 0000000b 00 0002 0000 0000"),
        new Case(new BackendMessage.CopyOutResponse((byte) 1, new short[] {1}),
            "48 00000009 01 0001 0001"),
        new Case(new BackendMessage.CopyData(ascii("ab")), "64 00000006 6162"),
        new Case(new BackendMessage.CopyDone(), "63 00000004"));
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static String encode(BackendMessage message, Charset charset) {
    ByteBuf out = Unpooled.buffer();
    BackendEncoder.encode(message, out, charset);
    return ByteBufUtil.hexDump(out);
  }

  @Test
  void everyBackendMessageKindHasExactBytes() {
    for (Case c : cases()) {
      assertEquals(c.hex().replace(" ", ""), encode(c.message(), StandardCharsets.UTF_8),
          c.message().getClass().getSimpleName());
    }
  }

  @Test
  void theTableCoversEveryBackendMessageKind() {
    Set<Class<?>> covered = cases().stream().map(c -> c.message().getClass())
        .collect(Collectors.toSet());
    Set<Class<?>> all = new HashSet<>(Arrays.asList(BackendMessage.class.getPermittedSubclasses()));
    all.removeAll(covered);
    assertEquals(Set.of(), all, "backend message kinds without an encoding case");
  }

  @Test
  void nullFunctionResult() {
    assertEquals("56000000" + "08ffffffff",
        encode(new BackendMessage.FunctionCallResponse(null), StandardCharsets.UTF_8));
  }

  @Test
  void stringsUseTheClientEncoding() {
    assertEquals("5300000008" + "6300" + "e900",
        encode(new BackendMessage.ParameterStatus("c", "é"), StandardCharsets.ISO_8859_1));
    assertEquals("5300000009" + "6300" + "c3a900",
        encode(new BackendMessage.ParameterStatus("c", "é"), StandardCharsets.UTF_8));
  }

  @Test
  void messagesFollowEachOtherInOneBuffer() {
    ByteBuf out = Unpooled.buffer();
    BackendEncoder.encode(new BackendMessage.ParseComplete(), out, StandardCharsets.UTF_8);
    BackendEncoder.encode(new BackendMessage.ReadyForQuery('T'), out, StandardCharsets.UTF_8);
    assertEquals("3100000004" + "5a0000000554", ByteBufUtil.hexDump(out));
  }

  @Test
  void refusesWhatWouldDesynchroniseTheClient() {
    assertThrows(IllegalArgumentException.class,
        () -> encode(new BackendMessage.CommandComplete("a\0b"), StandardCharsets.UTF_8));
    assertThrows(IllegalArgumentException.class,
        () -> encode(new BackendMessage.ReadyForQuery('X'), StandardCharsets.UTF_8));
    assertThrows(IllegalArgumentException.class, () -> encode(
        new BackendMessage.AuthenticationMd5Password(new byte[3]), StandardCharsets.UTF_8));
  }

  @Test
  void pipelineEncoderPassesEncodedBuffersThrough() {
    EmbeddedChannel channel = new EmbeddedChannel(new BackendMessageEncoder(new ClientEncoding()));
    channel.writeOutbound(new BackendMessage.NoData());
    channel.writeOutbound(Unpooled.wrappedBuffer(new byte[] {'N'}));
    ByteBuf first = channel.readOutbound();
    ByteBuf second = channel.readOutbound();
    assertEquals("6e00000004", ByteBufUtil.hexDump(first));
    assertEquals("4e", ByteBufUtil.hexDump(second));
    first.release();
    second.release();
  }
}
