-- co-located tables joined on their distribution columns: one task per shard group
DELETE FROM orders USING customers WHERE customers.id = orders.customer_id;

UPDATE orders o SET amount = o.amount + 1 FROM customers c, countries k WHERE c.id = o.customer_id AND k.code = c.country_code RETURNING o.id;

DELETE FROM orders o WHERE EXISTS (SELECT 1 FROM customers c WHERE c.id = o.customer_id AND c.name = 'x');

-- a pinned key: one shard group
UPDATE orders o SET status = 'vip' FROM customers c WHERE c.id = o.customer_id AND c.id = 42;

-- params: 42
DELETE FROM orders WHERE customer_id = $1 AND customer_id IN (SELECT id FROM customers WHERE name = 'x');

-- INSERT ... SELECT between co-located tables, the key carried over: one task per shard group
INSERT INTO orders (id, customer_id, amount) SELECT c.id * 10, c.id, 0 FROM customers c JOIN countries k ON k.code = c.country_code;

-- the rollup pattern: grouped by the key, ON CONFLICT on each shard
INSERT INTO customers (id, name) SELECT customer_id, 'orders: ' || count(*) FROM orders GROUP BY customer_id ON CONFLICT DO NOTHING;
