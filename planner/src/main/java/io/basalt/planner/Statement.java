package io.basalt.planner;

import io.basalt.planner.lexer.Token;
import java.util.List;

/**
 * One statement of a query string: its text as the client wrote it (without the terminating
 * semicolon), its tokens, and its kind. {@code argument} carries the encoding name for
 * SET_CLIENT_ENCODING (null for RESET / DEFAULT).
 */
public record Statement(String text, List<Token> tokens, StatementKind kind, String argument) {
  public Statement {
    tokens = List.copyOf(tokens);
  }
}
