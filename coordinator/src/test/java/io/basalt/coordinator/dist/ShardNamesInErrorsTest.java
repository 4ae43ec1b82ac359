package io.basalt.coordinator.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.basalt.error.BasaltException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Worker errors told with the distributed tables' own names. */
class ShardNamesInErrorsTest {
  private static final Set<Long> SHARDS = Set.of(102012L, 102009L);

  @Test
  void shardSuffixesOfTheClusterAreDropped() {
    Map<Character, String> f = new LinkedHashMap<>();
    f.put('S', "ERROR");
    f.put('C', "23505");
    f.put('M', "duplicate key value violates unique constraint \"tx_acc_pkey_102012\"");
    f.put('D', "Key (id)=(3) already exists.");
    f.put('t', "tx_acc_102012");
    f.put('n', "tx_acc_pkey_102012");
    BasaltException e = ShardNamesInErrors.rewrite(BasaltException.fromFields(f, null),
        SHARDS::contains);
    assertEquals("duplicate key value violates unique constraint \"tx_acc_pkey\"",
        e.fields().get('M'));
    assertEquals("tx_acc", e.fields().get('t'));
    assertEquals("tx_acc_pkey", e.fields().get('n'));
    assertEquals("Key (id)=(3) already exists.", e.fields().get('D'));
    assertEquals("23505", e.fields().get('C'));
  }

  @Test
  void otherNumbersStay() {
    assertEquals("Key (acc_id)=(102) is not present in table \"tx_acc\"",
        ShardNamesInErrors.names("Key (acc_id)=(102) is not present in table \"tx_acc_102009\"",
            SHARDS::contains));
    assertEquals("column c_1 and t_102012x and t_1020120", ShardNamesInErrors.names(
        "column c_1 and t_102012x and t_1020120", SHARDS::contains));
    Map<Character, String> f = Map.of('S', "ERROR", 'C', "22012", 'M', "division by zero");
    BasaltException e = BasaltException.fromFields(f, null);
    assertSame(e, ShardNamesInErrors.rewrite(e, SHARDS::contains));
  }
}
