package io.basalt.coordinator.it;

import io.basalt.agent.PostgresServer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What reached the workers: a role whose statements every worker logs (log_statement = 'all'
 * set on the role there), read back from the workers' server logs. Tests connect through Basalt
 * as that role; Basalt's worker connections then log under it, and nothing else does.
 */
final class WorkerStatements {
  static final String ROLE = "stmt_observer";
  private static final String PASSWORD = "observer-pw";
  private static final Pattern STATEMENT =
      Pattern.compile("LOG:  (?:statement|execute [^:]*): (.*)");
  private static boolean ready;

  private WorkerStatements() {}

  /** Creates the role (a superuser, so it may create and distribute tables) once per JVM. */
  static synchronized void setUp() {
    if (ready) {
      return;
    }
    TestBasalt.server().cluster().coordinatorDb().psql("postgres",
        "CREATE ROLE " + ROLE + " SUPERUSER LOGIN PASSWORD '" + PASSWORD + "'");
    for (PostgresServer w : workers()) {
      w.psqlOutput("postgres", "CREATE ROLE " + ROLE + " SUPERUSER LOGIN;"
          + " ALTER ROLE " + ROLE + " SET log_statement = 'all'");
    }
    ready = true;
  }

  /** A connection through Basalt as the logged role. */
  static Connection connect() throws SQLException {
    return connect(new Properties());
  }

  /** A connection through Basalt as the logged role, with more pgjdbc properties. */
  static Connection connect(Properties extra) throws SQLException {
    Properties p = new Properties();
    p.putAll(extra);
    p.setProperty("user", ROLE);
    p.setProperty("password", PASSWORD);
    return java.sql.DriverManager.getConnection(TestBasalt.url(), p);
  }

  /** The workers, lowest port first (worker 1 in Citus's placement order). */
  static List<PostgresServer> workers() {
    return TestBasalt.server().cluster().workers().stream()
        .sorted(Comparator.comparingInt(PostgresServer::port)).toList();
  }

  /** Where each worker's log ends now. */
  static long[] marks() {
    List<PostgresServer> ws = workers();
    long[] marks = new long[ws.size()];
    for (int i = 0; i < ws.size(); i++) {
      marks[i] = ws.get(i).logFile().toFile().length();
    }
    return marks;
  }

  /** The statements worker {@code index} (0-based) logged for the role since {@code marks}. */
  static List<String> since(long[] marks, int index) {
    PostgresServer w = workers().get(index);
    List<String> out = new ArrayList<>();
    try (RandomAccessFile f = new RandomAccessFile(w.logFile().toFile(), "r")) {
      long from = marks[index];
      byte[] bytes = new byte[(int) (f.length() - from)];
      f.seek(from);
      f.readFully(bytes);
      for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
        Matcher m = STATEMENT.matcher(line);
        if (m.find()) {
          out.add(m.group(1));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  /** Which worker (0-based index) holds the row with distribution value {@code key}. */
  static int workerOf(Connection c, String table, int key) throws SQLException {
    // current_setting runs on the worker the router sends the statement to.
    try (PreparedStatement s = c.prepareStatement("SELECT current_setting('port') FROM "
        + table + " WHERE k = " + key)) {
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("no row " + key + " in " + table);
        }
        int port = Integer.parseInt(rs.getString(1));
        List<PostgresServer> ws = workers();
        for (int i = 0; i < ws.size(); i++) {
          if (ws.get(i).port() == port) {
            return i;
          }
        }
        throw new IllegalStateException("port " + port + " is no worker");
      }
    }
  }

  /** A key of {@code table} (1..100, rows present) on each worker: result[i] is on worker i. */
  static int[] keyPerWorker(Connection c, String table) throws SQLException {
    int[] keys = new int[workers().size()];
    int found = 0;
    for (int k = 1; k <= 100 && found < keys.length; k++) {
      int w = workerOf(c, table, k);
      if (keys[w] == 0) {
        keys[w] = k;
        found++;
      }
    }
    if (found < keys.length) {
      throw new IllegalStateException("keys 1..100 of " + table + " miss a worker");
    }
    return keys;
  }
}
