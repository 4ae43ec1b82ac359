package io.basalt.metadata.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.basalt.error.BasaltException;
import io.basalt.metadata.hash.PgHash;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected names are those in Citus' regression test output multi_name_lengths.out. */
class ShardNamesTest {

  @ParameterizedTest
  @CsvSource({
      "name_lengths, 225002, name_lengths_225002",
      "constraint_a, 225003, constraint_a_225003",
      "too_long_12345678901234567890123456789012345678901234567890, 225000,"
          + " too_long_12345678901234567890123456789012345678_e0119164_225000",
      "too_long_12345678901234567890123456789012345678901234567890, 666666,"
          + " too_long_12345678901234567890123456789012345678_e0119164_666666",
      "too_long_12345678901234567890123456789012345678901234567890, 2250000000000,"
          + " too_long_1234567890123456789012345678901_e0119164_2250000000000",
      "tmp_idx_12345678901234567890123456789012345678901234567890, 225002,"
          + " tmp_idx_123456789012345678901234567890123456789_5e470afa_225002",
      "tmp_idx_1234567890123456789012345678901234567890123456789012345, 225003,"
          + " tmp_idx_123456789012345678901234567890123456789_599636aa_225003",
      "sneaky_name_lengths_int_col_1234567890123456789012345678901_key, 225006,"
          + " sneaky_name_lengths_int_col_1234567890123456789_6402d2cd_225006",
      "unique_12345678901234567890123456789012345678901234567890, 225008,"
          + " unique_1234567890123456789012345678901234567890_a5986f27_225008"})
  void citusRegressionNames(String name, long shardId, String expected) {
    assertEquals(expected, ShardNames.shardName(name, shardId));
  }

  @Test
  void multiByteNamesAreClippedOnCharacterBoundaries() {
    String elephant = "elephant_" + "слон".repeat(6);
    assertEquals("elephant_слонслонслонсло_c8b737c2_2250000000002",
        ShardNames.shardName(elephant, 2250000000002L));
    assertEquals("elephant_слонслонслонсло_14d34928_2250000000003",
        ShardNames.shardName(elephant + "_pkey", 2250000000003L));
  }

  @Test
  void hashingStartsWhereNameAndSuffixReach64Bytes() {
    String fits = "x".repeat(56); // 56 + "_225000" = 63 bytes
    assertEquals(fits + "_225000", ShardNames.shardName(fits, 225000));
    String reaches = "x".repeat(57); // 64 bytes: must be hashed
    String hashed = ShardNames.shardName(reaches, 225000);
    String hash = String.format("%08x",
        PgHash.hashBytes(reaches.getBytes(StandardCharsets.UTF_8)));
    assertEquals("x".repeat(47) + "_" + hash + "_225000", hashed);
    assertEquals(63, hashed.getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void fourByteCharactersAreNotSplit() {
    String name = "🙂".repeat(15); // 60 bytes
    String shard = ShardNames.shardName(name, 102008);
    // at most 54 - 7 = 47 bytes of prefix: 11 whole emoji (44 bytes)
    assertEquals("🙂".repeat(11) + "_", shard.substring(0, 23));
    assertEquals(60, shard.getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void nameOf64BytesIsRejected() {
    BasaltException e = assertThrows(BasaltException.class,
        () -> ShardNames.shardName("x".repeat(64), 1));
    assertEquals("42622", e.sqlState());
    assertEquals("identifier must be less than 64 characters", e.getMessage());
  }
}
