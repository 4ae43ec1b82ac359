package io.basalt.wire.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.wire.codec.ClientEncoding;
import io.basalt.wire.message.BackendMessage;
import io.basalt.wire.testing.BackendFrames;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChannelBackendOutputTest {
  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final ClientEncoding encoding = new ClientEncoding();
  private final ChannelBackendOutput output = new ChannelBackendOutput(channel, encoding);

  @Test
  void nothingLeavesBeforeFlush() {
    output.write(new BackendMessage.NoData());
    assertEquals(0, BackendFrames.drain(channel).readableBytes());
    output.flush();
    assertEquals("6e00000004", ByteBufUtil.hexDump(BackendFrames.drain(channel)));
  }

  @Test
  void aLargeBufferIsWrittenEarly() {
    byte[] value = new byte[ChannelBackendOutput.EARLY_WRITE_THRESHOLD];
    output.write(new BackendMessage.DataRow(new byte[][] {value}));
    assertTrue(BackendFrames.drain(channel).readableBytes() > value.length);
  }

  @Test
  void aMessageThatFailsToEncodeLeavesNoTrace() {
    output.write(new BackendMessage.NoData());
    assertThrows(IllegalArgumentException.class,
        () -> output.write(new BackendMessage.CommandComplete("bad\0tag")));
    output.write(new BackendMessage.ReadyForQuery('I'));
    output.flush();
    assertEquals("6e00000004" + "5a0000000549",
        ByteBufUtil.hexDump(BackendFrames.drain(channel)));
  }

  @Test
  void clientCharsetAppliesToLaterMessages() {
    output.clientCharset(StandardCharsets.ISO_8859_1);
    assertEquals(StandardCharsets.ISO_8859_1, encoding.charset());
    output.write(new BackendMessage.CommandComplete("é"));
    output.flush();
    assertEquals("4300000006e900", ByteBufUtil.hexDump(BackendFrames.drain(channel)));
  }

  @Test
  void closeWithErrorSendsBufferedMessagesThenTheErrorThenCloses() {
    output.write(new BackendMessage.NoData());
    output.closeWithError(new BackendMessage.ErrorResponse(Map.of('C', "57P01")));
    assertEquals("6e00000004" + "450000000c" + "433537503031" + "00" + "00",
        ByteBufUtil.hexDump(BackendFrames.drain(channel)));
    assertFalse(output.isOpen());
    output.write(new BackendMessage.NoData());
    output.flush();
    assertEquals(0, BackendFrames.drain(channel).readableBytes());
  }
}
