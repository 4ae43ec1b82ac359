package io.basalt.planner.sql;

import org.apache.calcite.sql.SqlBinaryOperator;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;

/**
 * The PostgreSQL operators Calcite does not have, as the parser builds them.
 *
 * <p>Precedence is on Calcite's scale (OR 22, AND 24, IS 28, comparison 30, BETWEEN/IN/LIKE 32,
 * + - 40, * / % 60, unary minus 80). PostgreSQL gives every operator it does not list by name,
 * jsonb's and || among them, one level between LIKE and + -, left-associative: here 36. So
 * {@code a ->> 'k' || 'x'} is {@code (a ->> 'k') || 'x'} and {@code a || b + c} is
 * {@code a || (b + c)}, as in PostgreSQL (Calcite's own || binds like *).
 */
public final class PgOperators {
  /** PostgreSQL's "any other operator" level. */
  public static final int OTHER_OPERATOR_PRECEDENCE = 36;
  /** AT TIME ZONE: tighter than ^, looser than unary minus. */
  public static final int AT_TIME_ZONE_PRECEDENCE = 70;
  /** ^ (exponentiation): tighter than * and /. */
  public static final int POWER_PRECEDENCE = 64;

  /** jsonb -> key or index. */
  public static final SqlBinaryOperator JSON_FIELD = other("->");
  /** jsonb ->> key or index, as text. */
  public static final SqlBinaryOperator JSON_FIELD_TEXT = other("->>");
  /** jsonb #> path. */
  public static final SqlBinaryOperator JSON_PATH = other("#>");
  /** jsonb #>> path, as text. */
  public static final SqlBinaryOperator JSON_PATH_TEXT = other("#>>");
  /** @> (jsonb, arrays, ranges). */
  public static final SqlBinaryOperator CONTAINS = other("@>");
  /** &lt;@ (jsonb, arrays, ranges). */
  public static final SqlBinaryOperator CONTAINED_BY = other("<@");
  /** jsonb ? key. */
  public static final SqlBinaryOperator KEY_EXISTS = other("?");
  /** jsonb ?| keys. */
  public static final SqlBinaryOperator ANY_KEY_EXISTS = other("?|");
  /** jsonb ?&amp; keys. */
  public static final SqlBinaryOperator ALL_KEYS_EXIST = other("?&");
  /** || (text, arrays, jsonb) at PostgreSQL's precedence. */
  public static final SqlBinaryOperator CONCAT = other("||");
  /** ^: exponentiation in PostgreSQL (Calcite's ^ is bitwise XOR). */
  public static final SqlBinaryOperator POWER = new SqlBinaryOperator("^", SqlKind.OTHER,
      POWER_PRECEDENCE, true, null, null, null);
  /** timestamp AT TIME ZONE zone. */
  public static final SqlBinaryOperator AT_TIME_ZONE = new SqlBinaryOperator("AT TIME ZONE",
      SqlKind.OTHER, AT_TIME_ZONE_PRECEDENCE, true, null, null, null);

  /** interval 'text': PostgreSQL's interval literal, one operand (the text). */
  public static final SqlSpecialOperator INTERVAL = new SqlSpecialOperator("INTERVAL",
      SqlKind.OTHER, 100) {
    @Override public void unparse(SqlWriter writer, SqlCall call, int leftPrec,
        int rightPrec) {
      writer.keyword("INTERVAL");
      call.operand(0).unparse(writer, 0, 0);
    }
  };

  /**
   * The first select item of SELECT DISTINCT ON (keys) item: operands are the key list and the
   * item. It is only valid there; {@link #distinctOnKeys} reads it.
   */
  public static final SqlSpecialOperator DISTINCT_ON = new SqlSpecialOperator("DISTINCT ON",
      SqlKind.OTHER, 100) {
    @Override public void unparse(SqlWriter writer, SqlCall call, int leftPrec,
        int rightPrec) {
      writer.keyword("ON");
      PgUnparse.parenthesized(writer, call.operand(0));
      call.operand(1).unparse(writer, 0, 0);
    }
  };

  /** expression COLLATE collation: operands are the expression and the collation's name. */
  public static final SqlSpecialOperator COLLATE = new SqlSpecialOperator("COLLATE",
      SqlKind.OTHER, 90) {
    @Override public void unparse(SqlWriter writer, SqlCall call, int leftPrec,
        int rightPrec) {
      call.operand(0).unparse(writer, leftPrec, getLeftPrec());
      writer.keyword("COLLATE");
      call.operand(1).unparse(writer, 0, 0);
    }
  };

  /** INSERT's DEFAULT VALUES source; no operands. */
  public static final SqlSpecialOperator DEFAULT_VALUES = new SqlSpecialOperator(
      "DEFAULT VALUES", SqlKind.OTHER, 0) {
    @Override public void unparse(SqlWriter writer, SqlCall call, int leftPrec,
        int rightPrec) {
      writer.keyword("DEFAULT VALUES");
    }
  };

  private PgOperators() {
  }

  private static SqlBinaryOperator other(String name) {
    return new SqlBinaryOperator(name, SqlKind.OTHER, OTHER_OPERATOR_PRECEDENCE, true, null,
        null, null);
  }

  /** The DISTINCT ON keys of a SELECT, or null when it has none. */
  public static SqlNodeList distinctOnKeys(SqlSelect select) {
    if (select.getSelectList().isEmpty()) {
      return null;
    }
    SqlNode first = select.getSelectList().get(0);
    if (first.getKind() == SqlKind.AS) {
      first = ((SqlCall) first).operand(0);
    }
    if (first instanceof SqlCall call && call.getOperator() == DISTINCT_ON) {
      return call.operand(0);
    }
    return null;
  }
}
