package io.basalt.coordinator.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Time settings as SHOW prints them. */
class SessionSettingsTest {

  @Test
  void millisReadsEveryUnitShowPrints() {
    assertEquals(0, SessionSettings.millis("0"));
    assertEquals(1500, SessionSettings.millis("1500ms"));
    assertEquals(5_000, SessionSettings.millis("5s"));
    assertEquals(120_000, SessionSettings.millis("2min"));
    assertEquals(3_600_000, SessionSettings.millis("1h"));
    assertEquals(86_400_000, SessionSettings.millis("1d"));
  }

  @Test
  void millisRefusesOtherText() {
    assertThrows(IllegalArgumentException.class, () -> SessionSettings.millis("5 fortnights"));
  }
}
