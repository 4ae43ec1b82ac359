-- rows spread over shards: one INSERT per shard with its rows
INSERT INTO orders (id, customer_id, amount, status) VALUES (10, 1, 5, 'new'), (11, 2, 6, 'new'), (12, 3, 7, 'new'), (13, 42, 8, 'new') RETURNING id;

-- rows that all go to one shard: a router INSERT
INSERT INTO orders (id, customer_id) VALUES (20, 42), (21, 42);

-- params: 30, 1, 31, 2
INSERT INTO orders (id, customer_id) VALUES ($1, $2), ($3, $4);

-- no pinning equality: every shard
UPDATE orders SET amount = amount * 2 WHERE status = 'new';

DELETE FROM orders WHERE amount < 0;

UPDATE customers SET name = upper(name) RETURNING id;

-- distcol = NULL matches no row: any one shard runs the modification
-- params: NULL
DELETE FROM orders WHERE customer_id = $1;
