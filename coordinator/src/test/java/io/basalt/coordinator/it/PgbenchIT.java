package io.basalt.coordinator.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** pgbench through Basalt: initialisation, then select-only runs in simple and prepared modes. */
class PgbenchIT {
  @BeforeAll
  static void init() throws Exception {
    Proc.Result r = Pgbench.init();
    assertTrue(r.err().contains("done"), r.all());
  }

  @AfterAll
  static void dropTables() throws Exception {
    Pgbench.dropTables();
  }

  private static void bench(String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("-S", "-T", "3", "-c", "4", "-j", "2"));
    args.addAll(List.of(extra));
    Proc.Result r = Pgbench.run(args, Duration.ofSeconds(60));
    Pgbench.processed(r);
    assertTrue(r.out().contains("tps = "), r.all());
  }

  @Test
  void selectOnlySimpleProtocol() throws Exception {
    bench();
  }

  @Test
  void selectOnlyPreparedProtocol() throws Exception {
    bench("-M", "prepared");
  }

  @Test
  void selectOnlyExtendedProtocol() throws Exception {
    bench("-M", "extended");
  }
}
