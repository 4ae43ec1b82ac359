-- The client's isolation level and access mode reach the worker transactions its block opens
-- (current_setting in a routed statement runs on the worker); writes in a read-only
-- transaction fail with PostgreSQL's own error, on the workers as on the coordinator.
SET citus.shard_count TO 2;
SET citus.next_shard_id TO 107000;
CREATE TABLE chars (k int PRIMARY KEY, v text);
SELECT create_distributed_table('chars', 'k');
INSERT INTO chars VALUES (1, 'one'), (2, 'two');

BEGIN ISOLATION LEVEL REPEATABLE READ;
SHOW transaction_isolation;
SELECT current_setting('transaction_isolation') AS on_worker FROM chars WHERE k = 1;
COMMIT;

BEGIN;
SET TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY, DEFERRABLE;
SELECT current_setting('transaction_isolation') AS isolation,
       current_setting('transaction_read_only') AS read_only,
       current_setting('transaction_deferrable') AS deferrable
  FROM chars WHERE k = 2;
UPDATE chars SET v = 'changed';
ROLLBACK;

START TRANSACTION READ ONLY;
INSERT INTO chars VALUES (3, 'three');
ROLLBACK;

-- the session's default, outside a block too
SET default_transaction_read_only = on;
INSERT INTO chars VALUES (3, 'three');
DELETE FROM chars;
SELECT k, v FROM chars ORDER BY k;
RESET default_transaction_read_only;

-- a block that became read-only after its first read
BEGIN;
SELECT v FROM chars WHERE k = 1;
SET TRANSACTION READ ONLY;
UPDATE chars SET v = 'changed' WHERE k = 1;
ROLLBACK;

-- one worker wrote: a plain COMMIT there, nothing left prepared
BEGIN;
UPDATE chars SET v = 'uno' WHERE k = 1;
COMMIT;
-- worker 1: SELECT count(*) FROM pg_prepared_xacts
-- worker 2: SELECT count(*) FROM pg_prepared_xacts
SELECT k, v FROM chars ORDER BY k;
DROP TABLE chars;
