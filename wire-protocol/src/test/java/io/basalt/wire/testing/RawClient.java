package io.basalt.wire.testing;

import io.basalt.wire.testing.BackendFrames.Frame;
import io.netty.buffer.ByteBuf;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/** A blocking socket client that speaks raw frames, for tests below pgjdbc's level. */
public final class RawClient implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  public RawClient(int port, int receiveBuffer) throws IOException {
    socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.setSoTimeout(10_000);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  public RawClient(int port) throws IOException {
    this(port, 0);
  }

  public void send(ByteBuf frame) throws IOException {
    out.write(Frames.toArray(frame));
    frame.release();
    out.flush();
  }

  public Frame read() throws IOException {
    char tag = (char) in.readUnsignedByte();
    int length = in.readInt();
    byte[] body = new byte[length - 4];
    in.readFully(body);
    return new Frame(tag, body);
  }

  /** Reads frames until ReadyForQuery and returns the tags seen, e.g. "TDCZ". */
  public String readUntilReady() throws IOException {
    StringBuilder tags = new StringBuilder();
    Frame frame;
    do {
      frame = read();
      tags.append(frame.tag());
      if (frame.tag() == 'E') {
        throw new IOException("server error: " + frame.fields());
      }
    } while (frame.tag() != 'Z');
    return tags.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
