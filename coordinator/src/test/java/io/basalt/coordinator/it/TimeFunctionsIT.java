package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.basalt.agent.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Statements see and store the transaction time PostgreSQL would: the coordinator database's
 * {@code now()} for the client's transaction, read in the same session, is what every worker
 * reads and stores for {@code now()}, {@code CURRENT_TIMESTAMP}, {@code CURRENT_DATE} and their
 * kin (in reads, RETURNING and column defaults too), whichever worker and however long after
 * the BEGIN. Under a TimeZone other than UTC and a DateStyle with
 * day-first field order (pgjdbc refuses any but ISO output), in both protocols.
 */
class TimeFunctionsIT {
  private static final String[] COLUMNS = {"now()", "CURRENT_TIMESTAMP(1)", "LOCALTIMESTAMP(2)",
      "CURRENT_DATE", "CURRENT_TIME", "LOCALTIME(0)", "transaction_timestamp()"};
  private static final String COLUMN_TYPES = "k int PRIMARY KEY, a timestamptz, b timestamptz,"
      + " c timestamp, d date, e timetz, f time, g timestamptz";

  @BeforeAll
  static void setUp() throws SQLException {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE tf (" + COLUMN_TYPES + ")");
      s.execute("SELECT create_distributed_table('tf', 'k', shard_count => 4)");
      s.execute("CREATE TABLE tf_ref (" + COLUMN_TYPES + ")");
      s.execute("SELECT create_reference_table('tf_ref')");
      s.execute("CREATE TABLE tf_def (k int PRIMARY KEY, a timestamptz DEFAULT now(),"
          + " d date DEFAULT CURRENT_DATE, g timestamptz, n text DEFAULT 'x')");
      s.execute("SELECT create_distributed_table('tf_def', 'k', shard_count => 4)");
    }
  }

  /** Other tests (the golden files) expect a cluster without distributed tables of ours. */
  @AfterAll
  static void tearDown() throws SQLException {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS tf, tf_ref, tf_def");
    }
  }

  private static Connection connect(boolean simple) throws SQLException {
    Properties props = new Properties();
    if (simple) {
      props.setProperty("preferQueryMode", "simple");
    }
    Connection c = TestBasalt.connect(props);
    try (Statement s = c.createStatement()) {
      s.execute("SET TimeZone = 'America/New_York'");
      s.execute("SET DateStyle = 'ISO, DMY'");
      s.execute("TRUNCATE tf");
      s.execute("TRUNCATE tf_ref");
      s.execute("TRUNCATE tf_def");
    }
    return c;
  }

  /** The functions' values as text, evaluated by {@code from} ("" for the coordinator). */
  private static List<String> values(Statement s, String from) throws SQLException {
    String list = from.isEmpty() ? String.join(", ", COLUMNS) : "a, b, c, d, e, f, g";
    try (ResultSet rs = s.executeQuery("SELECT " + list + from)) {
      rs.next();
      List<String> v = new ArrayList<>();
      for (int i = 1; i <= COLUMNS.length; i++) {
        v.add(rs.getString(i));
      }
      return v;
    }
  }

  private static String insert(String table, int... keys) {
    StringBuilder rows = new StringBuilder();
    for (int k : keys) {
      rows.append(rows.isEmpty() ? "" : ", ").append("(").append(k).append(", ")
          .append(String.join(", ", COLUMNS)).append(")");
    }
    return "INSERT INTO " + table + " VALUES " + rows;
  }

  @Test
  void aBlockStoresItsBeginsTimeOnEveryWorker() throws SQLException {
    for (boolean simple : new boolean[] {true, false}) {
      try (Connection c = connect(simple); Statement s = c.createStatement()) {
        s.execute("INSERT INTO tf (k) SELECT generate_series(1, 20)");
        s.execute("BEGIN");
        List<String> expected = values(s, "");
        s.execute("SELECT pg_sleep(0.2)");
        // A router write, a multi-row write over several shards, a multi-shard write.
        StringBuilder set = new StringBuilder();
        for (int i = 0; i < COLUMNS.length; i++) {
          set.append(i == 0 ? "" : ", ").append((char) ('a' + i)).append(" = ").append(COLUMNS[i]);
        }
        s.executeUpdate("UPDATE tf SET " + set + " WHERE k = 1");
        s.executeUpdate(insert("tf", 101, 102, 103, 104, 105));
        s.executeUpdate("UPDATE tf SET g = now() WHERE k > 1");
        s.executeUpdate(insert("tf_ref", 1));
        s.execute("COMMIT");
        String label = simple ? "simple protocol" : "extended protocol";
        for (int k : new int[] {1, 101, 102, 103, 104, 105}) {
          assertEquals(expected, values(s, " FROM tf WHERE k = " + k), label + ", k = " + k);
        }
        assertEquals(expected, values(s, " FROM tf_ref"), label);
        try (ResultSet rs = s.executeQuery("SELECT count(DISTINCT g) FROM tf")) {
          rs.next();
          assertEquals(1, rs.getInt(1), label);
        }
      }
    }
  }

  @Test
  void oneStatementOutsideABlockStoresOneTimeEverywhere() throws SQLException {
    try (Connection c = connect(true); Statement s = c.createStatement()) {
      s.execute("INSERT INTO tf (k) SELECT generate_series(1, 40)");
      s.executeUpdate("UPDATE tf SET a = now(), d = CURRENT_DATE");
      try (ResultSet rs = s.executeQuery("SELECT count(DISTINCT a), count(DISTINCT d),"
          + " count(*) FILTER (WHERE d = (a AT TIME ZONE 'America/New_York')::date) FROM tf")) {
        rs.next();
        assertEquals(List.of(1, 1, 40), List.of(rs.getInt(1), rs.getInt(2), rs.getInt(3)));
      }
      // With a parameter: the pinned text runs as an unnamed statement, each time anew.
      for (int run = 0; run < 2; run++) {
        try (java.sql.PreparedStatement ps = c.prepareStatement(
            "UPDATE tf SET b = now() WHERE k > ?")) {
          ps.setInt(1, 0);
          assertEquals(40, ps.executeUpdate());
        }
        try (ResultSet rs = s.executeQuery("SELECT count(DISTINCT b), bool_and(b > a) FROM tf")) {
          rs.next();
          assertEquals(1, rs.getInt(1));
          assertEquals(true, rs.getBoolean(2));
        }
        s.execute("UPDATE tf SET a = b");
      }
      // statement_timestamp(): one value per statement too, after the block's now().
      s.executeUpdate("UPDATE tf SET c = statement_timestamp() AT TIME ZONE 'UTC'");
      assertEquals(1, count(s, "SELECT count(DISTINCT c) FROM tf"));
      s.execute("BEGIN");
      s.execute("SELECT pg_sleep(0.2)");
      s.executeUpdate("UPDATE tf SET a = now(), b = statement_timestamp()");
      s.execute("COMMIT");
      assertEquals(40, count(s, "SELECT count(*) FROM tf WHERE b > a + interval '0.15 s'"));
      assertEquals(1, count(s, "SELECT count(DISTINCT b) FROM tf"));
      // Every placement of a reference table stores the same value.
      s.executeUpdate(insert("tf_ref", 7));
      String shard;
      try (ResultSet rs = s.executeQuery("SELECT 'tf_ref_' || shardid FROM pg_dist_shard"
          + " WHERE logicalrelid = 'tf_ref'::regclass")) {
        rs.next();
        shard = rs.getString(1);
      }
      List<String> placements = new ArrayList<>();
      for (PostgresServer w : WorkerStatements.workers()) {
        placements.add(w.psqlOutput("postgres", "SELECT a, b, c, d, e, f, g FROM " + shard
            + " WHERE k = 7").strip());
      }
      assertEquals(2, placements.size());
      assertEquals(placements.get(0), placements.get(1));
    }
  }

  /** The result's column names. */
  private static List<String> labels(ResultSet rs) throws SQLException {
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
      names.add(rs.getMetaData().getColumnLabel(i));
    }
    return names;
  }

  private static List<String> row(ResultSet rs) throws SQLException {
    rs.next();
    List<String> v = new ArrayList<>();
    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
      v.add(rs.getString(i));
    }
    return v;
  }

  private static long count(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void readsAndReturningSeeTheBlocksTimeUnderTheirOwnNames() throws SQLException {
    String list = String.join(", ", COLUMNS) + ", now()::date, CURRENT_DATE + 1";
    for (boolean simple : new boolean[] {true, false}) {
      String label = simple ? "simple protocol" : "extended protocol";
      try (Connection c = connect(simple); Statement s = c.createStatement()) {
        s.execute("INSERT INTO tf (k) SELECT generate_series(1, 20)");
        s.executeUpdate(insert("tf_ref", 1));
        s.execute("BEGIN");
        List<String> expected;
        List<String> names;
        try (ResultSet rs = s.executeQuery("SELECT " + list)) {
          names = labels(rs);
          expected = row(rs);
        }
        s.execute("SELECT pg_sleep(0.2)");
        // A router read, a reference read, RETURNING of a router and a multi-shard write.
        for (String sql : new String[] {"SELECT " + list + " FROM tf WHERE k = 1",
            "SELECT " + list + " FROM tf_ref",
            "UPDATE tf SET g = now() WHERE k = 2 RETURNING " + list,
            "UPDATE tf SET g = now() WHERE k > 10 RETURNING " + list}) {
          try (ResultSet rs = s.executeQuery(sql)) {
            assertEquals(names, labels(rs), label + ": " + sql);
            assertEquals(expected, row(rs), label + ": " + sql);
          }
        }
        // Reads over all shards: a pushed-down aggregate and a gathered query find the block's
        // writes by its time.
        assertEquals(11, count(s, "SELECT count(*) FROM tf WHERE g = now()"), label);
        assertEquals(11, count(s, "SELECT count(*) FROM (SELECT DISTINCT k FROM tf"
            + " WHERE g = CURRENT_TIMESTAMP) AS x"), label);
        s.execute("COMMIT");
      }
    }
  }

  @Test
  void anAggregateOverAllShardsOutsideABlockSeesOneTime() throws SQLException {
    try (Connection c = connect(true); Statement s = c.createStatement()) {
      s.execute("INSERT INTO tf (k) SELECT generate_series(1, 40)");
      for (int run = 0; run < 3; run++) {
        // Partial aggregates on every shard, both workers (EXPLAIN: Basalt Aggregate).
        try (ResultSet rs = s.executeQuery("SELECT min(extract(epoch FROM now()))"
            + " = max(extract(epoch FROM now())) FROM tf")) {
          rs.next();
          assertEquals(true, rs.getBoolean(1));
        }
      }
    }
  }

  @Test
  void timeDefaultsTakeTheBlocksTime() throws SQLException {
    for (boolean simple : new boolean[] {true, false}) {
      String label = simple ? "simple protocol" : "extended protocol";
      try (Connection c = connect(simple); Statement s = c.createStatement()) {
        s.execute("INSERT INTO tf_def (k, a, d) VALUES (1, NULL, NULL), (2, NULL, NULL),"
            + " (3, NULL, NULL)");
        s.execute("BEGIN");
        List<String> expected;
        try (ResultSet rs = s.executeQuery("SELECT now(), CURRENT_DATE")) {
          expected = row(rs);
        }
        s.execute("SELECT pg_sleep(0.2)");
        s.executeUpdate("INSERT INTO tf_def (k) VALUES (11), (12), (13), (14), (15)");
        s.executeUpdate("INSERT INTO tf_def VALUES (16)");
        s.executeUpdate("INSERT INTO tf_def VALUES (17, DEFAULT, DEFAULT, now())");
        try (java.sql.PreparedStatement ps = c.prepareStatement(
            "INSERT INTO tf_def (k, n) VALUES (?, 'y') RETURNING a, d")) {
          ps.setInt(1, 18);
          try (ResultSet rs = ps.executeQuery()) {
            assertEquals(expected, row(rs), label);
          }
        }
        s.executeUpdate("UPDATE tf_def SET a = DEFAULT, d = DEFAULT WHERE k <= 2");
        s.executeUpdate("INSERT INTO tf_def (k, n) VALUES (3, 'z') ON CONFLICT (k)"
            + " DO UPDATE SET a = DEFAULT, d = DEFAULT");
        assertEquals(11, count(s, "SELECT count(*) FROM tf_def WHERE a = now()"), label);
        s.execute("COMMIT");
        try (ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT a),"
            + " count(DISTINCT d), min(a)::text, min(d)::text, count(*) FILTER (WHERE n = 'x')"
            + " FROM tf_def")) {
          rs.next();
          assertEquals(List.of("11", "1", "1", expected.get(0), expected.get(1), "10"),
              List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                  rs.getString(5), rs.getString(6)), label);
        }
      }
    }
  }

  @Test
  void copyStoresOneTimeDefault() throws Exception {
    try (Connection c = connect(true); Statement s = c.createStatement()) {
      StringBuilder rows = new StringBuilder();
      for (int k = 1; k <= 2000; k++) {
        rows.append(k).append('\n');
      }
      long copied = new org.postgresql.copy.CopyManager(
          c.unwrap(org.postgresql.core.BaseConnection.class))
          .copyIn("COPY tf_def (k) FROM STDIN", new java.io.StringReader(rows.toString()));
      assertEquals(2000, copied);
      assertEquals(1, count(s, "SELECT count(DISTINCT a) FROM tf_def"));
      assertEquals(2000, count(s, "SELECT count(*) FROM tf_def WHERE d = (a AT TIME ZONE"
          + " 'America/New_York')::date"));
    }
  }

  /** Another session's ALTER TABLE ... SET DEFAULT reaches a session whose plan was made. */
  @Test
  void aChangedDefaultIsSeenByPlansMadeBefore() throws SQLException {
    try (Connection c = connect(true); Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO tf_def (k) VALUES (1)");
      try (Connection other = TestBasalt.connect(); Statement o = other.createStatement()) {
        o.execute("ALTER TABLE tf_def ALTER COLUMN g SET DEFAULT now()");
      }
      try {
        s.execute("BEGIN");
        String expected;
        try (ResultSet rs = s.executeQuery("SELECT now()")) {
          expected = row(rs).get(0);
        }
        s.execute("SELECT pg_sleep(0.2)");
        s.executeUpdate("INSERT INTO tf_def (k) VALUES (2)");
        try (ResultSet rs = s.executeQuery("SELECT g FROM tf_def WHERE k = 2")) {
          assertEquals(expected, row(rs).get(0));
        }
        s.execute("COMMIT");
        // This session's own change, inside its block: the next INSERT leaves g alone.
        s.execute("BEGIN");
        s.execute("ALTER TABLE tf_def ALTER COLUMN g DROP DEFAULT");
        s.executeUpdate("INSERT INTO tf_def (k) VALUES (3)");
        assertEquals(1, count(s, "SELECT count(*) FROM tf_def WHERE k = 3 AND g IS NULL"));
        s.execute("COMMIT");
      } finally {
        s.execute("ROLLBACK");
        s.execute("ALTER TABLE tf_def ALTER COLUMN g DROP DEFAULT");
      }
    }
  }
}
