package io.basalt.planner.shape;

import java.util.Objects;

/**
 * One constant or parameter of a statement, where the statement's shape has a slot.
 *
 * @param kind what the slot stands for
 * @param text the token as written, prefix and quotes included ({@code E'it\'s'}, {@code $1})
 * @param start the token's start in the lexed text (inclusive)
 * @param end the token's end in the lexed text (exclusive)
 * @param index the slot's place among the statement's slots, from 0
 * @param keyword the word right before the slot, folded ({@code limit}, {@code offset},
 *     {@code date}, {@code interval}), or "" when the token before is not a word. It belongs to
 *     the shape, so every statement of a shape has the same keyword at the same slot; later
 *     planning uses it to tell a LIMIT count or a typed literal from an ordinary value.
 */
public record Slot(SlotKind kind, String text, int start, int end, int index, String keyword) {
  public Slot {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(keyword, "keyword");
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad slot position " + start + ".." + end);
    }
    if (index < 0) {
      throw new IllegalArgumentException("negative slot index " + index);
    }
  }
}
