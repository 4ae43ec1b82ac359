package io.basalt.executor.adaptive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Time settings as SHOW prints them and as clients SET them. */
class PoolSettingsTest {

  @Test
  void millisReadsEveryUnitShowPrints() {
    assertEquals(0, PoolSettings.millis("0"));
    assertEquals(1500, PoolSettings.millis("1500ms"));
    assertEquals(5_000, PoolSettings.millis("5s"));
    assertEquals(120_000, PoolSettings.millis("2min"));
    assertEquals(3_600_000, PoolSettings.millis("1h"));
    assertEquals(86_400_000, PoolSettings.millis("1d"));
  }

  @Test
  void millisRefusesOtherText() {
    assertThrows(IllegalArgumentException.class, () -> PoolSettings.millis("5 fortnights"));
    assertThrows(IllegalArgumentException.class, () -> PoolSettings.millis("-5"));
    assertThrows(IllegalArgumentException.class, () -> PoolSettings.millis("ms"));
  }
}
