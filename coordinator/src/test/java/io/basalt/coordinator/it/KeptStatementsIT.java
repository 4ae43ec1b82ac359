package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.agent.PostgresServer;
import io.basalt.executor.backend.BackendConnection;
import io.basalt.executor.backend.BackendEndpoint;
import io.basalt.executor.backend.BackendStatement;
import io.basalt.executor.backend.SessionOptions;
import io.basalt.executor.result.Column;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Routed point selects keep one named statement per shard on the session's worker connection:
 * the workers' own logs (log_min_duration_statement = 0 for a role of this test only, so every
 * Parse, Bind and Execute is logged) show one Parse per shard text however often it runs, in
 * the extended protocol and, with the distribution value as $1, in the simple protocol. A schema
 * change made by another session does not surface PostgreSQL's "cached plan must not change
 * result type": the statement is prepared again and SELECT * shows the new column, as it would
 * on PostgreSQL.
 */
class KeptStatementsIT {
  private static final String USER = "kept_user";
  /** "parse S_3: SELECT ..." as PostgreSQL logs a message of the extended protocol. */
  private static final Pattern LOGGED = Pattern.compile(
      "LOG:  duration: [0-9.]+ ms  (parse|bind|execute) (S_[0-9]+|<unnamed>): (.*)$");
  private static final Pattern SHARD = Pattern.compile("kept_it_[0-9]+");

  @BeforeAll
  static void setUp() throws SQLException {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS kept_it");
      s.execute("CREATE TABLE kept_it (k int PRIMARY KEY, v text)");
      s.execute("INSERT INTO kept_it SELECT g, 'v' || g FROM generate_series(1, 100) g");
      s.execute("SELECT create_distributed_table('kept_it', 'k')");
      s.execute("DROP TABLE IF EXISTS kept_alter");
      s.execute("CREATE TABLE kept_alter (k int PRIMARY KEY, v text)");
      s.execute("SELECT create_distributed_table('kept_alter', 'k')");
      s.execute("INSERT INTO kept_alter VALUES (1, 'one'), (2, 'two')");
      s.execute("DROP ROLE IF EXISTS " + USER);
      s.execute("CREATE ROLE " + USER + " LOGIN SUPERUSER PASSWORD '"
          + TestBasalt.USER_PASSWORD + "'");
    }
    // The role exists on the workers before Basalt first connects as it, with every statement
    // of its sessions logged.
    for (PostgresServer w : workers()) {
      w.psql("postgres", "DROP ROLE IF EXISTS " + USER + "; CREATE ROLE " + USER
          + " LOGIN SUPERUSER; ALTER ROLE " + USER + " SET log_min_duration_statement = 0");
    }
  }

  /** Other tests (the golden files) expect a cluster without tables of ours. */
  @AfterAll
  static void tearDown() throws SQLException {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS kept_it, kept_alter");
      s.execute("DROP ROLE IF EXISTS " + USER);
    }
    for (PostgresServer w : workers()) {
      w.psql("postgres", "DROP ROLE IF EXISTS " + USER);
    }
  }

  @Test
  void preparedPointSelectsParseOncePerShard() throws Exception {
    Map<Path, Long> marks = logMarks();
    try (Connection c = connect("extended");
        PreparedStatement ps = c.prepareStatement("SELECT v FROM kept_it WHERE k = ?")) {
      for (int round = 0; round < 3; round++) {
        for (int k = 1; k <= 20; k++) {
          ps.setInt(1, k);
          try (ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next());
            assertEquals("v" + k, rs.getString(1));
          }
        }
      }
    }
    Logged logged = loggedSince(marks);
    assertEquals(60, logged.executes, "every Execute reached a worker");
    assertTrue(logged.parsedShards.size() > 1, "the keys spread over shards");
    logged.parsesPerShard.forEach((shard, n) -> assertEquals(1, n, shard + " parsed once"));
    assertEquals(0, logged.unnamed, "no statement was parsed unnamed");
  }

  @Test
  void simplePointSelectsSendTheKeyAsAParameter() throws Exception {
    Map<Path, Long> marks = logMarks();
    try (Connection c = connect("simple"); Statement s = c.createStatement()) {
      for (int round = 0; round < 3; round++) {
        for (int k = 1; k <= 20; k++) {
          try (ResultSet rs = s.executeQuery("SELECT v FROM kept_it WHERE k = " + k)) {
            assertTrue(rs.next());
            assertEquals("v" + k, rs.getString(1));
          }
        }
      }
    }
    Logged logged = loggedSince(marks);
    assertEquals(60, logged.executes);
    logged.parsesPerShard.forEach((shard, n) -> assertEquals(1, n, shard + " parsed once"));
    assertTrue(logged.texts.stream().allMatch(t -> t.endsWith("WHERE k = $1")), logged.texts
        .toString());
  }

  @Test
  void anotherSessionsSchemaChangeShowsItsNewColumn() throws Exception {
    // Clients of Basalt's own relay class: unlike pgjdbc's JDBC layer they never run a statement
    // again after "cached plan must not change result type", so they would see that error.
    try (BackendConnection extended = rawClient(); BackendConnection simple = rawClient();
        Connection other = TestBasalt.connect()) {
      assertEquals(List.of("k", "v"), selectStar(extended, true));
      assertEquals(List.of("k", "v"), selectStar(simple, false));
      try (Statement s = other.createStatement()) {
        s.execute("ALTER TABLE kept_alter ADD COLUMN w int DEFAULT 7");
      }
      assertEquals(List.of("k", "v", "w"), selectStar(extended, true));
      assertEquals(List.of("k", "v", "w"), selectStar(simple, false));
      try (Statement s = other.createStatement()) {
        s.execute("ALTER TABLE kept_alter DROP COLUMN v");
      }
      assertEquals(List.of("k", "w"), selectStar(extended, true));
      assertEquals(List.of("k", "w"), selectStar(simple, false));
    }
  }

  private static BackendConnection rawClient() {
    return BackendConnection.open(BackendEndpoint.tcp("127.0.0.1", TestBasalt.port(),
        TestBasalt.USER_PASSWORD), USER, "postgres", new SessionOptions(null, null, Map.of()));
  }

  /** The columns of SELECT * for key 1, after checking that its one row came back. */
  private static List<String> selectStar(BackendConnection client, boolean useExtended) {
    BackendConnection.CollectingSink sink = new BackendConnection.CollectingSink();
    if (useExtended) {
      BackendStatement st = client.prepare("SELECT * FROM kept_alter WHERE k = $1",
          new int[] {23}, 1, false);
      client.execute(st, List.of("1".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
          new short[0], new short[0], sink);
      client.close(st);
    } else {
      client.simpleQuery("SELECT * FROM kept_alter WHERE k = 1", sink);
    }
    sink.throwIfFailed();
    assertEquals(1, sink.rows().size());
    List<String> names = sink.columns().stream().map(Column::name).toList();
    int w = names.indexOf("w");
    if (w >= 0) {
      assertEquals("7", new String(sink.rows().get(0)[w], java.nio.charset.StandardCharsets.UTF_8));
    }
    return names;
  }

  private static Connection connect(String mode) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", USER);
    p.setProperty("password", TestBasalt.USER_PASSWORD);
    p.setProperty("preferQueryMode", mode);
    // The client's own statements stay unnamed: what is kept on the workers is Basalt's doing.
    p.setProperty("prepareThreshold", "0");
    return java.sql.DriverManager.getConnection(TestBasalt.url(), p);
  }

  private static List<PostgresServer> workers() {
    return TestBasalt.server().cluster().workers();
  }

  private static Map<Path, Long> logMarks() throws IOException {
    Map<Path, Long> marks = new HashMap<>();
    for (PostgresServer w : workers()) {
      marks.put(w.logFile(), Files.size(w.logFile()));
    }
    return marks;
  }

  /** What the workers logged for kept_it since the marks. */
  private static Logged loggedSince(Map<Path, Long> marks) throws IOException {
    Logged logged = new Logged();
    for (Map.Entry<Path, Long> m : marks.entrySet()) {
      byte[] all = Files.readAllBytes(m.getKey());
      String text = new String(all, m.getValue().intValue(), all.length - m.getValue().intValue(),
          java.nio.charset.StandardCharsets.UTF_8);
      for (String line : text.split("\n")) {
        Matcher l = LOGGED.matcher(line);
        Matcher shard = SHARD.matcher(line);
        if (!l.find() || !shard.find()) {
          continue;
        }
        if (l.group(2).equals("<unnamed>")) {
          logged.unnamed++;
        }
        switch (l.group(1)) {
          case "parse" -> {
            logged.parsesPerShard.merge(shard.group(), 1, Integer::sum);
            logged.parsedShards.add(shard.group());
            logged.texts.add(l.group(3).strip());
          }
          case "execute" -> logged.executes++;
          default -> { }
        }
      }
    }
    return logged;
  }

  private static final class Logged {
    final Map<String, Integer> parsesPerShard = new HashMap<>();
    final java.util.Set<String> parsedShards = new java.util.HashSet<>();
    final List<String> texts = new ArrayList<>();
    int executes;
    int unnamed;
  }
}
