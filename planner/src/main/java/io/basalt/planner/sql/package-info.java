/**
 * SQL parsing and unparsing with Calcite. {@link io.basalt.planner.sql.SqlParsing} parses
 * PostgreSQL with a parser generated at build time from Calcite's grammar template, extended with
 * the PostgreSQL syntax Calcite lacks (src/main/codegen); the Pg* node and operator classes are
 * what those extensions build, and {@link io.basalt.planner.sql.PgSqlDialect} writes a tree back as
 * PostgreSQL.
 */
package io.basalt.planner.sql;
