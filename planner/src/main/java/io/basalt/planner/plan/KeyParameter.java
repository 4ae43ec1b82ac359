package io.basalt.planner.plan;

import io.basalt.planner.lexer.Token;
import io.basalt.planner.shape.Slot;
import io.basalt.planner.shape.SlotKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The distribution value of a routed simple-protocol statement, sent to the worker as parameter
 * {@code $1} instead of in the text. Statements that differ only in that value then have the same
 * shard text, which the worker connection keeps as a named statement: the worker parses and plans
 * it once instead of for every statement (pgbench -S sends nothing else).
 *
 * <p>Only a statement whose one constant is that value qualifies, and only as a plain unsigned
 * integer literal: {@code $1} is then declared with the very type PostgreSQL gives that literal
 * (integer, bigint or numeric by its size, as the lexer and make_const choose), so the operator,
 * the implicit casts and the result are the same. Strings, signed or typed constants, and
 * statements with other constants keep their text as it is.
 */
public record KeyParameter(Slot slot, int typeOid) {
  public static final int INT4 = 23;
  public static final int INT8 = 20;
  public static final int NUMERIC = 1700;

  public KeyParameter {
    if (!isUnsignedInteger(slot.text())) {
      throw new IllegalArgumentException("not an unsigned integer literal: " + slot.text());
    }
  }

  /**
   * The key parameter of a planned statement, if it has one: a router plan whose distribution
   * value is the statement's only slot, an unsigned integer literal after an operator or
   * parenthesis.
   */
  public static Optional<KeyParameter> of(ShapePlan plan, List<Slot> slots) {
    if (!(plan instanceof ShapePlan.Router r) || !(r.value() instanceof ValueRef.Slot v)
        || v.negated() || slots.size() != 1 || v.index() != 0) {
      return Optional.empty();
    }
    Slot slot = slots.get(0);
    if (slot.kind() != SlotKind.NUMBER || !slot.keyword().isEmpty()
        || !isUnsignedInteger(slot.text())) {
      return Optional.empty();
    }
    return Optional.of(new KeyParameter(slot, literalType(slot.text())));
  }

  /** The value as the parameter's text. */
  public String value() {
    return slot.text();
  }

  /**
   * The statement's text on shard group {@code index} (as {@link TaskSql#onShards}) with the
   * value replaced by {@code $1}.
   */
  public String text(String sql, List<Token> tokens, List<TableSpot> spots, int index) {
    List<StatementText.Edit> edits = new ArrayList<>(StatementText.tableEdits(tokens, spots,
        spot -> TaskSql.shardName(spot.table(), index)));
    edits.addAll(StatementText.constraintEdits(tokens, spots, index));
    edits.add(new StatementText.Edit(slot.start(), slot.end(), "$1"));
    return StatementText.apply(sql, edits);
  }

  /** PostgreSQL's type of an unsigned integer literal: int4 if it fits, else int8, else numeric. */
  static int literalType(String digits) {
    int i = 0;
    while (i < digits.length() - 1 && digits.charAt(i) == '0') {
      i++;
    }
    String significant = digits.substring(i);
    if (fits(significant, "2147483647")) {
      return INT4;
    }
    return fits(significant, "9223372036854775807") ? INT8 : NUMERIC;
  }

  /** Whether digits without leading zeros are at most max. */
  private static boolean fits(String digits, String max) {
    return digits.length() < max.length()
        || (digits.length() == max.length() && digits.compareTo(max) <= 0);
  }

  private static boolean isUnsignedInteger(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
