package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Differential test of pgjdbc driver features over distributed tables: each check runs the same
 * JDBC code once on Basalt (df_items distributed by id over 8 shards, df_groups a reference table)
 * and once on a separate plain PostgreSQL (same tables, plain), each on a new connection opened
 * with the same driver properties, and compares what the code observed: rows as text (in the
 * API's order when the SQL has ORDER BY, sorted otherwise), update counts, generated keys,
 * SQLSTATEs of exceptions (messages are only reported), result set and parameter metadata.
 * Checks that write compare the table contents and afterwards both sides are reset to the seed
 * rows the same way. All mismatches of a test are reported at once.
 *
 * <p>Features: fetch size with autocommit off (portal fetched in pieces), binary transfer,
 * executeBatch (also failing in the middle), reWriteBatchedInserts, generated keys, setMaxRows,
 * simple query mode with several statements in one string, metadata before execution,
 * prepareThreshold=1 with errors at several positions, savepoints.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DriverFeaturesDifferentialIT {
  private static final int TIMEOUT_SECONDS = 60;
  private static final int SEED_ROWS = 3000;

  private static final String DROP = "DROP TABLE IF EXISTS df_items, df_groups CASCADE";
  private static final List<String> CREATE = List.of(
      "CREATE TABLE df_items (id bigint PRIMARY KEY, grp int, name text, price numeric(10,2),"
          + " data bytea, at timestamptz, vals int[])",
      "CREATE TABLE df_groups (grp int PRIMARY KEY, label text)");
  private static final String SEED_ITEMS = "INSERT INTO df_items SELECT g, g % 10,"
      + " CASE WHEN g % 23 = 0 THEN NULL ELSE 'item_' || g END,"
      + " CASE WHEN g % 29 = 0 THEN NULL ELSE round((g * 7919 % 100000) / 100.0, 2) END,"
      + " CASE WHEN g % 31 = 0 THEN NULL ELSE decode(md5(g::text), 'hex') END,"
      + " CASE WHEN g % 37 = 0 THEN NULL"
      + " ELSE timestamptz '2024-01-01 00:00:00+00' + g * interval '17 minutes' END,"
      + " CASE WHEN g % 41 = 0 THEN NULL ELSE ARRAY[g % 5, g % 7, g] END"
      + " FROM generate_series(1, " + SEED_ROWS + ") g";
  private static final String SEED_GROUPS = "INSERT INTO df_groups VALUES (0, 'zero'),"
      + " (1, 'one'), (2, 'two'), (3, 'three'), (4, 'four'), (5, 'five'), (6, 'six'),"
      + " (7, 'seven'), (8, NULL), (9, 'nine')";
  private static final List<String> DISTRIBUTE = List.of(
      "SELECT create_distributed_table('df_items', 'id', shard_count => 8)",
      "SELECT create_reference_table('df_groups')");
  private static final String ALL_ITEMS = "SELECT * FROM df_items ORDER BY id";
  private static final String ALL_GROUPS = "SELECT * FROM df_groups ORDER BY grp";
  private static final String INSERT_ITEM = "INSERT INTO df_items (id, grp, name, price, data,"
      + " at, vals) VALUES (?, ?, ?, ?, ?, ?, ?)";

  private static TwinServers twin;
  private static Connection basaltAdmin;
  private static Connection postgresAdmin;
  private static final List<String> SUMMARY = new ArrayList<>();

  @BeforeAll
  static void setUp() throws SQLException {
    List<String> setup = new ArrayList<>(CREATE);
    setup.add(SEED_ITEMS);
    setup.add(SEED_GROUPS);
    twin = TwinServers.open(DROP, setup, DISTRIBUTE);
    basaltAdmin = twin.basalt;
    postgresAdmin = twin.postgres;
  }

  @AfterAll
  static void tearDown() throws SQLException {
    System.out.println("DriverFeaturesDifferentialIT summary:");
    SUMMARY.forEach(System.out::println);
    if (twin != null) {
      twin.close();
    }
  }

  // ------------------------------------------------------------------------------------ checks

  @Test
  @Order(0)
  void seedRowsAreTheSame() {
    List<String> mismatches = new ArrayList<>();
    check("0 seed", "contents after setup", props(), (c, r) -> {
      r.addAll(contents(c, ALL_ITEMS));
      r.addAll(contents(c, ALL_GROUPS));
    }, mismatches);
    finish(mismatches);
  }

  @Test
  @Order(1)
  void fetchSizeWithAutocommitOff() {
    List<String> mismatches = new ArrayList<>();
    String f = "1 fetchSize";
    check(f, "multi-shard ORDER BY, all rows, fetchSize 50", props(), (c, r) -> {
      c.setAutoCommit(false);
      r.addAll(query(c, ALL_ITEMS, 50, 0, true));
      c.commit();
    }, mismatches);
    check(f, "multi-shard unordered, all rows, fetchSize 50", props(), (c, r) -> {
      c.setAutoCommit(false);
      r.addAll(query(c, "SELECT id, grp, name FROM df_items", 50, 0, false));
      c.commit();
    }, mismatches);
    check(f, "router query, 120 rows, fetchSize 50", props(), (c, r) -> {
      c.setAutoCommit(false);
      r.addAll(query(c, "SELECT id, name, g FROM df_items, generate_series(1, 120) g"
          + " WHERE id = 42 ORDER BY g", 50, 0, true));
      r.addAll(query(c, "SELECT * FROM df_items WHERE id = 77", 50, 0, true));
      c.commit();
    }, mismatches);
    check(f, "prepared multi-shard ORDER BY with a parameter, fetchSize 50", props(), (c, r) -> {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT id, price FROM df_items WHERE grp = ? ORDER BY id")) {
        ps.setFetchSize(50);
        for (int grp : new int[] {3, 7, 3}) {
          ps.setInt(1, grp);
          try (ResultSet rs = ps.executeQuery()) {
            r.addAll(rows(rs, true));
          }
        }
      }
      c.commit();
    }, mismatches);
    check(f, "0 rows, fetchSize 50 (multi-shard and router)", props(), (c, r) -> {
      c.setAutoCommit(false);
      r.addAll(query(c, "SELECT * FROM df_items WHERE id < 0 ORDER BY id", 50, 0, true));
      r.addAll(query(c, "SELECT * FROM df_items WHERE id = -1", 50, 0, true));
      c.commit();
    }, mismatches);
    check(f, "two open portals interleaved (fetchSize 50, router query between fetches)",
        props(), (c, r) -> {
          c.setAutoCommit(false);
          try (Statement outer = c.createStatement(); Statement inner = c.createStatement()) {
            outer.setFetchSize(50);
            try (ResultSet rs = outer.executeQuery("SELECT id, name FROM df_items ORDER BY id")) {
              int n = 0;
              while (rs.next()) {
                n++;
                if (n % 400 == 1) {
                  r.add("outer " + rs.getLong(1) + " " + rs.getString(2));
                  try (ResultSet in = inner.executeQuery(
                      "SELECT id, price FROM df_items WHERE id = " + (n + 5))) {
                    r.addAll(rows(in, true));
                  }
                }
              }
              r.add("outer rows " + n);
            }
          }
          c.commit();
        }, mismatches);
    finish(mismatches);
  }

  @Test
  @Order(2)
  void binaryTransfer() {
    List<String> mismatches = new ArrayList<>();
    String f = "2 binary";
    Properties p = props("prepareThreshold", "-1", "binaryTransfer", "true");
    check(f, "router query, every column by its getters", p, (c, r) -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT * FROM df_items WHERE id = ?")) {
        for (long id : new long[] {42, 23, 29, 31, 37, 41, 1, 2999}) {
          ps.setLong(1, id);
          try (ResultSet rs = ps.executeQuery()) {
            r.addAll(typed(rs));
          }
        }
      }
    }, mismatches);
    check(f, "multi-shard ORDER BY, every column by its getters", p, (c, r) -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT * FROM df_items WHERE id <= ? ORDER BY id")) {
        ps.setLong(1, 250);
        try (ResultSet rs = ps.executeQuery()) {
          r.addAll(typed(rs));
        }
      }
    }, mismatches);
    check(f, "multi-shard unordered (sorted), every column by its getters", p, (c, r) -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT * FROM df_items WHERE grp = ?")) {
        ps.setInt(1, 4);
        try (ResultSet rs = ps.executeQuery()) {
          List<String> rows = typed(rs);
          Collections.sort(rows);
          r.addAll(rows);
        }
      }
    }, mismatches);
    check(f, "multi-shard aggregate with ORDER BY (Statement, binary)", p, (c, r) -> {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
          "SELECT grp, count(*), sum(price), min(at), max(name), max(id)"
              + " FROM df_items GROUP BY grp ORDER BY grp")) {
        r.addAll(typed(rs));
      }
    }, mismatches);
    for (String agg : List.of(
        "SELECT grp, count(*) FROM df_items GROUP BY grp ORDER BY grp",
        "SELECT count(*), sum(price) FROM df_items",
        "SELECT grp FROM df_items WHERE id < 20 ORDER BY id",
        "SELECT DISTINCT grp FROM df_items ORDER BY grp")) {
      check(f, "multi-shard (Statement, binary): " + agg, p, (c, r) -> {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(agg)) {
          r.addAll(typed(rs));
        }
      }, mismatches);
      check(f, "multi-shard (PreparedStatement, binary): " + agg, p, (c, r) -> {
        try (PreparedStatement ps = c.prepareStatement(agg); ResultSet rs = ps.executeQuery()) {
          r.addAll(typed(rs));
        }
      }, mismatches);
    }
    check(f, "router query with binary parameters of every type (values read back)", p,
        (c, r) -> {
          Object[] row = new Object[7];
          try (PreparedStatement ps = c.prepareStatement("SELECT * FROM df_items WHERE id = ?")) {
            ps.setLong(1, 42);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              for (int i = 0; i < 7; i++) {
                row[i] = rs.getObject(i + 1);
              }
            }
          }
          try (PreparedStatement ps = c.prepareStatement("SELECT id, name FROM df_items"
              + " WHERE id = ? AND grp = ? AND name = ? AND price = ? AND data = ? AND at = ?"
              + " AND vals = ?")) {
            ps.setLong(1, (Long) row[0]);
            ps.setInt(2, (Integer) row[1]);
            ps.setString(3, (String) row[2]);
            ps.setBigDecimal(4, (BigDecimal) row[3]);
            ps.setBytes(5, (byte[]) row[4]);
            ps.setTimestamp(6, (Timestamp) row[5]);
            ps.setArray(7, (Array) row[6]);
            try (ResultSet rs = ps.executeQuery()) {
              r.addAll(rows(rs, true));
            }
          }
        }, mismatches);
    finish(mismatches);
  }

  @Test
  @Order(3)
  void executeBatch() {
    batches("3 executeBatch", props(), mismatches());
  }

  @Test
  @Order(4)
  void reWriteBatchedInserts() {
    batches("4 reWriteBatchedInserts", props("reWriteBatchedInserts", "true"), mismatches());
  }

  private void batches(String f, Properties p, List<String> mismatches) {
    check(f, "batch of 20 parameterized INSERTs over many shards", p, (c, r) -> {
      try (PreparedStatement ps = c.prepareStatement(INSERT_ITEM)) {
        for (int i = 1; i <= 20; i++) {
          bindItem(c, ps, 100_000 + i, i);
          ps.addBatch();
        }
        r.add("counts " + Arrays.toString(ps.executeBatch()));
      }
      r.addAll(contents(c, "SELECT * FROM df_items WHERE id > 100000 ORDER BY id"));
      r.add("total " + contents(c, "SELECT count(*) FROM df_items"));
    }, mismatches);
    reset();
    for (boolean autocommit : new boolean[] {true, false}) {
      String mode = autocommit ? "autocommit on" : "autocommit off, then rollback";
      check(f, "batch of 20 with a primary key violation at row 10 (an existing row), " + mode,
          p, (c, r) -> {
            c.setAutoCommit(autocommit);
            try (PreparedStatement ps = c.prepareStatement(INSERT_ITEM)) {
              for (int i = 1; i <= 20; i++) {
                bindItem(c, ps, i == 10 ? 500 : 100_100 + i, i);
                ps.addBatch();
              }
              try {
                r.add("counts " + Arrays.toString(ps.executeBatch()));
              } catch (BatchUpdateException e) {
                r.batchError("batch", e);
              }
            }
            if (!autocommit) {
              r.add("in transaction: " + contents(c, "SELECT count(*) FROM df_items"
                  + " WHERE id > 100000"));
              c.rollback();
              c.setAutoCommit(true);
            }
            r.addAll(contents(c, "SELECT * FROM df_items WHERE id > 100000 ORDER BY id"));
            r.addAll(contents(c, "SELECT * FROM df_items WHERE id = 500"));
            r.add("total " + contents(c, "SELECT count(*) FROM df_items"));
          }, mismatches);
      reset();
    }
    check(f, "batch of 20 where row 10 repeats the id of row 3 of the same batch", p, (c, r) -> {
      try (PreparedStatement ps = c.prepareStatement(INSERT_ITEM)) {
        for (int i = 1; i <= 20; i++) {
          bindItem(c, ps, 100_200 + (i == 10 ? 3 : i), i);
          ps.addBatch();
        }
        try {
          r.add("counts " + Arrays.toString(ps.executeBatch()));
        } catch (BatchUpdateException e) {
          r.batchError("batch", e);
        }
      }
      r.addAll(contents(c, "SELECT * FROM df_items WHERE id > 100000 ORDER BY id"));
    }, mismatches);
    reset();
    check(f, "Statement.addBatch of INSERT / UPDATE / DELETE strings", p, (c, r) -> {
      try (Statement s = c.createStatement()) {
        s.addBatch("INSERT INTO df_items (id, grp, name) VALUES (100301, 1, 'a')");
        s.addBatch("INSERT INTO df_items (id, grp, name) VALUES (100302, 2, 'b'),"
            + " (100303, 3, 'c')");
        s.addBatch("UPDATE df_items SET name = name || '!' WHERE id > 100300");
        s.addBatch("DELETE FROM df_items WHERE id = 100302");
        r.add("counts " + Arrays.toString(s.executeBatch()));
      }
      r.addAll(contents(c, "SELECT * FROM df_items WHERE id > 100000 ORDER BY id"));
    }, mismatches);
    reset();
    finish(mismatches);
  }

  @Test
  @Order(5)
  void generatedKeys() {
    List<String> mismatches = new ArrayList<>();
    String f = "5 generated keys";
    check(f, "Statement.executeUpdate(sql, RETURN_GENERATED_KEYS)", props(), (c, r) -> {
      try (Statement s = c.createStatement()) {
        r.add("count " + s.executeUpdate("INSERT INTO df_items (id, grp, name, price, at)"
            + " VALUES (200001, 1, 'gk1', 1.50, timestamptz '2024-05-01 10:00:00+00')",
            Statement.RETURN_GENERATED_KEYS));
        try (ResultSet rs = s.getGeneratedKeys()) {
          r.addAll(rows(rs, true));
        }
        r.add("count " + s.executeUpdate("INSERT INTO df_items (id, grp, name) VALUES"
            + " (200002, 2, 'gk2'), (200003, 3, 'gk3'), (200004, 4, NULL), (200005, 5, 'gk5')",
            Statement.RETURN_GENERATED_KEYS));
        try (ResultSet rs = s.getGeneratedKeys()) {
          r.addAll(rows(rs, false));
        }
      }
    }, mismatches);
    check(f, "prepareStatement(sql, new String[]{\"id\",\"name\"}), three executions", props(),
        (c, r) -> {
          try (PreparedStatement ps = c.prepareStatement(
              "INSERT INTO df_items (id, grp, name) VALUES (?, ?, ?)",
              new String[] {"id", "name"})) {
            for (int i = 1; i <= 3; i++) {
              ps.setLong(1, 200_010 + i);
              ps.setInt(2, i);
              ps.setString(3, "named_" + i);
              r.add("count " + ps.executeUpdate());
              try (ResultSet rs = ps.getGeneratedKeys()) {
                r.addAll(rows(rs, true));
              }
            }
          }
        }, mismatches);
    check(f, "prepareStatement(sql, RETURN_GENERATED_KEYS) with executeBatch", props(),
        (c, r) -> {
          try (PreparedStatement ps = c.prepareStatement(
              "INSERT INTO df_items (id, grp, name) VALUES (?, ?, ?)",
              Statement.RETURN_GENERATED_KEYS)) {
            for (int i = 1; i <= 6; i++) {
              ps.setLong(1, 200_020 + i);
              ps.setInt(2, i);
              ps.setString(3, "batch_" + i);
              ps.addBatch();
            }
            r.add("counts " + Arrays.toString(ps.executeBatch()));
            try (ResultSet rs = ps.getGeneratedKeys()) {
              r.addAll(rows(rs, true));
            }
          }
          r.addAll(contents(c, "SELECT * FROM df_items WHERE id > 200000 ORDER BY id"));
        }, mismatches);
    check(f, "generated keys of a key violation", props(), (c, r) -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO df_items (id, grp, name) VALUES (?, ?, ?)", new String[] {"id"})) {
        ps.setLong(1, 17);
        ps.setInt(2, 1);
        ps.setString(3, "dup");
        try {
          r.add("count " + ps.executeUpdate());
        } catch (SQLException e) {
          r.error("insert", e);
        }
      }
    }, mismatches);
    reset();
    finish(mismatches);
  }

  @Test
  @Order(6)
  void maxRows() {
    List<String> mismatches = new ArrayList<>();
    String f = "6 setMaxRows";
    check(f, "setMaxRows(7) on multi-shard ORDER BY", props(), (c, r) -> {
      r.addAll(query(c, "SELECT id, name, price FROM df_items ORDER BY id DESC", 0, 7, true));
      r.addAll(query(c, "SELECT grp, count(*) FROM df_items GROUP BY grp ORDER BY grp",
          0, 7, true));
    }, mismatches);
    check(f, "setMaxRows(7) on unordered multi-shard (count only)", props(), (c, r) -> {
      r.add("rows " + (query(c, "SELECT id FROM df_items", 0, 7, false).size() - 1));
      r.add("rows " + (query(c, "SELECT id FROM df_items WHERE id > 2995", 0, 7, false).size()
          - 1));
    }, mismatches);
    check(f, "prepared setMaxRows(7) ORDER BY, executed 6 times", props(), (c, r) -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT id, name FROM df_items WHERE id > ? ORDER BY id")) {
        ps.setMaxRows(7);
        for (int i = 0; i < 6; i++) {
          ps.setLong(1, i * 400L);
          try (ResultSet rs = ps.executeQuery()) {
            r.addAll(rows(rs, true));
          }
        }
      }
    }, mismatches);
    check(f, "setMaxRows(7) with fetchSize 3, autocommit off", props(), (c, r) -> {
      c.setAutoCommit(false);
      r.addAll(query(c, "SELECT id, name FROM df_items ORDER BY id", 3, 7, true));
      c.commit();
    }, mismatches);
    finish(mismatches);
  }

  @Test
  @Order(7)
  void multiStatementStrings() {
    List<String> mismatches = new ArrayList<>();
    String f = "7 multi-statement";
    String sql = "SELECT count(*) FROM df_items; SELECT grp, count(*) FROM df_items GROUP BY grp"
        + " ORDER BY grp; UPDATE df_items SET name = name WHERE id < 5";
    check(f, "preferQueryMode=simple: " + sql, props("preferQueryMode", "simple"),
        (c, r) -> r.addAll(allResults(c, sql)), mismatches);
    check(f, "default (extended) mode: " + sql, props(),
        (c, r) -> r.addAll(allResults(c, sql)), mismatches);
    String failing = "SELECT count(*) FROM df_items WHERE grp = 1;"
        + " INSERT INTO df_items (id, grp) VALUES (3001, 1);"
        + " INSERT INTO df_items (id, grp) VALUES (7, 1); SELECT 2";
    check(f, "preferQueryMode=simple with a key violation in the 3rd statement: " + failing,
        props("preferQueryMode", "simple"), (c, r) -> {
          r.addAll(allResults(c, failing));
          r.addAll(contents(c, "SELECT * FROM df_items WHERE id > 3000 ORDER BY id"));
        }, mismatches);
    reset();
    finish(mismatches);
  }

  @Test
  @Order(8)
  void metadataBeforeExecute() {
    List<String> mismatches = new ArrayList<>();
    String f = "8 metadata";
    List<String> sqls = List.of(
        "SELECT id, grp, name, price, data, at, vals FROM df_items WHERE id = ? AND grp = ?",
        "SELECT grp, count(*), sum(price), avg(price), max(at) FROM df_items"
            + " WHERE price > ? GROUP BY grp ORDER BY grp",
        "INSERT INTO df_items (id, grp, name, price) VALUES (?, ?, ?, ?)"
            + " RETURNING id, name, price * 2 AS double_price, vals");
    for (String sql : sqls) {
      check(f, "getMetaData/getParameterMetaData before execute, then execute: " + sql, props(),
          (c, r) -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
              r.addAll(describe(ps.getMetaData()));
              ParameterMetaData pm = ps.getParameterMetaData();
              r.add("parameters " + pm.getParameterCount());
              for (int i = 1; i <= pm.getParameterCount(); i++) {
                r.add("  $" + i + " " + pm.getParameterType(i) + " "
                    + pm.getParameterTypeName(i) + " " + pm.getParameterClassName(i));
              }
              if (sql.startsWith("INSERT")) {
                ps.setLong(1, 400_001);
                ps.setInt(2, 4);
                ps.setString(3, "meta");
                ps.setBigDecimal(4, new BigDecimal("12.34"));
              } else if (sql.contains("id = ?")) {
                ps.setLong(1, 42);
                ps.setInt(2, 2);
              } else {
                ps.setBigDecimal(1, new BigDecimal("500.00"));
              }
              try (ResultSet rs = ps.executeQuery()) {
                r.addAll(describe(rs.getMetaData()));
                r.addAll(rows(rs, true));
              }
            }
          }, mismatches);
    }
    reset();
    finish(mismatches);
  }

  @Test
  @Order(9)
  void prepareThresholdOneWithErrors() {
    List<String> mismatches = new ArrayList<>();
    String f = "9 prepareThreshold=1";
    for (int bad : new int[] {1, 2, 6}) {
      check(f, "router query executed 10 times, division by zero at execution " + bad,
          props("prepareThreshold", "1"), (c, r) -> {
            try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, name, 100 / ? AS q FROM df_items WHERE id = ?")) {
              for (int e = 1; e <= 10; e++) {
                ps.setInt(1, e == bad ? 0 : e);
                ps.setLong(2, e * 11L);
                try (ResultSet rs = ps.executeQuery()) {
                  r.add("#" + e + " " + rows(rs, true));
                } catch (SQLException ex) {
                  r.error("#" + e, ex);
                }
              }
            }
          }, mismatches);
    }
    check(f, "same, autocommit off: error at execution 2, rollback, go on",
        props("prepareThreshold", "1"), (c, r) -> {
          c.setAutoCommit(false);
          try (PreparedStatement ps = c.prepareStatement(
              "SELECT id, name, 100 / ? AS q FROM df_items WHERE id = ?")) {
            for (int e = 1; e <= 10; e++) {
              ps.setInt(1, e == 2 ? 0 : e);
              ps.setLong(2, e * 13L);
              try (ResultSet rs = ps.executeQuery()) {
                r.add("#" + e + " " + rows(rs, true));
              } catch (SQLException ex) {
                r.error("#" + e, ex);
                c.rollback();
              }
            }
          }
          c.commit();
        }, mismatches);
    finish(mismatches);
  }

  @Test
  @Order(10)
  void savepoints() {
    List<String> mismatches = new ArrayList<>();
    String f = "10 savepoints";
    check(f, "setSavepoint / rollback(savepoint) / releaseSavepoint, then commit", props(),
        (c, r) -> {
          c.setAutoCommit(false);
          try (Statement s = c.createStatement()) {
            r.add("u " + s.executeUpdate("INSERT INTO df_items (id, grp, name) VALUES"
                + " (300001, 1, 'first')"));
            Savepoint sp1 = c.setSavepoint();
            r.add("u " + s.executeUpdate("INSERT INTO df_items (id, grp, name) VALUES"
                + " (300002, 2, 'undone'), (300003, 3, 'undone')"));
            r.add("u " + s.executeUpdate("UPDATE df_groups SET label = 'undone' WHERE grp = 1"));
            r.add("u " + s.executeUpdate("UPDATE df_items SET name = 'undone' WHERE grp = 5"));
            r.add("in sp1 " + contents(c, "SELECT count(*) FROM df_items WHERE name = 'undone'"));
            c.rollback(sp1);
            r.add("after rollback to sp1 "
                + contents(c, "SELECT count(*) FROM df_items WHERE name = 'undone'"));
            Savepoint sp2 = c.setSavepoint("named_sp");
            r.add("u " + s.executeUpdate("UPDATE df_items SET name = 'kept' WHERE id = 300001"));
            r.add("u " + s.executeUpdate("INSERT INTO df_groups VALUES (100, 'hundred')"));
            c.releaseSavepoint(sp2);
            r.add("after release of named_sp");
            r.addAll(contents(c, "SELECT * FROM df_items WHERE id > 3000 ORDER BY id"));
            Savepoint sp3 = c.setSavepoint();
            try {
              s.executeUpdate("INSERT INTO df_items (id, grp) VALUES (300004, 4), (17, 1)");
              r.add("no error");
            } catch (SQLException e) {
              r.error("duplicate insert", e);
            }
            c.rollback(sp3);
            r.add("after rollback to sp3");
            r.addAll(contents(c, "SELECT * FROM df_items WHERE id > 3000 ORDER BY id"));
            r.addAll(contents(c, ALL_GROUPS));
            r.add("u " + s.executeUpdate("INSERT INTO df_items (id, grp, name) VALUES"
                + " (300005, 5, 'after error')"));
            r.add("u " + s.executeUpdate("UPDATE df_groups SET label = 'ONE' WHERE grp = 1"));
            try {
              c.releaseSavepoint(sp1);
              r.add("released rolled-back savepoint");
            } catch (SQLException e) {
              r.error("release sp1 after rollback to it", e);
            }
          }
          c.commit();
          c.setAutoCommit(true);
          r.addAll(contents(c, "SELECT * FROM df_items WHERE id > 3000 ORDER BY id"));
          r.addAll(contents(c, "SELECT * FROM df_items WHERE grp = 5 ORDER BY id"));
          r.addAll(contents(c, ALL_GROUPS));
        }, mismatches);
    reset();
    for (String failing : List.of("INSERT INTO df_items (id, grp) VALUES (300004, 4), (17, 1)",
        "INSERT INTO df_items (id, grp) VALUES (17, 1)")) {
      check(f, "insert 300001 + df_groups row, savepoint, failing '" + failing
          + "', rollback to savepoint, insert, commit", props(), (c, r) -> {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
              r.add("u " + s.executeUpdate("INSERT INTO df_items (id, grp, name) VALUES"
                  + " (300001, 1, 'before')"));
              r.add("u " + s.executeUpdate("INSERT INTO df_groups VALUES (100, 'hundred')"));
              Savepoint sp = c.setSavepoint();
              try {
                s.executeUpdate(failing);
                r.add("no error");
              } catch (SQLException e) {
                r.error("failing insert", e);
              }
              c.rollback(sp);
              r.add("after rollback to savepoint");
              r.addAll(contents(c, "SELECT * FROM df_items WHERE id > 3000 ORDER BY id"));
              r.addAll(contents(c, "SELECT * FROM df_groups WHERE grp >= 100"));
              r.add("u " + s.executeUpdate("INSERT INTO df_items (id, grp, name) VALUES"
                  + " (300005, 5, 'after')"));
            }
            c.commit();
            c.setAutoCommit(true);
            r.addAll(contents(c, "SELECT * FROM df_items WHERE id > 3000 ORDER BY id"));
            r.addAll(contents(c, "SELECT * FROM df_groups WHERE grp >= 100"));
          }, mismatches);
      reset();
    }
    check(f, "insert, savepoint, multi-shard writes, rollback to it, insert, commit (no error)",
        props(), (c, r) -> {
          c.setAutoCommit(false);
          try (Statement s = c.createStatement()) {
            r.add("u " + s.executeUpdate("INSERT INTO df_items (id, grp, name) VALUES"
                + " (300001, 1, 'first')"));
            Savepoint sp = c.setSavepoint();
            r.add("u " + s.executeUpdate("INSERT INTO df_items (id, grp, name) VALUES"
                + " (300002, 2, 'undone'), (300003, 3, 'undone')"));
            r.add("u " + s.executeUpdate("UPDATE df_items SET name = 'undone' WHERE grp = 5"));
            c.rollback(sp);
            r.add("u " + s.executeUpdate("INSERT INTO df_items (id, grp, name) VALUES"
                + " (300005, 5, 'after')"));
          }
          c.commit();
          c.setAutoCommit(true);
          r.addAll(contents(c, "SELECT * FROM df_items WHERE id > 3000 ORDER BY id"));
          r.add("grp 5 named undone "
              + contents(c, "SELECT count(*) FROM df_items WHERE name = 'undone'"));
        }, mismatches);
    reset();
    finish(mismatches);
  }

  // ----------------------------------------------------------------------------------- harness

  /** What one side observed: lines compared, and notes (exception texts) only reported. */
  static final class Rec {
    final List<String> lines = new ArrayList<>();
    final List<String> notes = new ArrayList<>();

    void add(String line) {
      lines.add(line);
    }

    void addAll(List<String> more) {
      lines.addAll(more);
    }

    void error(String what, SQLException e) {
      lines.add(what + ": error " + e.getSQLState());
      notes.add(what + ": " + e.getClass().getSimpleName() + " [" + e.getSQLState() + "] "
          + cap(oneLine(e.getMessage())));
    }

    void batchError(String what, BatchUpdateException e) {
      lines.add(what + ": BatchUpdateException " + e.getSQLState() + " counts "
          + Arrays.toString(e.getUpdateCounts()));
      notes.add(what + ": BatchUpdateException [" + e.getSQLState() + "] "
          + cap(oneLine(e.getMessage())));
      SQLException next = e.getNextException();
      int depth = 0;
      while (next != null && depth++ < 3) {
        lines.add(what + ": next exception " + next.getSQLState());
        notes.add(what + ": next " + next.getClass().getSimpleName() + " ["
            + next.getSQLState() + "] " + cap(oneLine(next.getMessage())));
        next = next.getNextException();
      }
    }
  }

  interface Body {
    void run(Connection c, Rec r) throws Exception;
  }

  private static List<String> mismatches() {
    return new ArrayList<>();
  }

  private static Properties props(String... kv) {
    Properties p = new Properties();
    p.setProperty("socketTimeout", String.valueOf(TIMEOUT_SECONDS * 2));
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return p;
  }

  private static Rec runOn(boolean onBasalt, Properties p, Body body) {
    Rec r = new Rec();
    Connection c = null;
    try {
      if (onBasalt) {
        c = TestBasalt.connect(p);
      } else {
        c = twin.connectPostgres(p);
      }
      body.run(c, r);
    } catch (SQLException e) {
      r.error("uncaught", e);
    } catch (Exception e) {
      r.lines.add("client " + e.getClass().getName() + ": " + oneLine(e.getMessage()));
      StringBuilder trace = new StringBuilder("client " + e);
      StackTraceElement[] frames = e.getStackTrace();
      for (int i = 0; i < Math.min(8, frames.length); i++) {
        trace.append("\n        at ").append(frames[i]);
      }
      r.notes.add(trace.toString());
    } finally {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          // Broken already.
        }
      }
    }
    return r;
  }

  private static void check(String feature, String what, Properties p, Body body,
      List<String> mismatches) {
    Rec expected = runOn(false, p, body);
    Rec actual = runOn(true, p, body);
    boolean same = expected.lines.equals(actual.lines);
    String line = "[" + feature + "] " + what + ": " + (same ? "same" : "DIFFERENT") + " ("
        + expected.lines.size() + " lines)";
    System.out.println(line);
    SUMMARY.add(line);
    if (!expected.notes.isEmpty()) {
      System.out.println("    PostgreSQL notes: " + expected.notes);
    }
    if (!actual.notes.isEmpty()) {
      System.out.println("    Basalt notes:     " + actual.notes);
    }
    if (same) {
      return;
    }
    int i = 0;
    while (i < expected.lines.size() && i < actual.lines.size()
        && expected.lines.get(i).equals(actual.lines.get(i))) {
      i++;
    }
    String report = "[" + feature + "] " + what + "\n    first difference at line " + i
        + " (PostgreSQL " + expected.lines.size() + " lines, Basalt " + actual.lines.size()
        + ")\n    expected (PostgreSQL): " + window(expected.lines, i)
        + "\n    actual (Basalt):       " + window(actual.lines, i)
        + "\n    only on PostgreSQL: " + firstFew(minus(expected.lines, actual.lines))
        + "\n    only on Basalt:     " + firstFew(minus(actual.lines, expected.lines))
        + "\n    PostgreSQL notes: " + expected.notes
        + "\n    Basalt notes:     " + actual.notes;
    System.out.println(report);
    mismatches.add(report);
  }

  private static List<String> minus(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    b.forEach(out::remove);
    return out;
  }

  private static String firstFew(List<String> lines) {
    return lines.size() <= 6 ? lines.toString()
        : lines.subList(0, 6) + " ... (" + lines.size() + " in all)";
  }

  private static String window(List<String> lines, int from) {
    return lines.subList(Math.min(from, lines.size()), Math.min(from + 4, lines.size()))
        .toString();
  }

  private static void finish(List<String> mismatches) {
    assertEquals(List.of(), mismatches, "\n" + String.join("\n", mismatches));
  }

  /** Both sides back to the seed rows, the same way. */
  private static void reset() {
    for (Connection c : List.of(basaltAdmin, postgresAdmin)) {
      try (Statement s = c.createStatement()) {
        s.setQueryTimeout(TIMEOUT_SECONDS);
        s.execute("DELETE FROM df_items");
        s.execute(SEED_ITEMS);
        s.execute("DELETE FROM df_groups");
        s.execute(SEED_GROUPS);
      } catch (SQLException e) {
        String line = "reset failed on " + (c == basaltAdmin ? "Basalt" : "PostgreSQL") + ": "
            + e.getSQLState() + " " + oneLine(e.getMessage());
        System.out.println(line);
        SUMMARY.add(line);
      }
    }
  }

  // ----------------------------------------------------------------------------------- helpers

  private static void bindItem(Connection c, PreparedStatement ps, long id, int i)
      throws SQLException {
    ps.setLong(1, id);
    ps.setInt(2, i % 10);
    if (i % 7 == 0) {
      ps.setNull(3, java.sql.Types.VARCHAR);
    } else {
      ps.setString(3, "batch_" + i);
    }
    ps.setBigDecimal(4, new BigDecimal(i * 3 + ".25"));
    ps.setBytes(5, new byte[] {(byte) i, 0, (byte) 0xff, (byte) (i * 7)});
    ps.setTimestamp(6, Timestamp.from(Instant.parse("2024-03-01T12:00:00Z").plusSeconds(i * 61L)));
    ps.setArray(7, c.createArrayOf("int4", new Integer[] {i, i * 2, null}));
  }

  /** Labels line then rows; sorted unless ordered. */
  private static List<String> query(Connection c, String sql, int fetchSize, int maxRows,
      boolean ordered) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.setQueryTimeout(TIMEOUT_SECONDS);
      s.setFetchSize(fetchSize);
      s.setMaxRows(maxRows);
      try (ResultSet rs = s.executeQuery(sql)) {
        return rows(rs, ordered);
      }
    }
  }

  /**
   * Labels and rows as TwinServers shows them, bytea in hex (binary bytea's getString would be
   * the array's identity); sorted when the query has no order.
   */
  private static List<String> rows(ResultSet rs, boolean ordered) throws SQLException {
    List<String> labels = new ArrayList<>();
    List<String> rows = TwinServers.rows(rs, labels, true);
    if (!ordered) {
      Collections.sort(rows);
    }
    List<String> out = new ArrayList<>();
    out.add("labels " + labels);
    out.addAll(rows);
    return out;
  }

  private static List<String> contents(Connection c, String sql) {
    try {
      return query(c, sql, 0, 0, true);
    } catch (SQLException e) {
      return List.of("contents error " + e.getSQLState() + " " + oneLine(e.getMessage()));
    }
  }

  /** Column metadata lines: label, java.sql.Types, type name, precision, scale, class. */
  private static List<String> describe(ResultSetMetaData md) throws SQLException {
    List<String> out = new ArrayList<>();
    if (md == null) {
      out.add("no result set metadata");
      return out;
    }
    out.add("columns " + md.getColumnCount());
    for (int i = 1; i <= md.getColumnCount(); i++) {
      out.add("  " + md.getColumnLabel(i) + " " + md.getColumnType(i) + " "
          + md.getColumnTypeName(i) + " p" + md.getPrecision(i) + " s" + md.getScale(i) + " "
          + md.getColumnClassName(i));
    }
    return out;
  }

  /** Every column through getObject, getString and the getter of its type, with metadata. */
  private static List<String> typed(ResultSet rs) throws SQLException {
    List<String> out = new ArrayList<>(describe(rs.getMetaData()));
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    List<String> rows = new ArrayList<>();
    while (rs.next()) {
      StringBuilder row = new StringBuilder("(");
      for (int i = 1; i <= n; i++) {
        row.append(i == 1 ? "" : " | ").append(value(rs.getObject(i))).append(" / ")
            .append(str(rs, i));
        switch (md.getColumnTypeName(i)) {
          case "bytea" -> row.append(" / bytes ").append(hex(rs.getBytes(i)));
          case "numeric" -> row.append(" / decimal ").append(rs.getBigDecimal(i));
          case "timestamptz" -> {
            Timestamp t = rs.getTimestamp(i);
            row.append(" / ts ").append(t == null ? "null" : t.getTime() + "," + t.getNanos());
          }
          case "_int4" -> {
            Array a = rs.getArray(i);
            row.append(" / array ").append(a == null ? "null"
                : a.getBaseTypeName() + Arrays.deepToString((Object[]) a.getArray()));
          }
          case "int8" -> row.append(" / long ").append(rs.getLong(i)).append(rs.wasNull());
          case "int4" -> row.append(" / int ").append(rs.getInt(i)).append(rs.wasNull());
          default -> { }
        }
      }
      rows.add(row.append(')').toString());
    }
    out.addAll(rows);
    return out;
  }

  private static String value(Object o) throws SQLException {
    if (o == null) {
      return "null";
    }
    String type = o.getClass().getSimpleName();
    if (o instanceof byte[] b) {
      return type + ":" + hex(b);
    }
    if (o instanceof Array a) {
      return type + ":" + Arrays.deepToString((Object[]) a.getArray());
    }
    return type + ":" + o;
  }

  private static String hex(byte[] b) {
    return b == null ? "null" : HexFormat.of().formatHex(b);
  }

  /** All results of one execute: result sets and update counts in order. */
  private static List<String> allResults(Connection c, String sql) {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement()) {
      s.setQueryTimeout(TIMEOUT_SECONDS);
      boolean isResultSet = s.execute(sql);
      for (int k = 0; k < 20; k++) {
        if (isResultSet) {
          try (ResultSet rs = s.getResultSet()) {
            out.add("result set " + k);
            out.addAll(rows(rs, true));
          }
        } else {
          int count = s.getUpdateCount();
          if (count == -1) {
            out.add("end after " + k);
            break;
          }
          out.add("update count " + count);
        }
        isResultSet = s.getMoreResults();
      }
    } catch (SQLException e) {
      out.add("error " + e.getSQLState());
      System.out.println("    (multi-statement error: [" + e.getSQLState() + "] "
          + oneLine(e.getMessage()) + ")");
    }
    return out;
  }

  /** Long messages (a rewritten batch quotes all its rows) shortened for the report. */
  private static String cap(String s) {
    return s.length() <= 400 ? s : s.substring(0, 200) + " ... " + s.substring(s.length() - 180);
  }

  /** pgjdbc's getString of a binary bytea is byte[].toString(): drop the identity hash. */
  private static String str(ResultSet rs, int i) throws SQLException {
    String v = rs.getString(i);
    return v == null ? null : v.replaceAll("^\\[B@[0-9a-f]+$", "[B@(hash)");
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.strip().replaceAll("\\s*\n\\s*", " ");
  }
}
