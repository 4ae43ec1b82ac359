package io.basalt.wire.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WireConfigTest {

  @Test
  void defaults() {
    WireConfig config = WireConfig.defaults();
    assertEquals("127.0.0.1", config.host());
    assertEquals(5432, config.port());
    assertEquals((1 << 30) - 1, config.maxMessageSize());
    assertEquals(Optional.empty(), config.tls());
    assertEquals(HbaConfig.loopbackScram(), config.hba());
    assertEquals(Duration.ofSeconds(60), config.authenticationTimeout());
    assertEquals(0, config.eventLoopThreads());
  }

  @Test
  void withersChangeOneSetting() {
    WireConfig config = WireConfig.defaults().withPort(0).withHost("*").withMaxMessageSize(100)
        .withEventLoopThreads(2).withAuthenticationTimeout(Duration.ZERO);
    assertEquals(0, config.port());
    assertEquals("*", config.host());
    assertEquals(100, config.maxMessageSize());
    assertEquals(2, config.eventLoopThreads());
    assertEquals(Duration.ZERO, config.authenticationTimeout());
  }

  @Test
  void invalidValuesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> WireConfig.defaults().withPort(70000));
    assertThrows(IllegalArgumentException.class, () -> WireConfig.defaults().withMaxMessageSize(4));
    assertThrows(IllegalArgumentException.class, () -> WireConfig.defaults().withHost(" "));
    assertThrows(IllegalArgumentException.class,
        () -> WireConfig.defaults().withAuthenticationTimeout(Duration.ofSeconds(-1)));
  }
}
