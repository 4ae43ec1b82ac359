package io.basalt.executor.backend;

import io.basalt.executor.result.StatementDescription;
import java.util.Objects;
import org.postgresql.core.Query;

/**
 * A statement of the client's, held on one backend connection: pgjdbc's query object (which
 * remembers whether and under which name the server has it prepared) and, once known, its
 * description. {@code declaredTypes} are the parameter types the client gave in Parse (0 =
 * unspecified).
 */
public final class BackendStatement {
  private final String sql;
  private final int[] declaredTypes;
  private final boolean keepPrepared;
  private final Query query;
  private StatementDescription description;

  BackendStatement(String sql, int[] declaredTypes, boolean keepPrepared, Query query) {
    this.sql = Objects.requireNonNull(sql);
    this.declaredTypes = declaredTypes.clone();
    this.keepPrepared = keepPrepared;
    this.query = query;
  }

  public String sql() {
    return sql;
  }

  public int[] declaredTypes() {
    return declaredTypes.clone();
  }

  /** As PostgreSQL counts them: the declared types, extended to the highest $n. */
  public int parameterCount() {
    return declaredTypes.length;
  }

  /** Named statements stay prepared on the server; unnamed ones are parsed per execution. */
  public boolean keepPrepared() {
    return keepPrepared;
  }

  public StatementDescription description() {
    return description;
  }

  void description(StatementDescription d) {
    this.description = d;
  }

  Query query() {
    return query;
  }
}
