package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * A COPY running through the coordinator shows in basalt_stat_progress_copy, from another
 * session, with its table and the bytes and rows it has read so far; its row goes away when it
 * ends.
 */
class CopyProgressIT {
  @Test
  void aRunningCopyShowsInTheProgressView() throws Exception {
    TestBasalt.server();
    try (Connection loader = TestBasalt.connect(); Connection watcher = TestBasalt.connect();
        Statement w = watcher.createStatement()) {
      w.execute("CREATE TABLE copy_progress_t (k int, v text)");
      w.execute("SELECT create_distributed_table('copy_progress_t', 'k')");
      try {
        int pid;
        try (Statement l = loader.createStatement();
            ResultSet rs = l.executeQuery("SELECT pg_backend_pid()")) {
          rs.next();
          pid = rs.getInt(1);
        }
        CopyIn in = loader.unwrap(PGConnection.class).getCopyAPI()
            .copyIn("COPY copy_progress_t FROM STDIN");
        StringBuilder chunk = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
          chunk.append(i).append("\tvalue ").append(i).append('\n');
        }
        byte[] data = chunk.toString().getBytes(StandardCharsets.UTF_8);
        in.writeToCopy(data, 0, data.length);
        in.flushCopy();
        // Published about once a second while the COPY runs (it waits for more data here).
        long[] seen = waitForRow(w, pid, 15_000);
        assertEquals(data.length, seen[0], "bytes_processed");
        assertEquals(1000, seen[1], "tuples_processed");
        in.writeToCopy(data, 0, data.length);
        assertEquals(2000, in.endCopy());
        long deadline = System.currentTimeMillis() + 15_000;
        while (rowOf(w, pid) != null && System.currentTimeMillis() < deadline) {
          Thread.sleep(100);
        }
        assertEquals(null, rowOf(w, pid), "the row of an ended COPY goes away");
      } finally {
        w.execute("DROP TABLE copy_progress_t");
      }
    }
  }

  private static long[] waitForRow(Statement w, int pid, long millis) throws Exception {
    long deadline = System.currentTimeMillis() + millis;
    while (System.currentTimeMillis() < deadline) {
      long[] row = rowOf(w, pid);
      if (row != null && row[1] == 1000) {
        return row;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no progress row for pid " + pid + " with 1000 tuples");
  }

  private static long[] rowOf(Statement w, int pid) throws SQLException {
    try (ResultSet rs = w.executeQuery("SELECT bytes_processed, tuples_processed, command,"
        + " relid::regclass::text, datname = current_database() FROM basalt_stat_progress_copy"
        + " WHERE pid = " + pid)) {
      if (!rs.next()) {
        return null;
      }
      assertEquals("COPY FROM", rs.getString(3));
      assertEquals("copy_progress_t", rs.getString(4));
      assertTrue(rs.getBoolean(5));
      return new long[] {rs.getLong(1), rs.getLong(2)};
    }
  }
}
