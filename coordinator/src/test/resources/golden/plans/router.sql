-- equality on the distribution column: one shard
SELECT * FROM orders WHERE customer_id = 42;

-- the value as a bind parameter, the table aliased
-- params: 42
SELECT o.id, o.amount FROM orders o WHERE o.customer_id = $1 AND o.amount > 10;

-- a negative value
SELECT count(*) FROM orders WHERE customer_id = -3;

UPDATE orders SET status = 'shipped' WHERE customer_id = 7 AND id = 1;

-- params: 7
DELETE FROM orders WHERE customer_id = $1 RETURNING id;

INSERT INTO orders (id, customer_id, amount, status) VALUES (1, 42, 9.50, 'new');

-- without a column list, the values as parameters
-- params: 2, 42, 12.25, new
INSERT INTO orders VALUES ($1, $2, $3, $4) RETURNING id;

-- NULL holds for no row: any one shard answers
-- params: NULL
SELECT * FROM orders WHERE customer_id = $1;

-- co-located tables joined on their distribution columns and pinned to one value: the
-- client's text on that shard group
SELECT o.id, c.name FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.customer_id = 42 AND c.id = 42;

-- the value once, a reference table joined, a correlated subquery tied to the key
-- params: 42
SELECT o.id, co.name FROM orders o JOIN customers c ON c.id = o.customer_id JOIN countries co ON co.code = c.country_code WHERE c.id = $1 AND EXISTS (SELECT 1 FROM orders o2 WHERE o2.customer_id = o.customer_id AND o2.amount > o.amount) ORDER BY o.id;

-- co-located tables joined but not pinned: the rows are gathered
SELECT count(*) FROM orders o JOIN customers c ON c.id = o.customer_id;

-- an IN list is not routed: the rows are gathered
SELECT * FROM orders WHERE customer_id IN (1, 2);

-- an aggregate with ordered input on one shard: the client's text goes to the worker
SELECT jsonb_agg(amount ORDER BY id DESC) FILTER (WHERE amount > 0) FROM orders WHERE customer_id = 42;
