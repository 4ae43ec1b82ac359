package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Sessions distributing tables at the same time agree on one co-location group, and DDL from
 * several sessions on one distributed table is serialised by the local table's lock: no
 * deadlock, every shard ends up with every change.
 */
class ConcurrentDistributionIT {
  private static final int SESSIONS = 4;

  @Test
  void concurrentCreatesShareOneGroupAndConcurrentDdlReachesEveryShard() throws Exception {
    TestBasalt.server();
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      for (int i = 0; i < SESSIONS; i++) {
        s.execute("CREATE TABLE conc_t" + i + " (k bigint, v text)");
        s.execute("INSERT INTO conc_t" + i + " SELECT g, 'v' FROM generate_series(1, 500) g");
      }
    }
    try (ExecutorService pool = Executors.newFixedThreadPool(SESSIONS)) {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < SESSIONS; i++) {
        int n = i;
        done.add(pool.submit(() -> {
          try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
            s.execute("SET citus.shard_count TO 6");
            s.execute("SELECT create_distributed_table('conc_t" + n + "', 'k')");
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
      try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
        assertEquals(1, value(s, "SELECT count(DISTINCT colocationid) FROM pg_dist_partition"
            + " WHERE logicalrelid::text LIKE 'conc\\_t%'"));
        assertEquals(SESSIONS * 6, value(s, "SELECT count(*) FROM pg_dist_shard"
            + " WHERE logicalrelid::text LIKE 'conc\\_t%'"));
        assertEquals(0, value(s, "SELECT sum(pg_relation_size(logicalrelid))"
            + " FROM pg_dist_partition WHERE logicalrelid::text LIKE 'conc\\_t%'"));
      }

      done.clear();
      for (int i = 0; i < SESSIONS; i++) {
        int n = i;
        done.add(pool.submit(() -> {
          try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE conc_t0 ADD COLUMN c" + n + " int");
            s.execute("CREATE INDEX conc_t0_c" + n + " ON conc_t0 (c" + n + ")");
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
    }
    long rows = 0;
    for (var w : TestBasalt.server().cluster().workers()) {
      rows += Long.parseLong(w.psqlOutput("postgres", "SELECT coalesce(sum((xpath('/row/c/text()',"
          + " query_to_xml(format('SELECT count(*) AS c FROM %I', relname), false, true, '')))[1]"
          + "::text::int), 0) FROM pg_class WHERE relname ~ '^conc_t[0-9]_[0-9]+$'"));
      // Each shard of conc_t0 has all four columns and indexes.
      assertEquals("", w.psqlOutput("postgres", "SELECT c.relname FROM pg_class c"
          + " WHERE c.relname ~ '^conc_t0_[0-9]+$' AND ((SELECT count(*) FROM pg_attribute a"
          + " WHERE a.attrelid = c.oid AND a.attname ~ '^c[0-9]$') <> " + SESSIONS
          + " OR (SELECT count(*) FROM pg_index i WHERE i.indrelid = c.oid) <> " + SESSIONS
          + ")"));
    }
    assertEquals(SESSIONS * 500, rows);
    try (Connection c = TestBasalt.connect(); Statement s = c.createStatement()) {
      for (int i = 0; i < SESSIONS; i++) {
        s.execute("DROP TABLE conc_t" + i);
      }
    }
  }

  private static long value(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
