package io.basalt.planner.lexer;

import java.util.Locale;

/** A token with its position in the statement text ({@code start} inclusive, {@code end} exclusive). */
public record Token(TokenKind kind, String text, int start, int end) {

  public String upper() {
    return text.toUpperCase(Locale.ROOT);
  }

  public boolean isWord(String keyword) {
    return kind == TokenKind.WORD && text.equalsIgnoreCase(keyword);
  }

  public boolean is(String punctuation) {
    return (kind == TokenKind.PUNCTUATION || kind == TokenKind.OPERATOR)
        && text.equals(punctuation);
  }
}
