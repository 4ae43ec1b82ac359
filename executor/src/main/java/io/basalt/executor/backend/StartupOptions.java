package io.basalt.executor.backend;

import java.util.Map;
import java.util.Set;

/**
 * Builds the startup "options" string that reproduces a client's startup parameters on its
 * backend session. Settings given this way become the session's reset values, exactly as when a
 * client sends them to PostgreSQL directly. That includes DateStyle and TimeZone: pgjdbc's own
 * values for them, which would win, are taken out of its startup packet
 * ({@link StartupPacketFilter}).
 */
final class StartupOptions {
  /** Handled elsewhere: identity, or owned by the coordinator. */
  private static final Set<String> NOT_SETTINGS = Set.of("user", "database", "options",
      "application_name", "client_encoding", "replication");

  private StartupOptions() {}

  static String combine(String clientOptions, Map<String, String> settings) {
    StringBuilder sb = new StringBuilder();
    if (clientOptions != null && !clientOptions.isBlank()) {
      sb.append(clientOptions.trim());
    }
    settings.forEach((name, value) -> {
      if (NOT_SETTINGS.contains(name) || name.startsWith("_pq_.")) {
        return;
      }
      if (!sb.isEmpty()) {
        sb.append(' ');
      }
      sb.append("-c ").append(escape(name)).append('=').append(escape(value));
    });
    return sb.toString();
  }

  /** PostgreSQL splits options on unescaped white space; backslash escapes. */
  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      if (c == '\\' || Character.isWhitespace(c)) {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }
}
