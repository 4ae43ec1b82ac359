package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Two keys of a distributed table, for tests with one node behind a {@link FaultProxy}: one whose
 * shard is on another node, one whose shard is on the proxied node.
 */
record SplitKeys(int local, int proxied) {
  /**
   * The first of keys 1 to 100 of {@code table} (column {@code k}) whose shard is not on the node
   * at {@code proxiedPort}, and the first whose shard is; fails unless there are both.
   */
  static SplitKeys find(Statement s, String table, int proxiedPort) throws SQLException {
    int local = 0;
    int proxied = 0;
    for (int k = 1; k <= 100 && (local == 0 || proxied == 0); k++) {
      try (ResultSet rs = s.executeQuery("SELECT current_setting('port') FROM " + table
          + " WHERE k = " + k)) {
        rs.next();
        if (rs.getInt(1) == proxiedPort) {
          proxied = proxied == 0 ? k : proxied;
        } else {
          local = local == 0 ? k : local;
        }
      }
    }
    assertNotEquals(0, local);
    assertNotEquals(0, proxied);
    return new SplitKeys(local, proxied);
  }
}
