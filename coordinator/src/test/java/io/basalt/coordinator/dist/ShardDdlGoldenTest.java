package io.basalt.coordinator.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SQL that creates one shard, compared with reviewed files in golden/shard-ddl/ (one per
 * {@link ShardDdlCases} case). {@link ShardDdlPostgresTest} runs the same files on PostgreSQL.
 */
class ShardDdlGoldenTest {

  static Stream<ShardDdlCases.Case> cases() {
    return ShardDdlCases.all().stream();
  }

  /** The statements as a script: each ends with a semicolon, a blank line between them. */
  static String script(ShardDdlCases.Case c) {
    List<String> statements = ShardDdl.create(c.table(), c.shardId(), oid -> {
      String shard = c.referencedShards().get(oid);
      if (shard == null) {
        throw new AssertionError("no referenced shard for OID " + oid);
      }
      return shard;
    });
    return String.join(";\n\n", statements) + ";\n";
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shardDdlMatchesGoldenFile(ShardDdlCases.Case c) {
    GoldenFiles.check("shard-ddl/" + c.name() + ".sql", script(c));
  }

  @Test
  void shardTableNameIsQualifiedAndQuoted() {
    assertEquals("public.orders_102008", ShardDdl.shardTable("public", "orders", 102008));
    assertEquals("\"Sales Dept\".\"Order Items_102015\"",
        ShardDdl.shardTable("Sales Dept", "Order Items", 102015));
    // "user" is reserved, "user_1" is not.
    assertEquals("\"select\".user_1", ShardDdl.shardTable("select", "user", 1));
    // Citus's multi_name_lengths: a name that would reach 64 bytes is clipped and hashed.
    assertEquals("public.too_long_12345678901234567890123456789012345678_e0119164_225000",
        ShardDdl.shardTable("public",
            "too_long_12345678901234567890123456789012345678901234567890", 225000));
  }

  @Test
  void referencesRewriteKeepsTheRestOfTheDefinition() {
    assertEquals("FOREIGN KEY (a, b) REFERENCES s.t_7(x, y) MATCH FULL ON DELETE SET NULL",
        ShardDdl.rewriteReferences(
            "FOREIGN KEY (a, b) REFERENCES \"S\".\"T t\"(x, y) MATCH FULL ON DELETE SET NULL",
            "s.t_7"));
    assertEquals("FOREIGN KEY (\"references\") REFERENCES r_1(id)",
        ShardDdl.rewriteReferences("FOREIGN KEY (\"references\") REFERENCES r(id)", "r_1"));
  }
}
