/** A PostgreSQL-aware lexer: comments, quoted identifiers, E'' and dollar-quoted strings, $n. */
package io.basalt.planner.lexer;
