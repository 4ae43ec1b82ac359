UPDATE orders SET customer_id = 5 WHERE id = 1;

INSERT INTO orders (id, amount) VALUES (1, 2);

INSERT INTO orders (id, customer_id) VALUES (1, NULL);

INSERT INTO orders SELECT * FROM orders ON CONFLICT DO NOTHING;

DELETE FROM orders USING customers WHERE customers.id = orders.customer_id;

-- no distributed table: not a distributed plan
SELECT * FROM notes;
