package io.basalt.metadata.catalog;

import java.util.Set;

/** PostgreSQL identifier quoting, as quote_ident does it. */
public final class Identifiers {
  /**
   * PostgreSQL 15's key words other than unreserved ones (pg_get_keywords() catcode R, T and C),
   * which quote_ident quotes even when they look like plain names.
   */
  private static final Set<String> KEYWORDS = Set.of(
      // reserved (R)
      "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both",
      "case", "cast", "check", "collate", "column", "constraint", "create", "current_catalog",
      "current_date", "current_role", "current_time", "current_timestamp", "current_user",
      "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "false",
      "fetch", "for", "foreign", "from", "grant", "group", "having", "in", "initially",
      "intersect", "into", "lateral", "leading", "limit", "localtime", "localtimestamp", "not",
      "null", "offset", "on", "only", "or", "order", "placing", "primary", "references",
      "returning", "select", "session_user", "some", "symmetric", "table", "then", "to",
      "trailing", "true", "union", "unique", "user", "using", "variadic", "when", "where",
      "window", "with",
      // reserved, can be a function or type name (T)
      "authorization", "binary", "collation", "concurrently", "cross", "current_schema",
      "freeze", "full", "ilike", "inner", "is", "isnull", "join", "left", "like", "natural",
      "notnull", "outer", "overlaps", "right", "similar", "tablesample", "verbose",
      // unreserved, cannot be a function or type name (C)
      "between", "bigint", "bit", "boolean", "char", "character", "coalesce", "dec", "decimal",
      "exists", "extract", "float", "greatest", "grouping", "inout", "int", "integer",
      "interval", "least", "national", "nchar", "none", "normalize", "nullif", "numeric", "out",
      "overlay", "position", "precision", "real", "row", "setof", "smallint", "substring",
      "time", "timestamp", "treat", "trim", "values", "varchar", "xmlattributes", "xmlconcat",
      "xmlelement", "xmlexists", "xmlforest", "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot",
      "xmlserialize", "xmltable");

  private Identifiers() {}

  public static String quote(String name) {
    if (isPlain(name) && !KEYWORDS.contains(name)) {
      return name;
    }
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  /**
   * The name an unquoted identifier stands for: PostgreSQL folds ASCII letters to lower case and
   * keeps every other character (downcase_identifier in a multibyte encoding such as UTF-8), so
   * Über names "Über", not "über".
   */
  public static String foldUnquoted(String word) {
    StringBuilder out = new StringBuilder(word.length());
    for (int i = 0; i < word.length(); i++) {
      char c = word.charAt(i);
      out.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
    }
    return out.toString();
  }

  /**
   * The name an identifier as written in SQL stands for: a quoted one without its quotes (and
   * with doubled quotes undone), an unquoted one folded by {@link #foldUnquoted}.
   */
  public static String nameOf(String written) {
    if (written.length() >= 2 && written.startsWith("\"") && written.endsWith("\"")) {
      return written.substring(1, written.length() - 1).replace("\"\"", "\"");
    }
    return foldUnquoted(written);
  }

  /** Lower-case ASCII letters, digits and underscores, not starting with a digit. */
  private static boolean isPlain(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
