package io.basalt.coordinator.session;

import io.basalt.coordinator.dist.Sql;
import io.basalt.executor.backend.BackendConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The client's coordinator-database session as {@link Sql}, for Basalt's own statements. */
final class BackendSql implements Sql {
  private final BackendConnection backend;

  BackendSql(BackendConnection backend) {
    this.backend = backend;
  }

  @Override
  public void execute(String sql) {
    backend.execute(sql);
  }

  @Override
  public List<String[]> query(String sql) {
    BackendConnection.CollectingSink sink = new BackendConnection.CollectingSink();
    backend.simpleQuery(sql, sink);
    sink.throwIfFailed();
    List<String[]> out = new ArrayList<>(sink.rows().size());
    for (byte[][] row : sink.rows()) {
      String[] r = new String[row.length];
      for (int i = 0; i < row.length; i++) {
        r[i] = row[i] == null ? null : new String(row[i], StandardCharsets.UTF_8);
      }
      out.add(r);
    }
    return out;
  }
}
