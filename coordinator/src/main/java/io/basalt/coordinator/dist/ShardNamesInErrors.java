package io.basalt.coordinator.dist;

import io.basalt.error.BasaltException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An error a worker raised, told with the names the client knows: a shard's table, constraint
 * and index names carry the shard's id ("items_102008", "items_pkey_102008"), which the client
 * never created, and which ORMs match against their own constraint names. Any name ending in
 * {@code _<id>} of a shard of the cluster loses that suffix, in every field but the severity
 * and the SQLSTATE (message, detail, hint, context, table and constraint names). Citus leaves
 * them in; PostgreSQL holding the table would name the table's own.
 */
public final class ShardNamesInErrors {
  private static final Pattern SUFFIXED = Pattern.compile(
      "([A-Za-z0-9_$]+?)_([0-9]{1,19})(?![0-9A-Za-z_$])");

  private ShardNamesInErrors() {}

  /** The error with shard names replaced; {@code isShard} tells a shard id of the cluster. */
  public static BasaltException rewrite(BasaltException e, LongPredicate isShard) {
    Map<Character, String> fields = new LinkedHashMap<>();
    boolean changed = false;
    for (Map.Entry<Character, String> f : e.fields().entrySet()) {
      char code = f.getKey();
      String value = f.getValue();
      String v = code == 'S' || code == 'V' || code == 'C' || value == null ? value
          : names(value, isShard);
      changed |= v != value;
      fields.put(code, v);
    }
    return changed ? BasaltException.fromFields(fields, e) : e;
  }

  static String names(String text, LongPredicate isShard) {
    Matcher m = SUFFIXED.matcher(text);
    StringBuilder out = null;
    int last = 0;
    while (m.find()) {
      long id;
      try {
        id = Long.parseLong(m.group(2));
      } catch (NumberFormatException ex) {
        continue;
      }
      if (!isShard.test(id)) {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(text.length());
      }
      out.append(text, last, m.start()).append(m.group(1));
      last = m.end();
    }
    return out == null ? text : out.append(text, last, text.length()).toString();
  }
}
