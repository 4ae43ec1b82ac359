package io.basalt.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigFilesTest {
  @Test
  void settingsFileHoldsBasaltSettingsThenExtraSettings() {
    PostgresConfig config = PostgresConfig.defaults(Path.of("/srv/pg/data"), 6432)
        .withFsync(false)
        .withExtraSettings(Map.of("work_mem", "64MB", "log_statement", "all"));

    assertEquals("""
        # Written by Basalt on every start: edits here are lost.
        # Change PostgresConfig, or use ALTER SYSTEM (postgresql.auto.conf wins).
        listen_addresses = '127.0.0.1'
        port = '6432'
        unix_socket_directories = '/srv/pg/data-run'
        max_connections = '200'
        max_prepared_transactions = '200'
        timezone = 'UTC'
        password_encryption = 'scram-sha-256'
        fsync = 'off'
        log_destination = 'stderr'
        logging_collector = 'off'
        log_statement = 'all'
        work_mem = '64MB'
        """, ConfigFiles.settingsFile(config));
  }

  @Test
  void valuesAreQuotedSafely() {
    assertEquals("'it''s'", ConfigFiles.quote("it's"));
    assertEquals("'C:\\\\x'", ConfigFiles.quote("C:\\x"));
  }

  @Test
  void hbaTrustsOnlyTheUnixSocket() {
    String hba = ConfigFiles.hbaFile();

    assertTrue(hba.lines().filter(line -> !line.startsWith("#"))
        .filter(line -> line.contains("trust")).allMatch(line -> line.startsWith("local")));
    assertTrue(hba.contains("127.0.0.1/32            scram-sha-256"));
    assertTrue(hba.contains("::1/128                 scram-sha-256"));
  }
}
