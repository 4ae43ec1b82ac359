package io.basalt.wire.server;

import io.basalt.wire.auth.AuthMethod;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Ordered client authentication rules in pg_hba.conf syntax:
 *
 * <pre>
 * # TYPE     DATABASE   USER        ADDRESS          METHOD
 * hostssl    all        all         0.0.0.0/0        scram-sha-256
 * host       app,sales  alice,bob   10.0.0.0/8       md5
 * host       all        all         192.168.1.0 255.255.255.0  reject
 * </pre>
 *
 * <p>Supported: types host, hostssl, hostnossl; "all", "sameuser", comma lists and double-quoted
 * names (quoting turns a keyword into a name); CIDR or address-plus-mask or "all"; methods trust,
 * reject, password, md5, scram-sha-256. Everything else (local, host names, +groups, @files,
 * options) is refused at parse time rather than silently ignored.
 */
public record HbaConfig(List<HbaRule> rules) {

  public HbaConfig {
    rules = List.copyOf(rules);
  }

  /** The first rule that matches, or empty (PostgreSQL's "no pg_hba.conf entry"). */
  public Optional<HbaRule> match(boolean ssl, String database, String user, InetAddress client) {
    return rules.stream().filter(r -> r.matches(ssl, database, user, client)).findFirst();
  }

  /** The embedded default's rules: local TCP connections only, with SCRAM passwords. */
  public static final String LOOPBACK_SCRAM_RULES = """
      host  all  all  127.0.0.1/32  scram-sha-256
      host  all  all  ::1/128       scram-sha-256
      """;

  public static HbaConfig loopbackScram() {
    return parse(LOOPBACK_SCRAM_RULES);
  }

  public static HbaConfig load(Path file) throws IOException {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** Parses pg_hba text; a mistake fails with the line number, never a partial rule set. */
  public static HbaConfig parse(String text) {
    List<HbaRule> rules = new ArrayList<>();
    String[] lines = text.split("\\R", -1);
    for (int i = 0; i < lines.length; i++) {
      int lineNumber = i + 1;
      try {
        List<List<Token>> fields = tokenize(lines[i]);
        if (!fields.isEmpty()) {
          rules.add(rule(fields, lineNumber));
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("line " + lineNumber + ": " + e.getMessage(), e);
      }
    }
    return new HbaConfig(rules);
  }

  private static HbaRule rule(List<List<Token>> fields, int line) {
    String typeText = single(fields, 0, "connection type");
    HbaRule.ConnectionType type = switch (typeText) {
      case "host" -> HbaRule.ConnectionType.HOST;
      case "hostssl" -> HbaRule.ConnectionType.HOSTSSL;
      case "hostnossl" -> HbaRule.ConnectionType.HOSTNOSSL;
      case "local" -> throw new IllegalArgumentException(
          "connection type \"local\" is not supported: Basalt listens on TCP only");
      default -> throw new IllegalArgumentException("invalid connection type \"" + typeText + "\"");
    };
    HbaRule.Names databases = names(field(fields, 1, "database"), true);
    HbaRule.Names users = names(field(fields, 2, "role"), false);
    String addressText = single(fields, 3, "IP address");
    int next = 4;
    IpRange address;
    if (addressText.equals("all")) {
      address = IpRange.ALL;
    } else if (addressText.contains("/")) {
      address = IpRange.parseCidr(addressText);
    } else {
      address = IpRange.parseWithMask(addressText, single(fields, 4, "netmask"));
      next = 5;
    }
    String methodText = single(fields, next, "authentication method");
    AuthMethod method = AuthMethod.fromKeyword(methodText).orElseThrow(() ->
        new IllegalArgumentException("invalid authentication method \"" + methodText + "\""));
    if (fields.size() > next + 1) {
      throw new IllegalArgumentException("authentication option \""
          + fields.get(next + 1).get(0).text() + "\" is not supported");
    }
    return new HbaRule(type, databases, users, address, method, line);
  }

  private static HbaRule.Names names(List<Token> items, boolean database) {
    boolean all = false;
    boolean sameUser = false;
    Set<String> names = new HashSet<>();
    for (Token t : items) {
      if (t.is("all")) {
        all = true;
      } else if (database && t.is("sameuser")) {
        sameUser = true;
      } else if (!t.quoted() && (t.text().startsWith("+") || t.text().startsWith("@")
          || (database && (t.is("samerole") || t.is("samegroup") || t.is("replication"))))) {
        throw new IllegalArgumentException("\"" + t.text() + "\" is not supported");
      } else if (t.text().isEmpty()) {
        throw new IllegalArgumentException("empty name in list");
      } else {
        names.add(t.text());
      }
    }
    return all ? HbaRule.Names.ALL : new HbaRule.Names(false, sameUser, names);
  }

  private static List<Token> field(List<List<Token>> fields, int index, String what) {
    if (index >= fields.size()) {
      throw new IllegalArgumentException("end-of-line before " + what + " specification");
    }
    return fields.get(index);
  }

  private static String single(List<List<Token>> fields, int index, String what) {
    List<Token> field = field(fields, index, what);
    if (field.size() != 1) {
      throw new IllegalArgumentException("multiple values specified for " + what);
    }
    return field.get(0).text().toLowerCase(Locale.ROOT);
  }

  private record Token(String text, boolean quoted) {
    boolean is(String keyword) {
      return !quoted && text.equals(keyword);
    }
  }

  /** Splits a line into whitespace-separated fields of comma-separated, maybe quoted, tokens. */
  private static List<List<Token>> tokenize(String line) {
    List<List<Token>> fields = new ArrayList<>();
    List<Token> field = new ArrayList<>();
    StringBuilder token = new StringBuilder();
    boolean quoted = false;
    boolean inQuotes = false;
    boolean pending = false;
    boolean afterComma = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (!inQuotes && !Character.isWhitespace(c)) {
        afterComma = false;
      }
      if (inQuotes) {
        if (c == '"') {
          inQuotes = false;
        } else {
          token.append(c);
        }
      } else if (c == '"') {
        inQuotes = true;
        quoted = true;
        pending = true;
      } else if (c == '#') {
        break;
      } else if (c == ',') {
        field.add(new Token(token.toString(), quoted));
        token.setLength(0);
        quoted = false;
        pending = true;
        afterComma = true;
        continue;
      } else if (Character.isWhitespace(c)) {
        // "a, b" continues the list, as in PostgreSQL
        if (pending && !afterComma) {
          field.add(new Token(token.toString(), quoted));
          fields.add(field);
          field = new ArrayList<>();
          token.setLength(0);
          quoted = false;
          pending = false;
        }
      } else {
        token.append(c);
        pending = true;
      }
    }
    if (inQuotes) {
      throw new IllegalArgumentException("unterminated quoted string");
    }
    if (pending) {
      field.add(new Token(token.toString(), quoted));
      fields.add(field);
    }
    return fields;
  }
}
