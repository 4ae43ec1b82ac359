-- Tables and rows for RoundTripTest. Every statement of roundtrip.sql runs against these.
CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, email text UNIQUE, city text,
  created_at timestamptz NOT NULL, score numeric(10,2));
CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers (id),
  amount numeric(10,2), status text, ordered_at timestamp, tags text[]);
CREATE TABLE items (order_id int, line int, sku text, qty int, price numeric(10,2),
  PRIMARY KEY (order_id, line));
CREATE TABLE docs (id int PRIMARY KEY, data jsonb);
CREATE TABLE counters (k text PRIMARY KEY, n int NOT NULL DEFAULT 0, note text);
INSERT INTO customers VALUES
  (1, 'Alice', 'alice@example.com', 'Oslo', '2024-01-05 08:00:00+00', 10.50),
  (2, 'Bob', 'bob@example.org', 'Bergen', '2024-02-10 12:30:00+00', NULL),
  (3, 'Carmen', 'carmen@example.com', NULL, '2024-03-15 23:59:59+00', 99.99),
  (4, 'dieter', 'dieter@example.net', 'Oslo', '2023-12-31 00:00:00+00', 0),
  (5, 'Eve', NULL, 'Trondheim', '2024-06-01 06:15:00+00', 42.00);
INSERT INTO orders VALUES
  (10, 1, 25.00, 'paid', '2024-01-06 10:00:00', '{rush,gift}'),
  (11, 1, 150.00, 'paid', '2024-02-01 11:00:00', '{}'),
  (12, 2, 9.99, 'cancelled', '2024-02-11 09:30:00', '{gift}'),
  (13, 3, 75.50, NULL, '2024-03-16 14:00:00', NULL),
  (14, 4, 300.00, 'paid', '2024-01-01 00:00:01', '{rush}'),
  (15, 4, 12.00, 'new', '2024-06-02 18:45:00', '{}');
INSERT INTO items VALUES
  (10, 1, 'A-1', 2, 10.00), (10, 2, 'B-7', 1, 5.00), (11, 1, 'C-3', 3, 50.00),
  (12, 1, 'A-1', 0, 9.99), (13, 1, 'D-9', 5, 15.10), (14, 1, 'B-7', 60, 5.00);
INSERT INTO docs VALUES
  (1, '{"a": 1, "b": "x", "c": {"d": 4}, "arr": [1, 2, 3]}'),
  (2, '{"a": 2, "c": {"d": 5}, "arr": []}'),
  (3, '{"b": "y", "x": true, "arr": [7]}'),
  (4, '{"a": 1, "b": "z", "y": null, "arr": [0]}');
INSERT INTO counters VALUES ('a', 1, NULL), ('b', 7, 'seven');
