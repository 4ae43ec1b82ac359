package io.basalt.coordinator.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.basalt.agent.testing.TestPostgres;
import io.basalt.planner.Statement;
import io.basalt.planner.StatementClassifier;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The golden shard DDL is valid PostgreSQL and makes the table it should: every golden file runs
 * on a real server (after the shards it references are created), and the table it made is
 * described from the catalog the way \d would show it, to compare with what the shell table
 * looked like, with names given the shard suffix. Each case runs in a transaction rolled back at
 * the end.
 */
class ShardDdlPostgresTest {
  private static TestPostgres postgres;
  private static Connection connection;

  /** The shard each case creates, and its description by {@link #describe}. */
  private static final Map<String, String[]> EXPECTED = Map.of(
      "plain-columns", new String[] {"public.plain_columns_102008", """
          table plain_columns_102008 persistence p options -
          column id bigint not null
          column name text not null default 'unnamed'::text collate C
          column price numeric(10,2) default 0.00
          column created timestamp with time zone default now()
          column tags text[] default '{}'::text[]
          column flag boolean default false
          column code character varying(20) collate POSIX
          column note text default 'it''s; fine'::text
          column ts timestamp(3) without time zone
          column amount double precision not null default '-1.5'::numeric
          column ch character(3) default 'abc'::bpchar
          """},
      "bigserial", new String[] {"public.events_102009", """
          table events_102009 persistence p options -
          column id bigint not null
          column small smallint not null
          column payload jsonb
          column seen_at timestamp with time zone not null default now()
          """},
      "identity", new String[] {"public.identities_102010", """
          table identities_102010 persistence p options -
          column id bigint not null
          column alt integer not null
          column label text
          """},
      "generated", new String[] {"public.line_items_102011", """
          table line_items_102011 persistence p options -
          column price numeric(12,2) not null
          column qty integer not null default 1
          column total numeric generated stored (price * (qty)::numeric)
          column label text generated stored upper(('x'::text || qty))
          """},
      "unlogged", new String[] {"public.cache_entries_102012", """
          table cache_entries_102012 persistence u options \
          {fillfactor=70,autovacuum_enabled=false,toast_tuple_target=256}
          column key text not null
          column value bytea
          """},
      "constraints", new String[] {"public.orders_102008", """
          table orders_102008 persistence p options -
          column id bigint not null
          column customer_id bigint
          column other_id integer
          column other_code text
          column status text not null default 'open'::text
          column qty integer
          column email text
          column during tstzrange
          constraint Status Check_102008 CHECK ((status = ANY (ARRAY['open'::text, \
          'closed'::text])))
          constraint orders_code_fk_102008 FOREIGN KEY (other_code) REFERENCES \
          "My Schema"."Other Table_102100"(code) MATCH FULL ON UPDATE SET NULL
          constraint orders_customer_id_fkey_102008 FOREIGN KEY (customer_id) REFERENCES \
          customers_102040(id)
          constraint orders_email_key_102008 UNIQUE (email, id)
          constraint orders_no_overlap_102008 EXCLUDE USING gist (during WITH &&)
          constraint orders_other_fk_102008 FOREIGN KEY (other_id) REFERENCES \
          "My Schema"."Other Table_102100"(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
          constraint orders_pkey_102008 PRIMARY KEY (id)
          constraint orders_qty_check_102008 CHECK ((qty > 0))
          index orders_email_key_102008 CREATE UNIQUE INDEX orders_email_key_102008 \
          ON public.orders_102008 USING btree (email, id)
          index orders_no_overlap_102008 CREATE INDEX orders_no_overlap_102008 \
          ON public.orders_102008 USING gist (during)
          index orders_pkey_102008 CREATE UNIQUE INDEX orders_pkey_102008 \
          ON public.orders_102008 USING btree (id)
          """},
      "indexes", new String[] {"public.orders_102013", """
          table orders_102013 persistence p options -
          column id bigint not null
          column customer_id bigint
          column other_id integer
          column other_code text
          column status text not null default 'open'::text
          column qty integer
          column email text
          column during tstzrange
          index orders_cover_idx_102013 CREATE INDEX orders_cover_idx_102013 \
          ON public.orders_102013 USING btree (customer_id DESC NULLS LAST) INCLUDE (qty) \
          WITH (fillfactor='80')
          index orders_created_idx_102013 CREATE INDEX orders_created_idx_102013 \
          ON public.orders_102013 USING btree (status)
          index orders_hash_idx_102013 CREATE INDEX orders_hash_idx_102013 \
          ON public.orders_102013 USING hash (email)
          index orders_lower_email_idx_102013 CREATE UNIQUE INDEX orders_lower_email_idx_102013 \
          ON public.orders_102013 USING btree (lower(email))
          index orders_open_idx_102013 CREATE INDEX orders_open_idx_102013 \
          ON public.orders_102013 USING btree (customer_id) WHERE (status = 'open'::text)
          """},
      "on-only-index", new String[] {"public.measurements_102014", """
          table measurements_102014 persistence p options -
          column id bigint not null
          column at date not null
          column v real
          index measurements_at_idx_102014 CREATE INDEX measurements_at_idx_102014 \
          ON public.measurements_102014 USING btree (at)
          """},
      "quoted-names", new String[] {"\"Sales Dept\".\"Order Items_102015\"", """
          table Order Items_102015 persistence p options -
          column Item Id bigint not null
          column select integer
          column int text
          column Qty integer default 1
          column a"b text
          constraint Order Items_pkey_102015 PRIMARY KEY ("Item Id")
          constraint select check_102015 CHECK (("select" >= 0))
          index Mixed Idx_102015 CREATE INDEX "Mixed Idx_102015" \
          ON "Sales Dept"."Order Items_102015" USING btree ("int", "Qty")
          index Order Items_pkey_102015 CREATE UNIQUE INDEX "Order Items_pkey_102015" \
          ON "Sales Dept"."Order Items_102015" USING btree ("Item Id")
          index Order Items_select_idx_102015 CREATE INDEX "Order Items_select_idx_102015" \
          ON "Sales Dept"."Order Items_102015" USING btree ("select") WHERE ("int" <> 'x'::text)
          """},
      "long-names", new String[] {
          "public.too_long_12345678901234567890123456789012345678_e0119164_225000", """
          table too_long_12345678901234567890123456789012345678_e0119164_225000 persistence p \
          options -
          column id integer not null
          column v text
          constraint check_12345678901234567890123456789012345678901_9a51514c_225000 \
          CHECK ((id > 0))
          constraint too_long_12345678901234567890123456789012345678_ba435494_225000 UNIQUE (v)
          constraint too_long_12345678901234567890123456789012345678_ff6a01d1_225000 \
          PRIMARY KEY (id)
          index tmp_idx_123456789012345678901234567890123456789_5e470afa_225000 \
          CREATE INDEX tmp_idx_123456789012345678901234567890123456789_5e470afa_225000 \
          ON public.too_long_12345678901234567890123456789012345678_e0119164_225000 \
          USING btree (v)
          index too_long_12345678901234567890123456789012345678_ba435494_225000 \
          CREATE UNIQUE INDEX too_long_12345678901234567890123456789012345678_ba435494_225000 \
          ON public.too_long_12345678901234567890123456789012345678_e0119164_225000 \
          USING btree (v)
          index too_long_12345678901234567890123456789012345678_ff6a01d1_225000 \
          CREATE UNIQUE INDEX too_long_12345678901234567890123456789012345678_ff6a01d1_225000 \
          ON public.too_long_12345678901234567890123456789012345678_e0119164_225000 \
          USING btree (id)
          """});

  @BeforeAll
  static void startPostgres() throws SQLException {
    postgres = TestPostgres.start();
    connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.jdbcLogin());
    connection.setAutoCommit(false);
  }

  @AfterAll
  static void stopPostgres() throws SQLException {
    try {
      if (connection != null) {
        connection.close();
      }
    } finally {
      if (postgres != null) {
        postgres.close();
      }
    }
  }

  static Stream<ShardDdlCases.Case> cases() {
    return ShardDdlCases.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void goldenShardDdlRunsAndMakesTheTable(ShardDdlCases.Case c) throws SQLException {
    String[] expected = EXPECTED.get(c.name());
    try {
      execute(c.setup());
      List<Statement> statements =
          StatementClassifier.split(GoldenFiles.read("shard-ddl/" + c.name() + ".sql"));
      assertFalse(statements.isEmpty());
      for (Statement s : statements) {
        try (java.sql.Statement st = connection.createStatement()) {
          st.execute(s.text());
        }
      }
      assertEquals(expected[1], describe(expected[0]));
    } finally {
      connection.rollback();
    }
  }

  private static void execute(String script) throws SQLException {
    for (Statement s : StatementClassifier.split(script)) {
      try (java.sql.Statement st = connection.createStatement()) {
        st.execute(s.text());
      }
    }
  }

  /**
   * The table as \d shows it: persistence and options, then each column (type, NOT NULL,
   * default, identity, generation expression, collation other than the type's), constraints
   * and indexes sorted by name, as the server prints them back.
   */
  private static String describe(String table) throws SQLException {
    StringBuilder out = new StringBuilder();
    for (String line : rows("SELECT 'table ' || c.relname"
        + " || ' persistence ' || c.relpersistence::text"
        + " || ' options ' || coalesce(c.reloptions::text, '-')"
        + " FROM pg_class c WHERE c.oid = ?::regclass", table)) {
      out.append(line).append('\n');
    }
    for (String line : rows("SELECT 'column ' || a.attname || ' '"
        + " || format_type(a.atttypid, a.atttypmod)"
        + " || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END"
        + " || CASE WHEN a.attgenerated = '' AND d.adbin IS NOT NULL"
        + "      THEN ' default ' || pg_get_expr(d.adbin, d.adrelid) ELSE '' END"
        + " || CASE WHEN a.attidentity <> ''"
        + "      THEN ' identity ' || a.attidentity::text ELSE '' END"
        + " || CASE WHEN a.attgenerated <> ''"
        + "      THEN ' generated stored ' || pg_get_expr(d.adbin, d.adrelid) ELSE '' END"
        + " || CASE WHEN a.attcollation <> t.typcollation"
        + "      THEN ' collate ' || co.collname ELSE '' END"
        + " FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid"
        + " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
        + " LEFT JOIN pg_collation co ON co.oid = a.attcollation"
        + " WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped"
        + " ORDER BY a.attnum", table)) {
      out.append(line).append('\n');
    }
    for (String line : rows("SELECT 'constraint ' || conname || ' ' || pg_get_constraintdef(oid)"
        + " FROM pg_constraint WHERE conrelid = ?::regclass ORDER BY conname COLLATE \"C\"",
        table)) {
      out.append(line).append('\n');
    }
    for (String line : rows("SELECT 'index ' || c.relname || ' ' || pg_get_indexdef(i.indexrelid)"
        + " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
        + " WHERE i.indrelid = ?::regclass ORDER BY c.relname COLLATE \"C\"", table)) {
      out.append(line).append('\n');
    }
    return out.toString();
  }

  private static List<String> rows(String sql, String parameter) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement st = connection.prepareStatement(sql)) {
      st.setString(1, parameter);
      try (ResultSet r = st.executeQuery()) {
        while (r.next()) {
          out.add(r.getString(1));
        }
      }
    }
    return out;
  }
}
