package io.basalt.wire.auth;

import java.text.Normalizer;

/**
 * SASLprep (RFC 4013) as PostgreSQL applies it to SCRAM passwords: pure ASCII passes unchanged;
 * otherwise non-ASCII spaces become spaces, "mapped to nothing" characters go, and the result is
 * NFKC-normalised. Where the result would contain prohibited characters PostgreSQL uses the raw
 * password, and so does this class. The prohibited and unassigned tables are approximated with
 * the JDK's character data.
 */
final class SaslPrep {

  private SaslPrep() {}

  static String prepare(String password) {
    if (password.chars().allMatch(c -> c < 0x80)) {
      return password;
    }
    StringBuilder mapped = new StringBuilder(password.length());
    for (int i = 0; i < password.length(); ) {
      int cp = password.codePointAt(i);
      i += Character.charCount(cp);
      if (isMappedToNothing(cp)) {
        continue;
      }
      mapped.appendCodePoint(isNonAsciiSpace(cp) ? ' ' : cp);
    }
    String normalized = Normalizer.normalize(mapped, Normalizer.Form.NFKC);
    if (normalized.isEmpty() || normalized.codePoints().anyMatch(SaslPrep::isProhibited)) {
      return password;
    }
    return normalized;
  }

  /** RFC 3454 table B.1. */
  private static boolean isMappedToNothing(int cp) {
    return cp == 0x00AD || cp == 0x034F || cp == 0x1806 || (cp >= 0x180B && cp <= 0x180D)
        || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || (cp >= 0xFE00 && cp <= 0xFE0F)
        || cp == 0xFEFF;
  }

  /** RFC 3454 table C.1.2. */
  private static boolean isNonAsciiSpace(int cp) {
    return cp == 0x00A0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F
        || cp == 0x205F || cp == 0x3000;
  }

  /** Control characters, private use, surrogates, non-characters and unassigned code points. */
  private static boolean isProhibited(int cp) {
    int type = Character.getType(cp);
    return type == Character.CONTROL || type == Character.PRIVATE_USE
        || type == Character.SURROGATE || type == Character.UNASSIGNED
        || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE
        || isNonAsciiSpace(cp) || (cp >= 0x2FF0 && cp <= 0x2FFB)
        || (cp >= 0x200E && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E)
        || (cp >= 0x206A && cp <= 0x206F) || cp == 0xE0001 || (cp >= 0xE0020 && cp <= 0xE007F);
  }
}
