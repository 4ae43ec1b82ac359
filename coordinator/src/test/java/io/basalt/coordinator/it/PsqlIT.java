package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real psql client through Basalt. */
class PsqlIT {
  private static final String PSQL = "/usr/bin/psql";

  @BeforeAll
  static void start() {
    Proc.requireExecutable(PSQL);
    TestBasalt.server();
  }

  private static Proc.Result psql(String stdin, boolean onErrorStop, String... args)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of(PSQL, "-X", "-v",
        "ON_ERROR_STOP=" + (onErrorStop ? "1" : "0")));
    cmd.addAll(List.of(args));
    return Proc.run(cmd, TestBasalt.libpqEnv(), null, stdin, Duration.ofSeconds(60));
  }

  private static Proc.Result ok(String stdin, String... args) throws Exception {
    Proc.Result r = psql(stdin, true, args);
    assertEquals(0, r.exit(), r.all());
    return r;
  }

  @Test
  void describeCommands() throws Exception {
    ok("DROP TABLE IF EXISTS psql_desc_t; CREATE TABLE psql_desc_t (id int PRIMARY KEY, v text);\n");
    Proc.Result d = ok("\\d\n");
    assertTrue(d.out().contains("psql_desc_t"), d.all());
    Proc.Result dt = ok("\\dt\n");
    assertTrue(dt.out().contains("psql_desc_t"), dt.all());
    assertTrue(dt.out().contains("table"), dt.all());
    Proc.Result dtt = ok("\\d psql_desc_t\n");
    assertTrue(dtt.out().contains("psql_desc_t_pkey"), dtt.all());
    assertTrue(dtt.out().contains("text"), dtt.all());
  }

  @Test
  void copyInAndOutRoundTrips() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "basalt-psql-");
    try {
      StringBuilder csv = new StringBuilder();
      for (int i = 1; i <= 500; i++) {
        csv.append(i).append(",\"name, ").append(i).append(" \"\"q\"\"\",")
            .append(i % 7 == 0 ? "" : Integer.toString(i * 3)).append('\n');
      }
      Path in = dir.resolve("file.csv");
      Path out = dir.resolve("out.csv");
      Files.writeString(in, csv.toString());
      ok("DROP TABLE IF EXISTS psql_copy_t; CREATE TABLE psql_copy_t (id int, name text, n int);\n"
          + "\\copy psql_copy_t from '" + in + "' csv\n"
          + "\\copy (SELECT * FROM psql_copy_t ORDER BY id) to '" + out + "' csv\n");
      assertEquals(Files.readString(in), Files.readString(out));
      Proc.Result count = ok(null, "-At", "-c", "SELECT count(*), count(n) FROM psql_copy_t");
      assertEquals("500|429", count.out().strip(), count.all());
      // And the plain table form of \copy to.
      Path out2 = dir.resolve("out2.csv");
      ok("\\copy psql_copy_t to '" + out2 + "' csv\n");
      assertEquals(Files.readAllLines(in).stream().sorted().toList(),
          Files.readAllLines(out2).stream().sorted().toList());
    } finally {
      try (var s = Files.walk(dir)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  @Test
  void timing() throws Exception {
    Proc.Result r = ok("\\timing on\nSELECT 42 AS answer;\n");
    assertTrue(r.out().contains("Time:"), r.all());
    assertTrue(r.out().contains("42"), r.all());
  }

  @Test
  void abortedTransactionThenRollback() throws Exception {
    ok("DROP TABLE IF EXISTS psql_tx_t; CREATE TABLE psql_tx_t (id int);\n");
    Proc.Result r = psql("""
        BEGIN;
        INSERT INTO psql_tx_t VALUES (1);
        SELECT 1/0;
        SELECT 'after';
        ROLLBACK;
        SELECT 'count=' || count(*) FROM psql_tx_t;
        """, false);
    assertEquals(0, r.exit(), r.all());
    assertTrue(r.err().contains("division by zero"), r.all());
    assertTrue(r.err().contains("current transaction is aborted"), r.all());
    assertTrue(r.out().contains("ROLLBACK"), r.all());
    assertTrue(r.out().contains("count=0"), r.all());
    // With ON_ERROR_STOP=1 the same script stops at the first error with exit 3.
    Proc.Result stop = psql("BEGIN;\nSELECT 1/0;\nSELECT 'never';\n", true);
    assertEquals(3, stop.exit(), stop.all());
    assertTrue(!stop.out().contains("never"), stop.all());
  }

  @Test
  void multiStatementCommand() throws Exception {
    Proc.Result r = ok(null, "-c", "select 1; select 2");
    // psql 15+ sends one simple query and shows every result of it (older psql: the last).
    assertTrue(r.out().contains("?column?"), r.all());
    assertTrue(r.out().contains("(1 row)"), r.all());
    Proc.Result at = ok(null, "-At", "-c", "select 1 as a; select 2 as b");
    assertEquals("1\n2", at.out().strip(), at.all());
    Proc.Result bad = psql(null, true, "-c", "select 1; select nosuchcolumn");
    assertNotEquals(0, bad.exit(), bad.all());
    assertTrue(bad.err().contains("nosuchcolumn"), bad.all());
  }
}
