package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.postgresql.core.BaseConnection;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Differential test of transactions and errors: sessions (sequences of protocol exchanges) run on
 * Basalt (tables distributed over both workers) and on a separate plain PostgreSQL holding the
 * same tables, and every step is compared.
 *
 * <p>A session is scripted (blocks over several workers with COMMIT and ROLLBACK, errors of every
 * constraint kind inside blocks, savepoints, multi-statement Query messages, extended-protocol
 * pipelines with one or several Syncs, suspended portals, transaction characteristics, SET LOCAL,
 * DDL and TRUNCATE in blocks) or generated from a seed ({@code -Dbasalt.txfuzz.seed},
 * {@code -Dbasalt.txfuzz.sessions}, {@code -Dbasalt.txfuzz.steps}). Most sessions use a bare
 * protocol client ({@link WireClient}); a step's answer is its whole transcript: every command
 * tag, RowDescription (names and type OIDs), the rows (in order when the step has an ORDER BY
 * and no RETURNING, otherwise sorted within each result), ParseComplete / BindComplete / NoData /
 * PortalSuspended, NoticeResponse (severity, SQLSTATE, text), ParameterStatus, ErrorResponse
 * (severity, SQLSTATE, message, detail, hint, schema, table, column, constraint names; not the
 * position, context or source location) and ReadyForQuery's transaction status (I / T / E). Some
 * sessions use pgjdbc (extended protocol and preferQueryMode=simple): there each operation's
 * answer (update counts, rows, the error's fields, the batch counts) and the driver's view of the
 * transaction state are compared.
 *
 * <p>After every step that leaves both sides outside a block, and at the end of each session, the
 * tables' full contents are compared through other connections (what committed). Each session
 * starts from the same rows: a side whose rows differ from the initial ones is rewritten.
 *
 * <p>A step where Basalt answers 0A000 and PostgreSQL does not is a refusal (counted by message),
 * not a mismatch. A step whose transaction status then differs ends its session (later steps
 * could not be compared). Everything else that differs is a mismatch; all are reported at the
 * end of each test, with the session so far.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TransactionErrorsDifferentialIT {
  private static final long SEED = Long.getLong("basalt.txfuzz.seed", 20240611L);
  private static final int SESSIONS = Integer.getInteger("basalt.txfuzz.sessions", 40);
  private static final int STEPS = Integer.getInteger("basalt.txfuzz.steps", 14);
  private static final int TIMEOUT_MILLIS = 30_000;

  private static final String DROP = "DROP TABLE IF EXISTS tx_mv, tx_acc, tx_log, tx_ref CASCADE";

  private static final List<String> CREATE = List.of(
      "CREATE TABLE tx_ref (code text PRIMARY KEY, label text NOT NULL)",
      "CREATE TABLE tx_acc (id int PRIMARY KEY, owner text NOT NULL,"
          + " balance int NOT NULL CONSTRAINT tx_acc_balance_nonneg CHECK (balance >= 0),"
          + " code text, note text)",
      "CREATE TABLE tx_mv (acc_id int NOT NULL, seq int,"
          + " amount int NOT NULL CHECK (amount <> 0), PRIMARY KEY (acc_id, seq))",
      "CREATE TABLE tx_log (id int, v int, txt text)");

  /** The initial rows, written again on a side whose rows changed. */
  private static final List<String> ROWS = List.of(
      "INSERT INTO tx_ref VALUES ('a', 'Alpha'), ('b', 'Beta'), ('c', 'Gamma')",
      "INSERT INTO tx_acc SELECT i, 'o' || i, 100 * i, (ARRAY['a', 'b', 'c'])[i % 3 + 1], NULL"
          + " FROM generate_series(1, 16) i",
      "INSERT INTO tx_mv SELECT i, s, i * 10 + s FROM generate_series(1, 8) i,"
          + " generate_series(1, 2) s",
      "INSERT INTO tx_log SELECT i, i * i, 't' || i FROM generate_series(1, 6) i");

  private static final List<String> DISTRIBUTE = List.of(
      "SELECT create_reference_table('tx_ref')",
      "SELECT create_distributed_table('tx_acc', 'id', shard_count => 8)",
      "SELECT create_distributed_table('tx_mv', 'acc_id', colocate_with => 'tx_acc')",
      "SELECT create_distributed_table('tx_log', 'id', shard_count => 4,"
          + " colocate_with => 'none')");

  /**
   * The foreign keys, added on both sides once the tables are distributed (Basalt, as Citus,
   * distributes no table that a local table references), named as PostgreSQL names them.
   */
  private static final List<String> FOREIGN_KEYS = List.of(
      "ALTER TABLE tx_acc ADD CONSTRAINT tx_acc_code_fkey FOREIGN KEY (code)"
          + " REFERENCES tx_ref (code)",
      "ALTER TABLE tx_mv ADD CONSTRAINT tx_mv_acc_id_fkey FOREIGN KEY (acc_id)"
          + " REFERENCES tx_acc (id)");

  /** Every table with a query returning all its rows in a total order. */
  private static final Map<String, String> TABLES = new LinkedHashMap<>();

  static {
    TABLES.put("tx_ref", "SELECT * FROM tx_ref ORDER BY code");
    TABLES.put("tx_acc", "SELECT * FROM tx_acc ORDER BY id");
    TABLES.put("tx_mv", "SELECT * FROM tx_mv ORDER BY acc_id, seq");
    TABLES.put("tx_log", "SELECT * FROM tx_log ORDER BY id, v, txt");
  }

  /** Schema changes a session may have left behind, undone on both sides after each session. */
  private static final List<String> CLEANUP = List.of(
      "ALTER TABLE tx_acc DROP COLUMN IF EXISTS extra",
      "ALTER TABLE tx_acc DROP COLUMN IF EXISTS extra2",
      "ALTER TABLE tx_log DROP COLUMN IF EXISTS z",
      "ALTER TABLE tx_acc DROP CONSTRAINT IF EXISTS tx_acc_small",
      "DROP INDEX IF EXISTS tx_acc_owner_idx",
      "DROP INDEX IF EXISTS tx_acc_owner_uq",
      "DROP INDEX IF EXISTS tx_log_v_idx");

  private static TwinServers twin;
  private static Map<String, List<String>> initial;
  /** Placeholders of the scripts: {A1}.. existing keys on worker 1, {B1}.. on worker 2, N: new. */
  private static final Map<String, String> KEYS = new LinkedHashMap<>();

  @BeforeAll
  static void setUp() throws SQLException {
    List<String> setup = new ArrayList<>(CREATE);
    setup.addAll(ROWS);
    twin = TwinServers.open(DROP, setup, DISTRIBUTE);
    try {
      prepare();
    } catch (SQLException | RuntimeException e) {
      twin.close();
      twin = null;
      throw e;
    }
  }

  private static void prepare() throws SQLException {
    for (Connection c : List.of(twin.postgres, twin.basalt)) {
      try (Statement s = c.createStatement()) {
        for (String sql : FOREIGN_KEYS) {
          s.execute(sql);
        }
      }
    }
    initial = contents(twin.postgres);
    // Which worker holds each key, from the placements' ports.
    Map<Integer, List<Integer>> byPort = new TreeMap<>();
    try (Statement s = twin.basalt.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT k, p.nodeport FROM generate_series(1, 200) k JOIN pg_dist_shard_placement p"
            + " ON p.shardid = get_shard_id_for_distribution_column('tx_acc', k) ORDER BY k")) {
      while (rs.next()) {
        byPort.computeIfAbsent(rs.getInt(2), p -> new ArrayList<>()).add(rs.getInt(1));
      }
    }
    if (byPort.size() < 2) {
      throw new IllegalStateException("tx_acc's shards are on one worker only: " + byPort);
    }
    List<List<Integer>> workers = new ArrayList<>(byPort.values());
    String[] names = {"A", "B"};
    for (int w = 0; w < 2; w++) {
      List<Integer> old = workers.get(w).stream().filter(k -> k <= 16).toList();
      List<Integer> fresh = workers.get(w).stream().filter(k -> k > 100).toList();
      for (int i = 0; i < 3; i++) {
        KEYS.put("{" + names[w] + (i + 1) + "}", Integer.toString(old.get(i)));
        KEYS.put("{N" + names[w] + (i + 1) + "}", Integer.toString(fresh.get(i)));
      }
    }
    log("TransactionErrorsDifferentialIT: keys per worker " + KEYS);
  }

  @AfterAll
  static void tearDown() throws SQLException {
    if (twin != null) {
      twin.close();
    }
  }

  // =============================================================================== the scripts

  @Test
  @Order(1)
  void blocksAndErrors() throws Exception {
    Report r = new Report("blocks and errors");
    session(r, "commit across workers, reads of the block's writes",
        q("BEGIN"),
        q("INSERT INTO tx_acc VALUES ({NA1}, 'n1', 10, 'a', NULL)"),
        q("INSERT INTO tx_acc VALUES ({NB1}, 'n2', 20, 'b', 'fresh')"),
        q("UPDATE tx_acc SET balance = balance + 1 WHERE id = {A1}"),
        q("UPDATE tx_acc SET balance = balance + 2 WHERE id = {B1} RETURNING id, balance"),
        q("INSERT INTO tx_mv VALUES ({NA1}, 1, 5), ({NB1}, 1, 6), ({NB1}, 2, 7)"),
        q("SELECT * FROM tx_acc WHERE id = {NA1}"),
        q("SELECT * FROM tx_acc WHERE id = {NB1}"),
        q("SELECT id, balance FROM tx_acc WHERE id IN ({A1}, {B1}, {NA1}, {NB1}) ORDER BY id"),
        q("SELECT count(*), sum(balance), min(balance), max(balance) FROM tx_acc"),
        q("SELECT code, count(*), sum(balance) FROM tx_acc GROUP BY code ORDER BY code"),
        q("SELECT a.id, m.seq, m.amount FROM tx_acc a JOIN tx_mv m ON m.acc_id = a.id"
            + " WHERE a.id > 100 ORDER BY 1, 2"),
        q("SELECT r.label, sum(a.balance) FROM tx_acc a JOIN tx_ref r ON r.code = a.code"
            + " GROUP BY r.label ORDER BY 1"),
        q("SELECT count(*), sum(amount) FROM tx_mv"),
        q("SELECT id, owner FROM tx_acc WHERE note = 'fresh'"),
        q("COMMIT"),
        q("SELECT count(*), sum(balance) FROM tx_acc"));
    session(r, "rollback of writes on every shard",
        q("BEGIN"),
        q("DELETE FROM tx_mv WHERE acc_id = {A1}"),
        q("DELETE FROM tx_log WHERE id > 3"),
        q("UPDATE tx_acc SET balance = balance * 2 WHERE balance < 500"),
        q("INSERT INTO tx_log VALUES (100, 1, 'x'), (101, 2, 'y'), (102, 3, 'z')"),
        q("INSERT INTO tx_ref VALUES ('d', 'Delta')"),
        q("SELECT sum(balance), count(*) FROM tx_acc"),
        q("SELECT * FROM tx_log ORDER BY id"),
        q("SELECT count(*) FROM tx_mv WHERE acc_id = {A1}"),
        q("SELECT * FROM tx_ref ORDER BY code"),
        q("ROLLBACK"),
        q("SELECT sum(balance), count(*) FROM tx_acc"),
        q("SELECT count(*) FROM tx_log"),
        q("SELECT count(*) FROM tx_ref"));
    session(r, "unique violation in a block",
        q("BEGIN"),
        q("INSERT INTO tx_acc VALUES ({NA1}, 'n', 1, 'a', NULL)"),
        q("UPDATE tx_acc SET balance = 1 WHERE id = {B2}"),
        q("INSERT INTO tx_acc VALUES ({B1}, 'dup', 1, 'a', NULL)"),
        q("SELECT 1"),
        q("SELECT * FROM tx_acc WHERE id = {NA1}"),
        q("COMMIT"),
        q("SELECT count(*) FROM tx_acc WHERE id = {NA1} OR balance = 1"));
    session(r, "unique violations of a multi-row insert and of the co-located table",
        q("BEGIN"),
        q("INSERT INTO tx_acc VALUES ({NA1}, 'n', 1, 'a', NULL), ({NB1}, 'n', 1, 'b', NULL),"
            + " ({A2}, 'dup', 1, 'c', NULL)"),
        q("ROLLBACK"),
        q("INSERT INTO tx_mv VALUES ({A1}, 1, 99)"),
        q("BEGIN"),
        q("INSERT INTO tx_mv VALUES ({B1}, 3, 1), ({A1}, 3, 1)"),
        q("INSERT INTO tx_mv VALUES ({B1}, 3, 2)"),
        q("END"),
        q("SELECT * FROM tx_mv WHERE seq = 3"));
    session(r, "CHECK violations, router and multi-shard",
        q("BEGIN"),
        q("UPDATE tx_acc SET balance = balance + 7 WHERE id = {A2}"),
        q("UPDATE tx_acc SET balance = -1 WHERE id = {B2}"),
        q("SELECT balance FROM tx_acc WHERE id = {A2}"),
        q("ROLLBACK"),
        q("BEGIN"),
        q("INSERT INTO tx_acc VALUES ({NB2}, 'n', 500, 'a', NULL)"),
        q("UPDATE tx_acc SET balance = balance - 150"),
        q("SELECT count(*) FROM tx_acc"),
        q("ROLLBACK"),
        q("UPDATE tx_acc SET balance = balance - 150"),
        q("INSERT INTO tx_mv VALUES ({A1}, 9, 0)"),
        q("UPDATE tx_mv SET amount = amount - ({A2} * 10 + 1) WHERE seq = 1"),
        q("SELECT sum(balance) FROM tx_acc"));
    session(r, "NOT NULL violations",
        q("BEGIN"),
        q("INSERT INTO tx_acc VALUES ({NA1}, 'n', 1, 'a', NULL)"),
        q("INSERT INTO tx_acc VALUES ({NB1}, NULL, 1, 'a', NULL)"),
        q("ROLLBACK"),
        q("UPDATE tx_acc SET owner = NULL WHERE id = {A1}"),
        q("BEGIN"),
        q("UPDATE tx_acc SET balance = 3 WHERE id = {B3}"),
        q("UPDATE tx_acc SET owner = NULL WHERE id = {A3}"),
        q("ROLLBACK"),
        q("UPDATE tx_acc SET balance = NULL WHERE id > 14").loose(),
        q("INSERT INTO tx_mv (acc_id, seq) VALUES ({A1}, 7)"),
        q("SELECT count(*) FROM tx_acc WHERE owner IS NULL OR balance = 3"));
    session(r, "foreign keys, co-located and to the reference table",
        q("BEGIN"),
        q("INSERT INTO tx_mv VALUES ({NA1}, 1, 5)"),
        q("ROLLBACK"),
        q("BEGIN"),
        q("INSERT INTO tx_acc VALUES ({NA1}, 'n', 1, 'zz', NULL)"),
        q("ROLLBACK"),
        q("BEGIN"),
        q("INSERT INTO tx_acc VALUES ({NA1}, 'n', 1, 'a', NULL)"),
        q("INSERT INTO tx_mv VALUES ({NA1}, 1, 5)"),
        q("SELECT a.id, m.amount FROM tx_acc a JOIN tx_mv m ON m.acc_id = a.id"
            + " WHERE a.id = {NA1}"),
        q("COMMIT"),
        q("DELETE FROM tx_acc WHERE id = {A1}"),
        q("DELETE FROM tx_ref WHERE code = 'c'"),
        q("UPDATE tx_ref SET code = 'z' WHERE code = 'a'"),
        q("BEGIN"),
        q("INSERT INTO tx_ref VALUES ('d', 'Delta')"),
        q("INSERT INTO tx_acc VALUES ({NB1}, 'n', 1, 'd', NULL)"),
        q("SELECT a.id, r.label FROM tx_acc a JOIN tx_ref r ON r.code = a.code"
            + " WHERE a.id = {NB1}"),
        q("DELETE FROM tx_ref WHERE code = 'd'"),
        q("ROLLBACK"),
        q("BEGIN"),
        q("INSERT INTO tx_ref VALUES ('e', 'Epsilon')"),
        q("UPDATE tx_acc SET code = 'e' WHERE id IN ({A2}, {B2})"),
        q("COMMIT"),
        q("SELECT id, code FROM tx_acc WHERE code = 'e' ORDER BY id"),
        q("DELETE FROM tx_mv WHERE acc_id = {A1}"),
        q("DELETE FROM tx_acc WHERE id = {A1} RETURNING id, owner"));
    session(r, "division by zero on one shard",
        q("BEGIN"),
        q("INSERT INTO tx_acc VALUES ({NA1}, 'n', 1, 'a', NULL)"),
        q("SELECT id, 100 / (balance - 300) FROM tx_acc"),
        q("SELECT 1"),
        q("ROLLBACK"),
        q("UPDATE tx_acc SET balance = balance + 10 / (id - {B1})"),
        q("SELECT sum(100 / (balance - 300)) FROM tx_acc"),
        q("BEGIN"),
        q("UPDATE tx_acc SET balance = balance + 1 WHERE id = {A1}"),
        q("DELETE FROM tx_log WHERE v / (id - 2) > 0"),
        q("ROLLBACK"),
        q("SELECT balance FROM tx_acc WHERE id = {A1}"),
        q("SELECT count(*) FROM tx_log"));
    session(r, "bad casts",
        q("BEGIN"),
        q("SELECT * FROM tx_acc WHERE id = 'abc'"),
        q("ROLLBACK"),
        q("BEGIN"),
        q("UPDATE tx_acc SET balance = 0 WHERE id = {B1}"),
        q("UPDATE tx_acc SET balance = owner::int WHERE id = {A1}"),
        q("SELECT count(*) FROM tx_acc"),
        q("ROLLBACK"),
        q("UPDATE tx_acc SET balance = CASE WHEN id = {B2} THEN owner::int ELSE balance END"),
        q("INSERT INTO tx_acc VALUES ('12x', 'o', 1, 'a', NULL)"),
        q("INSERT INTO tx_log VALUES (7, 'seven', 'x')"),
        q("BEGIN"),
        q("INSERT INTO tx_log VALUES (8, 8, 'x'), (9, '9.5', 'y')"),
        q("SELECT count(*) FROM tx_log"),
        q("ROLLBACK"),
        q("SELECT count(*) FROM tx_log WHERE id >= 7"));
    session(r, "statements outside and inside blocks that PostgreSQL warns about",
        q("COMMIT"),
        q("ROLLBACK"),
        q("SAVEPOINT s"),
        q("ROLLBACK TO SAVEPOINT s"),
        q("RELEASE SAVEPOINT s"),
        q("BEGIN"),
        q("BEGIN"),
        q("SELECT count(*) FROM tx_acc"),
        q("START TRANSACTION"),
        q("COMMIT"),
        q("COMMIT"),
        q("END"),
        q("ABORT"));
    session(r, "errors in the coordinator and on workers in one block",
        q("BEGIN"),
        q("UPDATE tx_acc SET balance = balance + 1 WHERE id IN ({A1}, {B1})"),
        q("SELECT no_such_column FROM tx_acc"),
        q("SELECT 1"),
        q("ROLLBACK"),
        q("BEGIN"),
        q("UPDATE tx_acc SET balance = balance + 1 WHERE id = {B1}"),
        q("SELECT * FROM tx_no_such_table"),
        q("UPDATE tx_acc SET balance = balance + 1 WHERE id = {A1}"),
        q("ROLLBACK"),
        q("BEGIN"),
        q("UPDATE tx_acc SET balance = balance + 1 WHERE id = {B1}"),
        q("SELEKT 1"),
        q("COMMIT"),
        q("SELECT id, balance FROM tx_acc WHERE id IN ({A1}, {B1}) ORDER BY id"));
    r.finish();
  }

  @Test
  @Order(2)
  void savepoints() throws Exception {
    Report r = new Report("savepoints");
    session(r, "ROLLBACK TO over writes on two workers, then RELEASE and COMMIT",
        q("BEGIN"),
        q("INSERT INTO tx_acc VALUES ({NA1}, 'n', 1, 'a', NULL)"),
        q("SAVEPOINT s1"),
        q("INSERT INTO tx_acc VALUES ({NB1}, 'n', 2, 'b', NULL)"),
        q("UPDATE tx_acc SET balance = 0 WHERE id = {A1}"),
        q("SELECT id, balance FROM tx_acc WHERE id IN ({NA1}, {NB1}, {A1}) ORDER BY id"),
        q("ROLLBACK TO SAVEPOINT s1"),
        q("SELECT id, balance FROM tx_acc WHERE id IN ({NA1}, {NB1}, {A1}) ORDER BY id"),
        q("SELECT count(*), sum(balance) FROM tx_acc"),
        q("INSERT INTO tx_acc VALUES ({NB2}, 'n', 3, 'c', NULL)"),
        q("RELEASE SAVEPOINT s1"),
        q("COMMIT"),
        q("SELECT id FROM tx_acc WHERE id > 100 ORDER BY id"));
    session(r, "nested savepoints, an error, ROLLBACK TO each level",
        q("BEGIN"),
        q("UPDATE tx_acc SET balance = balance + 1 WHERE id = {A1}"),
        q("SAVEPOINT a"),
        q("UPDATE tx_acc SET balance = balance + 10 WHERE id = {B1}"),
        q("SAVEPOINT b"),
        q("UPDATE tx_acc SET balance = balance + 100 WHERE id = {A2}"),
        q("INSERT INTO tx_acc VALUES ({B2}, 'dup', 1, 'a', NULL)"),
        q("SELECT 1"),
        q("ROLLBACK TO SAVEPOINT b"),
        q("SELECT id, balance FROM tx_acc WHERE id IN ({A1}, {B1}, {A2}, {B2}) ORDER BY id"),
        q("UPDATE tx_acc SET balance = balance + 1000 WHERE id = {B2}"),
        q("SELECT sum(balance) FROM tx_acc"),
        q("ROLLBACK TO SAVEPOINT a"),
        q("SELECT id, balance FROM tx_acc WHERE id IN ({A1}, {B1}, {A2}, {B2}) ORDER BY id"),
        q("RELEASE SAVEPOINT a"),
        q("ROLLBACK TO SAVEPOINT b"),
        q("SELECT 1"),
        q("ROLLBACK"),
        q("SELECT sum(balance) FROM tx_acc"));
    session(r, "an error, ROLLBACK TO, then COMMIT keeps the work before the savepoint",
        q("BEGIN"),
        q("INSERT INTO tx_acc VALUES ({NA1}, 'n', 1, 'a', NULL)"),
        q("SAVEPOINT s"),
        q("INSERT INTO tx_mv VALUES ({NB1}, 1, 1)"),
        q("ROLLBACK TO s"),
        q("INSERT INTO tx_acc VALUES ({NB1}, 'n', 1, 'a', NULL)"),
        q("INSERT INTO tx_mv VALUES ({NB1}, 1, 1)"),
        q("SAVEPOINT t"),
        q("UPDATE tx_acc SET balance = balance - 1000").loose(),
        q("ROLLBACK TO t"),
        q("UPDATE tx_acc SET balance = balance + 1"),
        q("COMMIT"),
        q("SELECT sum(balance), count(*) FROM tx_acc"),
        q("SELECT * FROM tx_mv WHERE acc_id = {NB1}"));
    session(r, "workers joining, leaving and joining again around savepoints",
        q("BEGIN"),
        q("SAVEPOINT s0"),
        q("SELECT * FROM tx_acc WHERE id = {A1}"),
        q("SAVEPOINT s1"),
        q("UPDATE tx_acc SET balance = 1 WHERE id = {B1}"),
        q("ROLLBACK TO SAVEPOINT s1"),
        q("SELECT balance FROM tx_acc WHERE id = {B1}"),
        q("UPDATE tx_acc SET balance = 2 WHERE id = {B1}"),
        q("ROLLBACK TO SAVEPOINT s0"),
        q("UPDATE tx_acc SET balance = 3 WHERE id = {A1}"),
        q("SAVEPOINT s2"),
        q("UPDATE tx_acc SET balance = 4 WHERE id = {B1}"),
        q("RELEASE s2"),
        q("SELECT id, balance FROM tx_acc WHERE id IN ({A1}, {B1}) ORDER BY id"),
        q("COMMIT"),
        q("SELECT id, balance FROM tx_acc WHERE id IN ({A1}, {B1}) ORDER BY id"));
    session(r, "savepoints of the same name",
        q("BEGIN"),
        q("SAVEPOINT s"),
        q("UPDATE tx_acc SET balance = 11 WHERE id = {A1}"),
        q("SAVEPOINT s"),
        q("UPDATE tx_acc SET balance = 12 WHERE id = {B1}"),
        q("ROLLBACK TO s"),
        q("SELECT id, balance FROM tx_acc WHERE id IN ({A1}, {B1}) ORDER BY id"),
        q("RELEASE s"),
        q("SELECT id, balance FROM tx_acc WHERE id IN ({A1}, {B1}) ORDER BY id"),
        q("ROLLBACK TO s"),
        q("RELEASE s"),
        q("SELECT id, balance FROM tx_acc WHERE id IN ({A1}, {B1}) ORDER BY id"),
        q("COMMIT"),
        q("SELECT id, balance FROM tx_acc WHERE id IN ({A1}, {B1}) ORDER BY id"));
    session(r, "a multi-shard error under a savepoint, then ROLLBACK TO and reads",
        q("BEGIN"),
        q("UPDATE tx_acc SET note = 'kept' WHERE id IN ({A1}, {B1})"),
        q("SAVEPOINT s"),
        q("UPDATE tx_acc SET note = 'lost'"),
        q("UPDATE tx_acc SET balance = balance + 10 / (id - {A2})"),
        q("ROLLBACK TO SAVEPOINT s"),
        q("SELECT note, count(*) FROM tx_acc GROUP BY note ORDER BY note"),
        q("SELECT a.note, count(m.seq) FROM tx_acc a LEFT JOIN tx_mv m ON m.acc_id = a.id"
            + " GROUP BY a.note ORDER BY a.note"),
        q("SAVEPOINT s"),
        q("DELETE FROM tx_mv"),
        q("INSERT INTO tx_mv VALUES ({A1}, 1, 1)"),
        q("ROLLBACK TO SAVEPOINT s"),
        q("SELECT count(*) FROM tx_mv"),
        q("RELEASE SAVEPOINT s"),
        q("COMMIT"),
        q("SELECT note, count(*) FROM tx_acc GROUP BY note ORDER BY note"));
    session(r, "savepoint before any worker joined, error in the coordinator",
        q("BEGIN"),
        q("SAVEPOINT s"),
        q("SELECT 1/0"),
        q("ROLLBACK TO s"),
        q("UPDATE tx_acc SET balance = balance + 5 WHERE id = {B3}"),
        q("SAVEPOINT s2"),
        q("SELECT no_such FROM tx_acc WHERE id = {A3}"),
        q("ROLLBACK TO s2"),
        q("UPDATE tx_acc SET balance = balance + 5 WHERE id = {A3}"),
        q("COMMIT"),
        q("SELECT id, balance FROM tx_acc WHERE id IN ({A3}, {B3}) ORDER BY id"));
    session(r, "ROLLBACK TO a savepoint that does not exist, in a failed block",
        q("BEGIN"),
        q("SAVEPOINT s"),
        q("UPDATE tx_acc SET balance = 99 WHERE id = {A1}"),
        q("INSERT INTO tx_acc VALUES ({A1}, 'dup', 1, 'a', NULL)"),
        q("ROLLBACK TO SAVEPOINT nope"),
        q("RELEASE SAVEPOINT s"),
        q("ROLLBACK TO SAVEPOINT s"),
        q("SELECT balance FROM tx_acc WHERE id = {A1}"),
        q("RELEASE SAVEPOINT nope"),
        q("SELECT 1"),
        q("ROLLBACK"),
        q("SELECT balance FROM tx_acc WHERE id = {A1}"));
    r.finish();
  }

  @Test
  @Order(3)
  void multiStatementQueries() throws Exception {
    Report r = new Report("multi-statement Query messages");
    session(r, "implicit transactions of several statements",
        q("INSERT INTO tx_acc VALUES ({NA1}, 'n', 1, 'a', NULL);"
            + " INSERT INTO tx_acc VALUES ({NB1}, 'n', 1, 'a', NULL); SELECT 1/0"),
        q("SELECT count(*) FROM tx_acc WHERE id > 100"),
        q("INSERT INTO tx_acc VALUES ({NA1}, 'n', 1, 'a', NULL);"
            + " UPDATE tx_acc SET balance = balance + 1 WHERE id = {B1};"
            + " SELECT id, balance FROM tx_acc WHERE id IN ({NA1}, {B1}) ORDER BY id"),
        q("UPDATE tx_acc SET balance = balance + 5; SELECT sum(balance) FROM tx_acc;"
            + " SELECT 1/0"),
        q("INSERT INTO tx_acc VALUES ({NB2}, 'n', 1, 'a', NULL);"
            + " INSERT INTO tx_acc VALUES ({B1}, 'dup', 1, 'a', NULL)"),
        q("INSERT INTO tx_log VALUES (20, 1, 'a'); INSERT INTO tx_mv VALUES ({NB3}, 1, 1)"),
        q("SELECT count(*) FROM tx_acc; SELECT count(*) FROM tx_log"),
        q("UPDATE tx_acc SET balance = balance + 1 WHERE id = {A2};"
            + " UPDATE tx_acc SET balance = -5 WHERE id = {B2};"
            + " UPDATE tx_acc SET balance = balance + 1 WHERE id = {A3}"),
        q("SELECT id, balance FROM tx_acc WHERE id IN ({A2}, {B2}, {A3}) ORDER BY id"));
    session(r, "BEGIN and COMMIT inside the string",
        q("BEGIN; INSERT INTO tx_acc VALUES ({NA2}, 'n', 1, 'a', NULL); COMMIT;"
            + " INSERT INTO tx_acc VALUES ({A1}, 'dup', 1, 'a', NULL)"),
        q("SELECT count(*) FROM tx_acc WHERE id = {NA2}"),
        q("BEGIN; INSERT INTO tx_acc VALUES ({NA3}, 'n', 1, 'a', NULL); SELECT 1/0; COMMIT"),
        q("SELECT 1"),
        q("ROLLBACK"),
        q("INSERT INTO tx_acc VALUES ({NB2}, 'n', 1, 'a', NULL); BEGIN;"
            + " INSERT INTO tx_acc VALUES ({NB3}, 'n', 1, 'a', NULL); SELECT 1/0"),
        q("ROLLBACK"),
        q("SELECT id FROM tx_acc WHERE id > 100 ORDER BY id"),
        q("UPDATE tx_acc SET balance = 7 WHERE id = {B1}; COMMIT;"
            + " UPDATE tx_acc SET balance = 8 WHERE id = {A1}; SELECT 1/0"),
        q("SELECT id, balance FROM tx_acc WHERE id IN ({A1}, {B1}) ORDER BY id"),
        q("INSERT INTO tx_acc VALUES ({NA1}, 'n', 1, 'a', NULL); ROLLBACK"),
        q("SELECT count(*) FROM tx_acc WHERE id = {NA1}"),
        q("BEGIN; UPDATE tx_acc SET balance = 1 WHERE id = {A1}; SAVEPOINT s;"
            + " UPDATE tx_acc SET balance = 2 WHERE id = {B1}; ROLLBACK TO s;"
            + " SELECT id, balance FROM tx_acc WHERE id IN ({A1}, {B1}) ORDER BY id; COMMIT"),
        q("SELECT id, balance FROM tx_acc WHERE id IN ({A1}, {B1}) ORDER BY id"));
    session(r, "savepoints, SET LOCAL and utility statements in implicit transactions",
        q("SAVEPOINT x; SELECT 1"),
        q("UPDATE tx_acc SET balance = 5 WHERE id = {A1}; SAVEPOINT x"),
        q("SELECT balance FROM tx_acc WHERE id = {A1}"),
        q("SET LOCAL statement_timeout = '7s'; SHOW statement_timeout"),
        q("SHOW statement_timeout"),
        q("UPDATE tx_acc SET balance = 6 WHERE id = {B1}; VACUUM tx_log"),
        q("SELECT balance FROM tx_acc WHERE id = {B1}"),
        q("BEGIN; SELECT count(*) FROM tx_acc"),
        q("INSERT INTO tx_log VALUES (30, 1, 'a'); SELECT 1/0; SELECT 2"),
        q("ROLLBACK; SELECT count(*) FROM tx_log"),
        q("BEGIN; INSERT INTO tx_log VALUES (31, 1, 'a'); COMMIT; BEGIN;"
            + " INSERT INTO tx_log VALUES (32, 1, 'a'); ROLLBACK; SELECT id FROM tx_log"
            + " WHERE id > 30 ORDER BY id"));
    r.finish();
  }

  @Test
  @Order(4)
  void extendedProtocol() throws Exception {
    Report r = new Report("extended protocol");
    session(r, "one Sync over several statements: an implicit transaction",
        x().pbe("INSERT INTO tx_acc VALUES ({NA1}, 'n', 1, 'a', NULL)")
            .pbe("INSERT INTO tx_acc VALUES ({NB1}, 'n', 1, 'a', NULL)")
            .pbe("SELECT 1/0").sync(),
        q("SELECT count(*) FROM tx_acc WHERE id > 100"),
        x().pbe("INSERT INTO tx_acc VALUES ({NA1}, 'n', 1, 'a', NULL)")
            .pbe("INSERT INTO tx_acc VALUES ({B1}, 'dup', 1, 'a', NULL)")
            .pbe("INSERT INTO tx_acc VALUES ({NB1}, 'n', 1, 'a', NULL)").sync(),
        q("SELECT count(*) FROM tx_acc WHERE id > 100"),
        x().pbe("UPDATE tx_acc SET balance = balance + 1")
            .pbe("SELECT sum(balance) FROM tx_acc")
            .pbe("UPDATE tx_acc SET balance = balance + 10 / (id - {B1})").sync(),
        q("SELECT sum(balance) FROM tx_acc"),
        x().pbe("INSERT INTO tx_acc VALUES ({NA1}, 'n', 1, 'a', NULL)")
            .pbe("UPDATE tx_acc SET balance = balance + 1 WHERE id = {B2}")
            .pbe("SELECT id, balance FROM tx_acc WHERE id IN ({NA1}, {B2}) ORDER BY id").sync(),
        q("SELECT id, balance FROM tx_acc WHERE id IN ({NA1}, {B2}) ORDER BY id"));
    session(r, "a Sync after each statement: each commits alone",
        x().pbe("INSERT INTO tx_acc VALUES ({NA1}, 'n', 1, 'a', NULL)").sync()
            .pbe("INSERT INTO tx_acc VALUES ({B1}, 'dup', 1, 'a', NULL)").sync()
            .pbe("INSERT INTO tx_acc VALUES ({NB1}, 'n', 1, 'a', NULL)").sync(),
        q("SELECT id FROM tx_acc WHERE id > 100 ORDER BY id"));
    session(r, "pipelines inside a block",
        q("BEGIN"),
        x().pbe("UPDATE tx_acc SET balance = balance + 1 WHERE id = {A1}")
            .pbe("UPDATE tx_acc SET balance = balance + 1 WHERE id = {B1}")
            .pbe("SELECT id, balance FROM tx_acc WHERE id IN ({A1}, {B1}) ORDER BY id").sync(),
        x().pbe("SELECT 1/0").sync(),
        x().pbe("SELECT 1").sync(),
        q("ROLLBACK"),
        q("SELECT id, balance FROM tx_acc WHERE id IN ({A1}, {B1}) ORDER BY id"));
    session(r, "BEGIN and COMMIT as extended statements in one pipeline",
        x().pbe("BEGIN").pbe("INSERT INTO tx_acc VALUES ({NA1}, 'n', 1, 'a', NULL)")
            .pbe("INSERT INTO tx_acc VALUES ({NB1}, 'n', 1, 'a', NULL)").pbe("COMMIT").sync(),
        q("SELECT id FROM tx_acc WHERE id > 100 ORDER BY id"),
        x().pbe("BEGIN").pbe("INSERT INTO tx_acc VALUES ({NA2}, 'n', 1, 'a', NULL)")
            .pbe("INSERT INTO tx_acc VALUES ({B1}, 'dup', 1, 'a', NULL)").pbe("COMMIT").sync(),
        x().pbe("SELECT 1").sync(),
        x().pbe("ROLLBACK").sync(),
        q("SELECT id FROM tx_acc WHERE id > 100 ORDER BY id"),
        x().pbe("BEGIN").pbe("UPDATE tx_acc SET balance = 1 WHERE id = {A1}").pbe("SAVEPOINT s")
            .pbe("UPDATE tx_acc SET balance = -1 WHERE id = {B1}").sync(),
        x().pbe("ROLLBACK TO SAVEPOINT s")
            .pbe("SELECT id, balance FROM tx_acc WHERE id IN ({A1}, {B1}) ORDER BY id")
            .pbe("COMMIT").sync(),
        q("SELECT id, balance FROM tx_acc WHERE id IN ({A1}, {B1}) ORDER BY id"));
    session(r, "named statements bound in and after a failed block",
        x().parse("ins", "INSERT INTO tx_acc VALUES ($1, $2, $3, 'a', NULL)", 23, 25, 23)
            .sync(),
        q("BEGIN"),
        x().bind("", "ins", "{NA1}", "n", "1").exec("", 0)
            .bind("", "ins", "{B1}", "dup", "1").exec("", 0).sync(),
        x().bind("", "ins", "{NB1}", "n", "1").exec("", 0).sync(),
        q("ROLLBACK"),
        x().bind("", "ins", "{NA1}", "n", "1").exec("", 0)
            .bind("", "ins", "{NB1}", "n", "-1").exec("", 0).sync(),
        x().bind("", "ins", "x{NA1}", "n", "1").exec("", 0).sync(),
        x().bind("", "ins", "{NA1}", "n", "1").exec("", 0)
            .bind("", "ins", "{NA2}", "n", "1").exec("", 0).sync(),
        q("SELECT id FROM tx_acc WHERE id > 100 ORDER BY id"),
        q("BEGIN"),
        x().bind("", "ins", "{NB2}", "n", "1").exec("", 0)
            .bind("", "ins", "12a", "n", "1").exec("", 0).sync(),
        q("COMMIT"),
        q("SELECT id FROM tx_acc WHERE id > 100 ORDER BY id"));
    session(r, "Describe and NoData in a pipeline",
        q("BEGIN"),
        x().parse("s1", "SELECT id, owner, balance FROM tx_acc WHERE id = $1", 23)
            .describe('S', "s1").bind("p", "s1", "{A1}").describe('P', "p").exec("p", 0)
            .parse("", "UPDATE tx_acc SET balance = balance + 1 WHERE id = $1", 23)
            .describe('S', "").bind("", "", "{B1}").describe('P', "").exec("", 0).sync(),
        x().parse("", "SELECT id, balance FROM tx_acc WHERE id = 1/0").describe('S', "")
            .bind("", "", new String[0]).exec("", 0).sync(),
        q("ROLLBACK"));
    session(r, "portals suspended by a row limit inside a block",
        q("BEGIN"),
        x().parse("scan", "SELECT id, balance FROM tx_acc ORDER BY id").bind("p1", "scan")
            .exec("p1", 3).exec("p1", 3).sync(),
        x().exec("p1", 4).sync(),
        q("UPDATE tx_acc SET balance = 0 WHERE id = {B1}"),
        x().exec("p1", 0).sync(),
        x().parse("", "SELECT id, owner FROM tx_acc WHERE id = {A1}").bind("p2", "")
            .exec("p2", 1).exec("p2", 1).sync(),
        x().parse("agg", "SELECT code, count(*) FROM tx_acc GROUP BY code ORDER BY code")
            .bind("p3", "agg").exec("p3", 1).sync(),
        x().parse("", "SELECT a.id, m.seq FROM tx_acc a JOIN tx_mv m ON m.acc_id = a.id"
            + " ORDER BY 1, 2").bind("p4", "").exec("p4", 2).sync(),
        x().exec("p3", 0).exec("p4", 3).sync(),
        x().close('P', "p4").exec("p4", 1).sync(),
        x().exec("p1", 1).sync(),
        q("ROLLBACK"),
        q("SELECT balance FROM tx_acc WHERE id = {B1}"));
    session(r, "a suspended portal at Sync outside a block, and an error while suspended",
        x().parse("scan", "SELECT id, balance FROM tx_acc ORDER BY id").bind("p1", "scan")
            .exec("p1", 2).sync(),
        x().exec("p1", 2).sync(),
        q("BEGIN"),
        x().bind("p1", "scan").exec("p1", 2)
            .pbe("INSERT INTO tx_acc VALUES ({A1}, 'dup', 1, 'a', NULL)").exec("p1", 2).sync(),
        x().exec("p1", 2).sync(),
        q("ROLLBACK"));
    session(r, "RETURNING through a portal with a row limit",
        q("BEGIN"),
        x().parse("", "UPDATE tx_acc SET balance = balance + 1 WHERE id IN ({A1}, {B1})"
            + " RETURNING id").bind("pr", "").exec("pr", 1).sync(),
        q("SELECT id, balance FROM tx_acc WHERE id IN ({A1}, {B1}) ORDER BY id"),
        x().parse("", "INSERT INTO tx_acc VALUES ({NA1}, 'n', 1, 'a', NULL),"
            + " ({NB1}, 'n', 2, 'a', NULL) RETURNING balance").bind("pi", "").exec("pi", 1)
            .sync(),
        q("SELECT id, balance FROM tx_acc WHERE id > 100 ORDER BY id"),
        q("COMMIT"),
        q("SELECT id, balance FROM tx_acc WHERE id > 100 OR id IN ({A1}, {B1}) ORDER BY id"));
    session(r, "bind errors in a block",
        q("BEGIN"),
        x().pbe("UPDATE tx_acc SET balance = 1 WHERE id = {A1}")
            .parse("", "SELECT * FROM tx_acc WHERE id = $1", 23).bind("", "", "abc")
            .exec("", 0).sync(),
        q("SELECT balance FROM tx_acc WHERE id = {A1}"),
        q("ROLLBACK"),
        x().parse("", "SELECT * FROM tx_acc WHERE id = $1 AND id = $2", 23, 23)
            .bind("", "", "1").exec("", 0).sync(),
        x().parse("bad", "SELECT nope FROM tx_acc").bind("", "bad").exec("", 0).sync(),
        x().bind("", "bad").exec("", 0).sync());
    r.finish();
  }

  @Test
  @Order(5)
  void characteristicsAndSettings() throws Exception {
    Report r = new Report("transaction characteristics and SET LOCAL");
    session(r, "READ ONLY blocks",
        q("BEGIN READ ONLY"),
        q("SELECT count(*) FROM tx_acc"),
        q("SELECT * FROM tx_acc WHERE id = {A1}"),
        q("INSERT INTO tx_acc VALUES ({NA1}, 'n', 1, 'a', NULL)"),
        q("ROLLBACK"),
        q("BEGIN"),
        q("SET TRANSACTION READ ONLY"),
        q("UPDATE tx_acc SET balance = 1 WHERE id = {B1}"),
        q("ROLLBACK"),
        q("BEGIN"),
        q("SET TRANSACTION READ ONLY"),
        q("UPDATE tx_acc SET balance = 1"),
        q("ROLLBACK"),
        q("START TRANSACTION READ ONLY"),
        q("DELETE FROM tx_ref WHERE code = 'zz'"),
        q("ROLLBACK"),
        q("BEGIN READ ONLY"),
        q("INSERT INTO tx_log VALUES (1, 1, 'a'), (2, 2, 'b'), (3, 3, 'c')"),
        q("ROLLBACK"),
        q("BEGIN READ ONLY"),
        q("SELECT * FROM tx_acc WHERE id = {A1} FOR UPDATE"),
        q("ROLLBACK"),
        q("BEGIN READ ONLY"),
        q("TRUNCATE tx_log"),
        q("ROLLBACK"),
        q("BEGIN READ ONLY"),
        q("ALTER TABLE tx_log ADD COLUMN z int"),
        q("ROLLBACK"),
        q("SELECT count(*) FROM tx_log"));
    session(r, "READ ONLY after writes, and too late to change",
        q("BEGIN"),
        q("UPDATE tx_acc SET balance = 1 WHERE id = {A1}"),
        q("UPDATE tx_acc SET balance = 1 WHERE id = {B1}"),
        q("SET TRANSACTION READ ONLY"),
        q("SHOW transaction_read_only"),
        q("UPDATE tx_acc SET balance = 2 WHERE id = {A1}"),
        q("ROLLBACK"),
        q("BEGIN"),
        q("UPDATE tx_acc SET balance = 1 WHERE id = {B1}"),
        q("SET TRANSACTION READ ONLY"),
        q("UPDATE tx_acc SET balance = 2 WHERE id = {B1}"),
        q("ROLLBACK"),
        q("BEGIN READ ONLY"),
        q("SELECT 1"),
        q("SET TRANSACTION READ WRITE"),
        q("ROLLBACK"),
        q("BEGIN READ ONLY"),
        q("SET TRANSACTION READ WRITE"),
        q("UPDATE tx_acc SET balance = 5 WHERE id = {A1}"),
        q("COMMIT"),
        q("BEGIN"),
        q("SELECT 1"),
        q("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE"),
        q("ROLLBACK"),
        q("BEGIN"),
        q("UPDATE tx_acc SET balance = 6 WHERE id = {B1}"),
        q("SAVEPOINT s"),
        q("SET TRANSACTION READ ONLY"),
        q("UPDATE tx_acc SET balance = 7 WHERE id = {B1}"),
        q("ROLLBACK TO SAVEPOINT s"),
        q("SHOW transaction_read_only"),
        q("UPDATE tx_acc SET balance = 8 WHERE id = {B1}"),
        q("COMMIT"),
        q("SELECT id, balance FROM tx_acc WHERE id IN ({A1}, {B1}) ORDER BY id"));
    session(r, "isolation levels",
        q("BEGIN ISOLATION LEVEL REPEATABLE READ"),
        q("SELECT sum(balance) FROM tx_acc"),
        q("SHOW transaction_isolation"),
        q("UPDATE tx_acc SET balance = balance + 1 WHERE id IN ({A1}, {B1})"),
        q("SELECT sum(balance) FROM tx_acc"),
        q("COMMIT"),
        q("BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY DEFERRABLE"),
        q("SELECT count(*) FROM tx_acc"),
        q("SELECT current_setting('transaction_isolation') FROM tx_acc WHERE id = {B2}"),
        q("COMMIT"),
        q("START TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ WRITE"),
        q("UPDATE tx_acc SET balance = balance + 1"),
        q("SELECT current_setting('transaction_isolation') FROM tx_acc WHERE id = {A2}"),
        q("COMMIT"),
        q("BEGIN"),
        q("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"),
        q("SELECT current_setting('transaction_isolation') FROM tx_acc WHERE id = {A2}"),
        q("SET TRANSACTION ISOLATION LEVEL READ COMMITTED"),
        q("ROLLBACK"),
        q("SELECT sum(balance) FROM tx_acc"));
    session(r, "session characteristics and default_transaction_read_only",
        q("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"),
        q("INSERT INTO tx_acc VALUES ({NA1}, 'n', 1, 'a', NULL)"),
        q("UPDATE tx_acc SET balance = 1"),
        q("BEGIN"),
        q("UPDATE tx_acc SET balance = 1 WHERE id = {B1}"),
        q("ROLLBACK"),
        q("BEGIN READ WRITE"),
        q("UPDATE tx_acc SET balance = 2 WHERE id = {B1}"),
        q("COMMIT"),
        q("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE"),
        q("SET default_transaction_read_only = on"),
        q("UPDATE tx_acc SET balance = 3 WHERE id = {A1}"),
        q("INSERT INTO tx_log VALUES (1, 1, 'a'), (2, 2, 'b'), (3, 3, 'c')"),
        q("BEGIN"),
        q("SET LOCAL default_transaction_read_only = off"),
        q("UPDATE tx_acc SET balance = 4 WHERE id = {A1}"),
        q("ROLLBACK"),
        q("BEGIN"),
        q("SET TRANSACTION READ WRITE"),
        q("UPDATE tx_acc SET balance = 5 WHERE id = {A1}"),
        q("COMMIT"),
        q("RESET default_transaction_read_only"),
        q("UPDATE tx_acc SET balance = balance + 1 WHERE id = {A1}"),
        q("SELECT id, balance FROM tx_acc WHERE id IN ({A1}, {B1}) ORDER BY id"));
    session(r, "SET LOCAL and SET in blocks, savepoints and failures",
        q("BEGIN"),
        q("SET LOCAL statement_timeout = '10s'"),
        q("SHOW statement_timeout"),
        q("SELECT current_setting('statement_timeout') FROM tx_acc WHERE id = {A1}"),
        q("COMMIT"),
        q("SHOW statement_timeout"),
        q("SELECT current_setting('statement_timeout') FROM tx_acc WHERE id = {A1}"),
        q("BEGIN"),
        q("SAVEPOINT s"),
        q("SET LOCAL statement_timeout = '7s'"),
        q("SELECT current_setting('statement_timeout') FROM tx_acc WHERE id = {B1}"),
        q("ROLLBACK TO s"),
        q("SHOW statement_timeout"),
        q("SELECT current_setting('statement_timeout') FROM tx_acc WHERE id = {B1}"),
        q("SET statement_timeout = '9s'"),
        q("SAVEPOINT t"),
        q("SET statement_timeout = '8s'"),
        q("RELEASE t"),
        q("SELECT current_setting('statement_timeout') FROM tx_acc WHERE id = {A1}"),
        q("ROLLBACK"),
        q("SHOW statement_timeout"),
        q("SELECT current_setting('statement_timeout') FROM tx_acc WHERE id = {A1}"),
        q("BEGIN"),
        q("SET LOCAL TimeZone = 'Asia/Tokyo'"),
        q("SELECT current_setting('TimeZone') FROM tx_acc WHERE id = {B1}"),
        q("ROLLBACK"),
        q("SELECT current_setting('TimeZone') FROM tx_acc WHERE id = {B1}"),
        q("BEGIN"),
        q("SET lock_timeout = '3s'"),
        q("SELECT 1/0"),
        q("SET LOCAL lock_timeout = '4s'"),
        q("ROLLBACK"),
        q("SHOW lock_timeout"),
        q("SELECT current_setting('lock_timeout') FROM tx_acc WHERE id = {A1}"),
        q("BEGIN"),
        q("SET LOCAL search_path = pg_catalog"),
        q("SELECT count(*) FROM tx_acc"),
        q("SELECT count(*) FROM public.tx_acc"),
        q("ROLLBACK"),
        q("SELECT count(*) FROM tx_acc"),
        q("BEGIN"),
        q("SET LOCAL statement_timeout = '5s'; SELECT current_setting('statement_timeout')"
            + " FROM tx_acc WHERE id = {A2}"),
        q("COMMIT; SELECT current_setting('statement_timeout') FROM tx_acc WHERE id = {A2}"),
        q("SELECT set_config('statement_timeout', '6s', true), current_setting("
            + "'statement_timeout')"),
        q("SELECT current_setting('statement_timeout') FROM tx_acc WHERE id = {B2}"));
    session(r, "a statement timeout inside a block",
        q("BEGIN"),
        q("SET LOCAL statement_timeout = '100ms'"),
        q("UPDATE tx_acc SET balance = balance + 1 WHERE id = {A1}"),
        q("SELECT pg_sleep(0.5) FROM tx_acc WHERE id = {B1}"),
        q("SELECT 1"),
        q("ROLLBACK"),
        q("SELECT balance FROM tx_acc WHERE id = {A1}"));
    r.finish();
  }

  @Test
  @Order(6)
  void ddlAndTruncateInBlocks() throws Exception {
    Report r = new Report("DDL and TRUNCATE in blocks");
    session(r, "ADD COLUMN then ROLLBACK",
        q("BEGIN"),
        q("ALTER TABLE tx_acc ADD COLUMN extra int DEFAULT 7"),
        q("SELECT id, extra FROM tx_acc WHERE id = {A1}"),
        q("SELECT sum(extra), count(*) FROM tx_acc"),
        q("INSERT INTO tx_acc (id, owner, balance, extra) VALUES ({NA1}, 'x', 1, 9)"),
        q("SELECT id, extra FROM tx_acc WHERE id > 100 OR id = {B1} ORDER BY id"),
        q("ROLLBACK"),
        q("SELECT extra FROM tx_acc WHERE id = {A1}"),
        q("SELECT * FROM tx_acc WHERE id = {A1}"),
        q("SELECT count(*) FROM tx_acc"),
        q("ALTER TABLE tx_acc ADD COLUMN extra int DEFAULT 8"),
        q("SELECT id, extra FROM tx_acc WHERE id = {B1}"),
        q("ALTER TABLE tx_acc DROP COLUMN extra"));
    session(r, "CREATE INDEX then ROLLBACK, and again",
        q("BEGIN"),
        q("CREATE INDEX tx_acc_owner_idx ON tx_acc (owner)"),
        q("SELECT count(*) FROM tx_acc WHERE owner = 'o3'"),
        q("ROLLBACK"),
        q("SELECT count(*) FROM pg_indexes WHERE indexname = 'tx_acc_owner_idx'"),
        q("BEGIN"),
        q("CREATE INDEX tx_acc_owner_idx ON tx_acc (owner)"),
        q("COMMIT"),
        q("SELECT count(*) FROM pg_indexes WHERE indexname = 'tx_acc_owner_idx'"),
        q("DROP INDEX tx_acc_owner_idx"),
        q("BEGIN"),
        q("CREATE UNIQUE INDEX tx_acc_owner_uq ON tx_acc (id, owner)"),
        q("INSERT INTO tx_acc VALUES ({A1}, 'o{A1}', 1, 'a', NULL)"),
        q("ROLLBACK"),
        q("BEGIN"),
        q("CREATE INDEX tx_log_v_idx ON tx_log (v)"),
        q("CREATE INDEX tx_log_v_idx ON tx_log (v)"),
        q("ROLLBACK"),
        q("SELECT count(*) FROM pg_indexes WHERE indexname LIKE 'tx_%'"));
    session(r, "DDL errors and DDL mixed with writes",
        q("BEGIN"),
        q("UPDATE tx_acc SET balance = 5 WHERE id = {A1}"),
        q("ALTER TABLE tx_acc ADD CONSTRAINT tx_acc_small CHECK (balance < 1000)"),
        q("SELECT 1"),
        q("ROLLBACK"),
        q("BEGIN"),
        q("UPDATE tx_acc SET balance = 5 WHERE id = {A1}"),
        q("ALTER TABLE tx_acc ADD COLUMN extra2 text"),
        q("UPDATE tx_acc SET extra2 = 'e' WHERE id = {B1}"),
        q("SELECT id, balance, extra2 FROM tx_acc WHERE id IN ({A1}, {B1}) ORDER BY id"),
        q("COMMIT"),
        q("SELECT id, balance, extra2 FROM tx_acc WHERE id IN ({A1}, {B1}) ORDER BY id"),
        q("ALTER TABLE tx_acc DROP COLUMN extra2"),
        q("BEGIN"),
        q("INSERT INTO tx_log VALUES (40, 1, 'q')"),
        q("SAVEPOINT s"),
        q("ALTER TABLE tx_log ADD COLUMN z int"),
        q("INSERT INTO tx_log VALUES (41, 1, 'q', 5)"),
        q("ROLLBACK TO s"),
        q("SELECT * FROM tx_log WHERE id >= 40 ORDER BY id"),
        q("INSERT INTO tx_log VALUES (42, 1, 'q')"),
        q("COMMIT"),
        q("SELECT * FROM tx_log WHERE id >= 40 ORDER BY id"),
        q("BEGIN"),
        q("ALTER TABLE tx_acc ALTER COLUMN note SET NOT NULL"),
        q("ROLLBACK"),
        q("BEGIN"),
        q("ALTER TABLE tx_acc ADD COLUMN extra int NOT NULL"),
        q("ROLLBACK"));
    session(r, "TRUNCATE in blocks",
        q("BEGIN"),
        q("TRUNCATE tx_log"),
        q("SELECT count(*) FROM tx_log"),
        q("INSERT INTO tx_log VALUES (1, 1, 'a')"),
        q("SELECT * FROM tx_log ORDER BY id"),
        q("ROLLBACK"),
        q("SELECT count(*) FROM tx_log"),
        q("BEGIN"),
        q("TRUNCATE tx_acc"),
        q("ROLLBACK"),
        q("BEGIN"),
        q("TRUNCATE tx_mv, tx_acc"),
        q("SELECT count(*) FROM tx_acc"),
        q("SELECT count(*) FROM tx_mv"),
        q("ROLLBACK"),
        q("SELECT count(*) FROM tx_acc"),
        q("BEGIN"),
        q("INSERT INTO tx_acc VALUES ({NA1}, 'n', 1, 'a', NULL)"),
        q("TRUNCATE tx_mv"),
        q("SAVEPOINT s"),
        q("TRUNCATE tx_log"),
        q("SELECT count(*) FROM tx_log"),
        q("ROLLBACK TO s"),
        q("SELECT count(*) FROM tx_log"),
        q("SELECT count(*) FROM tx_mv"),
        q("COMMIT"),
        q("SELECT count(*) FROM tx_mv"),
        q("SELECT count(*) FROM tx_acc"),
        q("BEGIN"),
        q("TRUNCATE tx_ref"),
        q("ROLLBACK"),
        q("BEGIN"),
        q("UPDATE tx_acc SET balance = 1 WHERE id = {B1}"),
        q("TRUNCATE tx_log"),
        q("SELECT 1/0"),
        q("COMMIT"),
        q("SELECT count(*) FROM tx_log"),
        q("SELECT balance FROM tx_acc WHERE id = {B1}"));
    r.finish();
  }

  // ============================================================================= pgjdbc sessions

  @Test
  @Order(7)
  void jdbcSessions() throws Exception {
    Report r = new Report("pgjdbc");
    for (String mode : List.of("extended", "simple")) {
      Properties props = new Properties();
      props.setProperty("preferQueryMode", mode);
      jdbc(r, mode + ": autocommit off, an error, then rollback", props,
          op("setAutoCommit(false)", c -> {
            c.setAutoCommit(false);
            return "ok";
          }),
          upd("INSERT INTO tx_acc VALUES ({NA1}, 'n', 1, 'a', NULL)"),
          upd("INSERT INTO tx_acc VALUES ({NB1}, 'n', 1, 'a', NULL)"),
          sel("SELECT id, balance FROM tx_acc WHERE id > 100 ORDER BY id"),
          sel("SELECT count(*), sum(balance) FROM tx_acc"),
          upd("INSERT INTO tx_acc VALUES ({B1}, 'dup', 1, 'a', NULL)"),
          sel("SELECT 1"),
          op("rollback()", c -> {
            c.rollback();
            return "ok";
          }),
          sel("SELECT count(*) FROM tx_acc WHERE id > 100"),
          op("setAutoCommit(true)", c -> {
            c.setAutoCommit(true);
            return "ok";
          }));
      jdbc(r, mode + ": commit() of a failed transaction", props,
          op("setAutoCommit(false)", c -> {
            c.setAutoCommit(false);
            return "ok";
          }),
          upd("UPDATE tx_acc SET balance = 1 WHERE id = {A1}"),
          upd("UPDATE tx_acc SET balance = -1 WHERE id = {B1}"),
          op("commit()", c -> {
            c.commit();
            return "ok";
          }),
          sel("SELECT id, balance FROM tx_acc WHERE id IN ({A1}, {B1}) ORDER BY id"),
          op("commit()", c -> {
            c.commit();
            return "ok";
          }));
      jdbc(r, mode + ": savepoints through the driver", props,
          op("setAutoCommit(false)", c -> {
            c.setAutoCommit(false);
            return "ok";
          }),
          upd("UPDATE tx_acc SET balance = 1 WHERE id = {A1}"),
          op("setSavepoint + error + rollback(sp) + commit", c -> {
            Savepoint sp = c.setSavepoint("sp");
            String out;
            try (Statement s = c.createStatement()) {
              s.executeUpdate(fill("UPDATE tx_acc SET balance = 2 WHERE id = {B1}"));
              try {
                s.executeUpdate(fill("INSERT INTO tx_acc VALUES ({A2}, 'd', 1, 'a', NULL)"));
                out = "no error";
              } catch (SQLException e) {
                out = error(e);
              }
              c.rollback(sp);
              s.executeUpdate(fill("UPDATE tx_acc SET balance = 3 WHERE id = {B2}"));
              c.releaseSavepoint(sp);
            }
            c.commit();
            return out;
          }),
          sel("SELECT id, balance FROM tx_acc WHERE id IN ({A1}, {B1}, {B2}) ORDER BY id"));
      jdbc(r, mode + ": a batch with a failing entry in autocommit", props,
          op("Statement batch", c -> {
            try (Statement s = c.createStatement()) {
              s.addBatch(fill("INSERT INTO tx_acc VALUES ({NA1}, 'n', 1, 'a', NULL)"));
              s.addBatch(fill("UPDATE tx_acc SET balance = balance + 1"));
              s.addBatch(fill("INSERT INTO tx_acc VALUES ({B1}, 'dup', 1, 'a', NULL)"));
              s.addBatch(fill("INSERT INTO tx_acc VALUES ({NB1}, 'n', 1, 'a', NULL)"));
              return Arrays.toString(s.executeBatch());
            }
          }),
          sel("SELECT count(*), sum(balance) FROM tx_acc"),
          op("PreparedStatement batch", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO tx_acc VALUES (?, ?, ?, 'b', NULL)")) {
              int[][] rows = {{key("{NA2}"), 5}, {key("{NB2}"), 6}, {key("{NA3}"), -7},
                  {key("{NB3}"), 8}};
              for (int[] row : rows) {
                ps.setInt(1, row[0]);
                ps.setString(2, "p");
                ps.setInt(3, row[1]);
                ps.addBatch();
              }
              return Arrays.toString(ps.executeBatch());
            }
          }),
          sel("SELECT id FROM tx_acc WHERE id > 100 ORDER BY id"),
          op("PreparedStatement batch, all good", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                "UPDATE tx_acc SET balance = balance + ? WHERE id = ?")) {
              for (String k : List.of("{A1}", "{B1}", "{A2}", "{B2}")) {
                ps.setInt(1, 3);
                ps.setInt(2, key(k));
                ps.addBatch();
              }
              return Arrays.toString(ps.executeBatch());
            }
          }),
          sel("SELECT count(*), sum(balance) FROM tx_acc"));
      jdbc(r, mode + ": a batch in a transaction, then commit", props,
          op("setAutoCommit(false)", c -> {
            c.setAutoCommit(false);
            return "ok";
          }),
          op("batch", c -> {
            try (Statement s = c.createStatement()) {
              s.addBatch(fill("INSERT INTO tx_acc VALUES ({NA1}, 'n', 1, 'a', NULL)"));
              s.addBatch(fill("INSERT INTO tx_mv VALUES ({NA2}, 1, 1)"));
              s.addBatch(fill("INSERT INTO tx_acc VALUES ({NB1}, 'n', 1, 'a', NULL)"));
              return Arrays.toString(s.executeBatch());
            }
          }),
          upd("INSERT INTO tx_acc VALUES ({NB2}, 'n', 1, 'a', NULL)"),
          op("commit()", c -> {
            c.commit();
            return "ok";
          }),
          sel("SELECT id FROM tx_acc WHERE id > 100 ORDER BY id"));
      jdbc(r, mode + ": several statements in one execute", props,
          exec("INSERT INTO tx_acc VALUES ({NA1}, 'n', 1, 'a', NULL);"
              + " INSERT INTO tx_acc VALUES ({NB1}, 'n', 1, 'a', NULL); SELECT 1/0"),
          sel("SELECT count(*) FROM tx_acc WHERE id > 100"),
          exec("INSERT INTO tx_acc VALUES ({NA1}, 'n', 1, 'a', NULL);"
              + " UPDATE tx_acc SET balance = 0 WHERE id = {B1};"
              + " SELECT id, balance FROM tx_acc WHERE id IN ({NA1}, {B1}) ORDER BY id"),
          exec("BEGIN; UPDATE tx_acc SET balance = 1 WHERE id = {A1}; SELECT 1/0; COMMIT"),
          exec("SELECT 1"),
          exec("ROLLBACK"),
          sel("SELECT id, balance FROM tx_acc WHERE id IN ({NA1}, {A1}, {B1}) ORDER BY id"));
      jdbc(r, mode + ": fetch size inside a transaction", props,
          op("setAutoCommit(false)", c -> {
            c.setAutoCommit(false);
            return "ok";
          }),
          upd("UPDATE tx_acc SET balance = 0 WHERE id = {B1}"),
          op("fetchSize 3 over a scan", c -> {
            try (Statement s = c.createStatement()) {
              s.setFetchSize(3);
              try (ResultSet rs = s.executeQuery("SELECT id, balance FROM tx_acc ORDER BY id")) {
                return TwinServers.rows(rs, new ArrayList<>()).toString();
              }
            }
          }),
          op("fetchSize 2, an error while the first result is open", c -> {
            try (Statement s = c.createStatement(); Statement t = c.createStatement()) {
              s.setFetchSize(2);
              try (ResultSet rs = s.executeQuery("SELECT id FROM tx_acc ORDER BY id")) {
                rs.next();
                String first = rs.getString(1);
                try {
                  t.executeUpdate(fill("INSERT INTO tx_acc VALUES ({A1}, 'd', 1, 'a', NULL)"));
                  return first + " no error";
                } catch (SQLException e) {
                  StringBuilder out = new StringBuilder(first + " " + error(e));
                  try {
                    while (rs.next()) {
                      out.append(' ').append(rs.getString(1));
                    }
                  } catch (SQLException e2) {
                    out.append(" then ").append(error(e2));
                  }
                  return out.toString();
                }
              }
            }
          }),
          op("rollback()", c -> {
            c.rollback();
            return "ok";
          }),
          sel("SELECT balance FROM tx_acc WHERE id = {B1}"));
      jdbc(r, mode + ": read-only and isolation through the driver", props,
          op("setAutoCommit(false); setReadOnly(true)", c -> {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            return "ok";
          }),
          sel("SELECT count(*) FROM tx_acc"),
          upd("UPDATE tx_acc SET balance = 1 WHERE id = {A1}"),
          op("rollback(); setReadOnly(false); SERIALIZABLE", c -> {
            c.rollback();
            c.setReadOnly(false);
            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            return "ok";
          }),
          sel("SELECT current_setting('transaction_isolation') FROM tx_acc WHERE id = {B1}"),
          upd("UPDATE tx_acc SET balance = balance + 1"),
          op("commit()", c -> {
            c.commit();
            return "ok";
          }),
          sel("SELECT sum(balance) FROM tx_acc"));
    }
    r.finish();
  }

  // ============================================================================ random sessions

  @Test
  @Order(8)
  void randomSessions() throws Exception {
    Report r = new Report("random sessions, seed " + SEED);
    log("TransactionErrorsDifferentialIT: seed " + SEED + ", " + SESSIONS
        + " sessions of " + STEPS + " steps (rerun with -Dbasalt.txfuzz.seed=" + SEED + ")");
    for (int i = 0; i < SESSIONS; i++) {
      Random rnd = new Random(SEED * 1_000_003L + i);
      randomSession(r, "seed " + SEED + " session " + i, rnd);
    }
    r.finish();
  }

  /** A generated session: the next step depends on PostgreSQL's transaction status. */
  private void randomSession(Report r, String name, Random rnd) throws Exception {
    Gen g = new Gen(rnd);
    Pair pair = Pair.open();
    List<String> history = new ArrayList<>();
    try {
      char status = 'I';
      for (int i = 0; i < STEPS; i++) {
        Step step = g.next(status, i == STEPS - 1);
        StepResult res = runStep(r, name, history, pair, step);
        if (res == null) {
          break;
        }
        status = res.status;
        if (status == 'I' && res.bothIdle) {
          compareTables(r, name, history);
        }
      }
    } finally {
      endSession(r, name, history, pair);
    }
  }

  /** Writes that sometimes fail, reads, and the statements that steer blocks. */
  private static final class Gen {
    private final Random rnd;
    private final List<String> savepoints = new ArrayList<>();
    private int nextSavepoint;

    Gen(Random rnd) {
      this.rnd = rnd;
    }

    Step next(char status, boolean last) {
      if (status == 'I') {
        savepoints.clear();
      }
      if (last && status != 'I') {
        return q(rnd.nextBoolean() ? "COMMIT" : "ROLLBACK");
      }
      int p = rnd.nextInt(100);
      if (status == 'I') {
        if (p < 40) {
          return q(pick("BEGIN", "BEGIN", "BEGIN", "START TRANSACTION",
              "BEGIN ISOLATION LEVEL REPEATABLE READ", "BEGIN ISOLATION LEVEL SERIALIZABLE",
              "BEGIN READ ONLY"));
        }
        if (p < 55) {
          return multi();
        }
        if (p < 70) {
          return pipeline();
        }
        return single();
      }
      if (status == 'E') {
        if (p < 45) {
          return q(rnd.nextInt(4) == 0 ? "COMMIT" : "ROLLBACK");
        }
        if (p < 80 && !savepoints.isEmpty()) {
          return rollbackTo();
        }
        return single();
      }
      // In a block.
      if (p < 12) {
        String s = "s" + (nextSavepoint++ % 3);
        savepoints.add(s);
        return q("SAVEPOINT " + s);
      }
      if (p < 20 && !savepoints.isEmpty()) {
        return rollbackTo();
      }
      if (p < 24 && !savepoints.isEmpty()) {
        String s = savepoints.remove(rnd.nextInt(savepoints.size()));
        return q("RELEASE SAVEPOINT " + s);
      }
      if (p < 30) {
        return q(pick("COMMIT", "ROLLBACK", "END", "COMMIT"));
      }
      if (p < 36) {
        return pipeline();
      }
      if (p < 40) {
        return multi();
      }
      return single();
    }

    private Step rollbackTo() {
      String s = rnd.nextInt(10) == 0 ? "s9" : savepoints.get(rnd.nextInt(savepoints.size()));
      return q("ROLLBACK TO SAVEPOINT " + s);
    }

    /** One statement: mostly writes, some failing, and reads. */
    Step single() {
      String sql = statement();
      Step st = q(sql);
      return multiRow(sql) ? st.loose() : st;
    }

    private Step multi() {
      int n = 2 + rnd.nextInt(3);
      List<String> parts = new ArrayList<>();
      boolean loose = false;
      for (int i = 0; i < n; i++) {
        String s = rnd.nextInt(8) == 0 ? pick("SAVEPOINT m", "COMMIT", "BEGIN", "ROLLBACK")
            : statement();
        loose |= multiRow(s);
        parts.add(s);
      }
      Step st = q(String.join("; ", parts));
      return loose ? st.loose() : st;
    }

    private Step pipeline() {
      Step st = x();
      int n = 2 + rnd.nextInt(3);
      boolean loose = false;
      for (int i = 0; i < n; i++) {
        String s = statement();
        loose |= multiRow(s);
        st.pbe(s);
        if (rnd.nextInt(5) == 0) {
          st.sync();
        }
      }
      st.sync();
      return loose ? st.loose() : st;
    }

    private static boolean multiRow(String sql) {
      return !sql.contains("WHERE id = ") && !sql.contains("WHERE acc_id = ")
          && (sql.startsWith("UPDATE") || sql.startsWith("DELETE") || sql.contains("), ("));
    }

    private String statement() {
      int p = rnd.nextInt(100);
      int k = 1 + rnd.nextInt(24);
      int k2 = 1 + rnd.nextInt(24);
      if (p < 14) {
        return "INSERT INTO tx_acc VALUES (" + k + ", 'g" + k + "', " + (rnd.nextInt(50) * 10)
            + ", " + pick("'a'", "'b'", "'c'", "'c'", "'q'", "NULL") + ", NULL)";
      }
      if (p < 20) {
        return "INSERT INTO tx_acc VALUES (" + k + ", 'g', 5, 'a', NULL), (" + k2
            + ", 'h', 6, 'b', NULL)";
      }
      if (p < 30) {
        return "UPDATE tx_acc SET balance = balance " + pick("+", "-") + " "
            + (rnd.nextInt(30) * 10) + " WHERE id = " + k;
      }
      if (p < 35) {
        return "UPDATE tx_acc SET balance = balance " + pick("+ 1", "- 100", "* 2")
            + " WHERE " + pick("code = 'a'", "id > 12", "true", "balance < 500");
      }
      if (p < 42) {
        return "INSERT INTO tx_mv VALUES (" + k + ", " + (1 + rnd.nextInt(3)) + ", "
            + pick("1", "2", "0", "-4") + ")";
      }
      if (p < 46) {
        return "DELETE FROM tx_mv WHERE acc_id = " + k;
      }
      if (p < 50) {
        return "DELETE FROM tx_acc WHERE id = " + k;
      }
      if (p < 55) {
        return "INSERT INTO tx_log VALUES (" + k + ", " + rnd.nextInt(5) + ", 'r'), (" + k2
            + ", " + rnd.nextInt(5) + ", " + pick("'s'", "NULL") + ")";
      }
      if (p < 58) {
        return "UPDATE tx_log SET v = v + 1 WHERE " + pick("id < 5", "txt = 'r'", "true");
      }
      if (p < 61) {
        return pick("SELECT 1/0", "SELECT id, 10 / (balance - 300) FROM tx_acc ORDER BY id",
            "UPDATE tx_acc SET balance = balance + 10 / (id - " + k + ")",
            "SELECT * FROM tx_acc WHERE id = 'x" + k + "'",
            "UPDATE tx_acc SET owner = NULL WHERE id = " + k,
            "SELECT nope FROM tx_acc");
      }
      if (p < 70) {
        return "SELECT * FROM tx_acc WHERE id = " + k;
      }
      if (p < 76) {
        return pick("SELECT count(*), sum(balance), min(balance), max(balance) FROM tx_acc",
            "SELECT code, count(*), sum(balance) FROM tx_acc GROUP BY code ORDER BY code",
            "SELECT count(*), sum(amount) FROM tx_mv", "SELECT count(*), sum(v) FROM tx_log");
      }
      if (p < 82) {
        return pick("SELECT id, balance FROM tx_acc ORDER BY id",
            "SELECT * FROM tx_mv ORDER BY acc_id, seq",
            "SELECT * FROM tx_log ORDER BY id, v, txt",
            "SELECT a.id, count(m.seq) FROM tx_acc a LEFT JOIN tx_mv m ON m.acc_id = a.id"
                + " GROUP BY a.id ORDER BY a.id",
            "SELECT a.id, r.label FROM tx_acc a JOIN tx_ref r ON r.code = a.code ORDER BY a.id");
      }
      if (p < 86) {
        return "SELECT a.id, a.balance, m.seq FROM tx_acc a JOIN tx_mv m ON m.acc_id = a.id"
            + " WHERE a.id = " + k + " ORDER BY m.seq";
      }
      if (p < 89) {
        return "UPDATE tx_acc SET note = 'n" + k + "' WHERE id = " + k + " RETURNING id, note";
      }
      if (p < 92) {
        return "INSERT INTO tx_ref VALUES (" + pick("'d'", "'a'", "'e'") + ", 'L')";
      }
      if (p < 94) {
        return "DELETE FROM tx_ref WHERE code = " + pick("'d'", "'e'", "'c'");
      }
      if (p < 97) {
        return "INSERT INTO tx_acc VALUES (" + k + ", 'g', 1, 'a', NULL) ON CONFLICT (id)"
            + " DO UPDATE SET balance = tx_acc.balance + 1";
      }
      return "SELECT * FROM tx_acc WHERE id IN (" + k + ", " + k2 + ") ORDER BY id";
    }

    @SafeVarargs
    private <T> T pick(T... options) {
      return options[rnd.nextInt(options.length)];
    }
  }

  // =============================================================================== steps

  /** One exchange: Query messages and extended-protocol messages, sent together. */
  static final class Step {
    final List<Object[]> messages = new ArrayList<>();
    boolean loose;

    /** Compares errors without their DETAIL (which row of several failed first). */
    Step loose() {
      loose = true;
      return this;
    }

    Step parse(String name, String sql, int... types) {
      messages.add(new Object[] {'P', name, sql, types});
      return this;
    }

    Step bind(String portal, String statement, String... values) {
      messages.add(new Object[] {'B', portal, statement, values});
      return this;
    }

    Step exec(String portal, int maxRows) {
      messages.add(new Object[] {'E', portal, maxRows});
      return this;
    }

    Step describe(char kind, String name) {
      messages.add(new Object[] {'D', kind, name});
      return this;
    }

    Step close(char kind, String name) {
      messages.add(new Object[] {'C', kind, name});
      return this;
    }

    /** Parse, Bind and Execute of an unnamed statement without parameters. */
    Step pbe(String sql) {
      return parse("", sql).bind("", "").exec("", 0);
    }

    Step sync() {
      messages.add(new Object[] {'S'});
      return this;
    }

    Step query(String sql) {
      messages.add(new Object[] {'Q', sql});
      return this;
    }

    int readyCount() {
      return (int) messages.stream().filter(m -> (char) m[0] == 'Q' || (char) m[0] == 'S')
          .count();
    }

    String text() {
      StringBuilder b = new StringBuilder();
      for (Object[] m : messages) {
        for (Object o : m) {
          if (o instanceof String s) {
            b.append(s).append(' ');
          }
        }
      }
      return b.toString();
    }

    boolean ordered() {
      String t = text().toUpperCase(Locale.ROOT);
      return t.contains("ORDER BY") && !t.contains("RETURNING");
    }

    void send(WireClient w) throws IOException {
      for (Object[] m : messages) {
        switch ((char) m[0]) {
          case 'Q' -> w.query(fill((String) m[1]));
          case 'P' -> w.parse((String) m[1], fill((String) m[2]), (int[]) m[3]);
          case 'B' -> {
            String[] values = ((String[]) m[3]).clone();
            for (int i = 0; i < values.length; i++) {
              values[i] = values[i] == null ? null : fill(values[i]);
            }
            w.bind((String) m[1], (String) m[2], values);
          }
          case 'E' -> w.execute((String) m[1], (int) m[2]);
          case 'D' -> w.describe((char) m[1], (String) m[2]);
          case 'C' -> w.close((char) m[1], (String) m[2]);
          case 'S' -> w.sync();
          default -> throw new IllegalStateException();
        }
      }
    }

    @Override
    public String toString() {
      List<String> parts = new ArrayList<>();
      for (Object[] m : messages) {
        parts.add(switch ((char) m[0]) {
          case 'Q' -> fill((String) m[1]);
          case 'P' -> "Parse " + (((String) m[1]).isEmpty() ? "" : m[1] + " ")
              + fill((String) m[2]) + (((int[]) m[3]).length == 0 ? ""
              : " types " + Arrays.toString((int[]) m[3]));
          case 'B' -> "Bind " + (((String) m[1]).isEmpty() ? "" : "portal " + m[1] + " ")
              + (((String) m[2]).isEmpty() ? "" : "stmt " + m[2] + " ")
              + Arrays.toString(Arrays.stream((String[]) m[3])
                  .map(v -> v == null ? null : fill(v)).toArray());
          case 'E' -> "Execute" + (((String) m[1]).isEmpty() ? "" : " " + m[1])
              + ((int) m[2] == 0 ? "" : " max " + m[2]);
          case 'D' -> "Describe " + m[1] + " " + m[2];
          case 'C' -> "Close " + m[1] + " " + m[2];
          case 'S' -> "Sync";
          default -> "?";
        });
      }
      boolean extended = messages.stream().anyMatch(m -> (char) m[0] != 'Q');
      return extended ? "[" + String.join(" | ", parts) + "]" : String.join(" | ", parts);
    }
  }

  static Step q(String sql) {
    return new Step().query(sql);
  }

  static Step x() {
    return new Step();
  }

  static String fill(String s) {
    for (Map.Entry<String, String> e : KEYS.entrySet()) {
      s = s.replace(e.getKey(), e.getValue());
    }
    return s;
  }

  static int key(String placeholder) {
    return Integer.parseInt(KEYS.get(placeholder));
  }

  // =============================================================================== running

  /** A connection to each side. */
  private record Pair(WireClient pg, WireClient bs) {
    static Pair open() throws IOException {
      Properties login = twin.reference.jdbcLogin();
      WireClient p = WireClient.connect(twin.reference.server().port(),
          login.getProperty("user"), login.getProperty("password"));
      WireClient b;
      try {
        b = WireClient.connect(TestBasalt.port(), "postgres", TestBasalt.password());
      } catch (IOException e) {
        p.close();
        throw e;
      }
      p.timeout(TIMEOUT_MILLIS);
      b.timeout(TIMEOUT_MILLIS);
      return new Pair(p, b);
    }
  }

  private record StepResult(char status, boolean bothIdle) {}

  /** Runs a scripted session on fresh connections. */
  private void session(Report r, String name, Step... steps) throws Exception {
    Pair pair = Pair.open();
    List<String> history = new ArrayList<>();
    try {
      for (Step step : steps) {
        StepResult res = runStep(r, name, history, pair, step);
        if (res == null) {
          break;
        }
        if (res.bothIdle && !step.text().strip().toUpperCase(Locale.ROOT).startsWith("SELECT")) {
          compareTables(r, name, history);
        }
      }
    } finally {
      endSession(r, name, history, pair);
    }
  }

  /** Runs one step on both sides; null when the session cannot go on. */
  private StepResult runStep(Report r, String session, List<String> history, Pair pair,
      Step step) {
    history.add(step.toString());
    List<String> expected = exchange(pair.pg(), step);
    List<String> actual = exchange(pair.bs(), step);
    r.steps++;
    String label = "[" + session + "] #" + history.size() + " " + step;
    char pgStatus = status(expected);
    char bsStatus = status(actual);
    if (expected.equals(actual)) {
      log(label + "\n    same: " + brief(expected));
      return new StepResult(pgStatus, pgStatus == 'I');
    }
    String known = r.known(step, expected, actual);
    if (known != null) {
      log(label + "\n    KNOWN (" + known + "): PostgreSQL " + brief(expected)
          + "\n    Basalt " + brief(actual));
      r.knownCount.merge(known, 1, Integer::sum);
    } else if (refusal(expected, actual) != null) {
      String m = refusal(expected, actual);
      r.refusals.merge(m, 1, Integer::sum);
      log(label + "\n    REFUSED: " + m);
    } else {
      r.mismatch(label, history, expected, actual);
      log(label + "\n    DIFFERENT: PostgreSQL " + expected + "\n    Basalt     "
          + actual);
    }
    if (pgStatus != bsStatus || pgStatus == '?' || bsStatus == '?') {
      r.notes.add("[" + session + "] ended after step #" + history.size()
          + ": the transaction status differs (PostgreSQL " + pgStatus + ", Basalt " + bsStatus
          + ")");
      return null;
    }
    return new StepResult(pgStatus, pgStatus == 'I');
  }

  /** The last ReadyForQuery status in a transcript, '?' if none. */
  private static char status(List<String> transcript) {
    for (int i = transcript.size() - 1; i >= 0; i--) {
      if (transcript.get(i).startsWith("Z ")) {
        return transcript.get(i).charAt(2);
      }
    }
    return '?';
  }

  /** Basalt's 0A000 message when PostgreSQL gave no 0A000 in the same step, else null. */
  private static String refusal(List<String> expected, List<String> actual) {
    if (expected.stream().anyMatch(l -> l.startsWith("E ERROR 0A000"))) {
      return null;
    }
    for (String l : actual) {
      if (l.startsWith("E ERROR 0A000")) {
        int end = l.indexOf(" | ");
        return l.substring("E ERROR 0A000 ".length(), end < 0 ? l.length() : end);
      }
    }
    return null;
  }

  /** Ends a session: any open block rolled back, connections closed, tables compared. */
  private void endSession(Report r, String name, List<String> history, Pair pair) {
    for (WireClient w : List.of(pair.pg(), pair.bs())) {
      try {
        w.query("ROLLBACK");
        w.readUntil('Z');
      } catch (IOException e) {
        // The connection is gone; the server rolls back.
      }
      try {
        w.close();
      } catch (IOException e) {
        // Closed already.
      }
    }
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    compareTables(r, name, history);
    for (Connection c : List.of(twin.postgres, twin.basalt)) {
      try (Statement s = timed(c)) {
        for (String sql : CLEANUP) {
          s.execute(sql);
        }
      } catch (SQLException e) {
        r.notes.add("[" + name + "] cleanup failed on "
            + (c == twin.basalt ? "Basalt" : "PostgreSQL") + ": " + error(e));
      }
    }
    restore(r, name);
  }

  /** Sends a step and reads its answer up to the last ReadyForQuery, as a transcript. */
  private static List<String> exchange(WireClient w, Step step) {
    List<WireClient.Message> messages = new ArrayList<>();
    try {
      step.send(w);
      for (int i = 0; i < step.readyCount(); i++) {
        messages.addAll(w.readUntil('Z'));
      }
    } catch (IOException e) {
      List<String> t = transcript(messages, step);
      t.add("connection failed: " + e);
      return t;
    }
    return transcript(messages, step);
  }

  /** The backend messages as comparable lines. */
  private static List<String> transcript(List<WireClient.Message> messages, Step step) {
    List<String> out = new ArrayList<>();
    List<String> rows = new ArrayList<>();
    boolean ordered = step.ordered();
    Runnable flush = () -> {
      if (!rows.isEmpty()) {
        if (!ordered) {
          Collections.sort(rows);
        }
        out.add("rows " + rows);
        rows.clear();
      }
    };
    for (WireClient.Message m : messages) {
      switch (m.tag()) {
        case 'D' -> {
          StringBuilder row = new StringBuilder("(");
          List<String> values = WireClient.dataRow(m);
          for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            row.append(i == 0 ? "" : ", ").append(v == null ? "NULL" : "'" + v + "'");
          }
          rows.add(row.append(')').toString());
        }
        case 'T' -> {
          flush.run();
          out.add("T " + rowDescription(m.body()));
        }
        case 'C' -> {
          flush.run();
          out.add("C " + new String(m.body(), 0, m.body().length - 1, StandardCharsets.UTF_8));
        }
        case 's' -> {
          flush.run();
          out.add("PortalSuspended");
        }
        case 'E' -> {
          // The rows a result sent before its error depend on the order of the scan.
          rows.clear();
          out.add("E " + errorLine(m.fields(), step.loose));
        }
        case 'N' -> out.add("N " + m.fields().get('V') + " " + m.fields().get('C') + " "
            + m.fields().get('M'));
        case 'S' -> {
          String[] kv = new String(m.body(), StandardCharsets.UTF_8).split("\0");
          out.add("ParameterStatus " + kv[0] + "=" + (kv.length > 1 ? kv[1] : ""));
        }
        case 'Z' -> {
          flush.run();
          out.add("Z " + (char) m.body()[0]);
        }
        case '1' -> out.add("ParseComplete");
        case '2' -> out.add("BindComplete");
        case '3' -> out.add("CloseComplete");
        case 'n' -> out.add("NoData");
        case 'I' -> out.add("EmptyQuery");
        case 't' -> out.add("ParameterDescription " + parameterTypes(m.body()));
        default -> out.add("message " + m.tag());
      }
    }
    flush.run();
    return out;
  }

  /** An error's compared fields: severity, SQLSTATE, message, detail, hint, object names. */
  private static String errorLine(Map<Character, String> f, boolean loose) {
    StringBuilder b = new StringBuilder();
    b.append(f.get('V')).append(' ').append(f.get('C')).append(' ').append(f.get('M'));
    if (f.containsKey('D')) {
      b.append(" | detail: ").append(loose ? "(not compared)" : f.get('D'));
    }
    for (char c : new char[] {'H', 's', 't', 'c', 'n'}) {
      if (f.containsKey(c)) {
        b.append(" | ").append(switch (c) {
          case 'H' -> "hint";
          case 's' -> "schema";
          case 't' -> "table";
          case 'c' -> "column";
          default -> "constraint";
        }).append(": ").append(f.get(c));
      }
    }
    return b.toString();
  }

  private static String rowDescription(byte[] body) {
    ByteBuffer buf = ByteBuffer.wrap(body);
    int n = buf.getShort();
    List<String> cols = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int start = buf.position();
      while (buf.get() != 0) {
        // Up to the name's terminator.
      }
      String name = new String(body, start, buf.position() - start - 1, StandardCharsets.UTF_8);
      buf.getInt();
      buf.getShort();
      int type = buf.getInt();
      buf.getShort();
      buf.getInt();
      buf.getShort();
      cols.add(name + ":" + type);
    }
    return cols.toString();
  }

  private static String parameterTypes(byte[] body) {
    ByteBuffer buf = ByteBuffer.wrap(body);
    int n = buf.getShort();
    List<Integer> types = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      types.add(buf.getInt());
    }
    return types.toString();
  }

  private static String brief(List<String> transcript) {
    String s = String.join("; ", transcript);
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }

  // ================================================================================ pgjdbc runs

  interface JdbcAction {
    String run(Connection c) throws SQLException;
  }

  record JdbcOp(String label, JdbcAction action) {}

  static JdbcOp op(String label, JdbcAction action) {
    return new JdbcOp(label, action);
  }

  static JdbcOp upd(String sql) {
    return op(sql, c -> {
      try (Statement s = c.createStatement()) {
        return "update count " + s.executeUpdate(fill(sql));
      }
    });
  }

  static JdbcOp sel(String sql) {
    return op(sql, c -> {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(fill(sql))) {
        List<String> labels = new ArrayList<>();
        List<String> rows = TwinServers.rows(rs, labels);
        if (!sql.contains("ORDER BY")) {
          Collections.sort(rows);
        }
        return labels + " " + rows;
      }
    });
  }

  /** Statement.execute of a string and every result it gives. */
  static JdbcOp exec(String sql) {
    return op(sql, c -> {
      try (Statement s = c.createStatement()) {
        StringBuilder out = new StringBuilder();
        boolean isResult = s.execute(fill(sql));
        while (true) {
          if (isResult) {
            try (ResultSet rs = s.getResultSet()) {
              List<String> labels = new ArrayList<>();
              out.append(labels).append(TwinServers.rows(rs, labels)).append("; ");
            }
          } else {
            long n = s.getLargeUpdateCount();
            if (n == -1) {
              break;
            }
            out.append("count ").append(n).append("; ");
          }
          isResult = s.getMoreResults();
        }
        return out.toString();
      }
    });
  }

  /** An SQLException as its SQLSTATE and the server's fields (or the driver's message). */
  static String error(SQLException e) {
    StringBuilder b = new StringBuilder("error ").append(e.getSQLState()).append(' ');
    SQLException server = e;
    if (e instanceof BatchUpdateException bu) {
      b.append("batch counts ").append(Arrays.toString(bu.getUpdateCounts())).append(' ');
      if (bu.getNextException() != null) {
        server = bu.getNextException();
      }
    }
    ServerErrorMessage m = server instanceof PSQLException p ? p.getServerErrorMessage() : null;
    if (m != null) {
      b.append(m.getSQLState()).append(' ').append(m.getMessage());
      if (m.getDetail() != null) {
        b.append(" | detail: ").append(m.getDetail());
      }
      if (m.getConstraint() != null) {
        b.append(" | constraint: ").append(m.getConstraint());
      }
      if (m.getTable() != null) {
        b.append(" | table: ").append(m.getTable());
      }
    } else {
      b.append(server.getMessage());
    }
    return b.toString();
  }

  private static String txState(Connection c) {
    try {
      return c.unwrap(BaseConnection.class).getTransactionState().toString();
    } catch (SQLException e) {
      return "?";
    }
  }

  /** A pgjdbc session on fresh connections: each operation's answer and the driver's state. */
  private void jdbc(Report r, String name, Properties props, JdbcOp... ops) throws Exception {
    List<String> history = new ArrayList<>();
    try (Connection pg = twin.connectPostgres(props); Connection bs = TestBasalt.connect(props)) {
      for (JdbcOp op : ops) {
        history.add(fill(op.label()));
        String expected = jdbcRun(pg, op);
        String actual = jdbcRun(bs, op);
        r.steps++;
        String label = "[" + name + "] #" + history.size() + " " + fill(op.label());
        if (expected.equals(actual)) {
          log(label + "\n    same: " + expected);
        } else if (actual.contains("0A000") && !expected.contains("0A000")) {
          r.refusals.merge(actual, 1, Integer::sum);
          log(label + "\n    REFUSED: " + actual);
          break;
        } else {
          r.mismatch(label, history, List.of(expected), List.of(actual));
          log(label + "\n    DIFFERENT: PostgreSQL " + expected
              + "\n    Basalt     " + actual);
          if (!expected.substring(expected.lastIndexOf("[tx ")).equals(
              actual.substring(actual.lastIndexOf("[tx ")))) {
            r.notes.add("[" + name + "] ended after step #" + history.size()
                + ": the transaction state differs");
            break;
          }
        }
        if (txState(pg).equals("IDLE") && txState(bs).equals("IDLE")) {
          compareTables(r, name, history);
        }
      }
      for (Connection c : List.of(pg, bs)) {
        try {
          if (!c.getAutoCommit()) {
            c.rollback();
          }
        } catch (SQLException e) {
          // Closed with the connection.
        }
      }
    } finally {
      compareTables(r, name, history);
      restore(r, name);
    }
  }

  private static String jdbcRun(Connection c, JdbcOp op) {
    String out;
    try {
      out = op.action().run(c);
    } catch (SQLException e) {
      out = error(e);
    }
    return out + " [tx " + txState(c) + "]";
  }

  /** The log: stdout, and a file written as it goes (target/txfuzz.log) to follow a long run. */
  private static java.io.PrintStream progress;

  static synchronized void log(String line) {
    System.out.println(line);
    try {
      if (progress == null) {
        progress = new java.io.PrintStream(new java.io.FileOutputStream("target/txfuzz.log",
            true), true, StandardCharsets.UTF_8);
      }
      progress.println(line);
    } catch (IOException e) {
      // stdout has it.
    }
  }

  // ================================================================================ table state

  /** A statement of the checking connections, bounded: a lock Basalt left must not hang all. */
  private static Statement timed(Connection c) throws SQLException {
    Statement s = c.createStatement();
    s.setQueryTimeout(15);
    return s;
  }

  private static Map<String, List<String>> contents(Connection c) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> t : TABLES.entrySet()) {
      try (Statement s = timed(c); ResultSet rs = s.executeQuery(t.getValue())) {
        List<String> labels = new ArrayList<>();
        List<String> rows = TwinServers.rows(rs, labels);
        rows.add(0, labels.toString());
        out.put(t.getKey(), rows);
      } catch (SQLException e) {
        out.put(t.getKey(), List.of(error(e)));
      }
    }
    return out;
  }

  /**
   * Compares what committed, through the other connections. A difference already reported in
   * this session is not reported again (the rows are restored when the session ends).
   */
  private void compareTables(Report r, String session, List<String> history) {
    Map<String, List<String>> want = contents(twin.postgres);
    Map<String, List<String>> got = contents(twin.basalt);
    r.tableChecks++;
    for (String table : TABLES.keySet()) {
      List<String> w = want.get(table);
      List<String> g = got.get(table);
      if (w.equals(g) || !r.tableDiffs.add(session + " " + table + " " + w + " " + g)) {
        continue;
      }
      List<String> missing = new ArrayList<>(w);
      g.forEach(missing::remove);
      List<String> extra = new ArrayList<>(g);
      w.forEach(extra::remove);
      String label = "[" + session + "] table " + table + " after #" + history.size();
      r.mismatch(label, history, List.of("missing on Basalt " + missing),
          List.of("unexpected on Basalt " + extra));
      log(label + "\n    DIFFERENT: missing on Basalt " + missing
          + "; unexpected on Basalt " + extra);
    }
  }

  /** Rewrites a side's rows when they are not the initial ones. */
  private static void restore(Report r, String session) {
    for (Connection c : List.of(twin.postgres, twin.basalt)) {
      if (contents(c).equals(initial)) {
        continue;
      }
      try (Statement s = timed(c)) {
        s.execute("DELETE FROM tx_mv");
        s.execute("DELETE FROM tx_acc");
        s.execute("DELETE FROM tx_log");
        s.execute("DELETE FROM tx_ref");
        for (String sql : ROWS) {
          s.execute(sql);
        }
      } catch (SQLException e) {
        r.notes.add("[" + session + "] restoring the rows failed on "
            + (c == twin.basalt ? "Basalt" : "PostgreSQL") + ": " + error(e));
      }
    }
  }

  // ================================================================================ reporting

  /** A shard's suffix on a table or constraint name (tx_acc_102009). */
  private static final java.util.regex.Pattern SHARD_SUFFIX =
      java.util.regex.Pattern.compile("_1\\d{5}(?!\\d)");

  /** One test's findings. */
  private static final class Report {
    final String name;
    final List<String> mismatches = new ArrayList<>();
    /** Mismatches that are only shard names where PostgreSQL names the table (listed apart). */
    final List<String> shardNames = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    final Map<String, Integer> refusals = new TreeMap<>();
    final Map<String, Integer> knownCount = new TreeMap<>();
    final java.util.Set<String> tableDiffs = new java.util.HashSet<>();
    int steps;
    int tableChecks;

    Report(String name) {
      this.name = name;
    }

    void mismatch(String label, List<String> history, List<String> expected,
        List<String> actual) {
      if (expected.toString().equals(SHARD_SUFFIX.matcher(actual.toString()).replaceAll(""))) {
        shardNames.add(label + "\n    PostgreSQL: " + expected + "\n    Basalt:     " + actual);
        return;
      }
      StringBuilder b = new StringBuilder(label);
      b.append("\n    session so far:");
      for (int i = 0; i < history.size(); i++) {
        b.append("\n      ").append(i + 1).append(". ").append(history.get(i));
      }
      b.append("\n    expected (PostgreSQL): ").append(expected);
      b.append("\n    actual (Basalt):       ").append(actual);
      mismatches.add(b.toString());
    }

    /**
     * Differences docs/transactions.md lists as not done yet: a gather read inside a READ ONLY
     * block fails with "cannot execute CREATE TABLE in a read-only transaction".
     */
    String known(Step step, List<String> expected, List<String> actual) {
      boolean gatherReadOnly = actual.stream().anyMatch(l -> l.startsWith(
          "E ERROR 25006 cannot execute CREATE TABLE in a read-only transaction"))
          && expected.stream().noneMatch(l -> l.contains("cannot execute CREATE TABLE"));
      if (gatherReadOnly) {
        return "gather in a READ ONLY block (docs/transactions.md)";
      }
      // docs/distributed-queries.md, "Known differences": Basalt acknowledges Parse and Bind
      // before it runs the statement, so an error PostgreSQL raises at Parse or Bind (a bad
      // parameter value, an unknown column, 25P02 in a failed block) comes after ParseComplete
      // or BindComplete; and a statement that fails while its rows are computed (on a shard,
      // or while they are gathered) sends no RowDescription before the error.
      if (withoutAcknowledgements(expected).equals(withoutAcknowledgements(actual))
          && !expected.equals(actual)) {
        return "Parse/Bind acknowledged before a statement's error (docs)";
      }
      // The same: a named statement whose Parse PostgreSQL refused exists on Basalt, so its
      // Bind reports the statement's own error where PostgreSQL reports 26000.
      if (expected.size() == 2 && expected.get(0).startsWith("E ERROR 26000 prepared statement")
          && actual.stream().anyMatch(m -> m.startsWith("E ERROR "))
          && expected.get(1).equals(actual.get(actual.size() - 1))) {
        return "a statement PostgreSQL refused at Parse exists on Basalt (docs)";
      }
      return null;
    }

    /**
     * The messages without ParseComplete, BindComplete and a RowDescription directly before an
     * error; the error and everything else kept in order.
     */
    private static List<String> withoutAcknowledgements(List<String> messages) {
      List<String> acknowledged = new ArrayList<>();
      for (String m : messages) {
        if (!m.equals("ParseComplete") && !m.equals("BindComplete")) {
          acknowledged.add(m);
        }
      }
      List<String> out = new ArrayList<>();
      for (int i = 0; i < acknowledged.size(); i++) {
        String m = acknowledged.get(i);
        if (m.startsWith("T [") && i + 1 < acknowledged.size()
            && acknowledged.get(i + 1).startsWith("E ")) {
          continue;
        }
        out.add(m);
      }
      return out;
    }

    void finish() {
      log(String.format("TransactionErrorsDifferentialIT [%s]: %d steps, %d table checks,"
          + " %d mismatches (%d more differ only by shard names in errors), %d refusals"
          + " (0A000), %d known differences", name, steps, tableChecks, mismatches.size(),
          shardNames.size(), refusals.values().stream().mapToInt(i -> i).sum(),
          knownCount.values().stream().mapToInt(i -> i).sum()));
      refusals.forEach((m, n) -> log("  refusal x" + n + ": " + m));
      knownCount.forEach((m, n) -> log("  known x" + n + ": " + m));
      notes.forEach(n -> log("  note: " + n));
      mismatches.forEach(TransactionErrorsDifferentialIT::log);
      if (!shardNames.isEmpty()) {
        log("Errors naming shards where PostgreSQL names the table:");
        shardNames.forEach(TransactionErrorsDifferentialIT::log);
      }
      List<String> all = new ArrayList<>(mismatches);
      if (!shardNames.isEmpty()) {
        all.add(shardNames.size() + " errors name a shard (table_102009) where PostgreSQL"
            + " names the table:\n" + String.join("\n", shardNames));
      }
      System.out.flush();
      assertEquals(List.of(), all, "\n" + String.join("\n\n", all)
          + (notes.isEmpty() ? "" : "\nnotes:\n" + String.join("\n", notes)));
    }
  }
}
