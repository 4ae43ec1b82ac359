-- a read: one placement
SELECT name FROM countries WHERE code = 'NL';

-- writes: every placement, one distributed transaction
INSERT INTO countries VALUES ('NL', 'Netherlands');

UPDATE countries SET name = 'Nederland' WHERE code = 'NL';

DELETE FROM countries WHERE code = 'XX';
