package io.basalt.coordinator.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A bare PostgreSQL protocol client for what drivers will not do on request: send CopyFail and
 * read the server's answer to it, or drop the connection in the middle of a COPY without a
 * Terminate message. Authenticates with SCRAM-SHA-256 (or trust).
 */
final class WireClient implements AutoCloseable {
  /** One backend message: its tag and, for ErrorResponse/NoticeResponse, its fields. */
  record Message(char tag, Map<Character, String> fields, byte[] body) {
    String sqlState() {
      return fields.get('C');
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;

  private WireClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
    this.out = new DataOutputStream(socket.getOutputStream());
  }

  static WireClient connect(int port, String user, String password) throws IOException {
    WireClient c = new WireClient(new Socket("127.0.0.1", port));
    c.socket.setSoTimeout(120_000);
    try {
      c.startup(user, password);
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
    return c;
  }

  private void startup(String user, String password) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(b);
    d.writeInt(196608);
    for (String s : new String[] {"user", user, "database", "postgres"}) {
      d.write(s.getBytes(StandardCharsets.UTF_8));
      d.write(0);
    }
    d.write(0);
    out.writeInt(b.size() + 4);
    out.write(b.toByteArray());
    out.flush();
    String nonce = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(18));
    String clientFirstBare = "n=,r=" + nonce;
    byte[] saltedPassword = null;
    String authMessage = null;
    while (true) {
      Message m = read();
      switch (m.tag()) {
        case 'R' -> {
          int kind = java.nio.ByteBuffer.wrap(m.body()).getInt();
          switch (kind) {
            case 0 -> { }
            case 10 -> {
              byte[] first = ("n,," + clientFirstBare).getBytes(StandardCharsets.UTF_8);
              ByteArrayOutputStream p = new ByteArrayOutputStream();
              p.write("SCRAM-SHA-256".getBytes(StandardCharsets.US_ASCII));
              p.write(0);
              p.write(java.nio.ByteBuffer.allocate(4).putInt(first.length).array());
              p.write(first);
              send('p', p.toByteArray());
            }
            case 11 -> {
              String serverFirst = new String(m.body(), 4, m.body().length - 4,
                  StandardCharsets.UTF_8);
              Map<String, String> a = attributes(serverFirst);
              if (!a.get("r").startsWith(nonce)) {
                throw new IOException("server nonce does not extend ours: " + serverFirst);
              }
              String withoutProof = "c=biws,r=" + a.get("r");
              authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
              saltedPassword = pbkdf2(password, Base64.getDecoder().decode(a.get("s")),
                  Integer.parseInt(a.get("i")));
              byte[] clientKey = hmac(saltedPassword, "Client Key");
              byte[] signature = hmac(sha256(clientKey), authMessage);
              byte[] proof = new byte[clientKey.length];
              for (int i = 0; i < proof.length; i++) {
                proof[i] = (byte) (clientKey[i] ^ signature[i]);
              }
              send('p', (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof))
                  .getBytes(StandardCharsets.UTF_8));
            }
            case 12 -> {
              String serverFinal = new String(m.body(), 4, m.body().length - 4,
                  StandardCharsets.UTF_8);
              byte[] expected = hmac(hmac(saltedPassword, "Server Key"), authMessage);
              if (!Base64.getEncoder().encodeToString(expected).equals(
                  attributes(serverFinal).get("v"))) {
                throw new IOException("wrong server signature: " + serverFinal);
              }
            }
            default -> throw new IOException("unsupported authentication request " + kind);
          }
        }
        case 'E' -> throw new IOException("connection refused: " + m.fields());
        case 'Z' -> {
          return;
        }
        default -> { }
      }
    }
  }

  /** Sends a simple Query message. */
  void query(String sql) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(sql.getBytes(StandardCharsets.UTF_8));
    b.write(0);
    send('Q', b.toByteArray());
  }

  /** Sends Parse: a named (or unnamed, "") statement with these parameter type OIDs (0 = infer). */
  void parse(String name, String sql, int... types) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(b);
    cstring(d, name);
    cstring(d, sql);
    d.writeShort(types.length);
    for (int t : types) {
      d.writeInt(t);
    }
    send('P', b.toByteArray());
  }

  /** Sends Bind of text values (null = SQL NULL), all results in text. */
  void bind(String portal, String statement, String... values) throws IOException {
    bind(portal, statement, new short[0], values);
  }

  /**
   * Sends Bind of text values (null = SQL NULL) with these result format codes (none: all text;
   * one: for every column; else one per column).
   */
  void bind(String portal, String statement, short[] resultFormats, String... values)
      throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(b);
    cstring(d, portal);
    cstring(d, statement);
    d.writeShort(0);
    d.writeShort(values.length);
    for (String v : values) {
      if (v == null) {
        d.writeInt(-1);
      } else {
        byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
        d.writeInt(bytes.length);
        d.write(bytes);
      }
    }
    d.writeShort(resultFormats.length);
    for (short f : resultFormats) {
      d.writeShort(f);
    }
    send('B', b.toByteArray());
  }

  /** Sends Describe of a portal ('P') or a prepared statement ('S'). */
  void describe(char kind, String name) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(b);
    d.write(kind);
    cstring(d, name);
    send('D', b.toByteArray());
  }

  /** Sends Execute of a portal, all rows. */
  void execute(String portal) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(b);
    cstring(d, portal);
    d.writeInt(0);
    send('E', b.toByteArray());
  }

  /** Sends Execute of a portal with a row limit (0: all rows); more rows leave it suspended. */
  void execute(String portal, int maxRows) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(b);
    cstring(d, portal);
    d.writeInt(maxRows);
    send('E', b.toByteArray());
  }

  /** Sends Close of a statement ('S') or a portal ('P'). */
  void close(char kind, String name) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(b);
    d.write(kind);
    cstring(d, name);
    send('C', b.toByteArray());
  }

  /** How long a read may wait for the server before it fails. */
  void timeout(int millis) throws IOException {
    socket.setSoTimeout(millis);
  }

  void sync() throws IOException {
    send('S', new byte[0]);
  }

  /** The text of a DataRow message's columns (null for SQL NULL). */
  static List<String> dataRow(Message m) {
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(m.body());
    int n = buf.getShort();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int len = buf.getInt();
      if (len < 0) {
        out.add(null);
      } else {
        byte[] v = new byte[len];
        buf.get(v);
        out.add(new String(v, StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static void cstring(DataOutputStream d, String s) throws IOException {
    d.write(s.getBytes(StandardCharsets.UTF_8));
    d.write(0);
  }

  void copyData(byte[] data) throws IOException {
    send('d', data);
  }

  void copyDone() throws IOException {
    send('c', new byte[0]);
  }

  void copyFail(String message) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(message.getBytes(StandardCharsets.UTF_8));
    b.write(0);
    send('f', b.toByteArray());
  }

  /** Reads messages up to one with the given tag (included). */
  List<Message> readUntil(char tag) throws IOException {
    List<Message> seen = new ArrayList<>();
    while (true) {
      Message m = read();
      seen.add(m);
      if (m.tag() == tag) {
        return seen;
      }
    }
  }

  /** Closes the socket at once: no Terminate message, as a client that dies would. */
  @Override
  public void close() throws IOException {
    socket.close();
  }

  /**
   * Sends one message in one write: written piecemeal (type byte, length, body), Nagle's
   * algorithm held each message back for the server's delayed ACK (some 40 ms).
   */
  private void send(char tag, byte[] body) throws IOException {
    byte[] frame = java.nio.ByteBuffer.allocate(body.length + 5).put((byte) tag)
        .putInt(body.length + 4).put(body).array();
    out.write(frame);
    out.flush();
  }

  private Message read() throws IOException {
    char tag = (char) in.readUnsignedByte();
    int length = in.readInt();
    byte[] body = new byte[length - 4];
    in.readFully(body);
    Map<Character, String> fields = new LinkedHashMap<>();
    if (tag == 'E' || tag == 'N') {
      int i = 0;
      while (i < body.length && body[i] != 0) {
        char code = (char) body[i++];
        int end = i;
        while (body[end] != 0) {
          end++;
        }
        fields.put(code, new String(body, i, end - i, StandardCharsets.UTF_8));
        i = end + 1;
      }
    }
    return new Message(tag, fields, body);
  }

  private static Map<String, String> attributes(String s) {
    Map<String, String> a = new LinkedHashMap<>();
    for (String part : s.split(",")) {
      a.put(part.substring(0, 1), part.substring(2));
    }
    return a;
  }

  private static byte[] pbkdf2(String password, byte[] salt, int iterations) {
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(
          new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
