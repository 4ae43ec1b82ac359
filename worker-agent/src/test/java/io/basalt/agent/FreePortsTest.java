package io.basalt.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {
  @Test
  void neverHandsOutAPortTwice() {
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      ports.add(FreePorts.find());
    }
    assertEquals(50, ports.size());
  }

  @Test
  void aFoundPortCanBeBoundAndThenIsBusy() throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    int port = FreePorts.find();
    assertTrue(FreePorts.isFree(loopback, port));
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(loopback, port));
      assertFalse(FreePorts.isFree(loopback, port));
    }
  }
}
