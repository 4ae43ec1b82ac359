package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Once a table is distributed its local table holds no rows: a write that reaches it without
 * the coordinator (here: straight to the coordinator database) fails instead of being lost, and
 * undistribute_table makes it an ordinary table again.
 */
class ShellGuardIT {
  @Test
  void writesToTheLocalTableOfADistributedTableFail() throws Exception {
    TestBasalt.server();
    try (Connection basalt = TestBasalt.connect();
        Statement b = basalt.createStatement();
        Connection direct = TestBasalt.connectDirect(new Properties());
        Statement d = direct.createStatement()) {
      b.execute("CREATE TABLE shell_guard_t (k int, v text)");
      b.execute("INSERT INTO shell_guard_t VALUES (1, 'one'), (2, 'two')");
      b.execute("SELECT create_distributed_table('shell_guard_t', 'k', shard_count => 2)");
      try {
        SQLException e = assertThrows(SQLException.class,
            () -> d.execute("INSERT INTO shell_guard_t VALUES (3, 'three')"));
        assertEquals("0A000", e.getSQLState());
        assertTrue(e.getMessage().contains(
            "cannot write to the local table of distributed table public.shell_guard_t"),
            e.getMessage());
        assertThrows(SQLException.class, () -> d.execute("UPDATE shell_guard_t SET v = 'x'"));
        assertThrows(SQLException.class, () -> d.execute("DELETE FROM shell_guard_t"));
        assertEquals(0, count(d, "SELECT count(*) FROM shell_guard_t"));

        b.execute("SELECT undistribute_table('shell_guard_t')");
        assertEquals(2, count(b, "SELECT count(*) FROM shell_guard_t"));
        d.execute("INSERT INTO shell_guard_t VALUES (3, 'three')");
        assertEquals(3, count(b, "SELECT count(*) FROM shell_guard_t"));
      } finally {
        b.execute("DROP TABLE shell_guard_t");
      }
    }
  }

  private static long count(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
