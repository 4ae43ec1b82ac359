package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** psycopg2 (Debian's python3-psycopg2, on libpq) through Basalt. */
class Psycopg2IT {
  private static final String PYTHON = "/usr/bin/python3";

  private static final String SCRIPT = """
      import datetime, decimal, os, sys
      import psycopg2, psycopg2.errors, psycopg2.extras

      conn = psycopg2.connect(host="127.0.0.1", port=int(os.environ["BASALT_PORT"]),
                              user="postgres", password=os.environ["BASALT_PASSWORD"],
                              dbname="postgres", sslmode="disable", connect_timeout=10)
      cur = conn.cursor()

      # Parameters of many types, round-tripped.
      ts = datetime.datetime(2024, 2, 29, 13, 45, 7, 123456,
                             tzinfo=datetime.timezone(datetime.timedelta(hours=5, minutes=30)))
      params = (42, "it's a \\"quoted\\" 'str'; --", None, b"\\x00\\x01\\xffbin",
                decimal.Decimal("12345678901234567890.0123456789"), ts, [1, 2, 3])
      cur.execute("SELECT %s, %s, %s, %s, %s, %s, %s", params)
      row = cur.fetchone()
      assert row[0] == 42, row
      assert row[1] == params[1], row
      assert row[2] is None, row
      assert bytes(row[3]) == params[3], row
      assert row[4] == params[4], row
      assert row[5] == ts, (row[5], ts)
      assert row[6] == [1, 2, 3], row
      cur.execute("SELECT %(a)s::int + %(b)s::int AS s", {"a": 40, "b": 2})
      assert cur.fetchone()[0] == 42
      conn.commit()

      # executemany of 1000 rows, then count.
      cur.execute("DROP TABLE IF EXISTS py_many_t")
      cur.execute("CREATE TABLE py_many_t (id int PRIMARY KEY, name text, amount numeric)")
      cur.executemany("INSERT INTO py_many_t VALUES (%s, %s, %s)",
                      [(i, "name-%d" % i, decimal.Decimal(i) / 4) for i in range(1, 1001)])
      conn.commit()
      cur.execute("SELECT count(*), sum(id), sum(amount) FROM py_many_t")
      c, s, a = cur.fetchone()
      assert c == 1000 and s == 500500 and a == decimal.Decimal("125125"), (c, s, a)
      conn.commit()

      # Server-side (named) cursor: DECLARE + FETCH 500 at a time inside a transaction.
      named = conn.cursor(name="big_cursor")
      named.itersize = 500
      named.execute("SELECT g FROM generate_series(1, 10000) g")
      total = 0
      n = 0
      for (g,) in named:
          total += g
          n += 1
      named.close()
      assert n == 10000 and total == 50005000, (n, total)
      conn.commit()

      # A named cursor (DECLARE/FETCH in psycopg2's transaction) over a distributed table.
      cur.execute("SELECT create_distributed_table('py_many_t', 'id')")
      conn.commit()
      named = conn.cursor(name="dist_cursor")
      named.itersize = 300
      named.execute("SELECT id, amount FROM py_many_t WHERE id > %s ORDER BY id", (10,))
      ids = [i for (i, a) in named]
      named.close()
      assert ids == list(range(11, 1001)), ids[:5]
      conn.commit()

      # An error, then rollback; the connection is usable afterwards.
      try:
          cur.execute("SELECT 1/0")
          raise SystemExit("division by zero did not fail")
      except psycopg2.errors.DivisionByZero as e:
          assert e.pgcode == "22012", e.pgcode
      try:
          cur.execute("SELECT 1")
          raise SystemExit("aborted transaction accepted a statement")
      except psycopg2.errors.InFailedSqlTransaction as e:
          assert e.pgcode == "25P02", e.pgcode
      conn.rollback()
      cur.execute("SELECT 'alive'")
      assert cur.fetchone()[0] == "alive"
      conn.commit()

      # Autocommit mode and a unique violation.
      conn.autocommit = True
      try:
          cur.execute("INSERT INTO py_many_t VALUES (1, 'dup', 0)")
          raise SystemExit("duplicate accepted")
      except psycopg2.errors.UniqueViolation as e:
          assert e.pgcode == "23505", e.pgcode
      cur.execute("DROP TABLE py_many_t")
      conn.close()
      print("OK")
      """;

  @Test
  void psycopg2() throws Exception {
    Proc.requireExecutable(PYTHON);
    TestBasalt.server();
    Path script = Files.createTempFile(Path.of("/tmp"), "basalt-psycopg2-", ".py");
    try {
      Files.writeString(script, SCRIPT);
      Map<String, String> env = new HashMap<>();
      env.put("BASALT_PORT", Integer.toString(TestBasalt.port()));
      env.put("BASALT_PASSWORD", TestBasalt.password());
      // Debian's python3 with python3-psycopg2; keep pyenv and user site-packages out of it.
      env.put("PYTHONNOUSERSITE", "1");
      Proc.Result r = Proc.run(List.of(PYTHON, "-I", script.toString()), env, null, null,
          Duration.ofSeconds(120));
      assertTrue(!r.err().contains("No module named 'psycopg2'"),
          "psycopg2 is required (apt install python3-psycopg2)\n" + r.all());
      assertEquals(0, r.exit(), r.all());
      assertTrue(r.out().lines().anyMatch("OK"::equals), r.all());
    } finally {
      Files.deleteIfExists(script);
    }
  }
}
