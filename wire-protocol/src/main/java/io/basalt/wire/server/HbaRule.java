package io.basalt.wire.server;

import io.basalt.wire.auth.AuthMethod;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Set;

/**
 * One pg_hba rule: {@code TYPE DATABASE USER ADDRESS METHOD}. The first rule whose type, database,
 * user and address all match a connection decides its authentication method.
 *
 * @param line the line of the source text, for messages
 */
public record HbaRule(ConnectionType type, Names databases, Names users, IpRange address,
    AuthMethod method, int line) {

  public HbaRule {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(databases, "databases");
    Objects.requireNonNull(users, "users");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(method, "method");
  }

  /** The TYPE column, without "local": Basalt listens on TCP only. */
  public enum ConnectionType {
    /** TCP with or without TLS. */
    HOST,
    HOSTSSL,
    HOSTNOSSL;

    boolean matches(boolean ssl) {
      return switch (this) {
        case HOST -> true;
        case HOSTSSL -> ssl;
        case HOSTNOSSL -> !ssl;
      };
    }
  }

  /**
   * A DATABASE or USER column: "all", a list of names, and for databases "sameuser" (the database
   * named like the user).
   */
  public record Names(boolean all, boolean sameUser, Set<String> names) {
    public static final Names ALL = new Names(true, false, Set.of());

    public Names {
      names = Set.copyOf(names);
    }

    boolean matches(String name, String user) {
      return all || (sameUser && name.equals(user)) || names.contains(name);
    }
  }

  public boolean matches(boolean ssl, String database, String user, InetAddress client) {
    return type.matches(ssl) && databases.matches(database, user) && users.matches(user, user)
        && address.contains(client);
  }
}
