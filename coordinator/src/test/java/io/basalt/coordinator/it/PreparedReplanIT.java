package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * A statement prepared with the extended protocol (a named server statement) answers from the
 * table as it is when it runs: after the table was undistributed (its rows back in the local
 * table) and after it was distributed again (new shards), as PostgreSQL's plan cache would.
 */
class PreparedReplanIT {
  @Test
  void aPreparedStatementFollowsItsTablesDistribution() throws SQLException {
    Properties named = new Properties();
    named.setProperty("prepareThreshold", "1");
    try (Connection c = TestBasalt.connect(named); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE replan_t (k int PRIMARY KEY, v text)");
      s.execute("INSERT INTO replan_t VALUES (1, 'one'), (2, 'two')");
      s.execute("SELECT create_distributed_table('replan_t', 'k', shard_count => 4)");
      try (PreparedStatement p = c.prepareStatement("SELECT v FROM replan_t WHERE k = ?")) {
        assertEquals("one", value(p, 1));
        assertEquals("two", value(p, 2));
        s.execute("SELECT undistribute_table('replan_t')");
        assertEquals("one", value(p, 1), "after undistribute_table");
        s.execute("UPDATE replan_t SET v = 'uno' WHERE k = 1");
        s.execute("SELECT create_distributed_table('replan_t', 'k', shard_count => 2)");
        assertEquals("uno", value(p, 1), "distributed again, on new shards");
        assertEquals("two", value(p, 2), "distributed again, on new shards");
      } finally {
        s.execute("DROP TABLE replan_t");
      }
    }
  }

  private static String value(PreparedStatement p, int k) throws SQLException {
    p.setInt(1, k);
    try (ResultSet rs = p.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    }
  }
}
