-- Write script for WriteDifferentialIT: each entry runs on Basalt (tables distributed) and on a
-- plain PostgreSQL, in order, in one session per side (autocommit; BEGIN/COMMIT here control
-- blocks). Entries are separated by a line "-- statement"; "-- statement refused 0A000" marks a
-- statement Basalt refuses as documented (docs/distributed-queries.md: correlated subqueries over
-- tables not co-located with the target), which only Basalt runs. Deterministic only: no random(), no
-- now(), no sequences. Tables (created by the test, empty at the start):
--   wd_accounts (id PK, owner, balance numeric(12,2) NOT NULL DEFAULT 0, tags text[])  by id, 8 shards
--   wd_moves (account_id, seq, amount, note; PK (account_id, seq))  co-located with wd_accounts
--   wd_kinds (kind PK, label)  reference table
--   wd_log (id, account_id, what)  by id, colocate_with => 'none'
-- statement
INSERT INTO wd_kinds (kind, label) VALUES ('dep', 'deposit'), ('wd', 'withdrawal'),
  ('fee', 'fee'), ('int', 'interest') RETURNING *
-- statement
INSERT INTO wd_accounts (id, owner, balance, tags) VALUES
  (1, 'ann', 100.00, '{gold}'), (2, 'bob', 50.50, NULL), (3, 'cy', 0, '{}'),
  (4, 'dee', 999.99, '{gold,vip}'), (5, 'eve', 10, '{new}'), (6, 'fay', 20.25, NULL),
  (7, 'gus', 30, '{new}'), (8, 'hal', 40, '{vip}'), (9, 'ivy', 5, NULL),
  (10, 'jon', 75, '{gold}'), (11, 'kim', 12.34, '{}'), (12, 'lee', 0.01, '{new,vip}')
RETURNING id, owner, balance, tags
-- statement
INSERT INTO wd_accounts (id, owner) SELECT g, 'user' || g FROM generate_series(13, 40) g
-- statement
INSERT INTO wd_moves (account_id, seq, amount, note) VALUES
  (1, 1, 10, 'a'), (1, 2, -5, 'b'), (2, 1, 20, 'c'), (3, 1, 7.5, 'd'), (4, 1, 100, 'e'),
  (4, 2, -50, 'f'), (5, 1, 1, 'g'), (7, 1, 3, 'h'), (9, 1, 4, 'i'), (10, 1, 8, 'j'),
  (12, 1, 2, 'k'), (15, 1, 15, 'l'), (20, 1, 20, 'm'), (33, 1, 33, 'n')
RETURNING account_id, seq, amount
-- statement
INSERT INTO wd_moves (account_id, seq, amount, note)
SELECT a.id, 2 + a.id % 3, a.id * 1.5, 'bulk' FROM wd_accounts a
WHERE a.id BETWEEN 5 AND 30 AND a.id % 2 = 0
-- statement
INSERT INTO wd_accounts (id, owner, balance) VALUES (1, 'dup', 1), (41, 'new41', 41)
ON CONFLICT DO NOTHING RETURNING id, owner, balance
-- statement
INSERT INTO wd_accounts AS a (id, owner, balance) VALUES (2, 'bob2', 5), (3, 'cy2', 6), (42, 'new42', 42)
ON CONFLICT (id) DO UPDATE SET balance = a.balance + EXCLUDED.balance, owner = EXCLUDED.owner
RETURNING a.id, a.owner, a.balance
-- statement
INSERT INTO wd_accounts AS a (id, owner, balance) VALUES (4, 'dee2', 1), (5, 'eve2', 1)
ON CONFLICT (id) DO UPDATE SET owner = EXCLUDED.owner WHERE a.balance > 100
RETURNING id, owner
-- statement
INSERT INTO wd_moves AS m (account_id, seq, amount, note) VALUES (1, 1, 1, 'x'), (1, 9, 9, 'y'), (7, 1, 2, 'skip')
ON CONFLICT (account_id, seq) DO UPDATE SET amount = m.amount + EXCLUDED.amount, note = EXCLUDED.note
WHERE EXCLUDED.note <> 'skip'
RETURNING m.account_id, m.seq, m.amount, m.note
-- statement
INSERT INTO wd_kinds VALUES ('dep', 'Deposit!'), ('adj', 'adjustment')
ON CONFLICT (kind) DO UPDATE SET label = EXCLUDED.label RETURNING kind, label
-- statement
UPDATE wd_accounts SET balance = balance * 1.10 + 1 WHERE balance > 0
RETURNING id, balance, balance - 1 AS base
-- statement
UPDATE wd_accounts SET owner = upper(owner) WHERE id % 5 = 0
-- statement
UPDATE wd_accounts SET balance = balance - 10 WHERE id = 4 RETURNING *
-- statement
UPDATE wd_accounts SET owner = owner || '*' WHERE id = 40
-- statement
UPDATE wd_accounts SET tags = array_append(tags, 'checked') WHERE id IN (1, 2, 3) RETURNING id, tags
-- statement
UPDATE wd_accounts SET tags = coalesce(tags, '{}') || ARRAY['bulk', 'x'] WHERE id > 35
RETURNING id, tags
-- statement
UPDATE wd_accounts SET tags = array_remove(tags, 'new') WHERE 'new' = ANY (tags)
RETURNING id, tags, cardinality(tags) AS n
-- statement
UPDATE wd_accounts SET balance = DEFAULT, tags = DEFAULT WHERE id = 9 RETURNING id, balance, tags
-- statement
UPDATE wd_accounts a SET balance = a.balance + m.amount FROM wd_moves m
WHERE m.account_id = a.id AND m.seq = 1 RETURNING a.id, a.balance, m.amount
-- statement
UPDATE wd_moves m SET note = m.note || ':' || a.owner FROM wd_accounts a
WHERE a.id = m.account_id AND a.id = 4 RETURNING m.account_id, m.seq, m.note
-- statement
UPDATE wd_moves SET amount = -amount WHERE account_id = 1 AND seq = 2 RETURNING amount
-- statement
DELETE FROM wd_moves m WHERE EXISTS (SELECT 1 FROM wd_accounts a WHERE a.id = m.account_id AND a.balance < 10)
RETURNING m.account_id, m.seq
-- statement
DELETE FROM wd_accounts WHERE id IN (SELECT account_id FROM wd_moves WHERE note = 'bulk' AND amount > 10)
RETURNING id, owner
-- statement
DELETE FROM wd_moves m USING wd_accounts a WHERE a.id = m.account_id AND a.owner LIKE 'USER%'
RETURNING m.*
-- statement
DELETE FROM wd_moves m WHERE NOT EXISTS (SELECT 1 FROM wd_accounts a WHERE a.id = m.account_id)
RETURNING m.account_id, m.seq, m.note
-- statement
DELETE FROM wd_moves WHERE account_id NOT IN (SELECT id FROM wd_accounts) RETURNING account_id, seq
-- statement
UPDATE wd_kinds SET label = label || ' (v2)' WHERE kind <> 'adj' RETURNING kind, label
-- statement
DELETE FROM wd_kinds WHERE kind = 'int' RETURNING *
-- statement
INSERT INTO wd_kinds VALUES ('int', 'interest') RETURNING kind
-- statement
INSERT INTO wd_log (id, account_id, what)
SELECT a.id, a.id, 'snapshot ' || a.balance FROM wd_accounts a WHERE a.id <= 12
-- statement
INSERT INTO wd_log (id, account_id, what)
SELECT 100 + m.account_id * 10 + m.seq, m.account_id, 'move ' || m.amount FROM wd_moves m
RETURNING id, account_id, what
-- statement
INSERT INTO wd_moves (account_id, seq, amount, note)
SELECT a.id, 50, 0, k.label FROM wd_accounts a JOIN wd_kinds k ON k.kind = 'fee' WHERE a.id BETWEEN 1 AND 8
-- statement
INSERT INTO wd_log (id, account_id, what)
SELECT 500 + row_number() OVER (ORDER BY kind), NULL, kind FROM wd_kinds
-- statement
UPDATE wd_log SET what = what || '!' WHERE account_id IS NULL RETURNING id, what
-- statement
DELETE FROM wd_log l USING wd_kinds k WHERE l.what = k.kind || '!' AND k.kind = 'adj' RETURNING l.id, l.what
-- statement
BEGIN
-- statement
INSERT INTO wd_accounts (id, owner, balance) VALUES (100, 'tx', 10), (101, 'tx', 20), (102, 'tx', 30)
RETURNING id
-- statement
UPDATE wd_accounts SET balance = balance + 1 WHERE owner = 'tx' RETURNING id, balance
-- statement
SAVEPOINT s1
-- statement
DELETE FROM wd_accounts WHERE id = 101 RETURNING *
-- statement
UPDATE wd_kinds SET label = 'gone' WHERE kind = 'fee'
-- statement
ROLLBACK TO SAVEPOINT s1
-- statement
INSERT INTO wd_moves VALUES (100, 1, 5, 'tx move'), (102, 1, 6, 'tx move') RETURNING account_id
-- statement
SELECT id, balance FROM wd_accounts WHERE owner = 'tx'
-- statement
COMMIT
-- statement
BEGIN
-- statement
DELETE FROM wd_accounts WHERE id >= 100 RETURNING id
-- statement
UPDATE wd_moves SET amount = 0 RETURNING account_id, seq
-- statement
INSERT INTO wd_kinds VALUES ('tmp', 'temporary')
-- statement
ROLLBACK
-- statement
INSERT INTO wd_accounts (id, owner) VALUES (200, 'x'), (1, 'dup')
-- statement
INSERT INTO wd_accounts (id, owner, balance) VALUES (201, 'nn', NULL)
-- statement
UPDATE wd_accounts SET balance = NULL WHERE id = 2
-- statement
INSERT INTO wd_kinds VALUES ('dep', 'dup')
-- statement
BEGIN
-- statement
INSERT INTO wd_accounts (id, owner) VALUES (300, 'blk')
-- statement
INSERT INTO wd_accounts (id, owner) VALUES (300, 'again')
-- statement
UPDATE wd_accounts SET owner = 'after error' WHERE id = 1
-- statement
ROLLBACK
-- statement
BEGIN
-- statement
UPDATE wd_accounts SET balance = balance + 100 WHERE id = 1 RETURNING balance
-- statement
SAVEPOINT s2
-- statement
INSERT INTO wd_accounts (id, owner, balance) VALUES (2, 'dup', 0)
-- statement
ROLLBACK TO SAVEPOINT s2
-- statement
UPDATE wd_accounts SET tags = tags || '{recovered}' WHERE id = 1 RETURNING tags
-- statement
COMMIT
-- statement
UPDATE wd_accounts a
SET balance = a.balance - coalesce((SELECT sum(m.amount) FROM wd_moves m WHERE m.account_id = a.id), 0)
RETURNING a.id, a.balance
-- statement
-- Uncorrelated subqueries over tables not co-located with the target run first (Citus's
-- recursive planning); correlated ones are still refused.
DELETE FROM wd_log WHERE account_id IN (SELECT id FROM wd_accounts WHERE balance > 50) RETURNING id
-- statement
UPDATE wd_log SET what = what || '!' WHERE account_id = (SELECT max(id) FROM wd_accounts
  WHERE owner LIKE 'user%' AND id < 30) RETURNING id, account_id, what
-- statement
BEGIN
-- statement
UPDATE wd_accounts SET owner = owner || '+' WHERE id IN (SELECT account_id FROM wd_log
  WHERE account_id IS NOT NULL ORDER BY account_id LIMIT 3) AND balance >= '0'::numeric
RETURNING id, owner
-- statement
UPDATE wd_kinds SET label = label || ' *' WHERE kind IN (SELECT k.kind FROM wd_kinds k
  JOIN wd_accounts a ON a.owner = 'ann' AND a.id = 1) RETURNING kind, label
-- statement
UPDATE wd_accounts SET owner = 'none' WHERE id IN (SELECT account_id FROM wd_log
  WHERE what = 'no such thing')
-- statement
UPDATE wd_accounts SET balance = (SELECT account_id FROM wd_log) WHERE id = 1
-- statement
ROLLBACK
-- statement
UPDATE wd_accounts SET balance = balance + (SELECT count(*) FROM wd_log WHERE account_id > 3),
  tags = (SELECT array_agg(DISTINCT what ORDER BY what) FROM wd_log WHERE what LIKE 'x%')
WHERE id BETWEEN 1 AND 4 AND owner <> (SELECT 'nobody'::text FROM wd_log LIMIT 1)
RETURNING id, balance, tags
-- statement refused 0A000
DELETE FROM wd_log l WHERE EXISTS (SELECT 1 FROM wd_accounts a WHERE a.id = l.account_id
  AND a.balance < 0)
-- statement
-- A multi-shard write fails after a savepoint: rolling back to it keeps the work before it.
BEGIN
-- statement
INSERT INTO wd_accounts (id, owner, balance) VALUES (501, 'sp-before', 1)
-- statement
INSERT INTO wd_kinds VALUES ('sp', 'kept across a failed write')
-- statement
SAVEPOINT before_failure
-- statement
INSERT INTO wd_accounts (id, owner) VALUES (502, 'x'), (504, 'x'), (505, 'x'), (506, 'x'), (501, 'dup')
-- statement
ROLLBACK TO SAVEPOINT before_failure
-- statement
INSERT INTO wd_accounts (id, owner, balance) VALUES (503, 'sp-after', 3)
-- statement
COMMIT
-- statement
-- INSERT ... SELECT between co-located tables runs on the shard groups (InsertSelectPushdown).
INSERT INTO wd_moves (account_id, seq, amount, note) SELECT id, 100, balance, owner
  FROM wd_accounts WHERE balance >= 0 RETURNING account_id, seq, amount
-- statement
INSERT INTO wd_moves (account_id, seq, amount) SELECT a.id, 200 + count(*), sum(m.amount)
  FROM wd_accounts a JOIN wd_moves m ON m.account_id = a.id JOIN wd_kinds k ON k.kind <> a.owner
  GROUP BY a.id HAVING count(*) > 0
-- statement
-- The rollup pattern: a GROUP BY on the key with ON CONFLICT DO UPDATE.
INSERT INTO wd_accounts (id, owner, balance) SELECT account_id, 'rolled', sum(amount)
  FROM wd_moves GROUP BY account_id
  ON CONFLICT (id) DO UPDATE SET balance = EXCLUDED.balance, owner = wd_accounts.owner || '+'
  RETURNING id, owner, balance
-- statement
INSERT INTO wd_moves (account_id, seq, note) SELECT m.account_id, m.seq, 'again' FROM wd_moves m
  WHERE m.seq = 100 ON CONFLICT (account_id, seq) DO NOTHING
-- statement
INSERT INTO wd_moves (account_id, seq, note) SELECT m.account_id, m.seq, 'dup' FROM wd_moves m
  WHERE m.seq = 100
-- statement
BEGIN
-- statement
INSERT INTO wd_moves (account_id, seq, amount) SELECT DISTINCT a.id, 300, a.balance
  FROM wd_accounts a WHERE EXISTS (SELECT 1 FROM wd_moves m WHERE m.account_id = a.id
  AND m.amount > 0)
-- statement
SELECT count(*), sum(amount) FROM wd_moves WHERE seq = 300
-- statement
ROLLBACK
-- statement refused 0A000
-- Not co-located (and the key computed): through the coordinator, where ON CONFLICT is not built.
INSERT INTO wd_accounts (id, owner) SELECT l.id + 1000, l.what FROM wd_log l
  ON CONFLICT (id) DO NOTHING
-- statement
-- Keys the coordinator cannot read exactly (8.4 into an integer column): the rows are computed
-- by the coordinator database, one row or several.
INSERT INTO wd_accounts (id, owner) VALUES (700, 'exact'), (700.6, 'rounded'), ('702', 'text')
  RETURNING id, owner
-- statement
SELECT id, owner FROM wd_accounts WHERE id IN (700, 701, 702) ORDER BY id
-- statement
-- ON CONFLICT ON CONSTRAINT names the shard's constraint on the workers.
INSERT INTO wd_accounts (id, owner) VALUES (700, 'again') ON CONFLICT ON CONSTRAINT wd_accounts_pkey
  DO UPDATE SET owner = EXCLUDED.owner RETURNING id, owner
-- statement
INSERT INTO wd_accounts (id, owner) VALUES (701, 'x'), (702, 'y'), (703, 'z')
  ON CONFLICT ON CONSTRAINT wd_accounts_pkey DO NOTHING RETURNING id, owner
-- statement
INSERT INTO wd_moves (account_id, seq, note) SELECT m.account_id, m.seq, 'constraint' FROM wd_moves m
  WHERE m.seq = 100 ON CONFLICT ON CONSTRAINT wd_moves_pkey DO UPDATE SET note = EXCLUDED.note
