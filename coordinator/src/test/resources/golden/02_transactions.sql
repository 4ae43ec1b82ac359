-- Distributing is transactional: a failure half-way or a ROLLBACK leaves no metadata and no
-- shards anywhere; a COMMIT makes everything visible at once.
SET citus.shard_count TO 4;
SET citus.next_shard_id TO 104000;
CREATE TABLE half (k int, v text);
INSERT INTO half SELECT i, 'v' || i FROM generate_series(1, 1000) i;
-- a table in the way of shard 104001 on worker 2 makes the creation fail there
-- worker 2: CREATE TABLE half_104001 (x int)
SELECT create_distributed_table('half', 'k');
SELECT count(*) FROM pg_dist_partition WHERE logicalrelid = 'half'::regclass;
SELECT count(*) FROM pg_dist_shard WHERE shardid BETWEEN 104000 AND 104003;
-- worker 1: SELECT count(*) FROM pg_class WHERE relname LIKE 'half\_%'
-- worker 2: SELECT relname FROM pg_class WHERE relname LIKE 'half\_%'
-- worker 2: SELECT count(*) FROM pg_prepared_xacts
-- worker 2: DROP TABLE half_104001
-- the rows are still local
SELECT count(*) FROM half;

-- ROLLBACK undoes it
SET citus.next_shard_id TO 104010;
BEGIN;
SELECT create_distributed_table('half', 'k');
SELECT count(*) FROM pg_dist_shard WHERE logicalrelid = 'half'::regclass;
ROLLBACK;
SELECT count(*) FROM pg_dist_partition WHERE logicalrelid = 'half'::regclass;
-- worker 1: SELECT count(*) FROM pg_class WHERE relname LIKE 'half\_%'
-- worker 2: SELECT count(*) FROM pg_class WHERE relname LIKE 'half\_%'
SELECT count(*) FROM half;

-- an error later in the block aborts it, and everything goes
SET citus.next_shard_id TO 104020;
BEGIN;
SELECT create_distributed_table('half', 'k');
SELECT 1 / 0;
COMMIT;
SELECT count(*) FROM pg_dist_partition WHERE logicalrelid = 'half'::regclass;
-- worker 1: SELECT count(*) FROM pg_class WHERE relname LIKE 'half\_%'

-- a savepoint rolled back removes what was done after it, on the workers too
SET citus.next_shard_id TO 104030;
BEGIN;
CREATE TABLE other (k int);
SAVEPOINT s1;
SELECT create_distributed_table('half', 'k');
ROLLBACK TO SAVEPOINT s1;
SELECT create_distributed_table('other', 'k');
COMMIT;
SELECT logicalrelid, count(*) FROM pg_dist_shard WHERE logicalrelid IN ('half'::regclass, 'other'::regclass) GROUP BY 1;
-- worker 1: SELECT relname FROM pg_class WHERE relname ~ '^(half|other)_[0-9]+$' ORDER BY 1
-- worker 2: SELECT relname FROM pg_class WHERE relname ~ '^(half|other)_[0-9]+$' ORDER BY 1

-- savepoints taken while workers take part go to the workers too
SET citus.next_shard_id TO 104035;
BEGIN;
CREATE TABLE sp (k int);
SELECT create_distributed_table('sp', 'k', shard_count => 2);
SAVEPOINT before_column;
ALTER TABLE sp ADD COLUMN undone int;
ROLLBACK TO SAVEPOINT before_column;
ALTER TABLE sp ADD COLUMN kept int;
SAVEPOINT inner_one;
ALTER TABLE sp ADD COLUMN kept_too int;
RELEASE SAVEPOINT inner_one;
COMMIT;
-- worker 1: SELECT attname FROM pg_attribute WHERE attrelid = 'sp_104035'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum
-- worker 2: SELECT attname FROM pg_attribute WHERE attrelid = 'sp_104036'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum
DROP TABLE sp;

-- COMMIT of a block that distributed two tables: both, with their rows
SET citus.next_shard_id TO 104040;
BEGIN;
CREATE TABLE t_a (k int PRIMARY KEY, v text);
INSERT INTO t_a SELECT i, 'a' FROM generate_series(1, 100) i;
SELECT create_distributed_table('t_a', 'k');
CREATE TABLE t_b (k int REFERENCES t_a (k), w text);
SELECT create_distributed_table('t_b', 'k', colocate_with => 't_a');
COMMIT;
SELECT logicalrelid, count(*) FROM pg_dist_shard WHERE logicalrelid IN ('t_a'::regclass, 't_b'::regclass) GROUP BY 1 ORDER BY 1;
-- worker 1: SELECT count(*) FROM t_a_104040
-- worker 2: SELECT count(*) FROM t_a_104041
-- the foreign key points at the co-located shard
-- worker 1: SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 't_b_104044'::regclass AND contype = 'f'
-- prepared transactions were all finished
-- worker 1: SELECT count(*) FROM pg_prepared_xacts
-- worker 2: SELECT count(*) FROM pg_prepared_xacts
SELECT recover_prepared_transactions();

-- recovery finishes what a coordinator crash left prepared: committed if its commit record
-- exists in pg_dist_transaction, rolled back otherwise
-- worker 1: BEGIN; CREATE TABLE recovered_commit (x int); PREPARE TRANSACTION 'citus_0_99999_1_1'
-- worker 1: BEGIN; CREATE TABLE recovered_abort (x int); PREPARE TRANSACTION 'citus_0_99999_1_2'
-- worker 1: BEGIN; CREATE TABLE not_ours (x int); PREPARE TRANSACTION 'someone_else'
INSERT INTO pg_dist_transaction (groupid, gid) SELECT groupid, 'citus_0_99999_1_1' FROM pg_dist_node WHERE nodeport = :worker_1_port;
SELECT recover_prepared_transactions();
-- worker 1: SELECT relname FROM pg_class WHERE relname IN ('recovered_commit', 'recovered_abort', 'not_ours') ORDER BY 1
-- worker 1: SELECT gid FROM pg_prepared_xacts ORDER BY gid
-- worker 1: ROLLBACK PREPARED 'someone_else'
-- worker 1: DROP TABLE recovered_commit
SELECT count(*) FROM pg_dist_transaction WHERE gid LIKE 'citus\_0\_99999\_%';

-- undistribute_table brings the rows back
SELECT undistribute_table('t_a');
ALTER TABLE t_b DROP CONSTRAINT t_b_k_fkey;
SELECT undistribute_table('t_a');
SELECT count(*) FROM t_a;
SELECT count(*) FROM pg_dist_partition WHERE logicalrelid = 't_a'::regclass;
-- worker 1: SELECT count(*) FROM pg_class WHERE relname LIKE 't\_a\_%'

DROP TABLE half, other, t_a, t_b;
-- worker 1: SELECT count(*) FROM pg_class WHERE relname ~ '_10[0-9]{4}$'
-- worker 2: SELECT count(*) FROM pg_class WHERE relname ~ '_10[0-9]{4}$'
