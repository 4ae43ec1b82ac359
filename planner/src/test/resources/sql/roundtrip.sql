-- PostgreSQL statements that must parse, print back, and give the same result as written.
-- One statement per block, ending with ";" at the end of a line. A "-- params: ..." line
-- before a statement gives the values for its $n parameters (PREPARE / EXECUTE).

-- Joins, subqueries, CTEs
SELECT id, name FROM customers WHERE city = 'Oslo' ORDER BY id;
SELECT c.name, o.amount FROM customers c JOIN orders o ON o.customer_id = c.id WHERE o.amount > 10 ORDER BY o.id;
SELECT c.name, count(o.id) AS n FROM customers c LEFT JOIN orders o ON o.customer_id = c.id
  GROUP BY c.name HAVING count(o.id) >= 1 ORDER BY n DESC, c.name;
SELECT * FROM orders WHERE customer_id IN (SELECT id FROM customers WHERE city IN ('Oslo', 'Bergen')) ORDER BY id;
SELECT name FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.status = 'paid') ORDER BY name;
WITH big AS (SELECT customer_id, sum(amount) AS total FROM orders GROUP BY customer_id)
  SELECT c.name, b.total FROM big b JOIN customers c ON c.id = b.customer_id ORDER BY b.total DESC;
WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 10) SELECT sum(n) FROM r;
SELECT * FROM (SELECT customer_id, sum(amount) s FROM orders GROUP BY customer_id) x WHERE s > 20 ORDER BY customer_id;
SELECT id, (SELECT count(*) FROM orders o WHERE o.customer_id = c.id) AS n FROM customers c ORDER BY id;
SELECT c.name, t.total FROM customers c, LATERAL (SELECT sum(amount) AS total FROM orders o WHERE o.customer_id = c.id) t ORDER BY c.id;
SELECT count(*) FROM customers c FULL OUTER JOIN orders o ON o.customer_id = c.id;
SELECT c.id, o.id FROM customers c CROSS JOIN orders o WHERE c.id = o.customer_id AND o.id > 12;
SELECT city FROM customers UNION SELECT status FROM orders ORDER BY 1;
SELECT id FROM customers INTERSECT SELECT customer_id FROM orders EXCEPT SELECT 3 ORDER BY id;
VALUES (1, 'a'), (2, 'b');

-- Aggregates and window functions
SELECT id, amount, row_number() OVER (PARTITION BY customer_id ORDER BY amount DESC) AS rn,
  sum(amount) OVER (PARTITION BY customer_id) AS total FROM orders ORDER BY id;
SELECT id, amount, lag(amount) OVER w, rank() OVER w FROM orders WINDOW w AS (ORDER BY amount, id) ORDER BY id;
SELECT customer_id, avg(amount), min(amount), max(amount), count(*) FILTER (WHERE status = 'paid')
  FROM orders GROUP BY customer_id ORDER BY customer_id;
SELECT status, count(DISTINCT customer_id) FROM orders GROUP BY status ORDER BY status NULLS FIRST;
SELECT string_agg(name, ', ' ORDER BY name), array_agg(id ORDER BY id) FROM customers;
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY amount) FROM orders;
SELECT bool_and(amount > 0), bool_or(status = 'new') FROM orders;
SELECT sum(amount) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM orders ORDER BY id;

-- Aggregates with ordered input, any aggregate
SELECT c.city, jsonb_agg(c.name ORDER BY c.id DESC) FROM customers c GROUP BY c.city ORDER BY c.city NULLS FIRST;
SELECT json_object_agg(id, status ORDER BY id) FILTER (WHERE amount > 10), count(DISTINCT status) FROM orders;
SELECT pg_catalog.jsonb_agg(DISTINCT status ORDER BY status), json_agg(amount ORDER BY amount DESC NULLS LAST, id) FROM orders;
SELECT ARRAY(SELECT name FROM customers ORDER BY name), EXISTS (SELECT 1 FROM orders ORDER BY 1);
-- WITH ... AS [NOT] MATERIALIZED
WITH o AS MATERIALIZED (SELECT customer_id, sum(amount) AS total FROM orders GROUP BY customer_id) SELECT c.name, o.total FROM customers c JOIN o ON o.customer_id = c.id ORDER BY 1;
WITH a (n) AS NOT MATERIALIZED (SELECT id FROM customers), b AS (SELECT 1) SELECT count(*) FROM a, b;
WITH RECURSIVE r (n) AS MATERIALIZED (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT sum(n) FROM r;

-- ORDER BY, LIMIT, OFFSET, DISTINCT
SELECT id FROM orders ORDER BY amount DESC NULLS LAST, id LIMIT 3 OFFSET 1;
SELECT id FROM orders ORDER BY id FETCH FIRST 2 ROWS ONLY;
SELECT DISTINCT city FROM customers ORDER BY city;
SELECT DISTINCT ON (customer_id) customer_id, id, amount FROM orders ORDER BY customer_id, amount DESC, id;
SELECT DISTINCT ON (city) * FROM customers ORDER BY city, id;

-- Predicates
SELECT id, CASE WHEN amount > 100 THEN 'big' WHEN amount > 10 THEN 'medium' ELSE 'small' END AS size FROM orders ORDER BY id;
SELECT CASE status WHEN 'paid' THEN 1 ELSE 0 END, coalesce(status, 'none'), nullif(status, 'paid') FROM orders ORDER BY id;
SELECT id FROM orders WHERE amount BETWEEN 10 AND 100 AND status NOT IN ('cancelled') ORDER BY id;
SELECT name FROM customers WHERE name LIKE 'A%' OR name ILIKE '%ER%' OR email NOT LIKE '%@example.com' ORDER BY name;
SELECT id FROM orders WHERE status IS DISTINCT FROM 'paid' ORDER BY id;
SELECT id FROM orders WHERE status IS NOT DISTINCT FROM NULL ORDER BY id;
SELECT id FROM customers WHERE city IS NULL OR score IS NOT NULL ORDER BY id;
SELECT id FROM customers WHERE name ~ '^[A-C]' AND name !~* 'z' ORDER BY id;
SELECT id FROM orders WHERE NOT (amount > 20 AND status = 'paid') OR (id > 14) ORDER BY id;

-- Functions, operators, casts
SELECT lower(name), upper(city), length(name), substring(name FROM 2 FOR 3), substr(name, 1, 2), trim('  x  '),
  position('a' IN name), replace(name, 'a', '4'), concat(name, '-', city), split_part(email, '@', 2),
  left(name, 1), right(name, 2) FROM customers ORDER BY id;
SELECT name || ' from ' || coalesce(city, '?'), 'n=' || 1 + 2 FROM customers ORDER BY id;
SELECT amount::int, amount::text, '42'::integer + 1, cast(amount AS varchar(10)), id::numeric(10,2) / 3,
  5::double precision / 2, '7'::bigint, -amount::int, 1.239::numeric(10,2), 'abcdef'::varchar(3) FROM orders ORDER BY id;
SELECT round(amount, 1), abs(-amount), ceil(amount), floor(amount), mod(id, 3), id % 2, power(2, id), sqrt(amount)
  FROM orders ORDER BY id;
SELECT greatest(amount, 50), least(amount, 50) FROM orders ORDER BY id;
SELECT name COLLATE "C" FROM customers ORDER BY name COLLATE "C";
SELECT E'tab\there', E'quote\'s', 'plain''s', E'\\backslash', 'ünï';
SELECT date, value FROM (SELECT created_at::date AS date, score AS value FROM customers) d ORDER BY date, value;

-- Dates, times, intervals
SELECT date_trunc('month', created_at AT TIME ZONE 'UTC'), extract(year FROM created_at AT TIME ZONE 'UTC'),
  date_part('dow', created_at AT TIME ZONE 'UTC') FROM customers ORDER BY id;
SELECT id, created_at + interval '1 day', created_at - interval '2 hours 30 minutes', created_at + '1 week'::interval
  FROM customers ORDER BY id;
SELECT ordered_at::date, ordered_at::time, ordered_at - interval '1' day, ordered_at + interval '3 mons' FROM orders ORDER BY id;
SELECT id FROM customers WHERE created_at > timestamptz '2024-01-01 00:00:00+00' AND created_at < now() ORDER BY id;
SELECT date '2024-03-01' - date '2024-02-01', age(timestamp '2024-03-01', timestamp '2024-01-01'),
  timestamp '2024-01-01 10:00:00' AT TIME ZONE 'UTC' AT TIME ZONE 'Europe/Oslo';
SELECT date 'today' - current_date, timestamp '2024-01-01 10:00:00+02', time '10:00' + interval '1 hour', 2 ^ 10, 2 * 3 ^ 2;
SELECT to_char(ordered_at, 'YYYY-MM-DD HH24:MI'), ordered_at::date - date '2024-01-01' FROM orders ORDER BY id;

-- jsonb
SELECT data -> 'a', data ->> 'b', data #> '{c,d}', data #>> '{c,d}' FROM docs ORDER BY id;
SELECT id FROM docs WHERE data @> '{"a": 1}' ORDER BY id;
SELECT id FROM docs WHERE data ? 'b' OR data ?| array['x', 'y'] ORDER BY id;
SELECT id FROM docs WHERE data ?& array['a', 'b'] ORDER BY id;
SELECT id, data ->> 'b' || '!', (data -> 'c' -> 'd')::int + 1 FROM docs ORDER BY id;
SELECT id, jsonb_typeof(data -> 'a'), jsonb_array_length(data -> 'arr'), data -> 'arr' -> 0 FROM docs ORDER BY id;
SELECT '{"a":1}'::jsonb <@ data, jsonb '{"z": 2}' || data FROM docs ORDER BY id;
SELECT jsonb_build_object('id', id, 'name', name) FROM customers ORDER BY id;

-- Arrays and set-returning functions
SELECT ARRAY[1, 2, 3], ARRAY['a', 'b']::text[], '{4,5}'::int[], tags[1], array_length(tags, 1) FROM orders ORDER BY id;
SELECT id FROM orders WHERE 'rush' = ANY(tags) OR tags @> ARRAY['gift'] ORDER BY id;
SELECT unnest(ARRAY[3, 1, 2]) AS v ORDER BY v;
SELECT n, n * 2 FROM generate_series(1, 5) AS g(n) WHERE n % 2 = 1;

-- Parameters and locking
-- params: 10, 'paid'
SELECT id FROM orders WHERE amount > $1 AND status = $2 ORDER BY id;
-- params: 2, 1
SELECT id FROM orders ORDER BY id LIMIT $1 OFFSET $2;
-- params: 'paid', 20
SELECT id FROM orders WHERE amount > $2 AND status = $1 ORDER BY id;
-- params: 1
SELECT * FROM customers WHERE id = $1 FOR UPDATE;
SELECT * FROM orders o WHERE o.status = 'paid' ORDER BY o.id FOR UPDATE OF o SKIP LOCKED;
SELECT k FROM counters ORDER BY k FOR NO KEY UPDATE NOWAIT;
SELECT c.id FROM customers c JOIN orders o ON o.customer_id = c.id ORDER BY c.id, o.id LIMIT 2 FOR SHARE OF c;

-- INSERT, UPDATE, DELETE (each runs in a transaction that is rolled back)
INSERT INTO customers (id, name, email, city, created_at) VALUES (100, 'Zed', 'zed@example.com', 'Oslo',
  timestamptz '2024-05-01 10:00:00+00') RETURNING id, name;
INSERT INTO counters (k, n) VALUES ('a', 1) ON CONFLICT (k) DO NOTHING;
INSERT INTO counters AS c (k, n) VALUES ('a', 5), ('new', 1) ON CONFLICT (k)
  DO UPDATE SET n = c.n + excluded.n, note = 'bumped' WHERE c.n < 100 RETURNING k, n, note;
INSERT INTO counters (k) VALUES ('b') ON CONFLICT ON CONSTRAINT counters_pkey DO UPDATE SET n = DEFAULT RETURNING *;
INSERT INTO orders (id, customer_id, amount, status) SELECT id + 1000, id, 1.5, 'new' FROM customers WHERE city = 'Oslo' RETURNING id;
-- params: 'p'
INSERT INTO counters (k) VALUES ($1) RETURNING n;
UPDATE orders SET amount = amount * 1.1, status = 'repriced' WHERE status = 'paid' RETURNING id, amount;
UPDATE orders o SET status = c.city FROM customers c WHERE c.id = o.customer_id AND c.city IS NOT NULL RETURNING o.id, o.status;
-- params: 'b'
UPDATE counters SET n = DEFAULT, note = NULL WHERE k = $1;
DELETE FROM items WHERE qty = 0 RETURNING *;
DELETE FROM items i USING orders o WHERE o.id = i.order_id AND o.status = 'cancelled' RETURNING i.order_id, i.line;
WITH paid AS (SELECT id FROM orders WHERE status = 'paid') DELETE FROM items WHERE order_id IN (SELECT id FROM paid);
WITH src AS (SELECT 'w' AS k, 9 AS n) INSERT INTO counters (k, n) SELECT k, n FROM src RETURNING k;
