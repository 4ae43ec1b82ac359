-- DDL on distributed and reference tables reaches every shard, with shard-suffixed names.
SET citus.shard_count TO 2;
SET citus.next_shard_id TO 105000;
CREATE TABLE ref (code text PRIMARY KEY);
SELECT create_reference_table('ref');
CREATE TABLE items (tenant int NOT NULL, id int NOT NULL, name text, PRIMARY KEY (tenant, id));
SELECT create_distributed_table('items', 'tenant');
-- worker 1: SELECT relname FROM pg_class WHERE relname ~ '_10500[0-9]$' ORDER BY 1

CREATE INDEX items_name ON items (name);
CREATE UNIQUE INDEX items_tenant_name ON items (tenant, name);
CREATE INDEX ON items (lower(name));
ALTER TABLE items ADD COLUMN price numeric(10,2) DEFAULT 0 NOT NULL;
ALTER TABLE items ADD COLUMN code text;
ALTER TABLE items ALTER COLUMN name SET NOT NULL, ALTER COLUMN name SET DEFAULT 'unnamed';
ALTER TABLE items ALTER COLUMN price TYPE numeric(12,2);
ALTER TABLE items ADD CONSTRAINT price_positive CHECK (price >= 0);
ALTER TABLE items ADD CHECK (id > 0);
ALTER TABLE items ADD CONSTRAINT items_code_fkey FOREIGN KEY (code) REFERENCES ref (code);
ALTER TABLE items RENAME COLUMN code TO country;
ALTER INDEX items_name RENAME TO items_by_name;
\d items
-- worker 1: SELECT attname, format_type(atttypid, atttypmod), attnotnull, pg_get_expr(adbin, adrelid) FROM pg_attribute LEFT JOIN pg_attrdef ON adrelid = attrelid AND adnum = attnum WHERE attrelid = 'items_105001'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum
-- worker 1: SELECT indexrelid::regclass FROM pg_index WHERE indrelid = 'items_105001'::regclass ORDER BY 1
-- worker 1: SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'items_105001'::regclass ORDER BY 1
-- worker 2: SELECT conname FROM pg_constraint WHERE conrelid = 'items_105002'::regclass ORDER BY 1

-- defaults and NOT NULL come and go; NOT VALID constraints are validated on every shard
ALTER TABLE items ALTER COLUMN name DROP DEFAULT, ALTER COLUMN name DROP NOT NULL;
ALTER TABLE items ADD CONSTRAINT id_small CHECK (id < 1000000) NOT VALID;
-- worker 1: SELECT conname, convalidated FROM pg_constraint WHERE conname = 'id_small_105001'
ALTER TABLE items VALIDATE CONSTRAINT id_small;
-- worker 1: SELECT conname, convalidated FROM pg_constraint WHERE conname = 'id_small_105001'
-- worker 2: SELECT attname, attnotnull, pg_get_expr(adbin, adrelid) FROM pg_attribute LEFT JOIN pg_attrdef ON adrelid = attrelid AND adnum = attnum WHERE attrelid = 'items_105002'::regclass AND attname = 'name'
ALTER TABLE items ALTER COLUMN name SET DEFAULT 'unnamed', ALTER COLUMN name SET NOT NULL;
ALTER TABLE items DROP CONSTRAINT id_small;

-- a foreign key between co-located tables on the distribution column
CREATE TABLE item_notes (tenant int NOT NULL, id int NOT NULL, note text);
SELECT create_distributed_table('item_notes', 'tenant', colocate_with => 'items');
ALTER TABLE item_notes ADD CONSTRAINT notes_item FOREIGN KEY (tenant, id) REFERENCES items (tenant, id);
-- worker 2: SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'item_notes_105004'::regclass AND contype = 'f'
ALTER TABLE item_notes ADD CONSTRAINT notes_by_id FOREIGN KEY (id, tenant) REFERENCES items (tenant, id);
ALTER TABLE item_notes DROP CONSTRAINT notes_item;
DROP TABLE item_notes;

-- changes that would break distribution are refused, and leave everything as it was
ALTER TABLE items ALTER COLUMN tenant TYPE bigint;
ALTER TABLE items DROP COLUMN tenant;
CREATE UNIQUE INDEX items_name_unique ON items (name);
ALTER TABLE items ADD CONSTRAINT id_unique UNIQUE (id);
ALTER TABLE items ADD COLUMN serial_id bigserial;
CREATE TABLE local_t (code text PRIMARY KEY);
ALTER TABLE items ADD CONSTRAINT to_local FOREIGN KEY (country) REFERENCES local_t (code);
-- a shard-level failure rolls the shell back too
-- worker 2: CREATE INDEX items_broken_105002 ON items_105002 (id)
CREATE INDEX items_broken ON items (id);
\d items
-- worker 1: SELECT count(*) FROM pg_class WHERE relname = 'items_broken_105001'
-- worker 2: DROP INDEX items_broken_105002

-- drops and renames
ALTER TABLE items DROP CONSTRAINT price_positive;
DROP INDEX items_by_name;
ALTER TABLE items DROP COLUMN price;
ALTER TABLE items RENAME TO products;
-- worker 1: SELECT relname FROM pg_class WHERE relname ~ '^(items|products)_10500[0-9]$' ORDER BY 1
-- worker 1: SELECT indexrelid::regclass FROM pg_index WHERE indrelid = 'products_105001'::regclass ORDER BY 1
SELECT shard_name('products', shardid) FROM pg_dist_shard WHERE logicalrelid = 'products'::regclass ORDER BY 1;

-- CONCURRENTLY, VACUUM, ANALYZE and TRUNCATE
CREATE INDEX CONCURRENTLY products_country ON products (country);
BEGIN;
CREATE INDEX CONCURRENTLY products_country2 ON products (country);
ROLLBACK;
-- worker 2: SELECT indexrelid::regclass, indisvalid FROM pg_index WHERE indexrelid = 'products_country_105002'::regclass
VACUUM products;
VACUUM (ANALYZE, VERBOSE false) products;
ANALYZE products;
-- worker 2: SELECT relname, last_vacuum IS NOT NULL AS vacuumed, last_analyze IS NOT NULL AS analyzed FROM pg_stat_user_tables WHERE relname = 'products_105002'
-- worker 1: INSERT INTO products_105001 (tenant, id, name) VALUES (1, 1, 'x')
-- worker 1: INSERT INTO ref_105000 VALUES ('nl')
TRUNCATE products;
-- worker 1: SELECT count(*) FROM products_105001
TRUNCATE ref;
TRUNCATE ref CASCADE;
-- worker 1: SELECT count(*) FROM ref_105000

-- DDL inside a transaction block commits with it
BEGIN;
ALTER TABLE products ADD COLUMN note text;
CREATE INDEX products_note ON products (note);
COMMIT;
-- worker 2: SELECT count(*) FROM pg_attribute WHERE attrelid = 'products_105002'::regclass AND attname = 'note'
BEGIN;
ALTER TABLE products ADD COLUMN gone text;
ROLLBACK;
-- worker 2: SELECT count(*) FROM pg_attribute WHERE attrelid = 'products_105002'::regclass AND attname = 'gone'

-- citus.enable_ddl_propagation = off changes the local table only (manual mode)
SHOW citus.enable_ddl_propagation;
SET citus.enable_ddl_propagation TO off;
ALTER TABLE products ADD COLUMN local_only int;
RESET citus.enable_ddl_propagation;
-- worker 2: SELECT count(*) FROM pg_attribute WHERE attrelid = 'products_105002'::regclass AND attname = 'local_only'

DROP TABLE products;
DROP TABLE ref, local_t;
-- worker 1: SELECT count(*) FROM pg_class WHERE relname ~ '_10500[0-9]$'
-- worker 2: SELECT count(*) FROM pg_class WHERE relname ~ '_10500[0-9]$'
