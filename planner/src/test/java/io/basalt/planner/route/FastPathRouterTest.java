package io.basalt.planner.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.metadata.catalog.DistributedTable;
import io.basalt.metadata.catalog.MetadataSnapshot;
import io.basalt.metadata.catalog.Shard;
import io.basalt.planner.route.RouteDecision.FastPath;
import io.basalt.planner.route.RouteDecision.MultiShard;
import io.basalt.planner.route.RouteDecision.NotDistributed;
import io.basalt.planner.route.RouteDecision.Reference;
import io.basalt.planner.route.RouteDecision.Unsupported;
import io.basalt.planner.route.ValueSource.Literal;
import io.basalt.planner.route.ValueSource.Parameter;
import io.basalt.planner.sql.SqlParsing;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FastPathRouterTest {
  /** public.orders, hash-distributed on customer_id (bigint) in four shards. */
  static final DistributedTable ORDERS = new DistributedTable(16400, "public", "orders", 'h',
      's', 1, "customer_id", 2, 20, List.of(
          new Shard(102008, 16400, Integer.MIN_VALUE, -1073741825, List.of(1)),
          new Shard(102009, 16400, -1073741824, -1, List.of(2)),
          new Shard(102010, 16400, 0, 1073741823, List.of(1)),
          new Shard(102011, 16400, 1073741824, Integer.MAX_VALUE, List.of(2))));
  /** app.events, hash-distributed on "Tenant" (text, a quoted mixed-case name). */
  static final DistributedTable EVENTS = new DistributedTable(16450, "app", "events", 'h', 's',
      2, "Tenant", 1, 25, List.of(new Shard(102020, 16450, Integer.MIN_VALUE, -1, List.of(1)),
          new Shard(102021, 16450, 0, Integer.MAX_VALUE, List.of(2))));
  /** public.countries, a reference table. */
  static final DistributedTable COUNTRIES = new DistributedTable(16410, "public", "countries",
      'n', 't', 3, null, 0, 0,
      List.of(new Shard(102040, 16410, null, null, List.of(0, 1, 2))));
  /** public.items: an append-distributed table (neither hash nor reference). */
  static final DistributedTable ITEMS = new DistributedTable(16420, "public", "items", 'a', 'c',
      0, "id", 1, 20, List.of());

  static final MetadataSnapshot SNAPSHOT = MetadataSnapshot.of(1, List.of(),
      List.of(ORDERS, EVENTS, COUNTRIES, ITEMS));

  /** search_path = public, app: a name is [schema, name] or [name] found in the first of them. */
  static Optional<DistributedTable> resolve(List<String> names) {
    List<String> schemas = names.size() == 2 ? List.of(names.get(0)) : List.of("public", "app");
    String name = names.get(names.size() - 1);
    if (names.size() > 2) {
      return Optional.empty();
    }
    for (String schema : schemas) {
      Optional<DistributedTable> found = SNAPSHOT.tables().values().stream()
          .filter(t -> t.schema().equals(schema) && t.name().equals(name)).findFirst();
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  static RouteDecision route(String sql) {
    return FastPathRouter.route(SqlParsing.parse(sql), FastPathRouterTest::resolve);
  }

  static void assertFastPath(DistributedTable table, ValueSource value, String sql) {
    assertEquals(new FastPath(table, value), route(sql), sql);
  }

  static void assertMultiShard(DistributedTable table, String sql) {
    assertEquals(new MultiShard(table), route(sql), sql);
  }

  static void assertUnsupported(String reasonPart, String sql) {
    RouteDecision decision = route(sql);
    Unsupported unsupported = assertInstanceOf(Unsupported.class, decision, sql);
    assertTrue(unsupported.reason().contains(reasonPart),
        sql + ": reason \"" + unsupported.reason() + "\" should mention \"" + reasonPart + "\"");
  }

  static Literal number(String text) {
    return new Literal(text, false);
  }

  static Literal string(String text) {
    return new Literal(text, true);
  }

  // --- NotDistributed -------------------------------------------------------------------------

  @Test
  void noDistributedTableRunsLocally() {
    assertEquals(new NotDistributed(), route("select * from local_table where customer_id = 1"));
    assertEquals(new NotDistributed(), route("select 1"));
    assertEquals(new NotDistributed(), route("insert into local_table (a) values (1), (2)"));
    assertEquals(new NotDistributed(),
        route("select * from local_a join local_b on local_a.id = local_b.id"));
    assertEquals(new NotDistributed(),
        route("with c as (select 1) select * from c union select 2"));
  }

  @Test
  void columnOrAliasNamedLikeADistributedTableIsNotAReference() {
    // "orders" is only a column and an alias here, never a relation.
    assertEquals(new NotDistributed(), route("select orders from local_table orders"));
    assertEquals(new NotDistributed(), route("select t.orders from local_table t"));
  }

  @Test
  void aDifferentSchemaIsADifferentTable() {
    assertEquals(new NotDistributed(), route("select * from other.orders where customer_id = 1"));
  }

  // --- SELECT fast path -------------------------------------------------------------------------

  @Test
  void selectWithDistributionColumnEqualToNumber() {
    assertFastPath(ORDERS, number("5"), "select * from orders where customer_id = 5");
  }

  @Test
  void selectWithConstantOnTheLeft() {
    assertFastPath(ORDERS, number("5"), "select * from orders where 5 = customer_id");
  }

  @Test
  void selectWithParameter() {
    assertFastPath(ORDERS, new Parameter(0), "select * from orders where customer_id = $1");
    assertFastPath(ORDERS, new Parameter(2),
        "select * from orders where $3 = customer_id and amount > $1");
  }

  @Test
  void selectWithStringConstantKeepsTheTextUnquoted() {
    assertFastPath(EVENTS, string("acme"), "select * from events where \"Tenant\" = 'acme'");
    assertFastPath(EVENTS, string("it's"), "select * from events where \"Tenant\" = 'it''s'");
  }

  @Test
  void negativeNumberKeepsItsSign() {
    assertFastPath(ORDERS, number("-7"), "select * from orders where customer_id = -7");
  }

  @Test
  void schemaQualifiedTable() {
    assertFastPath(EVENTS, string("x"), "select * from app.events where \"Tenant\" = 'x'");
    assertFastPath(ORDERS, number("1"),
        "select * from public.orders where public.orders.customer_id = 1");
  }

  @Test
  void columnQualifiedByTableName() {
    assertFastPath(ORDERS, number("9"), "select * from orders where orders.customer_id = 9");
  }

  @Test
  void columnQualifiedByAlias() {
    assertFastPath(ORDERS, number("9"), "select * from orders o where o.customer_id = 9");
    assertFastPath(ORDERS, number("9"), "select * from orders as o where o.customer_id = 9");
    assertFastPath(ORDERS, number("9"), "select * from orders o where customer_id = 9");
  }

  @Test
  void tableNameDoesNotQualifyOnceAliased() {
    // PostgreSQL rejects orders.customer_id once orders is aliased; it must not pin.
    assertMultiShard(ORDERS, "select * from orders o where orders.customer_id = 9");
  }

  @Test
  void otherTablesColumnDoesNotPin() {
    assertMultiShard(ORDERS, "select * from orders where other.customer_id = 9");
    assertMultiShard(ORDERS, "select * from orders where amount = 9");
  }

  @Test
  void castsOnTheConstantAreLookedThrough() {
    assertFastPath(ORDERS, number("5"), "select * from orders where customer_id = 5::int");
    assertFastPath(EVENTS, string("x"), "select * from events where \"Tenant\" = 'x'::text");
    assertFastPath(ORDERS, new Parameter(0),
        "select * from orders where customer_id = cast($1 as bigint)");
    assertFastPath(ORDERS, string("5"),
        "select * from orders where customer_id = '5'::text::bigint");
  }

  /**
   * A cast that may change the value or how it compares is not looked through: 1.4::int is 1,
   * 'ab  '::char(5) equals several texts, 5::numeric(2,0) rounds, '05'::int::text is '5'.
   */
  @Test
  void castsThatChangeTheValueDoNotPin() {
    assertMultiShard(ORDERS, "select * from orders where customer_id = 1.4::numeric");
    assertMultiShard(ORDERS, "select * from orders where customer_id = 5::numeric(2,0)");
    assertMultiShard(ORDERS, "select * from orders where customer_id = 5::float8");
    assertMultiShard(EVENTS, "select * from events where \"Tenant\" = 'ab  '::char(5)");
    assertMultiShard(EVENTS, "select * from events where \"Tenant\" = '05'::int::text");
    assertMultiShard(EVENTS, "select * from events where \"Tenant\" = 'abc'::varchar(2)");
  }

  @Test
  void castOnTheColumnDoesNotPin() {
    assertMultiShard(ORDERS, "select * from orders where customer_id::text = '5'");
    assertMultiShard(ORDERS, "select * from orders where cast(customer_id as int) = 5");
  }

  @Test
  void pinningConjunctAmongOthersInAnAndTree() {
    assertFastPath(ORDERS, number("3"),
        "select id, amount from orders where amount > 10 and (status = 'a' or status = 'b')"
            + " and customer_id = 3 and id < 100 order by id limit 5");
  }

  @Test
  void equalityUnderOrDoesNotPin() {
    assertMultiShard(ORDERS, "select * from orders where customer_id = 1 or amount > 3");
    assertMultiShard(ORDERS, "select * from orders where (customer_id = 1 or customer_id = 2)");
    assertMultiShard(ORDERS, "select * from orders where not (customer_id = 1)");
  }

  @Test
  void nullNeverPins() {
    assertMultiShard(ORDERS, "select * from orders where customer_id is null");
    assertMultiShard(ORDERS, "select * from orders where customer_id = null");
    assertMultiShard(ORDERS, "select * from orders where customer_id = null::bigint");
  }

  @Test
  void twoDifferentEqualitiesOnTheColumnRunEverywhere() {
    assertMultiShard(ORDERS, "select * from orders where customer_id = 1 and customer_id = 2");
    assertMultiShard(ORDERS, "select * from orders where customer_id = 1 and customer_id = $1");
  }

  @Test
  void theSameEqualityTwiceStillPins() {
    assertFastPath(ORDERS, number("1"),
        "select * from orders where customer_id = 1 and orders.customer_id = 1");
  }

  @Test
  void noWhereOrOtherComparisonsRunEverywhere() {
    assertMultiShard(ORDERS, "select count(*) from orders");
    assertMultiShard(ORDERS, "select * from orders where customer_id > 5");
    assertMultiShard(ORDERS, "select * from orders where customer_id in (1, 2)");
    assertMultiShard(ORDERS, "select * from orders where customer_id = amount");
  }

  @Test
  void selectForUpdateStillPins() {
    assertFastPath(ORDERS, number("4"),
        "select * from orders where customer_id = 4 for update");
  }

  @Test
  void columnAliasListDoesNotPin() {
    // FROM orders o(a, b) renames customer_id's neighbours or itself: no guessing.
    assertMultiShard(ORDERS, "select * from orders o(x, y) where x = 1");
  }

  // --- SELECT: unsupported shapes ----------------------------------------------------------------

  @Test
  void joinsAreUnsupported() {
    assertUnsupported("join",
        "select * from orders o join countries c on o.country = c.code where o.customer_id = 1");
    assertUnsupported("join", "select * from orders, local_table where customer_id = 1");
    assertUnsupported("join",
        "select * from local_table l join orders o on true where o.customer_id = 1");
  }

  @Test
  void subqueriesAreUnsupported() {
    assertUnsupported("subquer",
        "select * from orders where customer_id = 1 and id in (select id from local_table)");
    assertUnsupported("subquer",
        "select (select max(amount) from orders) from orders where customer_id = 1");
    assertUnsupported("subquer", "select * from (select * from orders) s where customer_id = 1");
    assertUnsupported("subquer",
        "select * from orders where customer_id = 1 and exists (select 1)");
    assertUnsupported("subquer",
        "select * from local_table where id in (select id from orders where customer_id = 1)");
  }

  @Test
  void ctesAreUnsupported() {
    assertUnsupported("common table expression",
        "with x as (select * from orders where customer_id = 1) select * from x");
    assertUnsupported("common table expression",
        "with x as (select 1) select * from orders where customer_id = 1");
  }

  @Test
  void setOperationsAreUnsupported() {
    assertUnsupported("set operation", "select customer_id from orders where customer_id = 1"
        + " union select customer_id from orders where customer_id = 2");
    assertUnsupported("set operation",
        "select customer_id from orders where customer_id = 1 except select 1");
  }

  @Test
  void tablesThatAreNeitherHashNorReferenceAreUnsupported() {
    assertUnsupported("neither hash-distributed nor a reference table",
        "select * from items where id = 1");
  }

  // --- UPDATE / DELETE -------------------------------------------------------------------------

  @Test
  void updatePinnedByEquality() {
    assertFastPath(ORDERS, new Parameter(1),
        "update orders set amount = $1 where customer_id = $2");
    assertFastPath(ORDERS, number("8"),
        "update orders as o set amount = amount + 1 where o.customer_id = 8 and id = 2");
  }

  @Test
  void updateWithoutPinRunsEverywhere() {
    assertMultiShard(ORDERS, "update orders set amount = 0");
    assertMultiShard(ORDERS, "update orders set amount = 0 where customer_id = 1 or id = 2");
  }

  @Test
  void updateOfTheDistributionColumnIsUnsupported() {
    assertEquals(new Unsupported("modifying the partition value of rows is not allowed"),
        route("update orders set customer_id = 2 where customer_id = 1"));
    assertEquals(new Unsupported("modifying the partition value of rows is not allowed"),
        route("update orders set amount = 1, customer_id = $1"));
    assertEquals(new Unsupported("modifying the partition value of rows is not allowed"),
        route("update orders set customer_id = customer_id + 1 where customer_id = 1"));
  }

  @Test
  void selfAssignmentOfTheDistributionColumnIsANoOp() {
    // Citus accepts a no-op self-assignment (reference section 4.5).
    assertFastPath(ORDERS, number("1"),
        "update orders set customer_id = customer_id, amount = 2 where customer_id = 1");
  }

  @Test
  void updateWithFromOrSubqueryIsUnsupported() {
    assertUnsupported("join",
        "update orders set amount = 1 from local_table l where orders.customer_id = 1");
    assertUnsupported("subquer",
        "update orders set amount = (select 1) where customer_id = 1");
    assertUnsupported("subquer", "update orders set amount = 1 where customer_id = 1"
        + " and id in (select id from local_table)");
  }

  @Test
  void deletePinnedByEquality() {
    assertFastPath(ORDERS, number("11"), "delete from orders where customer_id = 11");
    assertFastPath(ORDERS, new Parameter(0),
        "delete from orders o where o.customer_id = $1 and o.id = $2");
  }

  @Test
  void deleteWithoutPinOrWithUsing() {
    assertMultiShard(ORDERS, "delete from orders where customer_id is null");
    assertMultiShard(ORDERS, "delete from orders");
    assertUnsupported("join", "delete from orders using local_table l"
        + " where orders.customer_id = 1");
  }

  @Test
  void returningDoesNotChangeTheRoute() {
    assertFastPath(ORDERS, number("1"),
        "delete from orders where customer_id = 1 returning id, amount");
    assertFastPath(ORDERS, number("1"),
        "update orders set amount = 0 where customer_id = 1 returning *");
    assertFastPath(ORDERS, number("1"),
        "insert into orders (id, customer_id) values (7, 1) returning id");
    assertUnsupported("subquer",
        "delete from orders where customer_id = 1 returning (select 1)");
  }

  // --- INSERT ------------------------------------------------------------------------------------

  @Test
  void singleRowInsertPinnedByTheColumnListPosition() {
    assertFastPath(ORDERS, number("42"),
        "insert into orders (id, customer_id, amount) values (1, 42, 3)");
    assertFastPath(ORDERS, new Parameter(1),
        "insert into orders (id, customer_id) values ($1, $2)");
    assertFastPath(EVENTS, string("acme"),
        "insert into app.events (\"Tenant\", payload) values ('acme'::text, '{}')");
  }

  @Test
  void insertWithoutTheDistributionColumn() {
    assertEquals(new Unsupported("cannot perform an INSERT without a partition column value"),
        route("insert into orders (id, amount) values (1, 2)"));
    assertEquals(new Unsupported("cannot perform an INSERT without a partition column value"),
        route("insert into orders default values"));
  }

  @Test
  void insertOfNullIntoTheDistributionColumn() {
    assertEquals(new Unsupported("cannot perform an INSERT with NULL in the partition column"),
        route("insert into orders (customer_id, id) values (null, 1)"));
  }

  @Test
  void insertOfAnExpressionIsNotDeferredHere() {
    assertUnsupported("constant or a parameter",
        "insert into orders (customer_id) values (nextval('s'))");
    assertUnsupported("constant or a parameter",
        "insert into orders (customer_id) values (1 + 1)");
  }

  @Test
  void multiRowAndSelectInsertsAreUnsupported() {
    assertUnsupported("multi-row",
        "insert into orders (id, customer_id) values (1, 1), (2, 2)");
    assertUnsupported("INSERT ... SELECT",
        "insert into orders (id, customer_id) select 1, 2");
    assertUnsupported("INSERT ... SELECT",
        "insert into orders (id, customer_id) select id, customer_id from local_table");
    assertUnsupported("subquer",
        "insert into orders (id, customer_id) values ((select 1), 2)");
  }

  @Test
  void insertWithoutColumnListIsUnsupported() {
    assertUnsupported("column list", "insert into orders values (1, 2, 3)");
  }

  @Test
  void insertOnConflictMustNotChangeTheDistributionColumn() {
    assertFastPath(ORDERS, number("1"), "insert into orders (id, customer_id) values (1, 1)"
        + " on conflict (id, customer_id) do update set amount = excluded.amount");
    assertFastPath(ORDERS, number("1"), "insert into orders (id, customer_id) values (1, 1)"
        + " on conflict do nothing");
    assertEquals(new Unsupported("modifying the partition value of rows is not allowed"),
        route("insert into orders (id, customer_id) values (1, 1)"
            + " on conflict (id) do update set customer_id = 2"));
  }

  // --- Reference tables ----------------------------------------------------------------------

  @Test
  void referenceTableReadsAndWrites() {
    assertEquals(new Reference(COUNTRIES), route("select * from countries where code = 'fr'"));
    assertEquals(new Reference(COUNTRIES), route("select * from countries"));
    assertEquals(new Reference(COUNTRIES),
        route("insert into countries (code, name) values ('fr', 'France'), ('de', 'Germany')"));
    assertEquals(new Reference(COUNTRIES), route("update countries set name = 'x' returning *"));
    assertEquals(new Reference(COUNTRIES), route("delete from countries c where c.code = $1"));
  }

  @Test
  void referenceTableInAJoinOrSubqueryIsUnsupported() {
    assertUnsupported("join",
        "select * from countries c join local_table l on c.code = l.code");
    assertUnsupported("subquer",
        "select * from countries where code in (select code from local_table)");
  }

  // --- shardIndex --------------------------------------------------------------------------------

  @Test
  void shardIndexFindsTheRangeHoldingTheHash() {
    assertEquals(0, FastPathRouter.shardIndex(ORDERS, Integer.MIN_VALUE));
    assertEquals(0, FastPathRouter.shardIndex(ORDERS, -1073741825));
    assertEquals(1, FastPathRouter.shardIndex(ORDERS, -1073741824));
    assertEquals(1, FastPathRouter.shardIndex(ORDERS, -1));
    assertEquals(2, FastPathRouter.shardIndex(ORDERS, 0));
    assertEquals(3, FastPathRouter.shardIndex(ORDERS, Integer.MAX_VALUE));
  }

  @Test
  void shardIndexOfAGapIsMinusOne() {
    DistributedTable gapped = new DistributedTable(1, "public", "g", 'h', 's', 1, "id", 1, 20,
        List.of(new Shard(1, 1, Integer.MIN_VALUE, -100, List.of(1)),
            new Shard(2, 1, 100, Integer.MAX_VALUE, List.of(1))));
    assertEquals(-1, FastPathRouter.shardIndex(gapped, 0));
    assertEquals(1, FastPathRouter.shardIndex(gapped, 100));
  }

  @Test
  void shardIndexOfAReferenceTableIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> FastPathRouter.shardIndex(COUNTRIES, 0));
  }
}
