package io.basalt.executor.backend;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The named statements one connection keeps prepared on its server, by SQL text and parameter
 * types, so that a statement sent again is only bound and executed: the server parses and plans
 * it once instead of every time. At most {@code capacity} are kept; the least recently used one
 * is closed when another comes (pgjdbc sends the Close with the connection's next message).
 *
 * <p>The server-side names are pgjdbc's, which prepares a statement again by itself after DISCARD
 * ALL or DEALLOCATE ALL on the connection, a CREATE, ALTER or DROP command tag, a search_path
 * change, or an error that says a statement is gone or stale. They all go with the connection
 * when it closes. Not thread-safe: the connection's one user calls it.
 */
final class KeptStatements {
  private record Key(String sql, int[] types) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && sql.equals(k.sql) && Arrays.equals(types, k.types);
    }

    @Override
    public int hashCode() {
      return sql.hashCode() * 31 + Arrays.hashCode(types);
    }

    @Override
    public String toString() {
      return sql + " " + Arrays.toString(types);
    }
  }

  private final int capacity;
  private final Map<Key, BackendStatement> statements = new LinkedHashMap<>(16, 0.75f, true);

  KeptStatements(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.capacity = capacity;
  }

  /**
   * The kept statement for this text and these types (all parameters, declared or not), or the
   * one {@code prepare} makes, which is then kept.
   */
  BackendStatement get(String sql, int[] types, Supplier<BackendStatement> prepare) {
    Key key = new Key(sql, types);
    BackendStatement st = statements.get(key);
    if (st != null) {
      return st;
    }
    st = prepare.get();
    statements.put(key, st);
    if (statements.size() > capacity) {
      Iterator<BackendStatement> eldest = statements.values().iterator();
      eldest.next().query().close();
      eldest.remove();
    }
    return st;
  }

  /** Closes and forgets a kept statement (it failed as stale); a no-op for any other. */
  void drop(BackendStatement st) {
    Key key = new Key(st.sql(), st.declaredTypes());
    if (statements.get(key) == st) {
      statements.remove(key);
      st.query().close();
    }
  }

  /** Closes and forgets every kept statement. */
  void clear() {
    for (BackendStatement st : statements.values()) {
      st.query().close();
    }
    statements.clear();
  }

  int size() {
    return statements.size();
  }
}
