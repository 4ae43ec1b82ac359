package io.basalt.wire.codec;

import io.basalt.wire.message.BackendMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Pipeline adapter over {@link BackendEncoder} for messages written as objects (the handler's own
 * startup and error messages). ByteBufs a session has already encoded pass through untouched.
 */
public final class BackendMessageEncoder extends MessageToByteEncoder<BackendMessage> {
  private final ClientEncoding encoding;

  public BackendMessageEncoder(ClientEncoding encoding) {
    super(BackendMessage.class);
    this.encoding = encoding;
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, BackendMessage message, ByteBuf out) {
    BackendEncoder.encode(message, out, encoding.charset());
  }
}
