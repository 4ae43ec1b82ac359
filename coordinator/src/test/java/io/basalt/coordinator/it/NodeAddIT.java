package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.agent.testing.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * citus_add_node with a third PostgreSQL server: reference tables get a placement there with
 * their rows, new tables place shards on it, and it can be removed once it holds no shard.
 */
class NodeAddIT {
  @Test
  void addedNodeGetsReferenceTablesAndShards() throws Exception {
    TestBasalt.server();
    try (TestPostgres extra = TestPostgres.start();
        Connection c = TestBasalt.connect();
        Statement s = c.createStatement()) {
      // The coordinator reaches nodes it did not start with the superuser's password.
      extra.server().psql("postgres", "ALTER ROLE postgres PASSWORD '"
          + TestBasalt.password().replace("'", "''") + "'");
      int port = extra.server().port();
      s.execute("CREATE TABLE nodeadd_ref (code text PRIMARY KEY, name text)");
      s.execute("INSERT INTO nodeadd_ref VALUES ('a', 'A'), ('b', 'B')");
      s.execute("SELECT create_reference_table('nodeadd_ref')");
      long shard = longValue(s, "SELECT shardid FROM pg_dist_shard"
          + " WHERE logicalrelid = 'nodeadd_ref'::regclass");
      try {
        int nodeId = (int) longValue(s, "SELECT citus_add_node('127.0.0.1', " + port + ")");
        assertEquals(nodeId, longValue(s, "SELECT nodeid FROM pg_dist_node WHERE nodeport = "
            + port));
        assertEquals(3, longValue(s, "SELECT count(*) FROM pg_dist_placement WHERE shardid = "
            + shard));
        assertEquals("a|A\nb|B", extra.server().psqlOutput("postgres",
            "SELECT * FROM nodeadd_ref_" + shard + " ORDER BY code"));

        s.execute("SET citus.shard_count TO 3");
        s.execute("CREATE TABLE nodeadd_dist (k int, code text REFERENCES nodeadd_ref (code))");
        s.execute("SELECT create_distributed_table('nodeadd_dist', 'k')");
        assertEquals(1, longValue(s, "SELECT count(*) FROM citus_shards WHERE table_name ="
            + " 'nodeadd_dist'::regclass AND nodeport = " + port));
        assertEquals("1", extra.server().psqlOutput("postgres", "SELECT count(*) FROM pg_class"
            + " WHERE relname LIKE 'nodeadd\\_dist\\_%' AND relkind = 'r'"));

        SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
            () -> s.execute("SELECT citus_remove_node('127.0.0.1', " + port + ")"));
        assertTrue(refused.getMessage().contains("contains the only shard placement"),
            refused.getMessage());
        s.execute("DROP TABLE nodeadd_dist");
        assertEquals("0", extra.server().psqlOutput("postgres", "SELECT count(*) FROM pg_class"
            + " WHERE relname LIKE 'nodeadd\\_dist\\_%'"));
      } finally {
        s.execute("DROP TABLE IF EXISTS nodeadd_dist");
        s.execute("SELECT citus_remove_node('127.0.0.1', " + port + ")");
        s.execute("DROP TABLE nodeadd_ref");
      }
      assertEquals(0, longValue(s, "SELECT count(*) FROM pg_dist_node WHERE nodeport = " + port));
      assertEquals(2, longValue(s, "SELECT count(*) FROM pg_dist_node"));
    }
  }

  private static long longValue(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
