package io.basalt.metadata.shard;

import io.basalt.error.BasaltException;
import io.basalt.error.SqlState;
import io.basalt.metadata.hash.PgHash;
import java.nio.charset.StandardCharsets;

/**
 * Names of shard relations as Citus makes them: {@code <name>_<shardid>} in the shell table's
 * schema, the same rule for indexes and constraints of the shard.
 *
 * <p>A PostgreSQL name holds at most 63 bytes (NAMEDATALEN 64 with the terminating NUL). When
 * the name and {@code _<shardid>} do not fit, Citus (AppendShardIdToName in
 * relay/relay_event_utility.c) keeps a prefix of the name, cut on a character boundary, and puts
 * a hash of the name between prefix and shard id: {@code <prefix>_<8 hex digits>_<shardid>},
 * 63 bytes long. The hash is {@code hash_any} over the bytes of the relation name alone,
 * without the shard id suffix, so all shards of a table share it. The prefix is
 * {@code 54 - len("_<shardid>")} bytes at most: room for the separator and the 8 digits, plus one
 * spare byte.
 */
public final class ShardNames {
  /** PostgreSQL's NAMEDATALEN: names hold NAMEDATALEN - 1 bytes. */
  public static final int NAMEDATALEN = 64;
  /** What the hashed form adds besides the shard id suffix: '_', 8 hex digits and a spare byte. */
  private static final int HASH_PART_BYTES = 10;

  private ShardNames() {}

  /**
   * The name of shard {@code shardId} of relation {@code relationName} (also of an index or
   * constraint on it).
   *
   * @throws BasaltException (42622 name_too_long) if the name itself is 64 bytes or longer,
   *     which no PostgreSQL name is
   */
  public static String shardName(String relationName, long shardId) {
    byte[] name = relationName.getBytes(StandardCharsets.UTF_8);
    if (name.length >= NAMEDATALEN) {
      throw BasaltException.of(SqlState.NAME_TOO_LONG,
          "identifier must be less than " + NAMEDATALEN + " characters");
    }
    String suffix = "_" + Long.toUnsignedString(shardId);
    if (name.length + suffix.length() < NAMEDATALEN) {
      return relationName + suffix;
    }
    int prefixBytes = clipLength(name, NAMEDATALEN - suffix.length() - HASH_PART_BYTES);
    String hash = String.format("%08x", PgHash.hashBytes(name));
    return new String(name, 0, prefixBytes, StandardCharsets.UTF_8) + "_" + hash + suffix;
  }

  /**
   * The length of the longest prefix of UTF-8 {@code bytes} that is at most {@code limit} bytes
   * and does not split a character (PostgreSQL's pg_mbcliplen).
   */
  private static int clipLength(byte[] bytes, int limit) {
    int length = 0;
    while (length < bytes.length) {
      int next = length + utf8SequenceLength(bytes[length]);
      if (next > limit) {
        break;
      }
      length = next;
    }
    return length;
  }

  private static int utf8SequenceLength(byte lead) {
    if ((lead & 0x80) == 0) {
      return 1;
    } else if ((lead & 0xe0) == 0xc0) {
      return 2;
    } else if ((lead & 0xf0) == 0xe0) {
      return 3;
    } else if ((lead & 0xf8) == 0xf0) {
      return 4;
    }
    return 1;
  }
}
