package io.basalt.coordinator.session;

import io.basalt.coordinator.copy.StringConstants;
import io.basalt.error.BasaltException;
import io.basalt.executor.adaptive.PoolSettings;
import io.basalt.planner.lexer.Token;
import io.basalt.planner.lexer.TokenKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks a client's {@code SET citus.<executor setting>} before the coordinator database takes
 * it. Those settings are placeholders there, which accept any text; Citus defines them, so a bad
 * value fails at the SET with PostgreSQL's 22023, and so it does here.
 */
final class ExecutorSettingCheck {
  private ExecutorSettingCheck() {}

  /**
   * Throws 22023 when {@code tokens} SET one of the executor settings (or the coordinator's own
   * citus.* booleans) to a value it refuses.
   */
  static void check(List<Token> tokens) {
    if (tokens.isEmpty() || !tokens.get(0).isWord("SET")) {
      return;
    }
    int i = 1;
    if (i < tokens.size() && (tokens.get(i).isWord("SESSION") || tokens.get(i).isWord("LOCAL"))) {
      i++;
    }
    StringBuilder name = new StringBuilder();
    while (i < tokens.size() && !tokens.get(i).isWord("TO") && !tokens.get(i).is("=")) {
      name.append(tokens.get(i).text());
      i++;
    }
    String setting = name.toString().toLowerCase(Locale.ROOT);
    int at = PoolSettings.NAMES.indexOf(setting);
    boolean coordinatorOwn = SessionSettings.COORDINATOR_NAMES.contains(setting);
    if ((at < 0 && !coordinatorOwn) || i + 1 >= tokens.size()) {
      return;
    }
    Token value = tokens.get(i + 1);
    if (value.isWord("DEFAULT") || tokens.size() > i + 2 + (last(tokens).is(";") ? 1 : 0)) {
      return; // a list or an expression: PostgreSQL's own SET reports what is wrong with it
    }
    String text = value.text();
    if (value.kind() == TokenKind.STRING) {
      try {
        text = StringConstants.value(text);
      } catch (BasaltException e) {
        return; // a form read nowhere here: PostgreSQL's own SET judges it
      }
    }
    if (coordinatorOwn) {
      PoolSettings.bool(text, setting, false); // both are booleans
      return;
    }
    List<String> values = new ArrayList<>();
    for (int k = 0; k < PoolSettings.NAMES.size(); k++) {
      values.add(null);
    }
    values.set(at, text);
    PoolSettings.of(values);
  }

  private static Token last(List<Token> tokens) {
    return tokens.get(tokens.size() - 1);
  }

}
