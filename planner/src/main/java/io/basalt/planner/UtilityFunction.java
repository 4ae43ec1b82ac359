package io.basalt.planner;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Citus's functions that change the cluster. {@link #coordinatorRun} ones must reach the workers
 * and are carried out by the coordinator when called as a top-level SELECT; the others are SQL
 * functions of the coordinator database that change only the catalog, after which the
 * coordinator re-reads it.
 */
public enum UtilityFunction {
  CREATE_DISTRIBUTED_TABLE(true),
  CREATE_REFERENCE_TABLE(true),
  UNDISTRIBUTE_TABLE(true),
  CITUS_ADD_NODE(true),
  MASTER_ADD_NODE(true),
  CITUS_CHECK_CLUSTER_NODE_HEALTH(true),
  RECOVER_PREPARED_TRANSACTIONS(true),
  CITUS_REMOVE_NODE(false),
  MASTER_REMOVE_NODE(false),
  CITUS_SET_NODE_PROPERTY(false),
  CITUS_SET_COORDINATOR_HOST(false),
  TRUNCATE_LOCAL_DATA_AFTER_DISTRIBUTING_TABLE(false);

  private static final Map<String, UtilityFunction> BY_NAME = Arrays.stream(values())
      .collect(Collectors.toMap(UtilityFunction::sqlName, Function.identity()));

  private final boolean coordinatorRun;

  UtilityFunction(boolean coordinatorRun) {
    this.coordinatorRun = coordinatorRun;
  }

  public String sqlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean coordinatorRun() {
    return coordinatorRun;
  }

  public static Optional<UtilityFunction> byName(String name) {
    return Optional.ofNullable(BY_NAME.get(name.toLowerCase(Locale.ROOT)));
  }
}
