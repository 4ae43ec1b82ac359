package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The short version of bench/tpcb.sh: pgbench's TPC-B-like script through Basalt on distributed
 * pgbench tables (scale 1, 8 clients, 5 s). Every transaction commits, and the books balance:
 * sum(abalance) = sum(bbalance) = sum(tbalance) = sum(delta), one history row per transaction.
 */
class TpcbIT {
  private static final String PGBENCH = "/usr/bin/pgbench";
  private static final Pattern PROCESSED =
      Pattern.compile("number of transactions actually processed: (\\d+)");

  @BeforeAll
  static void init() throws Exception {
    Proc.requireExecutable(PGBENCH);
    TestBasalt.server();
    Proc.Result r = Proc.run(List.of(PGBENCH, "-i", "-s", "1"), TestBasalt.libpqEnv(), null, null,
        Duration.ofSeconds(120));
    assertEquals(0, r.exit(), r.all());
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      s.execute("SELECT create_distributed_table('pgbench_accounts', 'aid')");
      s.execute("SELECT create_distributed_table('pgbench_history', 'aid',"
          + " colocate_with => 'pgbench_accounts')");
      s.execute("SELECT create_distributed_table('pgbench_tellers', 'tid')");
      s.execute("SELECT create_distributed_table('pgbench_branches', 'bid')");
    }
  }

  @AfterAll
  static void tearDown() throws SQLException {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS pgbench_accounts, pgbench_history, pgbench_tellers,"
          + " pgbench_branches");
    }
  }

  @Test
  void tpcbRunsWithoutFailuresAndTheBooksBalance() throws Exception {
    Proc.Result r = Proc.run(List.of(PGBENCH, "-n", "-c", "8", "-j", "2", "-T", "5"),
        TestBasalt.libpqEnv(), null, null, Duration.ofSeconds(120));
    assertEquals(0, r.exit(), r.all());
    assertTrue(r.out().contains("number of failed transactions: 0"), r.all());
    assertFalse(r.all().contains("error"), r.all());
    assertFalse(r.all().contains("aborted"), r.all());
    Matcher m = PROCESSED.matcher(r.out());
    assertTrue(m.find(), r.all());
    long transactions = Long.parseLong(m.group(1));
    assertTrue(transactions > 0, r.all());
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT (SELECT sum(abalance) FROM pgbench_accounts),"
            + " (SELECT sum(bbalance) FROM pgbench_branches),"
            + " (SELECT sum(tbalance) FROM pgbench_tellers),"
            + " (SELECT sum(delta) FROM pgbench_history),"
            + " (SELECT count(*) FROM pgbench_history)")) {
      rs.next();
      long accounts = rs.getLong(1);
      assertEquals(accounts, rs.getLong(2), "sum(bbalance)");
      assertEquals(accounts, rs.getLong(3), "sum(tbalance)");
      assertEquals(accounts, rs.getLong(4), "sum(delta)");
      assertEquals(transactions, rs.getLong(5), "history rows");
    }
  }
}
