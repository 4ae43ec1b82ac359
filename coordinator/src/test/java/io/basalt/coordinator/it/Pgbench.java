package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The pgbench client run through Basalt, for the tests that drive it. */
final class Pgbench {
  private static final String PGBENCH = "/usr/bin/pgbench";
  private static final Pattern PROCESSED =
      Pattern.compile("number of transactions actually processed: (\\d+)");

  private Pgbench() {}

  /**
   * Creates pgbench's tables (scale 1) through Basalt; fails (never skips) without pgbench, or if
   * the initialisation does not exit 0.
   */
  static Proc.Result init() throws Exception {
    Proc.requireExecutable(PGBENCH);
    TestBasalt.server();
    Proc.Result r = Proc.run(List.of(PGBENCH, "-i", "-s", "1"), TestBasalt.libpqEnv(), null, null,
        Duration.ofSeconds(120));
    assertEquals(0, r.exit(), r.all());
    return r;
  }

  /** Runs pgbench with {@code args} through Basalt. */
  static Proc.Result run(List<String> args, Duration timeout) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(PGBENCH));
    cmd.addAll(args);
    return Proc.run(cmd, TestBasalt.libpqEnv(), null, null, timeout);
  }

  /**
   * The number of transactions a run processed, after checking it exited 0, with no failed
   * transaction and more than none processed.
   */
  static long processed(Proc.Result r) {
    assertEquals(0, r.exit(), r.all());
    assertTrue(r.out().contains("number of failed transactions: 0"), r.all());
    Matcher m = PROCESSED.matcher(r.out());
    assertTrue(m.find(), r.all());
    long transactions = Long.parseLong(m.group(1));
    assertTrue(transactions > 0, r.all());
    return transactions;
  }

  /** Drops the tables {@link #init} made. */
  static void dropTables() throws SQLException {
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS pgbench_accounts, pgbench_branches, pgbench_tellers,"
          + " pgbench_history");
    }
  }
}
