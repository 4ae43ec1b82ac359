package io.basalt.metadata.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.error.BasaltException;
import org.junit.jupiter.api.Test;

class ColocationChoiceTest {
  private static final int INT4 = 23;
  private static final int TEXT = 25;
  private static final int DEFAULT_COLLATION = 100;
  private static final ColocationChoice.Source EVENTS =
      new ColocationChoice.Source("events", true, 7, 32, INT4, 0);

  @Test
  void defaultReusesAGroupWithTheSettingsShardCount() {
    assertEquals(new ColocationChoice.ReuseOrCreate(32),
        ColocationChoice.decide("t", "default", null, 32, INT4, 0, null));
    assertEquals(new ColocationChoice.ReuseOrCreate(8),
        ColocationChoice.decide("t", "DEFAULT", null, 8, INT4, 0, null));
    assertEquals(new ColocationChoice.ReuseOrCreate(32),
        ColocationChoice.decide("t", null, null, 32, INT4, 0, null));
  }

  @Test
  void anExplicitShardCountBeatsTheSetting() {
    assertEquals(new ColocationChoice.ReuseOrCreate(4),
        ColocationChoice.decide("t", "default", 4, 32, INT4, 0, null));
    assertEquals(new ColocationChoice.CreateNew(4),
        ColocationChoice.decide("t", "none", 4, 32, INT4, 0, null));
  }

  @Test
  void noneAlwaysMakesANewGroup() {
    assertEquals(new ColocationChoice.CreateNew(32),
        ColocationChoice.decide("t", "none", null, 32, INT4, 0, null));
    assertEquals(new ColocationChoice.CreateNew(32),
        ColocationChoice.decide("t", "None", null, 32, INT4, 0, null));
  }

  @Test
  void shardCountOutsideCitusRangeIsRefused() {
    BasaltException e = assertThrows(BasaltException.class,
        () -> ColocationChoice.decide("t", "default", 0, 32, INT4, 0, null));
    assertEquals("22023", e.sqlState());
    assertEquals("0 is outside the valid range for parameter \"shard_count\" (1 .. 64000)",
        e.getMessage());
    assertThrows(BasaltException.class,
        () -> ColocationChoice.decide("t", "default", 64001, 32, INT4, 0, null));
    assertEquals(new ColocationChoice.ReuseOrCreate(64000),
        ColocationChoice.decide("t", "default", 64000, 32, INT4, 0, null));
    assertThrows(BasaltException.class,
        () -> ColocationChoice.decide("t", "default", null, 0, INT4, 0, null));
  }

  @Test
  void aTableNameJoinsItsGroupWithItsShardCount() {
    assertTrue(ColocationChoice.namesTable("events"));
    assertFalse(ColocationChoice.namesTable("default"));
    assertFalse(ColocationChoice.namesTable("NONE"));
    assertEquals(new ColocationChoice.Join(7, 32),
        ColocationChoice.decide("clicks", "events", null, 4, INT4, 0, EVENTS));
  }

  @Test
  void aTableNameWithShardCountIsRefused() {
    BasaltException e = assertThrows(BasaltException.class,
        () -> ColocationChoice.decide("clicks", "events", 4, 32, INT4, 0, EVENTS));
    assertEquals("Cannot use colocate_with with a table and shard_count at the same time",
        e.getMessage());
  }

  @Test
  void typeOrCollationMismatchIsRefused() {
    BasaltException type = assertThrows(BasaltException.class,
        () -> ColocationChoice.decide("names", "events", null, 32, TEXT, DEFAULT_COLLATION,
            EVENTS));
    assertEquals("0A000", type.sqlState());
    assertEquals("cannot colocate tables events and names", type.getMessage());
    assertEquals("Distribution column types don't match for events and names.",
        type.fields().get('D'));
    ColocationChoice.Source textSource =
        new ColocationChoice.Source("words", true, 3, 32, TEXT, DEFAULT_COLLATION);
    assertThrows(BasaltException.class,
        () -> ColocationChoice.decide("other", "words", null, 32, TEXT, 950, textSource));
  }

  @Test
  void onlyHashDistributedTablesCanBeJoined() {
    ColocationChoice.Source reference =
        new ColocationChoice.Source("countries", false, 2, 1, 0, 0);
    BasaltException e = assertThrows(BasaltException.class,
        () -> ColocationChoice.decide("t", "countries", null, 32, INT4, 0, reference));
    assertTrue(e.fields().get('D').contains("only supported for hash distributed tables"));
  }
}
