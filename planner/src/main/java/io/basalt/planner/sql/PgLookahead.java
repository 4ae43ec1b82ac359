package io.basalt.planner.sql;

import static io.basalt.planner.sql.parser.PgSqlParserImplConstants.ARRAY;
import static io.basalt.planner.sql.parser.PgSqlParserImplConstants.ARRAY_AGG;
import static io.basalt.planner.sql.parser.PgSqlParserImplConstants.ARRAY_CONCAT_AGG;
import static io.basalt.planner.sql.parser.PgSqlParserImplConstants.CURSOR;
import static io.basalt.planner.sql.parser.PgSqlParserImplConstants.DOT;
import static io.basalt.planner.sql.parser.PgSqlParserImplConstants.EOF;
import static io.basalt.planner.sql.parser.PgSqlParserImplConstants.EXISTS;
import static io.basalt.planner.sql.parser.PgSqlParserImplConstants.GROUP_CONCAT;
import static io.basalt.planner.sql.parser.PgSqlParserImplConstants.JSON_ARRAYAGG;
import static io.basalt.planner.sql.parser.PgSqlParserImplConstants.JSON_OBJECTAGG;
import static io.basalt.planner.sql.parser.PgSqlParserImplConstants.LATERAL;
import static io.basalt.planner.sql.parser.PgSqlParserImplConstants.LBRACKET;
import static io.basalt.planner.sql.parser.PgSqlParserImplConstants.LPAREN;
import static io.basalt.planner.sql.parser.PgSqlParserImplConstants.MULTISET;
import static io.basalt.planner.sql.parser.PgSqlParserImplConstants.ORDER;
import static io.basalt.planner.sql.parser.PgSqlParserImplConstants.RBRACKET;
import static io.basalt.planner.sql.parser.PgSqlParserImplConstants.ROW;
import static io.basalt.planner.sql.parser.PgSqlParserImplConstants.RPAREN;
import static io.basalt.planner.sql.parser.PgSqlParserImplConstants.SELECT;
import static io.basalt.planner.sql.parser.PgSqlParserImplConstants.STRING_AGG;
import static io.basalt.planner.sql.parser.PgSqlParserImplConstants.TABLE;
import static io.basalt.planner.sql.parser.PgSqlParserImplConstants.UNNEST;
import static io.basalt.planner.sql.parser.PgSqlParserImplConstants.VALUES;
import static io.basalt.planner.sql.parser.PgSqlParserImplConstants.WITH;

import io.basalt.planner.sql.parser.PgSqlParserImpl;
import java.util.Set;

/**
 * Semantic look-ahead for the grammar (parserImpls.ftl): decisions a fixed number of tokens
 * cannot make. {@code getToken} counts from the look-ahead's scan position while the parser
 * looks ahead, so these work inside nested look-ahead as well.
 */
public final class PgLookahead {
  /** Tokens that start a call-like construct that is not an aggregate with ordered input. */
  private static final Set<Integer> NOT_AN_AGGREGATE = Set.of(ARRAY, EXISTS, ARRAY_AGG,
      ARRAY_CONCAT_AGG, GROUP_CONCAT, STRING_AGG, JSON_ARRAYAGG, JSON_OBJECTAGG, ROW, UNNEST,
      LATERAL, TABLE, MULTISET, CURSOR, LPAREN, EOF);
  /** Tokens that start a query directly inside parentheses. */
  private static final Set<Integer> QUERY_START = Set.of(SELECT, WITH, VALUES, TABLE);

  private PgLookahead() {
  }

  /**
   * Whether the tokens ahead are {@code name[.name...]( ... ORDER BY ... )} with the ORDER
   * directly inside the call's parentheses: an aggregate with ordered input. Not for
   * constructs whose parentheses hold a query (ARRAY(SELECT ... ORDER BY ...), EXISTS (...)),
   * nor for the ordered aggregates Calcite has rules of its own for (ARRAY_AGG, STRING_AGG,
   * GROUP_CONCAT, JSON_ARRAYAGG, JSON_OBJECTAGG).
   */
  public static boolean orderedAggregate(PgSqlParserImpl p) {
    if (NOT_AN_AGGREGATE.contains(p.getToken(1).kind)) {
      return false;
    }
    int i = 2;
    while (p.getToken(i).kind == DOT && i < 8) {
      i += 2;
    }
    if (p.getToken(i).kind != LPAREN || QUERY_START.contains(p.getToken(i + 1).kind)) {
      return false;
    }
    int depth = 1;
    for (i++;; i++) {
      int kind = p.getToken(i).kind;
      if (kind == LPAREN || kind == LBRACKET) {
        depth++;
      } else if (kind == RPAREN || kind == RBRACKET) {
        if (--depth == 0) {
          return false;
        }
      } else if (kind == ORDER && depth == 1) {
        return true;
      } else if (kind == EOF) {
        return false;
      }
    }
  }
}
