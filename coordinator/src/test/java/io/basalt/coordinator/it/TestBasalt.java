package io.basalt.coordinator.it;

import io.basalt.coordinator.server.BasaltServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * One real Basalt server per test JVM, on its embedded cluster (real PostgreSQL servers under a
 * temporary directory, on free ports), stopped when the JVM exits. The HBA rules give each
 * authentication method a role of its own so tests can exercise them all.
 */
public final class TestBasalt {
  public static final String MD5_USER = "md5_user";
  public static final String CLEARTEXT_USER = "cleartext_user";
  public static final String TRUST_USER = "trust_user";
  public static final String USER_PASSWORD = "s3cret-pw";

  private static BasaltServer server;
  private static Path dir;

  private TestBasalt() {}

  public static synchronized BasaltServer server() {
    if (server == null) {
      try {
        dir = Files.createTempDirectory(Path.of("/tmp"), "basalt-it-");
        // PostgreSQL runs as an unprivileged user when the tests run as root: let it in.
        Files.setPosixFilePermissions(dir,
            java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("hba.conf"), """
            # TYPE  DATABASE USER            ADDRESS       METHOD
            host    all      %s              127.0.0.1/32  md5
            host    all      %s              127.0.0.1/32  password
            host    all      %s              127.0.0.1/32  trust
            host    all      reject_user     127.0.0.1/32  reject
            host    all      all             127.0.0.1/32  scram-sha-256
            host    all      all             ::1/128       scram-sha-256
            """.formatted(MD5_USER, CLEARTEXT_USER, TRUST_USER));
        server = BasaltServer.startEmbedded("127.0.0.1", 0, dir, 2, false);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          server.close();
          deleteTree(dir);
        }));
        setUpRoles();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return server;
  }

  private static void setUpRoles() {
    var db = server.cluster().coordinatorDb();
    db.psql("postgres", "SET password_encryption = 'md5'; CREATE ROLE " + MD5_USER
        + " LOGIN PASSWORD '" + USER_PASSWORD + "'");
    db.psql("postgres", "CREATE ROLE " + CLEARTEXT_USER + " LOGIN PASSWORD '" + USER_PASSWORD
        + "'; CREATE ROLE " + TRUST_USER + " LOGIN; CREATE ROLE app_user LOGIN PASSWORD '"
        + USER_PASSWORD + "'; CREATE ROLE reject_user LOGIN PASSWORD '" + USER_PASSWORD + "'");
  }

  public static int port() {
    return server().port();
  }

  public static String password() {
    return server().cluster().superuserPassword();
  }

  public static String url() {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/postgres";
  }

  /** A pgjdbc connection through Basalt as the superuser. */
  public static Connection connect(Properties extra) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "postgres");
    p.setProperty("password", password());
    p.putAll(extra);
    return DriverManager.getConnection(url(), p);
  }

  public static Connection connect() throws SQLException {
    return connect(new Properties());
  }

  /** A pgjdbc connection straight to the coordinator database, for differential checks. */
  public static Connection connectDirect(Properties extra) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "postgres");
    p.setProperty("password", password());
    p.putAll(extra);
    int dbPort = server().cluster().coordinatorDb().port();
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + dbPort + "/postgres", p);
  }

  /** Environment for libpq clients (psql, pgbench, psycopg2) to reach Basalt. */
  public static java.util.Map<String, String> libpqEnv() {
    return java.util.Map.of("PGHOST", "127.0.0.1", "PGPORT", Integer.toString(port()),
        "PGUSER", "postgres", "PGPASSWORD", password(), "PGDATABASE", "postgres",
        "PGSSLMODE", "disable", "PGCONNECT_TIMEOUT", "10");
  }

  /** The first column of the first row of a query's answer, as text. */
  static String one(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** Stops a process: SIGTERM, then SIGKILL if it has not exited within a minute. */
  public static void terminate(ProcessHandle h) {
    h.destroy();
    try {
      h.onExit().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      h.destroyForcibly();
    }
  }

  /** Deletes a directory and all below it, if it exists; best effort. */
  public static void deleteTree(Path p) {
    if (p == null || !Files.exists(p)) {
      return;
    }
    try (var s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // Best effort: the directory is under /tmp.
    }
  }
}
