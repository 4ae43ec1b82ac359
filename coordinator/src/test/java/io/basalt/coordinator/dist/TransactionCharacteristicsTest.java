package io.basalt.coordinator.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The worker's BEGIN from the coordinator transaction's settings. */
class TransactionCharacteristicsTest {

  @Test
  void beginSpellsOutEveryCharacteristic() {
    assertEquals("BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE NOT DEFERRABLE",
        TransactionCharacteristics.of(new String[] {"read committed", "off", "off"}).beginSql());
    assertEquals("BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY DEFERRABLE",
        TransactionCharacteristics.of(new String[] {"serializable", "on", "on"}).beginSql());
    assertEquals("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY NOT DEFERRABLE",
        TransactionCharacteristics.of(new String[] {"repeatable read", "on", "off"}).beginSql());
  }

  @Test
  void onlyRepeatableReadAndSerializableKeepASnapshot() {
    assertFalse(new TransactionCharacteristics("read uncommitted", false, false).keepsSnapshot());
    assertFalse(new TransactionCharacteristics("read committed", false, false).keepsSnapshot());
    assertTrue(new TransactionCharacteristics("repeatable read", false, false).keepsSnapshot());
    assertTrue(new TransactionCharacteristics("SERIALIZABLE", false, false).keepsSnapshot());
  }

  @Test
  void unknownLevelsAreRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> new TransactionCharacteristics("snapshot; DROP TABLE x", false, false));
  }
}
