package io.basalt.wire.auth;

import io.basalt.wire.codec.ProtocolViolation;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Reads the payload of a PasswordMessage: exactly one NUL-terminated string. */
final class PasswordPackets {

  private PasswordPackets() {}

  /** The password, or empty when it is not UTF-8 (and so cannot match any stored form). */
  static Optional<String> password(byte[] payload) {
    int nul = indexOfNul(payload);
    if (nul != payload.length - 1) {
      throw new ProtocolViolation("invalid password packet size");
    }
    try {
      return Optional.of(StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(payload, 0, nul))
          .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  static int indexOfNul(byte[] bytes) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        return i;
      }
    }
    return -1;
  }
}
