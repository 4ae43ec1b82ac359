package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The short version of bench/tpcb.sh: pgbench's TPC-B-like script through Basalt on distributed
 * pgbench tables (scale 1, 8 clients, 5 s). Every transaction commits, and the books balance:
 * sum(abalance) = sum(bbalance) = sum(tbalance) = sum(delta), one history row per transaction.
 */
class TpcbIT {
  @BeforeAll
  static void init() throws Exception {
    Pgbench.init();
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
    Pgbench.dropTables();
  }

  @Test
  void tpcbRunsWithoutFailuresAndTheBooksBalance() throws Exception {
    Proc.Result r = Pgbench.run(List.of("-n", "-c", "8", "-j", "2", "-T", "5"),
        Duration.ofSeconds(120));
    long transactions = Pgbench.processed(r);
    assertFalse(r.all().contains("error"), r.all());
    assertFalse(r.all().contains("aborted"), r.all());
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
