package io.basalt.metadata.catalog;

import java.util.List;

/**
 * A Citus table: a row of pg_dist_partition joined with what the coordinator database knows of
 * the shell table (name, distribution column) and its shards, sorted by hash range.
 *
 * @param method 'h' hash, 'n' none (reference)
 * @param model repmodel: 's' streaming (hash, RF 1), 't' reference, 'c' statement replication
 * @param distributionColumn the column's current name, null for reference tables
 * @param distributionAttnum its attribute number (stable across renames), 0 if none
 * @param distributionType its type OID, 0 if none
 * @param distributionTypmod its type modifier (atttypmod: numeric(p,s), varchar(n),
 *     timestamp(p)), -1 if none; a value is coerced to it before it is stored, and hashed
 */
public record DistributedTable(long oid, String schema, String name, char method, char model,
    int colocationId, String distributionColumn, int distributionAttnum, int distributionType,
    List<Shard> shards, int distributionTypmod) {

  public DistributedTable {
    shards = List.copyOf(shards);
  }

  /** A table whose distribution column has no type modifier. */
  public DistributedTable(long oid, String schema, String name, char method, char model,
      int colocationId, String distributionColumn, int distributionAttnum, int distributionType,
      List<Shard> shards) {
    this(oid, schema, name, method, model, colocationId, distributionColumn, distributionAttnum,
        distributionType, shards, -1);
  }

  public boolean isReference() {
    return model == 't';
  }

  public boolean isHashDistributed() {
    return method == 'h';
  }

  public String qualifiedName() {
    return Identifiers.quote(schema) + "." + Identifiers.quote(name);
  }
}
