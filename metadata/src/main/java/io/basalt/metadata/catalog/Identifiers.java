package io.basalt.metadata.catalog;

import java.util.Locale;
import java.util.Set;

/** PostgreSQL identifier quoting, as quote_ident does it. */
public final class Identifiers {
  // Reserved words that quote_ident quotes even when they look like plain names. Only the
  // fully reserved ones matter for table, index and column names we generate.
  private static final Set<String> RESERVED = Set.of("all", "analyse", "analyze", "and", "any",
      "array", "as", "asc", "asymmetric", "both", "case", "cast", "check", "collate", "column",
      "constraint", "create", "current_catalog", "current_date", "current_role", "current_time",
      "current_timestamp", "current_user", "default", "deferrable", "desc", "distinct", "do",
      "else", "end", "except", "false", "fetch", "for", "foreign", "from", "grant", "group",
      "having", "in", "initially", "intersect", "into", "lateral", "leading", "limit",
      "localtime", "localtimestamp", "not", "null", "offset", "on", "only", "or", "order",
      "placing", "primary", "references", "returning", "select", "session_user", "some",
      "symmetric", "table", "then", "to", "trailing", "true", "union", "unique", "user", "using",
      "variadic", "when", "where", "window", "with", "authorization", "binary", "collation",
      "concurrently", "cross", "current_schema", "freeze", "full", "ilike", "inner", "is",
      "isnull", "join", "left", "like", "natural", "notnull", "outer", "overlaps", "right",
      "similar", "tablesample", "verbose");

  private Identifiers() {}

  public static String quote(String name) {
    if (isPlain(name) && !RESERVED.contains(name)) {
      return name;
    }
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  private static boolean isPlain(String name) {
    if (name.isEmpty() || !(Character.isLowerCase(name.charAt(0)) && name.charAt(0) < 128
        || name.charAt(0) == '_')) {
      return false;
    }
    for (int i = 1; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
      if (!ok) {
        return false;
      }
    }
    return name.equals(name.toLowerCase(Locale.ROOT));
  }
}
