package io.basalt.planner.multi;

import java.math.BigDecimal;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlUtil;

/**
 * The select list with its result column names, and how GROUP BY and ORDER BY items refer to
 * it: by position ({@code GROUP BY 1}) or by output name, as PostgreSQL resolves them.
 *
 * @param items the items, each perhaps under AS
 * @param names the result column names, as PostgreSQL gives them
 */
record SelectList(List<SqlNode> items, List<String> names) {
  SelectList {
    items = List.copyOf(items);
    names = List.copyOf(names);
  }

  static SelectList of(List<SqlNode> items, SourceText source) {
    return new SelectList(items, items.stream().map(item -> OutputNames.of(item, source)).toList());
  }

  int size() {
    return items.size();
  }

  /** The i-th item's expression (0-based), without its alias. */
  SqlNode expression(int i) {
    return SqlUtil.stripAs(items.get(i));
  }

  /**
   * The 0-based item a constant GROUP BY or ORDER BY item stands for, or empty when the item is
   * no constant.
   *
   * @throws NotSplittable for a constant PostgreSQL rejects (not an integer, or out of range)
   */
  OptionalInt position(SqlNode item) {
    boolean negated = item.getKind() == SqlKind.MINUS_PREFIX
        && ((SqlCall) item).operand(0) instanceof SqlLiteral;
    if (negated || item instanceof SqlLiteral && !(item instanceof SqlNumericLiteral)) {
      throw new NotSplittable("constant " + item + " is no position in the select list");
    }
    if (!(item instanceof SqlNumericLiteral number)) {
      return OptionalInt.empty();
    }
    BigDecimal value = number.bigDecimalValue();
    if (!number.isInteger() || value == null || value.signum() <= 0
        || value.compareTo(BigDecimal.valueOf(size())) > 0) {
      throw new NotSplittable("position " + item + " is not in the select list");
    }
    return OptionalInt.of(value.intValueExact() - 1);
  }

  /**
   * The 0-based item a bare name stands for as an output column name, or empty when the item
   * is no bare name or no output column has it.
   *
   * @throws NotSplittable when several output columns have it
   */
  OptionalInt named(SqlNode item) {
    if (!(item instanceof SqlIdentifier id) || !id.isSimple()) {
      return OptionalInt.empty();
    }
    int[] matches = IntStream.range(0, size())
        .filter(i -> names.get(i).equals(id.getSimple())).toArray();
    if (matches.length > 1) {
      throw new NotSplittable("output name " + id + " is ambiguous");
    }
    return matches.length == 1 ? OptionalInt.of(matches[0]) : OptionalInt.empty();
  }
}
