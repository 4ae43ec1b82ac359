package io.basalt.executor.backend;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a client asked for at startup, to be reproduced on its backend session: application_name,
 * the raw "options" string, and every other startup parameter as a setting (DateStyle, TimeZone,
 * extra_float_digits, search_path, ...).
 */
public record SessionOptions(String applicationName, String options,
    Map<String, String> settings) {
  public SessionOptions {
    Objects.requireNonNull(settings, "settings");
    settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
  }

  public static SessionOptions none() {
    return new SessionOptions(null, null, Map.of());
  }
}
