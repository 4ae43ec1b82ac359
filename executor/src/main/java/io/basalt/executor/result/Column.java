package io.basalt.executor.result;

/** One result column exactly as PostgreSQL describes it. {@code format} 0 text, 1 binary. */
public record Column(String name, int tableOid, short columnAttribute, int typeOid,
    short typeSize, int typeModifier, short format) {

  public Column withFormat(short newFormat) {
    return new Column(name, tableOid, columnAttribute, typeOid, typeSize, typeModifier, newFormat);
  }
}
