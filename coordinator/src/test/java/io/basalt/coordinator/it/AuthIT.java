package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Client authentication through Basalt's HBA rules, with pgjdbc; and TLS. */
class AuthIT {

  @BeforeAll
  static void start() {
    TestBasalt.server();
  }

  private static Connection connect(String user, String password, String database,
      Properties extra) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    if (password != null) {
      p.setProperty("password", password);
    }
    p.setProperty("connectTimeout", "10");
    p.setProperty("sslmode", "disable");
    if (extra != null) {
      p.putAll(extra);
    }
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + TestBasalt.port() + "/" + database, p);
  }

  private static void assertConnects(String user, String password) throws SQLException {
    try (Connection c = connect(user, password, "postgres", null);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_user, 1")) {
      rs.next();
      assertEquals(user, rs.getString(1));
      assertEquals(1, rs.getInt(2));
    }
  }

  private static void assertRefused(String user, String password, String database,
      String sqlState) {
    SQLException e = assertThrows(SQLException.class,
        () -> connect(user, password, database, null).close());
    assertEquals(sqlState, e.getSQLState(), () -> "unexpected error: " + e);
  }

  @Test
  void scram() throws SQLException {
    assertConnects("app_user", TestBasalt.USER_PASSWORD);
    assertRefused("app_user", "wrong-password", "postgres", "28P01");
    assertConnects("postgres", TestBasalt.password());
    assertRefused("postgres", "wrong-password", "postgres", "28P01");
  }

  @Test
  void md5() throws SQLException {
    assertConnects(TestBasalt.MD5_USER, TestBasalt.USER_PASSWORD);
    assertRefused(TestBasalt.MD5_USER, "wrong-password", "postgres", "28P01");
  }

  @Test
  void cleartext() throws SQLException {
    assertConnects(TestBasalt.CLEARTEXT_USER, TestBasalt.USER_PASSWORD);
    assertRefused(TestBasalt.CLEARTEXT_USER, "wrong-password", "postgres", "28P01");
  }

  @Test
  void trustNeedsNoPassword() throws SQLException {
    assertConnects(TestBasalt.TRUST_USER, null);
  }

  @Test
  void rejectRule() {
    assertRefused("reject_user", TestBasalt.USER_PASSWORD, "postgres", "28000");
  }

  @Test
  void unknownRole() {
    assertRefused("no_such_role", "whatever", "postgres", "28P01");
  }

  @Test
  void unknownDatabase() {
    assertRefused("postgres", TestBasalt.password(), "nope", "3D000");
  }

  @Test
  void tlsRequired() throws SQLException {
    Properties p = new Properties();
    p.setProperty("sslmode", "require");   // encrypt, do not verify the self-signed certificate
    // With sslmode=require pgjdbc refuses to go on in plain text if the server declines TLS.
    try (Connection c = connect("postgres", TestBasalt.password(), "postgres", p);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1")) {
      rs.next();
      assertEquals(1, rs.getInt(1));
    }
    try (Connection c = connect("app_user", TestBasalt.USER_PASSWORD, "postgres", p);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_user")) {
      rs.next();
      assertEquals("app_user", rs.getString(1));
    }
    SQLException e = assertThrows(SQLException.class,
        () -> connect("app_user", "wrong-password", "postgres", p).close());
    assertEquals("28P01", e.getSQLState(), () -> "unexpected error: " + e);
  }
}
