package io.basalt.planner.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.basalt.metadata.catalog.DistributedTable;
import io.basalt.metadata.catalog.Shard;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which shard a value picks, as the column would store and compare it. */
class ShardChoiceTest {
  private static DistributedTable table(int type, int typmod) {
    List<Shard> shards = new ArrayList<>();
    long step = (1L << 32) / 16;
    for (int i = 0; i < 16; i++) {
      long min = Integer.MIN_VALUE + i * step;
      shards.add(new Shard(1000 + i, 1, (int) min, (int) (min + step - 1), List.of(1)));
    }
    return new DistributedTable(1, "public", "t", 'h', 's', 1, "k", 1, type, shards, typmod);
  }

  @Test
  void textParametersOfAnExactlyConvertingTypePickTheColumnsShard() {
    DistributedTable bigint = table(20, -1);
    assertNotNull(ShardChoice.ofText(bigint, "42"));
    assertEquals(ShardChoice.ofText(bigint, "42"), ShardChoice.ofText(bigint, "42", 23));
    assertEquals(ShardChoice.ofText(bigint, "42"), ShardChoice.ofText(bigint, "42", 0));
    DistributedTable text = table(25, -1);
    assertNotNull(ShardChoice.ofText(text, "ab", 1043));
    assertEquals(ShardChoice.ofText(text, "ab"), ShardChoice.ofText(text, "ab", 1043));
    DistributedTable numeric = table(1700, -1);
    assertNotNull(ShardChoice.ofText(numeric, "7", 23));
    assertEquals(ShardChoice.ofText(numeric, "7"), ShardChoice.ofText(numeric, "7", 23));
  }

  /** character(n) ignores trailing spaces, float8 rounds: several stored values may equal it. */
  @Test
  void textParametersOfOtherTypesPickNoShard() {
    assertNull(ShardChoice.ofText(table(25, -1), "ab   ", 1042));
    assertNull(ShardChoice.ofText(table(1700, -1), "1.01", 701));
    assertNull(ShardChoice.ofText(table(23, -1), "1", 1700));
  }

  @Test
  void theColumnsTypeModifierApplies() {
    // 1.005 is stored as 1.01 and 'abc    ' as 'abc': they pick those values' shards, which
    // the unmodified column's hash of the text as written would not.
    DistributedTable numeric = table(1700, ((10 << 16) | 2) + 4);
    assertNotNull(ShardChoice.ofText(numeric, "1.005"));
    assertEquals(ShardChoice.ofText(table(1700, -1), "1.01"), ShardChoice.ofText(numeric, "1.005"));
    DistributedTable varchar = table(1043, 3 + 4);
    assertNotNull(ShardChoice.ofText(varchar, "abc    "));
    assertEquals(ShardChoice.ofText(table(1043, -1), "abc"),
        ShardChoice.ofText(varchar, "abc    "));
  }
}
