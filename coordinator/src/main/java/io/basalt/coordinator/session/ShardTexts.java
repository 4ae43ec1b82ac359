package io.basalt.coordinator.session;

import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * One statement's text for each shard index, built on first use: a prepared statement runs with
 * the same text on a shard again and again, and building it (shard names, quoting, splicing) cost
 * more than the rest of a routed Execute's planning. Only the session's thread uses it.
 */
final class ShardTexts {
  private String[] texts = new String[0];

  /** The text for shard {@code index} (0 or more), from {@code build} the first time. */
  String get(int index, IntFunction<String> build) {
    if (index < 0) {
      return build.apply(index);
    }
    if (index >= texts.length) {
      texts = Arrays.copyOf(texts, Math.max(index + 1, texts.length * 2));
    }
    String text = texts[index];
    if (text == null) {
      text = build.apply(index);
      texts[index] = text;
    }
    return text;
  }
}
