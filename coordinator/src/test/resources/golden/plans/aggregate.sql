SELECT count(*) FROM orders;

SELECT status, count(*), sum(amount) FROM orders GROUP BY status HAVING count(*) > 1 ORDER BY status LIMIT 10;

SELECT avg(amount), min(amount), max(amount) FROM orders WHERE status = 'new';

SELECT customer_id, count(*) FILTER (WHERE amount > 5) AS big FROM orders o GROUP BY customer_id ORDER BY 2 DESC, 1 LIMIT 3;

-- with bind parameters an aggregate gathers instead
-- params: 5
SELECT count(*) FROM orders WHERE amount > $1;
