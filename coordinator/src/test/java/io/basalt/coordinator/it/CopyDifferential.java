package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.agent.PostgresServer;
import io.basalt.agent.testing.TestPostgres;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Basalt and a plain PostgreSQL side by side for COPY: the same DDL on both (the table
 * distributed or made a reference table on Basalt only), the same COPY input to both, then the
 * outcomes compared: row counts, or SQLSTATE, message, detail, hint and CONTEXT of the error,
 * and afterwards the tables' rows. Also reads the shards straight from the workers, to see where
 * rows landed and that a failed COPY left nothing behind on any of them.
 */
final class CopyDifferential implements AutoCloseable {
  /** What a COPY gave: its row count, or the error (rows -1). */
  record Outcome(long rows, String state, String message, String detail, String hint,
      String where) {
    static Outcome loaded(long rows) {
      return new Outcome(rows, null, null, null, null, null);
    }

    static Outcome failed(SQLException e) {
      ServerErrorMessage m = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
      if (m == null) {
        return new Outcome(-1, e.getSQLState(), e.getMessage(), null, null, null);
      }
      return new Outcome(-1, m.getSQLState(), m.getMessage(), m.getDetail(), m.getHint(),
          m.getWhere());
    }

    boolean ok() {
      return state == null;
    }
  }

  private final TestPostgres reference;
  final Connection basalt;
  final Connection postgres;

  private CopyDifferential(TestPostgres reference, Connection basalt, Connection postgres) {
    this.reference = reference;
    this.basalt = basalt;
    this.postgres = postgres;
  }

  static CopyDifferential start() throws SQLException {
    TestBasalt.server();
    TestPostgres reference = TestPostgres.start();
    try {
      return new CopyDifferential(reference, TestBasalt.connect(),
          DriverManager.getConnection(reference.jdbcUrl(), reference.jdbcLogin()));
    } catch (SQLException | RuntimeException e) {
      reference.close();
      throw e;
    }
  }

  TestPostgres reference() {
    return reference;
  }

  Connection postgresConnection() throws SQLException {
    return DriverManager.getConnection(reference.jdbcUrl(), reference.jdbcLogin());
  }

  // ------------------------------------------------------------------ DDL

  /**
   * Creates {@code table (columns)} on both servers; on Basalt {@code distribution} is a
   * distribution column, "reference", or null to keep the table local.
   */
  void create(String table, String columns, String distribution) throws SQLException {
    create(table, columns, distribution, 0);
  }

  /** Like {@link #create(String, String, String)} with a shard count (0: the default). */
  void create(String table, String columns, String distribution, int shards)
      throws SQLException {
    both("DROP TABLE IF EXISTS " + table);
    both("CREATE TABLE " + table + " (" + columns + ")");
    if (distribution == null) {
      return;
    }
    try (Statement s = basalt.createStatement()) {
      if (distribution.equals("reference")) {
        s.execute("SELECT create_reference_table('" + table + "')");
        return;
      }
      if (shards > 0) {
        s.execute("SET citus.shard_count = " + shards);
      }
      try {
        s.execute("SELECT create_distributed_table('" + table + "', '" + distribution + "')");
      } finally {
        if (shards > 0) {
          s.execute("RESET citus.shard_count");
        }
      }
    }
  }

  void drop(String... tables) throws SQLException {
    for (String t : tables) {
      both("DROP TABLE IF EXISTS " + t);
    }
  }

  void both(String sql) throws SQLException {
    execute(basalt, sql);
    execute(postgres, sql);
  }

  static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  static String value(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next(), "no row from " + sql);
      return rs.getString(1);
    }
  }

  static long count(Connection c, String table) throws SQLException {
    return Long.parseLong(value(c, "SELECT count(*) FROM " + table));
  }

  // ------------------------------------------------------------------ COPY

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** COPY ... FROM STDIN with {@code data}, sent in CopyData messages of {@code chunk} bytes. */
  static Outcome copyIn(Connection c, String sql, byte[] data, int chunk) {
    try {
      return copyIn(c, sql, new ByteArrayInputStream(data), chunk);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Outcome copyIn(Connection c, String sql, InputStream data, int chunk)
      throws IOException {
    try {
      return Outcome.loaded(((PGConnection) c).getCopyAPI().copyIn(sql, data, chunk));
    } catch (SQLException e) {
      return Outcome.failed(e);
    }
  }

  /** The same COPY on both servers; the outcomes must be equal. Returns Basalt's. */
  Outcome copyInBoth(String sql, String data) {
    return copyInBoth(sql, utf8(data), 65536);
  }

  Outcome copyInBoth(String sql, byte[] data, int chunk) {
    Outcome expected = copyIn(postgres, sql, data, 65536);
    Outcome actual = copyIn(basalt, sql, data, chunk);
    assertEquals(expected, actual, "COPY outcome differs from PostgreSQL's for " + sql
        + " with input:\n" + new String(data, StandardCharsets.UTF_8));
    return actual;
  }

  /** COPY ... TO STDOUT: the bytes and the row count, or the error. */
  record Output(byte[] data, Outcome outcome) {
    String text() {
      return new String(data, StandardCharsets.UTF_8);
    }

    List<String> sortedLines() {
      return text().lines().sorted().toList();
    }
  }

  static Output copyOut(Connection c, String sql) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      long rows = ((PGConnection) c).getCopyAPI().copyOut(sql, out);
      return new Output(out.toByteArray(), Outcome.loaded(rows));
    } catch (SQLException e) {
      return new Output(out.toByteArray(), Outcome.failed(e));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  // ------------------------------------------------------------------ contents

  /** The rows of a table or query as their text form, sorted. */
  static List<String> rows(Connection c, String tableOrQuery) throws SQLException {
    String from = tableOrQuery.regionMatches(true, 0, "SELECT ", 0, 7)
        ? "(" + tableOrQuery + ")" : tableOrQuery;
    List<String> rows = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT r::text FROM " + from + " r")) {
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
    }
    rows.sort(null);
    return rows;
  }

  /** The table (or query) has the same rows on Basalt as on PostgreSQL; returns them. */
  List<String> assertSameRows(String tableOrQuery) throws SQLException {
    List<String> expected = rows(postgres, tableOrQuery);
    assertEquals(expected, rows(basalt, tableOrQuery), "rows of " + tableOrQuery);
    return expected;
  }

  // ------------------------------------------------------------------ shards on the workers

  /** Every server that holds placements: the workers and the coordinator's database. */
  private static Map<Integer, PostgresServer> servers() {
    Map<Integer, PostgresServer> byPort = new LinkedHashMap<>();
    for (PostgresServer w : TestBasalt.server().cluster().workers()) {
      byPort.put(w.port(), w);
    }
    PostgresServer db = TestBasalt.server().cluster().coordinatorDb();
    byPort.put(db.port(), db);
    return byPort;
  }

  static List<PostgresServer> workers() {
    return TestBasalt.server().cluster().workers();
  }

  /** Placements of a table: shard name, shard id and the server holding it. */
  record Placement(String shardName, long shardId, PostgresServer server) {}

  List<Placement> placements(String table) throws SQLException {
    List<Placement> out = new ArrayList<>();
    Map<Integer, PostgresServer> servers = servers();
    try (Statement s = basalt.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT shard_name, shardid, nodeport FROM citus_shards WHERE table_name = '" + table
            + "'::regclass ORDER BY shardid, nodeport")) {
      while (rs.next()) {
        PostgresServer server = servers.get(rs.getInt(3));
        assertTrue(server != null, "no server on port " + rs.getInt(3));
        out.add(new Placement(rs.getString(1), rs.getLong(2), server));
      }
    }
    assertTrue(!out.isEmpty(), "no placements of " + table);
    return out;
  }

  /** Rows per placement, read on the servers themselves (not through Basalt). */
  Map<Placement, Long> rowsPerPlacement(String table) throws SQLException {
    Map<Placement, Long> counts = new LinkedHashMap<>();
    Map<PostgresServer, List<Placement>> byServer = new LinkedHashMap<>();
    for (Placement p : placements(table)) {
      byServer.computeIfAbsent(p.server(), k -> new ArrayList<>()).add(p);
    }
    for (var e : byServer.entrySet()) {
      List<String> parts = new ArrayList<>();
      for (Placement p : e.getValue()) {
        parts.add("(SELECT count(*) FROM " + p.shardName() + ")");
      }
      String[] values = e.getKey().psqlOutput("postgres",
          "SELECT " + String.join(" || ',' || ", parts)).split(",");
      for (int i = 0; i < values.length; i++) {
        counts.put(e.getValue().get(i), Long.parseLong(values[i].strip()));
      }
    }
    return counts;
  }

  /** Rows of all placements together, read on the workers. */
  long rowsOnWorkers(String table) throws SQLException {
    return rowsPerPlacement(table).values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Every row sits in the shard its distribution value hashes to: the values are read from each
   * shard on its worker (one psql per server), and the coordinator database's own
   * get_shard_id_for_distribution_column (SQL, independent of Basalt's Java hashing) must name
   * that shard for each of them.
   */
  void assertPlacement(String table, String column) throws SQLException {
    List<Long> shards = new ArrayList<>();
    List<String> values = new ArrayList<>();
    Map<PostgresServer, List<Placement>> byServer = new LinkedHashMap<>();
    for (Placement p : placements(table)) {
      byServer.computeIfAbsent(p.server(), k -> new ArrayList<>()).add(p);
    }
    for (var e : byServer.entrySet()) {
      List<String> parts = new ArrayList<>();
      for (Placement p : e.getValue()) {
        parts.add("SELECT " + p.shardId() + " AS s, " + column + "::text AS v FROM "
            + p.shardName());
      }
      String out = e.getKey().psqlOutput("postgres", "SELECT coalesce(string_agg(s || '|'"
          + " || replace(replace(v, E'\\\\', E'\\\\\\\\'), E'\\n', E'\\\\n'), E'\\n'), '') || '#'"
          + " FROM (" + String.join(" UNION ALL ", parts) + ") x");
      // The '#' keeps psql's output from losing a last value's trailing spaces.
      out = out.substring(0, out.length() - 1);
      for (String line : out.isEmpty() ? new String[0] : out.split("\n", -1)) {
        int bar = line.indexOf('|');
        shards.add(Long.parseLong(line.substring(0, bar)));
        values.add(unescape(line.substring(bar + 1)));
      }
    }
    try (Connection direct = TestBasalt.connectDirect(new java.util.Properties());
        PreparedStatement wrong = direct.prepareStatement("SELECT count(*), min(v || ' in '"
            + " || s) FROM unnest(?::bigint[], ?::text[]) AS x(s, v)"
            + " WHERE pg_catalog.get_shard_id_for_distribution_column(?::regclass, v) <> s")) {
      wrong.setArray(1, direct.createArrayOf("bigint", shards.toArray()));
      wrong.setArray(2, direct.createArrayOf("text", values.toArray()));
      wrong.setString(3, table);
      try (ResultSet rs = wrong.executeQuery()) {
        rs.next();
        assertEquals(0, rs.getLong(1), "rows of " + table + " in the wrong shard, e.g. "
            + column + " = " + rs.getString(2));
      }
    }
    assertEquals(count(basalt, table), values.size(), "rows of " + table + " on the shards");
  }

  /** Undoes the escaping of backslash and newline used to read values through psql. */
  private static String unescape(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        c = s.charAt(++i) == 'n' ? '\n' : s.charAt(i);
      }
      b.append(c);
    }
    return b.toString();
  }

  /**
   * Nothing of Basalt's is left open on the workers: no session inside a transaction and no
   * prepared transaction. Waits for a while, since a coordinator cleans up after a lost client
   * asynchronously.
   */
  static void awaitWorkersQuiet() throws InterruptedException {
    String busy = "SELECT (SELECT count(*) FROM pg_stat_activity WHERE backend_type ="
        + " 'client backend' AND pid <> pg_backend_pid() AND (state <> 'idle'"
        + " OR backend_xid IS NOT NULL)) || ',' || (SELECT count(*) FROM pg_prepared_xacts)";
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      List<String> states = new ArrayList<>();
      for (PostgresServer w : workers()) {
        states.add(w.psqlOutput("postgres", busy));
      }
      if (states.stream().allMatch("0,0"::equals)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        List<String> detail = new ArrayList<>();
        for (PostgresServer w : workers()) {
          detail.add(w.port() + ": " + w.psqlOutput("postgres", "SELECT string_agg(state"
              + " || ' ' || left(query, 60), '; ') FROM pg_stat_activity WHERE backend_type ="
              + " 'client backend' AND pid <> pg_backend_pid() AND state <> 'idle'") + " / "
              + w.psqlOutput("postgres", "SELECT string_agg(gid, ',') FROM pg_prepared_xacts"));
        }
        throw new AssertionError("workers still busy (sessions in transaction, prepared"
            + " transactions): " + states + " " + detail);
      }
      Thread.sleep(200);
    }
  }

  @Override
  public void close() throws SQLException {
    try {
      // The golden files that may run later in this JVM expect a cluster without these tables.
      try (Statement s = basalt.createStatement();
          java.sql.ResultSet rs = s.executeQuery("SELECT string_agg(format('%I.%I', schemaname,"
              + " tablename), ', ') FROM pg_tables WHERE schemaname = 'public'"
              + " AND tablename LIKE 'copy\\_%'")) {
        rs.next();
        String tables = rs.getString(1);
        if (tables != null) {
          s.execute("DROP TABLE IF EXISTS " + tables + " CASCADE");
        }
        s.execute("DROP SCHEMA IF EXISTS \"Copy Sch\" CASCADE");
      }
      basalt.close();
      postgres.close();
    } finally {
      reference.close();
    }
  }
}
