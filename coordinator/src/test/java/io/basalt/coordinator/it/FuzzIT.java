package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Random and malformed bytes on raw sockets must not hurt the server. */
class FuzzIT {
  private static final int ITERATIONS = 2000;
  private static final long BUDGET_NANOS = TimeUnit.SECONDS.toNanos(20);
  private static final byte[] TYPES = "QPBEDSHCFcdfXpg".getBytes(StandardCharsets.US_ASCII);

  private static byte[] startup(String user) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(body);
    d.writeInt(196608);
    for (String s : new String[] {"user", user, "database", "postgres"}) {
      d.write(s.getBytes(StandardCharsets.UTF_8));
      d.write(0);
    }
    d.write(0);
    ByteArrayOutputStream msg = new ByteArrayOutputStream();
    DataOutputStream m = new DataOutputStream(msg);
    m.writeInt(body.size() + 4);
    m.write(body.toByteArray());
    return msg.toByteArray();
  }

  private static byte[] frame(Random r) throws IOException {
    ByteArrayOutputStream msg = new ByteArrayOutputStream();
    DataOutputStream m = new DataOutputStream(msg);
    byte type = r.nextInt(4) == 0 ? (byte) r.nextInt(256) : TYPES[r.nextInt(TYPES.length)];
    byte[] payload = new byte[r.nextInt(64)];
    r.nextBytes(payload);
    if (r.nextInt(3) == 0) {   // plausible text: NUL-terminated pieces
      for (int i = 0; i < payload.length; i++) {
        payload[i] = r.nextInt(6) == 0 ? 0 : (byte) ('a' + r.nextInt(26));
      }
    }
    int length = switch (r.nextInt(6)) {
      case 0 -> r.nextInt();                       // anything, negative included
      case 1 -> payload.length + 4 + r.nextInt(9) - 4;   // slightly off
      case 2 -> Integer.MAX_VALUE;
      default -> payload.length + 4;               // correct
    };
    m.write(type);
    m.writeInt(length);
    int cut = r.nextInt(5) == 0 ? r.nextInt(payload.length + 1) : payload.length;  // truncated
    m.write(payload, 0, cut);
    return msg.toByteArray();
  }

  /** Reads until EOF, the timeout, or (when waitFor != 0) a message of that type. */
  private static void drain(Socket s, int timeoutMs, int waitFor) throws IOException {
    s.setSoTimeout(timeoutMs);
    InputStream in = s.getInputStream();
    byte[] buf = new byte[8192];
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    try {
      while (System.nanoTime() < deadline) {
        int n = in.read(buf);
        if (n < 0) {
          return;
        }
        if (waitFor != 0) {
          for (int i = 0; i < n; i++) {
            if (buf[i] == waitFor) {
              return;   // good enough: only a hint that the server answered
            }
          }
        }
      }
    } catch (SocketTimeoutException | java.net.SocketException e) {
      // Nothing more, or the server closed the connection: both are fine.
    }
  }

  private static void once(Random r, int port) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      s.setSoLinger(true, 0);
      OutputStream out = s.getOutputStream();
      try {
        switch (r.nextInt(5)) {
          case 0 -> {   // pure noise
            byte[] b = new byte[1 + r.nextInt(200)];
            r.nextBytes(b);
            out.write(b);
          }
          case 1 -> {   // startup-phase garbage: odd lengths, odd protocol codes, SSLRequest
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(b);
            int kind = r.nextInt(4);
            d.writeInt(kind == 0 ? r.nextInt() : 8 + r.nextInt(40));
            d.writeInt(kind == 1 ? 80877103 : kind == 2 ? 80877102 : r.nextInt());
            byte[] tail = new byte[r.nextInt(40)];
            r.nextBytes(tail);
            d.write(tail);
            out.write(b.toByteArray());
          }
          case 2 -> {   // a password-authenticated startup, then garbage in the auth phase
            out.write(startup("postgres"));
            out.flush();
            drain(s, 200, 'R');
            for (int i = 1 + r.nextInt(3); i > 0; i--) {
              out.write(frame(r));
            }
          }
          default -> {   // a trusted startup to ReadyForQuery, then corrupted typed frames
            byte[] st = startup(TestBasalt.TRUST_USER);
            if (r.nextInt(10) == 0) {
              st[r.nextInt(st.length)] ^= (byte) (1 << r.nextInt(8));   // flip a bit
            }
            out.write(st);
            out.flush();
            drain(s, 1000, 'Z');
            for (int i = 1 + r.nextInt(5); i > 0; i--) {
              out.write(frame(r));
            }
          }
        }
        out.flush();
        drain(s, 20, 0);
      } catch (java.net.SocketException e) {
        // The server hung up on us: an acceptable answer to garbage.
      }
    }
  }

  @Test
  void garbageDoesNotHurtTheServer() throws Exception {
    var server = TestBasalt.server();
    int port = TestBasalt.port();
    long seed = System.nanoTime();
    System.out.println("FuzzIT seed " + seed);
    Random r = new Random(seed);
    int before = server.connectionCount();
    long start = System.nanoTime();
    int done = 0;
    while (done < ITERATIONS && System.nanoTime() - start < BUDGET_NANOS) {
      once(r, port);
      done++;
    }
    System.out.println("FuzzIT ran " + done + " iterations in "
        + (System.nanoTime() - start) / 1_000_000 + " ms");
    assertTrue(done >= 200, "only " + done + " iterations ran (seed " + seed + ")");

    try (Connection c = TestBasalt.connect(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT 1")) {
      rs.next();
      assertEquals(1, rs.getInt(1), "seed " + seed);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.connectionCount() > before && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertTrue(server.connectionCount() <= before, "connections left open after fuzzing: "
        + server.connectionCount() + " > " + before + " (seed " + seed + ")");
  }
}
