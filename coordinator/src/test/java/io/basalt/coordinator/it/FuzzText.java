package io.basalt.coordinator.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Text helpers the seeded differential tests share (RandomQuery-, RandomWriteDifferentialIT). */
final class FuzzText {
  private FuzzText() {}

  /** The first line of a message ("" for none). */
  static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** SplitMix64 over the seed, an item and a variant: independent random streams per item. */
  static long mix(long seed, int item, int variant) {
    long z = seed * 0x9E3779B97F4A7C15L + item * 0xBF58476D1CE4E5B9L + variant * 31L + 17;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A SQL string literal. */
  static String lit(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  /**
   * How two results differ, for a report: labels, then the rows one side lacks (the first
   * {@code shown} of each), or that only their order differs. Empty when either has no rows.
   */
  static String difference(List<String> expectedLabels, List<String> expectedRows,
      List<String> actualLabels, List<String> actualRows, int shown) {
    if (expectedRows == null || actualRows == null) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    if (!Objects.equals(expectedLabels, actualLabels)) {
      out.append("\n    labels: PostgreSQL ").append(expectedLabels).append(", Basalt ")
          .append(actualLabels);
    }
    List<String> missing = new ArrayList<>(expectedRows);
    actualRows.forEach(missing::remove);
    List<String> extra = new ArrayList<>(actualRows);
    expectedRows.forEach(extra::remove);
    if (missing.isEmpty() && extra.isEmpty()) {
      if (!expectedRows.equals(actualRows)) {
        out.append("\n    same rows, other order");
      }
    } else {
      out.append("\n    missing on Basalt ").append(missing.size() <= shown ? missing
          : missing.subList(0, shown) + "...").append("; unexpected on Basalt ")
          .append(extra.size() <= shown ? extra : extra.subList(0, shown) + "...");
    }
    return out.toString();
  }
}
