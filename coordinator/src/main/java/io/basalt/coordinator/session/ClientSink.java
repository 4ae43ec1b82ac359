package io.basalt.coordinator.session;

import io.basalt.error.BasaltException;
import io.basalt.executor.result.Column;
import io.basalt.executor.result.ResultSink;
import io.basalt.wire.message.BackendMessage;
import io.basalt.wire.spi.BackendOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Forwards execution results to the client as protocol messages. {@code sendColumns} decides
 * whether a result set's RowDescription is sent (simple protocol: always; extended: only when the
 * client asked with Describe).
 */
class ClientSink implements ResultSink {
  private final BackendOutput out;
  private final boolean sendColumns;
  private BasaltException error;
  private List<Column> columns;
  private long rows;

  ClientSink(BackendOutput out, boolean sendColumns) {
    this.out = out;
    this.sendColumns = sendColumns;
  }

  /**
   * A sink for a statement of Basalt's own in the client's session (an implicit transaction's
   * BEGIN or end): the client sees an error, never a command tag.
   */
  static ClientSink quiet(BackendOutput out) {
    return new ClientSink(out, false) {
      @Override
      public void complete(String tag) {}
    };
  }

  static BackendMessage.RowDescription rowDescription(List<Column> columns) {
    List<BackendMessage.Field> fields = new ArrayList<>(columns.size());
    for (Column c : columns) {
      fields.add(new BackendMessage.Field(c.name(), c.tableOid(), c.columnAttribute(),
          c.typeOid(), c.typeSize(), c.typeModifier(), c.format()));
    }
    return new BackendMessage.RowDescription(fields);
  }

  @Override
  public void columns(List<Column> c) {
    columns = c;
    if (sendColumns) {
      out.write(rowDescription(c));
    }
  }

  @Override
  public void row(byte[][] values) {
    rows++;
    out.write(new BackendMessage.DataRow(values));
  }

  @Override
  public void complete(String tag) {
    out.write(new BackendMessage.CommandComplete(tag));
  }

  @Override
  public void emptyQuery() {
    out.write(new BackendMessage.EmptyQueryResponse());
  }

  @Override
  public void notice(Map<Character, String> fields) {
    out.write(new BackendMessage.NoticeResponse(fields));
  }

  @Override
  public void error(BasaltException e) {
    if (error == null) {
      error = e;
    }
    out.write(new BackendMessage.ErrorResponse(e.fields()));
  }

  BasaltException error() {
    return error;
  }

  List<Column> columns() {
    return columns;
  }

  long rows() {
    return rows;
  }
}
