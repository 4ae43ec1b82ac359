package io.basalt.agent;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The text of the configuration files Basalt writes into a data directory. Pure functions, so
 * what a server is configured with can be tested without starting one.
 */
final class ConfigFiles {
  /** Basalt's settings file, included from postgresql.conf and rewritten on every start. */
  static final String SETTINGS_FILE = "basalt.conf";
  static final String INCLUDE_LINE = "include_if_exists = '" + SETTINGS_FILE + "'";

  private ConfigFiles() {}

  /** The settings a server runs with, Basalt's own first and then the extra settings. */
  static Map<String, String> settings(PostgresConfig config) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("listen_addresses", config.listenAddress());
    settings.put("port", Integer.toString(config.port()));
    settings.put("unix_socket_directories", config.socketDir().toString());
    settings.put("max_connections", Integer.toString(config.maxConnections()));
    settings.put("max_prepared_transactions", Integer.toString(config.maxPreparedTransactions()));
    settings.put("timezone", "UTC");
    settings.put("password_encryption", "scram-sha-256");
    settings.put("fsync", config.fsync() ? "on" : "off");
    // pg_ctl -l sends stderr to server.log inside the data directory.
    settings.put("log_destination", "stderr");
    settings.put("logging_collector", "off");
    settings.putAll(config.extraSettings());
    return settings;
  }

  static String settingsFile(PostgresConfig config) {
    StringBuilder text = new StringBuilder()
        .append("# Written by Basalt on every start: edits here are lost.\n")
        .append("# Change PostgresConfig, or use ALTER SYSTEM (postgresql.auto.conf wins).\n");
    settings(config).forEach((name, value) ->
        text.append(name).append(" = ").append(quote(value)).append('\n'));
    return text.toString();
  }

  /**
   * Local connections are trusted because the socket directory is private to the server's OS
   * user; TCP connections always need a password.
   */
  static String hbaFile() {
    return """
        # Written by Basalt when the data directory was created.
        # The unix socket directory is private (mode 0700) to the server's OS user, so only that
        # user and root can reach the socket; everything over TCP needs a password.
        # TYPE  DATABASE        USER            ADDRESS                 METHOD
        local   all             all                                     trust
        host    all             all             127.0.0.1/32            scram-sha-256
        host    all             all             ::1/128                 scram-sha-256
        local   replication     all                                     trust
        host    replication     all             127.0.0.1/32            scram-sha-256
        host    replication     all             ::1/128                 scram-sha-256
        """;
  }

  /** A postgresql.conf string literal: quotes doubled, backslashes escaped. */
  static String quote(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
  }
}
