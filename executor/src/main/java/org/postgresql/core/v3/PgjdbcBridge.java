package org.postgresql.core.v3;

import java.util.List;
import org.postgresql.core.Field;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.ParameterList;
import org.postgresql.core.Query;
import org.postgresql.core.QueryExecutor;
import org.postgresql.core.SqlCommand;
import org.postgresql.core.SqlCommandType;

/**
 * Basalt's narrow window into pgjdbc's protocol layer. It lives in pgjdbc's package because the
 * pieces a byte-faithful relay needs are package-private there: building a query from the
 * client's own SQL (with {@code $n} placeholders left as they are), reading the parameter types a
 * Describe resolved, and choosing the result format of every column of a Bind ourselves instead of
 * pgjdbc's per-type policy. Everything else goes through pgjdbc's public QueryExecutor API.
 */
public final class PgjdbcBridge {
  private PgjdbcBridge() {}

  /**
   * A query holding the client's SQL verbatim. {@code parameterCount} placeholders are expected;
   * {@code multiStatement} must be true for simple-protocol strings that may hold several
   * statements.
   */
  public static Query query(QueryExecutor executor, String sql, int parameterCount,
      boolean multiStatement) {
    int[] bindPositions = new int[parameterCount];
    java.util.Arrays.fill(bindPositions, sql.length());
    NativeQuery nativeQuery = new NativeQuery(sql, bindPositions, multiStatement,
        SqlCommand.createStatementTypeInfo(SqlCommandType.BLANK));
    return executor.wrap(List.of(nativeQuery));
  }

  /** Parameter type OIDs as the server resolved them (after a describe), 0 where unknown. */
  public static int[] parameterTypes(ParameterList parameters) {
    return ((SimpleParameterList) parameters).getTypeOIDs().clone();
  }

  /** The prepared types of a described statement, or null. */
  public static int[] preparedTypes(Query query) {
    int[] types = ((SimpleQuery) query).getPrepareTypes();
    return types == null ? null : types.clone();
  }

  public static Field[] fields(Query query) {
    return ((SimpleQuery) query).getFields();
  }

  public static boolean isStatementDescribed(Query query) {
    return ((SimpleQuery) query).isStatementDescribed();
  }

  /** pgjdbc's count of the cache flushes it saw (DDL, DEALLOCATE ALL, DISCARD ALL). */
  private static final java.lang.reflect.Field DEALLOCATE_EPOCH;

  static {
    try {
      DEALLOCATE_EPOCH = QueryExecutorImpl.class.getDeclaredField("deallocateEpoch");
      DEALLOCATE_EPOCH.setAccessible(true);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * Whether the next execution of {@code query} with {@code params} binds its server statement
   * as it is. When pgjdbc has seen a cache flush since it was prepared (any CREATE, DROP or
   * ALTER on the connection, such as a gather's temporary table, or DEALLOCATE ALL) it parses the
   * statement again and forgets its described fields, so result formats chosen with
   * {@link #useResultFormats} would be lost and the Bind would ask for text.
   */
  public static boolean isPreparedNow(QueryExecutor executor, Query query, ParameterList params) {
    try {
      short epoch = DEALLOCATE_EPOCH.getShort(executor);
      return ((SimpleQuery) query).isPreparedFor(((SimpleParameterList) params).getTypeOIDs(),
          epoch);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether the server holds a parsed statement for this query under the given types. */
  public static boolean isPrepared(Query query) {
    return ((SimpleQuery) query).getStatementName() != null;
  }

  /**
   * Makes the next Bind of this (already server-prepared) query request exactly the given
   * per-column result formats. pgjdbc would otherwise pick formats by type OID.
   */
  public static void useResultFormats(Query query, short[] formats) {
    SimpleQuery q = (SimpleQuery) query;
    Field[] current = q.getFields();
    if (current == null || current.length != formats.length) {
      throw new IllegalStateException("query is not described");
    }
    boolean anyBinary = false;
    Field[] copy = new Field[current.length];
    for (int i = 0; i < current.length; i++) {
      Field f = current[i];
      Field c = new Field(f.getColumnLabel(), f.getOID(), f.getLength(), f.getMod(),
          f.getTableOid(), f.getPositionInTable());
      c.setFormat(formats[i]);
      anyBinary |= formats[i] == Field.BINARY_FORMAT;
      copy[i] = c;
    }
    q.setFields(copy);
    q.resetNeedUpdateFieldFormats();
    q.setHasBinaryFields(anyBinary);
    q.setPortalDescribed(true);
  }
}
