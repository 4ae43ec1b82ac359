package io.basalt.agent.testing;

import io.basalt.agent.FreePorts;
import io.basalt.agent.PgBinaries;
import io.basalt.agent.PostgresConfig;
import io.basalt.agent.PostgresServer;
import io.basalt.agent.RunAs;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * A throw-away PostgreSQL server for a test: a fresh directory under /tmp, a free port, fsync
 * off, started by the product's {@link PostgresServer}. Closing it stops the server and deletes
 * the directory.
 *
 * <pre>{@code
 * try (TestPostgres pg = TestPostgres.start()) {
 *   pg.server().psqlOutput("postgres", "select 1");
 * }
 * }</pre>
 */
public final class TestPostgres implements AutoCloseable {
  private static volatile PgBinaries binaries;
  private static volatile RunAs runAs;

  private final Path directory;
  private final PostgresServer server;
  private String password;

  private TestPostgres(Path directory, PostgresServer server) {
    this.directory = directory;
    this.server = server;
  }

  public static TestPostgres start() {
    return start(UnaryOperator.identity());
  }

  /** Starts a server whose default test configuration is adjusted by {@code customize}. */
  public static TestPostgres start(UnaryOperator<PostgresConfig> customize) {
    Path directory = TestDirectories.create("pg");
    PostgresConfig config = customize.apply(
        PostgresConfig.defaults(directory.resolve("data"), FreePorts.find()).withFsync(false));
    PostgresServer server = new PostgresServer(binaries(), config, runAs());
    try {
      server.start();
    } catch (RuntimeException e) {
      server.close();
      TestDirectories.delete(directory);
      throw e;
    }
    return new TestPostgres(directory, server);
  }

  /** The binaries every test uses, discovered once per JVM. */
  public static PgBinaries binaries() {
    PgBinaries found = binaries;
    if (found == null) {
      found = PgBinaries.discover();
      binaries = found;
    }
    return found;
  }

  /** The OS user PostgreSQL runs as in this JVM, detected once. */
  public static RunAs runAs() {
    RunAs found = runAs;
    if (found == null) {
      found = RunAs.detect();
      runAs = found;
    }
    return found;
  }

  public PostgresServer server() {
    return server;
  }

  /** The JDBC URL of this server's database "postgres" over TCP on the loopback address. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + server.port() + "/postgres";
  }

  /**
   * User and password for a JDBC connection as the superuser. TCP connections authenticate with
   * SCRAM, so the superuser is given a random password (over the trusted socket) on first use.
   */
  public synchronized java.util.Properties jdbcLogin() {
    if (password == null) {
      password = "test-" + Long.toHexString(new java.security.SecureRandom().nextLong());
      server.psqlOutput("postgres", "ALTER ROLE " + server.config().superuser()
          + " PASSWORD '" + password + "'");
    }
    java.util.Properties p = new java.util.Properties();
    p.setProperty("user", server.config().superuser());
    p.setProperty("password", password);
    return p;
  }

  /** The scratch directory holding the data directory and socket directory. */
  public Path directory() {
    return directory;
  }

  @Override
  public void close() {
    try {
      server.close();
    } finally {
      TestDirectories.delete(directory);
    }
  }
}
