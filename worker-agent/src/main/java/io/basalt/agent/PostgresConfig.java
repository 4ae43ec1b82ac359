package io.basalt.agent;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * How one local PostgreSQL server is laid out and configured.
 *
 * @param dataDir the data directory (PGDATA); made absolute
 * @param port the TCP port, also part of the unix socket's name
 * @param socketDir the directory of the unix socket; private to the server's OS user (mode 0700),
 *     which is what makes {@code local ... trust} in pg_hba.conf safe
 * @param listenAddress {@code listen_addresses}; loopback by default
 * @param maxConnections {@code max_connections}
 * @param maxPreparedTransactions {@code max_prepared_transactions}; Basalt's two-phase commit needs
 *     it above zero
 * @param superuser the bootstrap superuser created by initdb
 * @param extraSettings further postgresql.conf settings, written after Basalt's own
 * @param fsync {@code fsync}; tests turn it off for speed, never production
 */
public record PostgresConfig(Path dataDir, int port, Path socketDir, String listenAddress,
    int maxConnections, int maxPreparedTransactions, String superuser,
    Map<String, String> extraSettings, boolean fsync) {

  public static final String DEFAULT_LISTEN_ADDRESS = "127.0.0.1";
  public static final int DEFAULT_MAX_CONNECTIONS = 200;
  public static final int DEFAULT_MAX_PREPARED_TRANSACTIONS = 200;
  public static final String DEFAULT_SUPERUSER = "postgres";
  /** sun_path holds 108 bytes including the terminating NUL. */
  public static final int MAX_SOCKET_PATH_BYTES = 107;

  /** Settings owned by the fields above; setting them again would make the fields lie. */
  private static final Set<String> RESERVED_SETTINGS = Set.of("port", "listen_addresses",
      "unix_socket_directories", "max_connections", "max_prepared_transactions", "fsync");
  private static final Pattern SETTING_NAME = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z0-9_]+)?");
  private static final Pattern ROLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");
  private static final String LONGEST_SOCKET_NAME = "/.s.PGSQL.65535";

  public PostgresConfig {
    dataDir = dataDir.toAbsolutePath().normalize();
    socketDir = socketDir.toAbsolutePath().normalize();
    Objects.requireNonNull(listenAddress, "listenAddress");
    Objects.requireNonNull(superuser, "superuser");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be in 1..65535: " + port);
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be positive: " + maxConnections);
    }
    if (maxPreparedTransactions < 1) {
      throw new IllegalArgumentException("maxPreparedTransactions must be positive, two-phase"
          + " commit needs prepared transactions: " + maxPreparedTransactions);
    }
    if (!ROLE_NAME.matcher(superuser).matches()) {
      throw new IllegalArgumentException("superuser must be a plain role name: " + superuser);
    }
    if (socketPathBytes(socketDir) > MAX_SOCKET_PATH_BYTES) {
      throw new IllegalArgumentException("unix socket path " + socketDir + LONGEST_SOCKET_NAME
          + " is longer than " + MAX_SOCKET_PATH_BYTES + " bytes; choose a shorter socketDir");
    }
    extraSettings = checkedSettings(extraSettings);
  }

  /**
   * The Basalt defaults: loopback only, 200 connections and prepared transactions, fsync on, and
   * the socket next to the data directory in {@code <dataDir>-run}.
   */
  public static PostgresConfig defaults(Path dataDir, int port) {
    return new PostgresConfig(dataDir, port, defaultSocketDir(dataDir), DEFAULT_LISTEN_ADDRESS,
        DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_PREPARED_TRANSACTIONS, DEFAULT_SUPERUSER, Map.of(),
        true);
  }

  /**
   * {@code <dataDir>-run}, or {@code /tmp/basalt-<hash of dataDir>} when that would make the
   * socket path too long for a unix socket (deep test or home directories).
   */
  public static Path defaultSocketDir(Path dataDir) {
    Path absolute = dataDir.toAbsolutePath().normalize();
    Path sibling = absolute.resolveSibling(absolute.getFileName() + "-run");
    if (socketPathBytes(sibling) <= MAX_SOCKET_PATH_BYTES) {
      return sibling;
    }
    return Path.of("/tmp", "basalt-" + shortHash(absolute.toString()));
  }

  /** The unix socket file the server creates: {@code <socketDir>/.s.PGSQL.<port>}. */
  public Path socketFile() {
    return socketDir.resolve(".s.PGSQL." + port);
  }

  public PostgresConfig withPort(int newPort) {
    return new PostgresConfig(dataDir, newPort, socketDir, listenAddress, maxConnections,
        maxPreparedTransactions, superuser, extraSettings, fsync);
  }

  public PostgresConfig withSocketDir(Path newSocketDir) {
    return new PostgresConfig(dataDir, port, newSocketDir, listenAddress, maxConnections,
        maxPreparedTransactions, superuser, extraSettings, fsync);
  }

  public PostgresConfig withListenAddress(String newListenAddress) {
    return new PostgresConfig(dataDir, port, socketDir, newListenAddress, maxConnections,
        maxPreparedTransactions, superuser, extraSettings, fsync);
  }

  public PostgresConfig withMaxConnections(int newMaxConnections) {
    return new PostgresConfig(dataDir, port, socketDir, listenAddress, newMaxConnections,
        maxPreparedTransactions, superuser, extraSettings, fsync);
  }

  public PostgresConfig withMaxPreparedTransactions(int newMaxPreparedTransactions) {
    return new PostgresConfig(dataDir, port, socketDir, listenAddress, maxConnections,
        newMaxPreparedTransactions, superuser, extraSettings, fsync);
  }

  public PostgresConfig withSuperuser(String newSuperuser) {
    return new PostgresConfig(dataDir, port, socketDir, listenAddress, maxConnections,
        maxPreparedTransactions, newSuperuser, extraSettings, fsync);
  }

  public PostgresConfig withExtraSettings(Map<String, String> newExtraSettings) {
    return new PostgresConfig(dataDir, port, socketDir, listenAddress, maxConnections,
        maxPreparedTransactions, superuser, newExtraSettings, fsync);
  }

  public PostgresConfig withFsync(boolean newFsync) {
    return new PostgresConfig(dataDir, port, socketDir, listenAddress, maxConnections,
        maxPreparedTransactions, superuser, extraSettings, newFsync);
  }

  private static Map<String, String> checkedSettings(Map<String, String> settings) {
    Map<String, String> sorted = new TreeMap<>();
    settings.forEach((name, value) -> {
      Objects.requireNonNull(value, () -> "value of setting " + name);
      String key = name.toLowerCase(java.util.Locale.ROOT);
      if (!SETTING_NAME.matcher(key).matches()) {
        throw new IllegalArgumentException("not a PostgreSQL setting name: " + name);
      }
      if (RESERVED_SETTINGS.contains(key)) {
        throw new IllegalArgumentException(name + " is set through its own PostgresConfig field,"
            + " not extraSettings");
      }
      sorted.put(key, value);
    });
    return Collections.unmodifiableMap(sorted);
  }

  private static int socketPathBytes(Path socketDir) {
    return (socketDir + LONGEST_SOCKET_NAME).getBytes(StandardCharsets.UTF_8).length;
  }

  private static String shortHash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
