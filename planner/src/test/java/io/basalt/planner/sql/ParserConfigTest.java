package io.basalt.planner.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * config.fmpp replaces Calcite's default list of non-reserved key words (to reserve RETURNING);
 * after a Calcite upgrade the copy must follow the jar's list.
 */
class ParserConfigTest {
  private static final Pattern WORD = Pattern.compile("\"([A-Z0-9_]+)\"");

  @Test
  void nonReservedKeywordsAreCalcitesLessReturning() throws Exception {
    String calcite = RoundTripTest.resource("codegen/default_config.fmpp");
    String ours = Files.readString(Path.of("src/main/codegen/config.fmpp"));
    List<String> expected = new ArrayList<>(list(calcite, "nonReservedKeywords"));
    expected.remove("RETURNING");
    assertEquals(expected, list(ours, "nonReservedKeywords"));
  }

  /** The quoted words of "name: [ ... ]", comments skipped. */
  private static List<String> list(String config, String name) {
    int start = config.indexOf("\n    " + name + ": [");
    if (start < 0) {
      start = config.indexOf("\n  " + name + ": [");
    }
    int end = config.indexOf(']', start);
    List<String> words = new ArrayList<>();
    for (String line : config.substring(start, end).split("\n")) {
      if (!line.strip().startsWith("#")) {
        Matcher m = WORD.matcher(line);
        while (m.find()) {
          words.add(m.group(1));
        }
      }
    }
    return words;
  }
}
