package io.basalt.planner.lexer;

/** Token kinds of PostgreSQL's lexical structure. Whitespace and comments are not tokens. */
public enum TokenKind {
  /** Unquoted identifier or key word (case-folded text is in {@link Token#upper()}). */
  WORD,
  QUOTED_IDENTIFIER,
  /** '...', E'...', B'...', X'...', U&'...' and $tag$...$tag$ strings. */
  STRING,
  NUMBER,
  /** $1, $2, ... */
  PARAMETER,
  OPERATOR,
  /** ( ) [ ] , ; : :: . */
  PUNCTUATION
}
