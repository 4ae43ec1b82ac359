-- one table: its WHERE condition is applied on the shards too
SELECT * FROM orders WHERE amount > 5 ORDER BY id;

-- a join of co-located tables
SELECT c.name, sum(o.amount) FROM orders o JOIN customers c ON c.id = o.customer_id GROUP BY c.name ORDER BY 1;

-- a join with a reference table
SELECT o.id, co.name FROM orders o JOIN customers c ON c.id = o.customer_id JOIN countries co ON co.code = c.country_code ORDER BY o.id;

-- a join of tables that are not co-located
SELECT e.kind, count(*) FROM events e JOIN orders o ON o.id = e.device_id GROUP BY 1 ORDER BY 1;

-- a self-join reads the table once
SELECT a.id, b.id FROM orders a JOIN orders b ON a.customer_id = b.customer_id AND a.id < b.id ORDER BY 1, 2;

SELECT * FROM customers WHERE id IN (SELECT customer_id FROM orders WHERE amount > 100) ORDER BY id;

SELECT id, customer_id, rank() OVER (PARTITION BY customer_id ORDER BY amount DESC) FROM orders ORDER BY 1;

WITH big AS (SELECT * FROM orders WHERE amount > 50) SELECT count(DISTINCT customer_id) FROM big;

-- a write to a local table from distributed rows
INSERT INTO notes (body) SELECT status FROM orders WHERE customer_id > 10;

-- an aggregate with ordered input has no partial form: the rows are gathered
SELECT status, json_object_agg(id, amount ORDER BY id) FROM orders GROUP BY status;

-- a MATERIALIZED CTE over a distributed table
WITH big AS MATERIALIZED (SELECT * FROM orders WHERE amount > 50) SELECT count(*) FROM big;
