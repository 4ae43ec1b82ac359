-- Reading and writing distributed rows: router statements go to one shard, others to all
-- shards or through the coordinator; worker lines show where the rows are.
SET citus.shard_count TO 4;
SET citus.next_shard_id TO 105000;
CREATE TABLE accounts (id bigint PRIMARY KEY, owner text NOT NULL, balance numeric(12,2) DEFAULT 0);
SELECT create_distributed_table('accounts', 'id');
CREATE TABLE currencies (code text PRIMARY KEY, rate numeric);
SELECT create_reference_table('currencies');
-- single-row and multi-row INSERT, routed by the hash of id
INSERT INTO accounts VALUES (1, 'ann', 100);
INSERT INTO accounts (id, owner, balance) VALUES (2, 'bob', 20), (3, 'cy', 3.5), (4, 'dee', NULL) RETURNING *;
INSERT INTO accounts (owner, id) VALUES ('eve', 5);
-- worker 1: SELECT 'accounts_105000', id FROM accounts_105000 UNION ALL SELECT 'accounts_105002', id FROM accounts_105002 ORDER BY 1, 2
-- worker 2: SELECT 'accounts_105001', id FROM accounts_105001 UNION ALL SELECT 'accounts_105003', id FROM accounts_105003 ORDER BY 1, 2
-- Citus's errors for the distribution column
INSERT INTO accounts (owner) VALUES ('nobody');
INSERT INTO accounts (id, owner) VALUES (NULL, 'nobody');
UPDATE accounts SET id = 10 WHERE id = 1;
INSERT INTO accounts VALUES (1, 'dup');
-- router reads
SELECT * FROM accounts WHERE id = 3;
SELECT owner FROM accounts WHERE id = 42;
SELECT a.owner, a.balance * 2 AS doubled FROM accounts a WHERE a.id = 2 AND a.balance > 0;
-- multi-shard reads through the coordinator
SELECT count(*), sum(balance), avg(balance), min(owner), max(balance) FROM accounts;
SELECT * FROM accounts ORDER BY balance DESC NULLS LAST, id;
SELECT owner FROM accounts WHERE balance IS NULL OR id IN (1, 5) ORDER BY 1;
SELECT a.owner, c.rate FROM accounts a JOIN currencies c ON true WHERE a.id < 3 ORDER BY 1, 2;
-- writes to every shard, one transaction
UPDATE accounts SET balance = coalesce(balance, 0) + 1 RETURNING id, balance;
DELETE FROM accounts WHERE balance < 5;
SELECT id, balance FROM accounts ORDER BY id;
-- reference tables: every placement
INSERT INTO currencies VALUES ('EUR', 1), ('USD', 0.9);
-- worker 1: SELECT * FROM currencies_105004 ORDER BY code
-- worker 2: SELECT * FROM currencies_105004 ORDER BY code
UPDATE currencies SET rate = rate * 2 WHERE code = 'USD';
SELECT * FROM currencies ORDER BY code;
-- a transaction block sees its own writes and ends on every worker together
BEGIN;
INSERT INTO accounts VALUES (7, 'gus', 7), (8, 'hal', 8);
SELECT count(*) FROM accounts;
UPDATE accounts SET balance = 0 WHERE id = 7;
SELECT * FROM accounts WHERE id = 7;
ROLLBACK;
SELECT count(*) FROM accounts WHERE id IN (7, 8);
BEGIN;
INSERT INTO accounts VALUES (7, 'gus', 7), (8, 'hal', 8);
COMMIT;
SELECT id, owner FROM accounts WHERE id IN (7, 8) ORDER BY id;
-- worker 1: SELECT count(*) FROM pg_prepared_xacts
-- an error inside a block aborts it
BEGIN;
INSERT INTO accounts VALUES (9, 'ivy', 1);
INSERT INTO accounts VALUES (9, 'ivy', 1);
SELECT 1;
ROLLBACK;
SELECT count(*) FROM accounts WHERE id = 9;
-- the session's DateStyle reaches the workers
CREATE TABLE days (k int, d date, t timestamptz);
INSERT INTO days VALUES (1, '2024-03-01', '2024-03-01 12:00:00+00');
SELECT create_distributed_table('days', 'k');
SET DateStyle = 'SQL, DMY';
SET TimeZone = 'Asia/Tokyo';
SELECT d, t FROM days WHERE k = 1;
SELECT d, t FROM days;
RESET DateStyle;
RESET TimeZone;
-- a SET undone by ROLLBACK is undone on the workers too
BEGIN;
SET DateStyle = 'German';
SELECT d FROM days WHERE k = 1;
ROLLBACK;
SELECT d FROM days WHERE k = 1;
-- sequence defaults are the coordinator's: it computes them (staged INSERT), also for
-- INSERT ... SELECT; ON CONFLICT on such a staged INSERT is refused
CREATE TABLE serials (id bigserial, k int, v text);
SELECT create_distributed_table('serials', 'k');
INSERT INTO serials (k, v) VALUES (1, 'a') RETURNING id, k, v;
INSERT INTO serials (id, k, v) VALUES (10, 2, 'b');
INSERT INTO serials (k, v) SELECT k + 10, v || '2' FROM serials ORDER BY k RETURNING id, k, v;
INSERT INTO serials (k, v) VALUES (3, 'c') ON CONFLICT DO NOTHING;
SELECT * FROM serials ORDER BY id;
SELECT k, count(*) FROM serials WHERE k = 12 GROUP BY k;
DROP TABLE accounts, currencies, days, serials;
