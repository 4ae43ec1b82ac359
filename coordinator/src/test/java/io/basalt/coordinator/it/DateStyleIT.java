package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.executor.backend.BackendConnection;
import io.basalt.executor.backend.BackendEndpoint;
import io.basalt.executor.backend.SessionOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A DateStyle pgjdbc would refuse (anything not ISO) works through Basalt as on PostgreSQL:
 * the same output, the true value in ParameterStatus, and the session stays up. Each client
 * script runs through Basalt and straight against the coordinator database (a plain
 * PostgreSQL), and the outputs must be identical.
 */
class DateStyleIT {
  private static final String PSQL = "/usr/bin/psql";
  private static final String PYTHON = "/usr/bin/python3";

  @BeforeAll
  static void start() {
    Proc.requireExecutable(PSQL);
    TestBasalt.server();
  }

  private static Map<String, String> env(boolean direct, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(TestBasalt.libpqEnv());
    if (direct) {
      env.put("PGPORT", Integer.toString(TestBasalt.server().cluster().coordinatorDb().port()));
    }
    env.putAll(extra);
    return env;
  }

  /** Runs the script with psql through Basalt and directly; returns Basalt's output. */
  private static String sameAsPostgres(String script, Map<String, String> extraEnv)
      throws Exception {
    List<String> cmd = List.of(PSQL, "-X", "-v", "ON_ERROR_STOP=1");
    Proc.Result basalt = Proc.run(cmd, env(false, extraEnv), null, script,
        Duration.ofSeconds(60));
    Proc.Result postgres = Proc.run(cmd, env(true, extraEnv), null, script,
        Duration.ofSeconds(60));
    assertEquals(0, postgres.exit(), postgres.all());
    assertEquals(0, basalt.exit(), basalt.all());
    assertEquals(postgres.out(), basalt.out(), "through Basalt vs PostgreSQL\n" + basalt.all());
    assertEquals(postgres.err(), basalt.err());
    return basalt.out();
  }

  @Test
  void setDateStyleKeepsTheSessionAndChangesTheOutput() throws Exception {
    String out = sameAsPostgres("""
        SET DateStyle = 'German';
        SELECT date '2024-03-05', timestamp '2024-03-05 13:14:15',
               timestamptz '2024-03-05 13:14:15+00' AT TIME ZONE 'UTC';
        SHOW DateStyle;
        SET datestyle TO postgres, mdy;
        SELECT date '2024-03-05', timestamp '2024-03-05 13:14:15';
        SHOW DateStyle;
        SET DateStyle = 'SQL, DMY';
        SELECT date '2024-03-05';
        SET DateStyle='ISO, MDY';
        SELECT date '2024-03-05';
        SET DateStyle = 'German';
        RESET DateStyle;
        SHOW DateStyle;
        BEGIN;
        SET LOCAL DateStyle = 'Postgres';
        SELECT date '2024-03-05';
        COMMIT;
        SELECT date '2024-03-05';
        SELECT 'still alive';
        """, Map.of());
    assertTrue(out.contains("05.03.2024"), out);
    assertTrue(out.contains("German, DMY"), out);
    assertTrue(out.contains("Tue Mar 05 13:14:15 2024"), out);
    assertTrue(out.contains("Postgres, MDY"), out);
    assertTrue(out.contains("05/03/2024"), out);
    assertTrue(out.contains("still alive"), out);
  }

  /** libpq's PGDATESTYLE, PGTZ and PGOPTIONS, and RESET ALL returning to them. */
  @Test
  void startupSettingsAreTheSessionsResetValues() throws Exception {
    String script = """
        SHOW DateStyle;
        SHOW TimeZone;
        SELECT timestamptz '2024-03-05 13:14:15+00', date '2024-03-05';
        SET DateStyle = 'ISO, YMD';
        SET TimeZone = 'UTC';
        RESET ALL;
        SHOW DateStyle;
        SHOW TimeZone;
        DISCARD ALL;
        SHOW DateStyle;
        """;
    String dateStyle = sameAsPostgres(script, Map.of("PGDATESTYLE", "SQL, DMY",
        "PGTZ", "America/New_York"));
    assertTrue(dateStyle.contains("SQL, DMY") && dateStyle.contains("America/New_York"),
        dateStyle);
    String options = sameAsPostgres(script,
        Map.of("PGOPTIONS", "-c datestyle=postgres -c TimeZone=Asia/Tokyo"));
    assertTrue(options.contains("Postgres, MDY") && options.contains("Asia/Tokyo"), options);
    // No settings: the server's defaults, not the coordinator JVM's zone.
    sameAsPostgres(script, Map.of());
  }

  @Test
  void clientReceivesTheTrueParameterStatus() throws Exception {
    Proc.requireExecutable(PYTHON);
    String script = """
        import os, psycopg2
        conn = psycopg2.connect(host="127.0.0.1", port=int(os.environ["PGPORT"]),
                                user="postgres", password=os.environ["PGPASSWORD"],
                                dbname="postgres", sslmode="disable", connect_timeout=10)
        conn.autocommit = True
        cur = conn.cursor()
        print(conn.get_parameter_status("DateStyle"))
        for style in ("German", "postgres, mdy", "SQL", "ISO, DMY"):
            cur.execute("SET DateStyle = %s", (style,))
            print(conn.get_parameter_status("DateStyle"))
            cur.execute("SELECT date '2024-03-05'::text")
            print(cur.fetchone()[0])
        cur.execute("SELECT 'alive'")
        print(cur.fetchone()[0])
        """;
    Path file = Files.createTempFile(Path.of("/tmp"), "basalt-datestyle-", ".py");
    try {
      Files.writeString(file, script);
      Map<String, String> py = Map.of("PYTHONNOUSERSITE", "1");
      List<String> cmd = List.of(PYTHON, "-I", file.toString());
      Proc.Result basalt = Proc.run(cmd, env(false, py), null, null, Duration.ofSeconds(60));
      Proc.Result postgres = Proc.run(cmd, env(true, py), null, null, Duration.ofSeconds(60));
      assertEquals(0, postgres.exit(), postgres.all());
      assertEquals(0, basalt.exit(), basalt.all());
      assertEquals("""
          ISO, MDY
          German, DMY
          05.03.2024
          Postgres, MDY
          03-05-2024
          SQL, MDY
          03/05/2024
          ISO, DMY
          2024-03-05
          alive
          """, basalt.out(), basalt.all());
      assertEquals(postgres.out(), basalt.out());
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** pgjdbc as the client refuses a non-ISO DateStyle, as against PostgreSQL, naming it. */
  @Test
  void pgjdbcClientIsToldTheTrueValue() throws Exception {
    for (boolean direct : new boolean[] {false, true}) {
      try (Connection c = direct ? TestBasalt.connectDirect(new java.util.Properties())
          : TestBasalt.connect(); Statement s = c.createStatement()) {
        SQLException e = assertThrows(SQLException.class,
            () -> s.execute("SET DateStyle = 'German'"));
        assertTrue(e.getMessage().contains("DateStyle parameter was changed to German, DMY"),
            e.getMessage());
        assertTrue(c.isClosed());
      }
    }
  }

  /** The executor's backend sessions over both kinds of endpoint. */
  @Test
  void backendConnectionOverUnixSocketAndTcp() {
    var cluster = TestBasalt.server().cluster();
    List<BackendEndpoint> endpoints = List.of(cluster.coordinatorEndpoint(),
        BackendEndpoint.tcp("127.0.0.1", cluster.coordinatorDb().port(), TestBasalt.password()));
    for (BackendEndpoint endpoint : endpoints) {
      SessionOptions options = new SessionOptions("datestyle-it", null,
          Map.of("DateStyle", "German", "TimeZone", "Asia/Tokyo"));
      try (BackendConnection b = BackendConnection.open(endpoint, "postgres", "postgres",
          options)) {
        String where = endpoint.describe();
        assertEquals("German, DMY", b.parameterStatuses().get("DateStyle"), where);
        assertEquals("Asia/Tokyo", b.parameterStatuses().get("TimeZone"), where);
        assertEquals("05.03.2024", single(b, "SELECT date '2024-03-05'"), where);
        single(b, "SET DateStyle = 'Postgres, MDY'");
        assertEquals("Postgres, MDY", b.parameterStatuses().get("DateStyle"), where);
        assertEquals("Tue Mar 05 2024", single(b, "SELECT to_char(date '2024-03-05', "
            + "'Dy Mon DD YYYY')"), where);
        assertEquals("03-05-2024", single(b, "SELECT date '2024-03-05'"), where);
        single(b, "RESET DateStyle");
        assertEquals("German, DMY", b.parameterStatuses().get("DateStyle"), where);
        single(b, "SET DateStyle = 'ISO'");
        assertEquals("ISO, DMY", b.parameterStatuses().get("DateStyle"), where);
        assertFalse(b.isClosed(), where);
      }
    }
  }

  private static String single(BackendConnection b, String sql) {
    BackendConnection.CollectingSink sink = new BackendConnection.CollectingSink();
    b.simpleQuery(sql, sink);
    sink.throwIfFailed();
    if (sink.rows().isEmpty()) {
      return null;
    }
    return new String(sink.rows().get(0)[0], StandardCharsets.UTF_8);
  }
}
