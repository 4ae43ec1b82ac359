UPDATE orders SET customer_id = 5 WHERE id = 1;

INSERT INTO orders (id, amount) VALUES (1, 2);

INSERT INTO orders (id, customer_id) VALUES (1, NULL);

INSERT INTO orders SELECT * FROM orders ON CONFLICT DO NOTHING;

-- tables that are not co-located
DELETE FROM orders USING events WHERE events.device_id = orders.customer_id;

UPDATE orders o SET amount = 0 FROM customers c WHERE c.name = o.status;

-- FOR UPDATE over several shards locks nothing on the workers: refused
SELECT * FROM orders WHERE amount > 5 FOR UPDATE;

-- no distributed table: not a distributed plan
SELECT * FROM notes;
