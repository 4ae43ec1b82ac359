package io.basalt.metadata.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.basalt.metadata.hash.PgHash;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShardRangesTest {

  @Test
  void fourShards() {
    assertEquals(List.of(new HashRange(-2147483648, -1073741825),
        new HashRange(-1073741824, -1), new HashRange(0, 1073741823),
        new HashRange(1073741824, 2147483647)), ShardRanges.uniform(4));
  }

  @Test
  void threeShardsLastTakesTheRemainder() {
    assertEquals(List.of(new HashRange(-2147483648, -715827884),
        new HashRange(-715827883, 715827881), new HashRange(715827882, 2147483647)),
        ShardRanges.uniform(3));
  }

  @Test
  void thirtyTwoShards() {
    List<HashRange> ranges = ShardRanges.uniform(32);
    assertEquals(32, ranges.size());
    assertEquals(new HashRange(-2147483648, -2013265921), ranges.get(0));
    assertEquals(new HashRange(-2013265920, -1879048193), ranges.get(1));
    assertEquals(new HashRange(-134217728, -1), ranges.get(15));
    assertEquals(new HashRange(0, 134217727), ranges.get(16));
    assertEquals(new HashRange(2013265920, 2147483647), ranges.get(31));
    for (int i = 0; i < 32; i++) {
      assertEquals(-2147483648L + i * 134217728L, ranges.get(i).min());
      assertEquals(ranges.get(i).min() + 134217727L, ranges.get(i).max());
    }
  }

  @Test
  void oneShardCoversEverything() {
    assertEquals(List.of(new HashRange(Integer.MIN_VALUE, Integer.MAX_VALUE)),
        ShardRanges.uniform(1));
    assertEquals(0, ShardRanges.indexOf(Integer.MAX_VALUE, 1));
  }

  @Test
  void rangesTileTheHashSpaceForAnyCount() {
    for (int n : new int[] {1, 2, 3, 5, 7, 31, 32, 33, 100, 191, 1000, 64000}) {
      List<HashRange> ranges = ShardRanges.uniform(n);
      assertEquals(n, ranges.size());
      assertEquals(Integer.MIN_VALUE, ranges.get(0).min());
      assertEquals(Integer.MAX_VALUE, ranges.get(n - 1).max());
      for (int i = 1; i < n; i++) {
        assertEquals(ranges.get(i - 1).max() + 1L, ranges.get(i).min(), "n=" + n + " i=" + i);
      }
    }
  }

  @ParameterizedTest
  @CsvSource({
      "1, 0, 1", "2, 3, 24", "3, 1, 15", "4, 1, 8", "5, 0, 6", "6, 2, 20", "7, 1, 8", "8, 0, 0",
      "9, 3, 28", "10, 0, 4"})
  void shardIndexesOfIntegerKeys(int key, int at4, int at32) {
    int hash = PgHash.hashInt4(key);
    assertEquals(at4, ShardRanges.indexOf(hash, 4));
    assertEquals(at32, ShardRanges.indexOf(hash, 32));
    assertEquals(at4, ShardRanges.indexOf(hash, ShardRanges.uniform(4)));
    assertEquals(at32, ShardRanges.indexOf(hash, ShardRanges.uniform(32)));
  }

  @ParameterizedTest
  @CsvSource(value = {"a|3|24", "hello|0|2", "abc|1|10", "tenant_1|2|23", "''|0|4"},
      delimiter = '|', quoteCharacter = '\'')
  void shardIndexesOfTextKeys(String key, int at4, int at32) {
    int hash = PgHash.hashText(key);
    assertEquals(at4, ShardRanges.indexOf(hash, 4));
    assertEquals(at32, ShardRanges.indexOf(hash, 32));
  }

  @Test
  void arithmeticLookupAgreesWithSearch() {
    Random random = new Random(7);
    for (int n : new int[] {1, 3, 4, 7, 32, 191, 64000}) {
      List<HashRange> ranges = ShardRanges.uniform(n);
      for (int hash : new int[] {Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE}) {
        assertEquals(ShardRanges.indexOf(hash, ranges), ShardRanges.indexOf(hash, n));
      }
      for (int i = 0; i < 10_000; i++) {
        int hash = random.nextInt();
        int index = ShardRanges.indexOf(hash, n);
        assertEquals(ShardRanges.indexOf(hash, ranges), index);
        assertEquals(true, ranges.get(index).contains(hash));
      }
    }
  }

  @Test
  void searchOverArbitraryRangesFindsGaps() {
    // a layout after splits and with a hole between 100 and 199
    List<HashRange> ranges = List.of(new HashRange(Integer.MIN_VALUE, -1), new HashRange(0, 99),
        new HashRange(200, 200), new HashRange(201, Integer.MAX_VALUE));
    assertEquals(0, ShardRanges.indexOf(Integer.MIN_VALUE, ranges));
    assertEquals(0, ShardRanges.indexOf(-1, ranges));
    assertEquals(1, ShardRanges.indexOf(0, ranges));
    assertEquals(1, ShardRanges.indexOf(99, ranges));
    assertEquals(-1, ShardRanges.indexOf(100, ranges));
    assertEquals(-1, ShardRanges.indexOf(199, ranges));
    assertEquals(2, ShardRanges.indexOf(200, ranges));
    assertEquals(3, ShardRanges.indexOf(Integer.MAX_VALUE, ranges));
    assertEquals(-1, ShardRanges.indexOf(5, List.of()));
  }

  @Test
  void invalidInput() {
    assertThrows(IllegalArgumentException.class, () -> ShardRanges.uniform(0));
    assertThrows(IllegalArgumentException.class, () -> ShardRanges.indexOf(1, -1));
    assertThrows(IllegalArgumentException.class, () -> new HashRange(1, 0));
  }
}
