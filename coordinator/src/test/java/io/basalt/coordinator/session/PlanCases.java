package io.basalt.coordinator.session;

import io.basalt.coordinator.dist.GoldenFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The statements of the golden plan files (golden/plans/NAME.sql) and what NAME.txt expects of
 * each: {@link PlanGoldenTest} writes the .txt from the planner alone, and ExplainIT runs each
 * statement's EXPLAIN ANALYZE through a real cluster, checking it against the .txt.
 *
 * <p>A case is a statement ending with a semicolon at the end of a line, after optional comment
 * lines; {@code -- params: a, b} gives its $1, $2 as text (NULL for a null).
 */
public final class PlanCases {
  /** The prefix of a statement's summary line in a .txt file. */
  static final String SUMMARY = "  => ";

  private PlanCases() {}

  /** One statement, its comments, and its bind parameter values (empty: none). */
  public record Case(List<String> comments, String sql, List<String> params) {}

  /**
   * What the .txt file says of one statement: the custom scan and the task count of each task
   * list (one per gathered table for a gather), or the SQLSTATE it is refused with, or neither
   * for a statement the coordinator database runs itself.
   */
  public record Expected(String scan, List<Integer> taskCounts, String refusedState) {}

  /** The names (without .sql) of the golden plan files. */
  public static List<String> names() {
    try (Stream<Path> files = Files.list(GoldenFiles.expectedPath("plans"))) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql"))
          .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<Case> cases(String name) {
    List<Case> cases = new ArrayList<>();
    List<String> comments = new ArrayList<>();
    List<String> params = List.of();
    StringBuilder sql = new StringBuilder();
    for (String line : GoldenFiles.read("plans/" + name + ".sql").split("\n")) {
      if (sql.isEmpty() && line.startsWith("-- params:")) {
        params = Arrays.stream(line.substring("-- params:".length()).split(","))
            .map(String::strip).map(v -> v.equals("NULL") ? null : v).toList();
      } else if (sql.isEmpty() && line.startsWith("--")) {
        comments.add(line);
      } else if (!line.isBlank()) {
        sql.append(sql.isEmpty() ? "" : "\n").append(line);
        if (line.strip().endsWith(";")) {
          String text = sql.toString().strip();
          cases.add(new Case(List.copyOf(comments), text.substring(0, text.length() - 1),
              params));
          comments.clear();
          params = List.of();
          sql.setLength(0);
        }
      }
    }
    return cases;
  }

  /** The expectations of NAME.txt, in the order of its statements. */
  public static List<Expected> expected(String name) {
    List<Expected> out = new ArrayList<>();
    for (String line : GoldenFiles.read("plans/" + name + ".txt").split("\n")) {
      if (!line.startsWith(SUMMARY)) {
        continue;
      }
      String s = line.substring(SUMMARY.length());
      if (s.startsWith("refused: ")) {
        out.add(new Expected(null, List.of(), s.split(" ")[1]));
      } else if (s.startsWith("local")) {
        out.add(new Expected(null, List.of(), null));
      } else {
        String scan = s.substring(s.indexOf("Custom Scan (") + 13, s.indexOf(')'));
        List<Integer> counts = Arrays.stream(s.substring(s.indexOf("tasks ") + 6).split(", "))
            .map(Integer::valueOf).toList();
        out.add(new Expected(scan, counts, null));
      }
    }
    return out;
  }
}
