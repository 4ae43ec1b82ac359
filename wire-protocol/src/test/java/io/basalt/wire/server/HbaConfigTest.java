package io.basalt.wire.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.wire.auth.AuthMethod;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HbaConfigTest {

  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  private static Optional<AuthMethod> method(HbaConfig hba, boolean ssl, String db, String user,
      String address) throws Exception {
    return hba.match(ssl, db, user, ip(address)).map(HbaRule::method);
  }

  @Test
  void firstMatchingRuleWins() throws Exception {
    HbaConfig hba = HbaConfig.parse("""
        # TYPE  DATABASE  USER   ADDRESS        METHOD
        host    all       admin  10.0.0.0/8     reject
        hostssl all       all    0.0.0.0/0      scram-sha-256
        host    app,"all" alice, bob  192.168.1.0 255.255.255.0  md5   # trailing comment
        hostnossl all     all    127.0.0.1/32   password
        host    sameuser  all    ::1/128        trust
        """);
    assertEquals(5, hba.rules().size());
    assertEquals(Optional.of(AuthMethod.REJECT), method(hba, true, "x", "admin", "10.1.2.3"));
    assertEquals(Optional.of(AuthMethod.SCRAM_SHA_256), method(hba, true, "x", "y", "8.8.8.8"));
    assertEquals(Optional.of(AuthMethod.MD5), method(hba, false, "app", "bob", "192.168.1.77"));
    assertEquals(Optional.of(AuthMethod.MD5), method(hba, false, "all", "alice", "192.168.1.1"));
    assertEquals(Optional.empty(), method(hba, false, "other", "alice", "192.168.1.1"),
        "a quoted \"all\" is a database name, not the keyword");
    assertEquals(Optional.empty(), method(hba, false, "app", "carol", "192.168.1.1"));
    assertEquals(Optional.empty(), method(hba, false, "app", "bob", "192.168.2.1"));
    assertEquals(Optional.of(AuthMethod.PASSWORD), method(hba, false, "x", "y", "127.0.0.1"));
    assertEquals(Optional.of(AuthMethod.TRUST), method(hba, false, "eve", "eve", "::1"));
    assertEquals(Optional.empty(), method(hba, false, "x", "eve", "::1"));
  }

  @Test
  void addressFamiliesAndMappedAddresses() throws Exception {
    HbaConfig hba = HbaConfig.parse("host all all 127.0.0.0/8 trust");
    assertTrue(method(hba, false, "d", "u", "127.9.9.9").isPresent());
    assertFalse(method(hba, false, "d", "u", "::1").isPresent());
    InetAddress mapped = InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        (byte) 0xff, (byte) 0xff, 127, 0, 0, 1});
    assertTrue(hba.match(false, "d", "u", mapped).isPresent());
    HbaConfig any = HbaConfig.parse("host all all all trust");
    assertTrue(method(any, false, "d", "u", "2001:db8::1").isPresent());
    HbaConfig odd = HbaConfig.parse("host all all 10.1.2.3/12 trust");
    assertTrue(method(odd, false, "d", "u", "10.15.0.1").isPresent());
    assertFalse(method(odd, false, "d", "u", "10.16.0.1").isPresent());
  }

  @Test
  void embeddedDefaultIsLoopbackScram() throws Exception {
    HbaConfig hba = HbaConfig.loopbackScram();
    assertEquals(Optional.of(AuthMethod.SCRAM_SHA_256), method(hba, false, "d", "u", "127.0.0.1"));
    assertEquals(Optional.of(AuthMethod.SCRAM_SHA_256), method(hba, true, "d", "u", "::1"));
    assertEquals(Optional.empty(), method(hba, false, "d", "u", "192.168.0.1"));
  }

  @Test
  void mistakesNameTheLine() {
    assertError("host all all 127.0.0.1/32 ident", "line 1: invalid authentication method \"ident\"");
    assertError("\nhots all all all trust", "line 2: invalid connection type \"hots\"");
    assertError("local all all trust", "line 1: connection type \"local\" is not supported");
    assertError("host all all", "line 1: end-of-line before IP address specification");
    assertError("host all all localhost trust", "line 1: invalid IP address \"localhost\"");
    assertError("host all all 10.0.0.0/33 trust", "line 1: invalid CIDR mask");
    assertError("host all all 10.0.0.0 255.0.255.0 trust", "line 1: invalid IP mask");
    assertError("host all +admins all trust", "line 1: \"+admins\" is not supported");
    assertError("host all all all md5 clientcert=1",
        "line 1: authentication option \"clientcert=1\" is not supported");
    assertError("host \"all all all trust", "line 1: unterminated quoted string");
  }

  @Test
  void loadsAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("pg_hba.conf");
    Files.writeString(file, "host all all all trust\n");
    assertEquals(1, HbaConfig.load(file).rules().size());
  }

  private static void assertError(String text, String prefix) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> HbaConfig.parse(text));
    assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
  }
}
