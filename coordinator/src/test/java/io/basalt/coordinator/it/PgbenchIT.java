package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** pgbench through Basalt: initialisation, then select-only runs in simple and prepared modes. */
class PgbenchIT {
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
    assertTrue(r.err().contains("done"), r.all());
  }

  @AfterAll
  static void dropTables() throws Exception {
    try (java.sql.Connection c = TestBasalt.connect();
        java.sql.Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS pgbench_accounts, pgbench_branches, pgbench_tellers,"
          + " pgbench_history");
    }
  }

  private static void bench(String... extra) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(PGBENCH, "-S", "-T", "3", "-c", "4",
        "-j", "2"));
    cmd.addAll(List.of(extra));
    Proc.Result r = Proc.run(cmd, TestBasalt.libpqEnv(), null, null, Duration.ofSeconds(60));
    assertEquals(0, r.exit(), r.all());
    assertTrue(r.out().contains("number of failed transactions: 0"), r.all());
    assertTrue(r.out().contains("tps = "), r.all());
    Matcher m = PROCESSED.matcher(r.out());
    assertTrue(m.find(), r.all());
    assertTrue(Long.parseLong(m.group(1)) > 0, r.all());
  }

  @Test
  void selectOnlySimpleProtocol() throws Exception {
    bench();
  }

  @Test
  void selectOnlyPreparedProtocol() throws Exception {
    bench("-M", "prepared");
  }

  @Test
  void selectOnlyExtendedProtocol() throws Exception {
    bench("-M", "extended");
  }
}
