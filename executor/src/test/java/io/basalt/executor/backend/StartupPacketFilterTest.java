package io.basalt.executor.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StartupPacketFilterTest {
  private static byte[] startup(int protocol, Map<String, String> params) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    params.forEach((k, v) -> body.writeBytes((k + "\0" + v + "\0")
        .getBytes(StandardCharsets.UTF_8)));
    body.write(0);
    byte[] b = body.toByteArray();
    return ByteBuffer.allocate(8 + b.length).putInt(8 + b.length).putInt(protocol).put(b).array();
  }

  /** Parameters as pgjdbc sends them, in its order. */
  private static Map<String, String> pgjdbcParams() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("user", "alice");
    p.put("database", "db");
    p.put("client_encoding", "UTF8");
    p.put("DateStyle", "ISO");
    p.put("TimeZone", "Europe/Berlin");
    p.put("application_name", "psql");
    p.put("options", "-c DateStyle=German -c TimeZone=Asia/Tokyo");
    return p;
  }

  private static byte[] through(byte[] data, int chunk) throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    StartupPacketFilter f = new StartupPacketFilter(sink);
    for (int i = 0; i < data.length; i += chunk) {
      int n = Math.min(chunk, data.length - i);
      if (n == 1) {
        f.write(data[i]);
      } else {
        f.write(data, i, n);
      }
    }
    f.flush();
    return sink.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void dropsPgjdbcsDateStyleAndTimeZone() throws IOException {
    for (int protocol : new int[] {3 << 16, 3 << 16 | 2}) {
      Map<String, String> kept = new LinkedHashMap<>(pgjdbcParams());
      kept.remove("DateStyle");
      kept.remove("TimeZone");
      byte[] after = "P\0\0\0\u0008\0\0\0".getBytes(StandardCharsets.ISO_8859_1);
      byte[] expected = concat(startup(protocol, kept), after);
      byte[] input = concat(startup(protocol, pgjdbcParams()), after);
      for (int chunk : new int[] {1, 2, 3, 7, 8, 9, 50, input.length}) {
        assertArrayEquals(expected, through(input, chunk), "chunk " + chunk);
      }
    }
  }

  @Test
  void otherPacketsPassUnchanged() throws IOException {
    byte[] cancel = ByteBuffer.allocate(16).putInt(16).putInt(80877102).putInt(4711)
        .putInt(-12345).array();
    byte[] sslRequest = ByteBuffer.allocate(8).putInt(8).putInt(80877103).array();
    byte[] later = startup(3 << 16, pgjdbcParams());
    byte[] protocol2 = startup(2 << 16, pgjdbcParams());
    byte[] noTerminator = startup(3 << 16, pgjdbcParams());
    noTerminator[noTerminator.length - 1] = 'x';
    byte[] tooLong = ByteBuffer.allocate(16).putInt(20_000).putInt(3 << 16).putInt(0).putInt(0)
        .array();
    List<byte[]> cases = new ArrayList<>(List.of(cancel, concat(sslRequest, later), protocol2,
        noTerminator, tooLong));
    for (byte[] c : cases) {
      for (int chunk : new int[] {1, 5, c.length}) {
        assertArrayEquals(c, through(c, chunk));
      }
    }
  }

  @Test
  void rewriteOfAStartupWithoutThemIsTheSame() {
    Map<String, String> p = new LinkedHashMap<>(pgjdbcParams());
    p.remove("DateStyle");
    p.remove("TimeZone");
    byte[] packet = startup(3 << 16, p);
    assertArrayEquals(packet, StartupPacketFilter.rewrite(packet));
    assertEquals(packet.length, StartupPacketFilter.rewrite(packet).length);
  }
}
