package io.basalt.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.basalt.agent.testing.TestDirectories;
import io.basalt.agent.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real PostgreSQL servers started, stopped and restarted through {@link PostgresServer}. */
class PostgresServerTest {
  private final List<PostgresServer> started = new ArrayList<>();
  private Path directory;

  @BeforeEach
  void createDirectory() {
    directory = TestDirectories.create("server");
  }

  @AfterEach
  void stopServersAndDelete() {
    started.forEach(PostgresServer::close);
    TestDirectories.delete(directory);
  }

  private PostgresServer server(String name, int port) {
    return server(PostgresConfig.defaults(directory.resolve(name), port).withFsync(false));
  }

  private PostgresServer server(PostgresConfig config) {
    PostgresServer server = new PostgresServer(TestPostgres.binaries(), config,
        TestPostgres.runAs());
    started.add(server);
    return server;
  }

  @Test
  void startsAHealthyServerWithBasaltSettings() throws Exception {
    PostgresServer server = server("data", FreePorts.find());
    assertFalse(server.isRunning());
    assertFalse(server.isHealthy());

    server.start();

    assertTrue(server.isRunning());
    assertTrue(server.isHealthy());
    assertTrue(Files.exists(server.socketFile()), "socket " + server.socketFile());
    assertEquals("1", server.psqlOutput("postgres", "select 1"));
    assertTrue(Integer.parseInt(server.psqlOutput("postgres", "show max_prepared_transactions"))
        > 0);
    assertEquals("127.0.0.1", server.psqlOutput("postgres", "show listen_addresses"));
    assertEquals(Integer.toString(server.port()), server.psqlOutput("postgres", "show port"));
    assertEquals("UTC", server.psqlOutput("postgres", "show timezone"));
    assertEquals("off", server.psqlOutput("postgres", "show fsync"));
    assertEquals("UTF8", server.psqlOutput("postgres", "show server_encoding"));
    assertEquals("rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(server.socketDir())));
    assertTrue(Files.size(server.logFile()) > 0, "server log is written");
  }

  @Test
  void stopIsIdempotentAndEndsHealth() {
    PostgresServer server = server("data", FreePorts.find());
    server.stop(); // never started: nothing to do
    server.start();
    server.stop();
    assertFalse(server.isRunning());
    assertFalse(server.isHealthy());
    server.stop();
    assertFalse(server.isRunning());
  }

  @Test
  void dataSurvivesARestartOnAnotherPort() {
    PostgresServer first = server("data", FreePorts.find());
    assertTrue(first.initIfNeeded());
    first.start();
    assertEquals(0, first.psql("postgres", """
        create table kept (id int primary key, name text);
        insert into kept select i, 'row ' || i from generate_series(1, 100) i;
        create database app;
        """));
    first.stop();

    // A new server object, as after a launcher restart, with a port change to pick up.
    PostgresServer second = server("data", FreePorts.find());
    assertFalse(second.initIfNeeded());
    second.start();

    assertEquals("100|row 100", second.psqlOutput("postgres",
        "select count(*), max(name collate \"C\") filter (where id = 100) from kept"));
    assertEquals("1", second.psqlOutput("app", "select 1"));
    assertEquals(Integer.toString(second.port()), second.psqlOutput("postgres", "show port"));
  }

  @Test
  void adoptsAServerLeftRunningByAnEarlierProcess() {
    int port = FreePorts.find();
    PostgresServer earlier = server("data", port);
    earlier.start();
    String startTime = earlier.psqlOutput("postgres", "select pg_postmaster_start_time()");

    PostgresServer later = server("data", port);
    assertTrue(later.isRunningAsConfigured());
    assertFalse(server("data", FreePorts.find()).isRunningAsConfigured(), "another port");
    later.start();

    assertEquals(startTime, later.psqlOutput("postgres", "select pg_postmaster_start_time()"));
    later.stop();
    assertFalse(earlier.isRunning());
  }

  @Test
  void restartsARunningServerWhosePortChanged() {
    PostgresServer earlier = server("data", FreePorts.find());
    earlier.start();

    PostgresServer later = server("data", FreePorts.find());
    later.start();

    assertTrue(later.isHealthy());
    assertFalse(earlier.isHealthy());
    assertEquals(Integer.toString(later.port()), later.psqlOutput("postgres", "show port"));
  }

  @Test
  void aSecondServerOnABusyPortFailsNamingThePort() {
    int port = FreePorts.find();
    server("first", port).start();
    PostgresServer second = server("second", port);

    AgentException error = assertThrows(AgentException.class, second::start);

    assertTrue(error.getMessage().contains("port " + port), error.getMessage());
    assertFalse(second.isRunning());
  }

  @Test
  void aDataDirectoryTheServerUserCannotReachIsRefusedBeforeInitdb() throws Exception {
    assumeTrue(RunAs.isRoot(), "only root runs PostgreSQL as another user");
    Path locked = Files.createDirectory(directory.resolve("locked"));
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
    PostgresServer server = server("locked/data", FreePorts.find());

    AgentException error = assertThrows(AgentException.class, server::start);

    assertTrue(error.getMessage().contains("cannot enter directory " + locked), error.getMessage());
    assertFalse(Files.exists(locked.resolve("data")));
  }

  @Test
  void aFailedStartReportsTheServerLog() {
    PostgresServer misconfigured = server(PostgresConfig.defaults(directory.resolve("data"),
        FreePorts.find()).withFsync(false).withExtraSettings(Map.of("shared_buffers", "plenty")));

    AgentException error = assertThrows(AgentException.class, misconfigured::start);

    assertTrue(error.getMessage().contains("did not start on port " + misconfigured.port()),
        error.getMessage());
    assertTrue(error.getMessage().contains("shared_buffers"), error.getMessage());
  }

  @Test
  void tcpConnectionsNeedAPassword() {
    PostgresServer server = server("data", FreePorts.find());
    server.start();

    ProcessResult withoutPassword = psqlOverTcp(server, Map.of());
    assertNotEquals(0, withoutPassword.exitCode());
    assertTrue(withoutPassword.stderr().contains("password"), withoutPassword.output());

    server.psqlOutput("postgres", "alter role postgres password 'secret-1'");
    assertNotEquals(0, psqlOverTcp(server, Map.of("PGPASSWORD", "wrong")).exitCode());
    ProcessResult withPassword = psqlOverTcp(server, Map.of("PGPASSWORD", "secret-1"));
    assertEquals(0, withPassword.exitCode(), withPassword.output());
    assertEquals("SCRAM-SHA-256", server.psqlOutput("postgres",
        "select left(rolpassword, 13) from pg_authid where rolname = 'postgres'"));
  }

  @Test
  void writesBasaltSettingsIntoTheDataDirectory() throws Exception {
    PostgresServer server = server("data", FreePorts.find());
    server.start();

    String hba = Files.readString(server.dataDir().resolve("pg_hba.conf"));
    assertTrue(hba.contains(
        "local   all             all                                     trust"));
    assertTrue(hba.contains("host    all             all             127.0.0.1/32            "
        + "scram-sha-256"));
    assertTrue(Files.readString(server.dataDir().resolve("postgresql.conf"))
        .contains("include_if_exists = 'basalt.conf'"));
    assertEquals(ConfigFiles.settingsFile(server.config()),
        Files.readString(server.dataDir().resolve("basalt.conf")));
  }

  private static ProcessResult psqlOverTcp(PostgresServer server, Map<String, String> env) {
    String psql = server.binaries().clientProgram("psql").orElseThrow().toString();
    List<String> command = List.of(psql, "-X", "-w", "-At", "-h", "127.0.0.1", "-p",
        Integer.toString(server.port()), "-U", "postgres", "-d", "postgres", "-c", "select 1");
    return ProcessRunner.run(server.runAs().wrap(command), env, "", ProcessRunner.DEFAULT_TIMEOUT);
  }
}
