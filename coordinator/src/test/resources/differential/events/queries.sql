-- Event analytics queries over the schema "analytics" (always schema-qualified). Ordered
-- comparison applies when the outermost level has ORDER BY, so every such ORDER BY is total.

-- Router queries.
-- name: events_001
SELECT * FROM analytics.users WHERE user_id = 17;

-- name: events_002
SELECT event_id, event_type, occurred_at, payload FROM analytics.events WHERE user_id = 17 ORDER BY event_id;

-- name: events_003
SELECT event_type, count(*) FROM analytics.events WHERE user_id = 250 GROUP BY event_type;

-- name: events_004
SELECT payload->>'page' AS page, count(*)
FROM analytics.events
WHERE user_id IN (10, 20, 30) AND payload ? 'page'
GROUP BY 1;

-- name: events_005
SELECT s.session_id, count(e.event_id)
FROM analytics.sessions s
LEFT JOIN analytics.events e ON e.user_id = s.user_id AND e.session_id = s.session_id
WHERE s.user_id = 42
GROUP BY s.session_id
ORDER BY s.session_id;

-- name: events_006
SELECT u.user_id, u.username, count(e.event_id) FROM analytics.users u
LEFT JOIN analytics.events e ON e.user_id = u.user_id
WHERE u.user_id = 395
GROUP BY u.user_id, u.username;

-- name: events_007
SELECT count(*), sum(revenue) FROM analytics.events WHERE user_id = 390;

-- name: events_008
SELECT u.username, e.event_id, e.event_type, e.revenue
FROM analytics.users u JOIN analytics.events e USING (user_id)
WHERE u.user_id = 50 AND e.revenue IS NOT NULL
ORDER BY e.event_id;

-- name: events_009
SELECT * FROM analytics.devices WHERE device_id = 1042;

-- name: events_010
SELECT user_id, username, tier FROM analytics.users WHERE user_id IN (5, 50, 500, 150) ORDER BY user_id DESC;

-- name: events_011
SELECT event_id, duration_ms FROM analytics.events WHERE user_id = 3 AND duration_ms > 1000 ORDER BY duration_ms DESC, event_id;

-- name: events_012
SELECT session_id, started_at, ended_at FROM analytics.sessions WHERE user_id = 10 AND ended_at IS NULL;

-- name: events_013
SELECT user_id, attrs FROM analytics.users WHERE user_id = 8;

-- jsonb operators and functions.
-- name: events_014
SELECT event_id, payload->'meta'->>'w' AS width, (payload #>> '{meta,dark}')::boolean AS dark
FROM analytics.events
WHERE user_id < 20 AND payload ? 'meta'
ORDER BY event_id;

-- name: events_015
SELECT count(*) FROM analytics.events WHERE payload @> '{"msg": "timeout"}';

-- name: events_016
SELECT payload->>'sku' AS sku, sum((payload->>'qty')::int) AS qty, sum((payload->>'price')::numeric) AS amount
FROM analytics.events
WHERE event_type = 'purchase'
GROUP BY 1;

-- name: events_017
SELECT tag, count(*) FROM analytics.events, jsonb_array_elements_text(payload->'tags') AS tag GROUP BY tag;

-- name: events_018
SELECT jsonb_array_length(payload->'items') AS n, count(*) FROM analytics.events WHERE payload ? 'items' GROUP BY 1;

-- name: events_019
SELECT count(*) FROM analytics.events WHERE payload ?| array['sku', 'code'];

-- name: events_020
SELECT count(*) FROM analytics.events WHERE payload ?& array['page', 'ref'] AND payload->'ref' <> 'null'::jsonb;

-- name: events_021
SELECT key, count(*) FROM analytics.events, jsonb_object_keys(payload) AS key GROUP BY key;

-- name: events_022
SELECT user_id, attrs->'langs' AS langs FROM analytics.users WHERE attrs->'langs' @> '["en"]' ORDER BY user_id LIMIT 10;

-- name: events_023
SELECT (attrs->>'age')::int / 10 * 10 AS decade, count(*) FROM analytics.users WHERE attrs IS NOT NULL GROUP BY 1 ORDER BY 1;

-- name: events_024
SELECT count(*) FILTER (WHERE attrs->>'referrer' IS NULL) AS no_referrer,
       count(*) FILTER (WHERE attrs->'referrer' = 'null'::jsonb) AS json_null,
       count(*) FILTER (WHERE attrs IS NULL) AS no_attrs
FROM analytics.users;

-- name: events_025
SELECT payload->>'code' AS code, payload->>'msg' AS msg, count(*) FROM analytics.events WHERE event_type = 'error' GROUP BY 1, 2;

-- name: events_026
SELECT user_id, jsonb_agg(payload->'code' ORDER BY event_id) AS codes
FROM analytics.events
WHERE event_type = 'error' AND user_id < 30
GROUP BY user_id;

-- name: events_027
SELECT jsonb_build_object('type', event_type, 'n', count(*)) FROM analytics.events GROUP BY event_type;

-- name: events_028
SELECT payload #> '{meta}' AS meta, count(*) FROM analytics.events WHERE payload ? 'meta' GROUP BY 1;

-- name: events_029
SELECT count(*) FROM analytics.events WHERE jsonb_path_exists(payload, '$.items[*] ? (@ > 7)');

-- name: events_030
SELECT jsonb_typeof(payload->'ref') AS t, count(*) FROM analytics.events GROUP BY 1;

-- name: events_031
SELECT key, value FROM analytics.users, jsonb_each_text(attrs) WHERE user_id = 13;

-- name: events_032
SELECT event_id, payload || '{"seen": true}' AS marked, payload - 'meta' AS slim, jsonb_strip_nulls(payload) AS stripped
FROM analytics.events
WHERE user_id = 5
ORDER BY event_id;

-- name: events_033
SELECT to_jsonb(d) FROM analytics.device_types d ORDER BY d.type_id;

-- name: events_034
SELECT payload->'items'->0 AS first_item, payload->'items'->>-1 AS last_item
FROM analytics.events
WHERE user_id BETWEEN 100 AND 110 AND payload ? 'items'
ORDER BY event_id;

-- name: events_035
SELECT (payload->>'retry')::boolean AS retry, count(*), min(event_id), max(event_id)
FROM analytics.events
WHERE payload ? 'retry'
GROUP BY 1;

-- name: events_036
SELECT e.user_id, sum((item.value)::int) AS item_sum
FROM analytics.events e, jsonb_array_elements_text(e.payload->'items') AS item
GROUP BY e.user_id
HAVING sum((item.value)::int) > 60;

-- name: events_037
SELECT jsonb_object_agg(username, tier ORDER BY user_id) FROM analytics.users WHERE user_id <= 12;

-- name: events_038
SELECT attrs->>'referrer' AS referrer, count(*) FROM analytics.users GROUP BY 1 ORDER BY 1 NULLS FIRST;

-- Multi-shard scans, ordering, LIMIT/OFFSET.
-- name: events_039
SELECT user_id, username, country FROM analytics.users WHERE country = '' ORDER BY user_id;

-- name: events_040
SELECT user_id, username, country FROM analytics.users WHERE country IS NULL;

-- name: events_041
SELECT user_id, username FROM analytics.users ORDER BY username DESC, user_id LIMIT 15;

-- name: events_042
SELECT user_id, country FROM analytics.users ORDER BY country NULLS FIRST, user_id LIMIT 20 OFFSET 30;

-- name: events_043
SELECT user_id, country FROM analytics.users ORDER BY country DESC NULLS LAST, user_id DESC LIMIT 25;

-- name: events_044
SELECT event_id, user_id, revenue FROM analytics.events ORDER BY revenue DESC NULLS LAST, event_id LIMIT 10;

-- name: events_045
SELECT event_id, revenue FROM analytics.events WHERE revenue < 0 ORDER BY event_id;

-- name: events_046
SELECT event_id, duration_ms FROM analytics.events ORDER BY duration_ms NULLS FIRST, event_id LIMIT 30;

-- name: events_047
SELECT event_id, occurred_at FROM analytics.events ORDER BY occurred_at DESC, event_id DESC LIMIT 10 OFFSET 100;

-- name: events_048
SELECT session_id, user_id, started_at FROM analytics.sessions WHERE started_at >= '2024-02-01' AND started_at < '2024-02-02';

-- name: events_049
SELECT user_id, signup_date FROM analytics.users WHERE signup_date BETWEEN '2022-06-01' AND '2022-06-30' ORDER BY signup_date, user_id;

-- name: events_050
SELECT device_id, os, model FROM analytics.devices WHERE os IS NULL ORDER BY device_id;

-- name: events_051
SELECT * FROM analytics.device_types ORDER BY category NULLS FIRST, type_id;

-- name: events_052
SELECT username, count(*) FROM analytics.users GROUP BY username HAVING count(*) > 1;

-- name: events_053
SELECT * FROM analytics.events WHERE event_type = 'no such type';

-- Aggregates.
-- name: events_054
SELECT count(*), count(DISTINCT user_id), count(DISTINCT session_id), count(revenue), sum(revenue), avg(duration_ms)
FROM analytics.events;

-- name: events_055
SELECT event_type, count(*), sum(revenue), round(avg(duration_ms), 3), min(duration_ms), max(duration_ms)
FROM analytics.events
GROUP BY event_type
ORDER BY event_type;

-- name: events_056
SELECT count(DISTINCT user_id) FILTER (WHERE event_type = 'page_view') AS viewed,
       count(DISTINCT user_id) FILTER (WHERE event_type = 'click') AS clicked,
       count(DISTINCT user_id) FILTER (WHERE event_type = 'purchase') AS purchased
FROM analytics.events;

-- name: events_057
SELECT bit_and(duration_ms), bit_or(duration_ms), bit_and(duration_ms) FILTER (WHERE duration_ms < 0)
FROM analytics.events;

-- name: events_058
SELECT round(stddev(duration_ms), 6), round(var_pop(duration_ms), 6), round(stddev_pop(revenue), 6)
FROM analytics.events;

-- name: events_059
SELECT count(*), sum(event_id), max(payload::text), jsonb_agg(payload ORDER BY event_id), bool_or(true)
FROM analytics.archived_events;

-- name: events_060
SELECT event_type, count(*) FROM analytics.archived_events GROUP BY event_type;

-- name: events_061
SELECT count(*), min(occurred_at), max(occurred_at), sum(revenue) FROM analytics.events WHERE occurred_at < '2000-01-01';

-- name: events_062
SELECT bool_and(ended_at > started_at), bool_or(ended_at IS NULL), count(*) FROM analytics.sessions;

-- name: events_063
SELECT tier, count(*), count(country), count(DISTINCT country) FROM analytics.users GROUP BY tier;

-- name: events_064
SELECT array_agg(DISTINCT event_type ORDER BY event_type) FROM analytics.events;

-- name: events_065
SELECT string_agg(username, ',' ORDER BY username DESC, user_id) FROM analytics.users WHERE user_id % 37 = 0;

-- name: events_066
SELECT avg(ended_at - started_at) AS avg_len, max(ended_at - started_at) AS max_len, min(ended_at - started_at) AS min_len
FROM analytics.sessions;

-- name: events_067
SELECT sum(revenue) / count(DISTINCT user_id) AS revenue_per_buyer FROM analytics.events WHERE revenue > 0;

-- name: events_068
SELECT user_id, sum(revenue) AS total FROM analytics.events GROUP BY user_id HAVING sum(revenue) > 400;

-- name: events_069
SELECT user_id, count(*) FROM analytics.events GROUP BY user_id ORDER BY count(*) DESC, user_id LIMIT 10;

-- name: events_070
SELECT device_id, count(*) FROM analytics.events GROUP BY device_id HAVING count(*) >= 25;

-- name: events_071
SELECT percentile_disc(0.9) WITHIN GROUP (ORDER BY duration_ms) AS p90,
       percentile_disc(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY duration_ms) AS quartiles
FROM analytics.events;

-- Timestamps.
-- name: events_072
SELECT date_trunc('day', occurred_at) AS day, count(*)
FROM analytics.events
WHERE occurred_at >= '2024-01-10' AND occurred_at < '2024-01-20'
GROUP BY 1
ORDER BY 1;

-- name: events_073
SELECT date_trunc('week', started_at)::date AS week, count(*), count(ended_at) FROM analytics.sessions GROUP BY 1 ORDER BY 1;

-- name: events_074
SELECT event_id, logged_at, logged_at AT TIME ZONE 'UTC' AS utc
FROM analytics.events
WHERE logged_at >= timestamptz '2024-01-05 00:00:00+00' AND logged_at < timestamptz '2024-01-05 12:00:00+00'
ORDER BY logged_at, event_id;

-- name: events_075
SELECT to_char(occurred_at, 'YYYY-MM-DD HH24:MI') AS minute, event_type
FROM analytics.events
WHERE user_id = 200
ORDER BY occurred_at, event_id;

-- name: events_076
SELECT user_id, min(occurred_at), max(occurred_at), max(occurred_at) - min(occurred_at) AS span
FROM analytics.events
GROUP BY user_id
HAVING count(*) > 20;

-- name: events_077
SELECT h, count(e.event_id)
FROM generate_series(timestamp '2024-01-01', timestamp '2024-01-02', interval '2 hours') AS h
LEFT JOIN analytics.events e ON e.occurred_at >= h AND e.occurred_at < h + interval '2 hours'
GROUP BY h
ORDER BY h;

-- name: events_078
SELECT date_bin('6 hours', occurred_at, timestamp '2024-01-01') AS bucket, count(*)
FROM analytics.events
WHERE occurred_at < '2024-01-04'
GROUP BY 1;

-- name: events_079
SELECT extract(epoch FROM ended_at - started_at) AS seconds, count(*)
FROM analytics.sessions
WHERE ended_at IS NOT NULL
GROUP BY 1
ORDER BY 2 DESC, 1
LIMIT 5;

-- name: events_080
SELECT extract(isodow FROM occurred_at) AS dow, extract(hour FROM occurred_at) AS hour, count(*)
FROM analytics.events
GROUP BY 1, 2
HAVING count(*) > 33;

-- name: events_081
SELECT min(logged_at AT TIME ZONE 'UTC'), max(logged_at AT TIME ZONE 'UTC'), count(DISTINCT logged_at::date) FROM analytics.events;

-- name: events_082
SELECT age(timestamp '2024-06-01', signup_date::timestamp) AS membership, user_id
FROM analytics.users
WHERE user_id <= 10
ORDER BY user_id;

-- name: events_083
SELECT signup_date, signup_date + interval '1 month' AS plus_month, date_part('year', signup_date)::int AS yr
FROM analytics.users
WHERE user_id BETWEEN 40 AND 45
ORDER BY user_id;

-- Window functions.
-- name: events_084
SELECT user_id, session_id, started_at,
       row_number() OVER (PARTITION BY user_id ORDER BY started_at, session_id) AS nth
FROM analytics.sessions
WHERE user_id <= 20
ORDER BY user_id, nth;

-- name: events_085
SELECT user_id, event_id, occurred_at,
       occurred_at - lag(occurred_at) OVER (PARTITION BY user_id ORDER BY occurred_at, event_id) AS gap
FROM analytics.events
WHERE user_id IN (11, 12, 13)
ORDER BY user_id, occurred_at, event_id;

-- name: events_086
SELECT user_id, sum(revenue) AS total, rank() OVER (ORDER BY sum(revenue) DESC NULLS LAST) AS rnk
FROM analytics.events
GROUP BY user_id;

-- name: events_087
SELECT day, n, sum(n) OVER (ORDER BY day) AS running
FROM (SELECT occurred_at::date AS day, count(*) AS n FROM analytics.events GROUP BY 1) d
ORDER BY day;

-- name: events_088
SELECT event_type, count(*) AS n, round(count(*) * 1.0 / sum(count(*)) OVER (), 4) AS share,
       dense_rank() OVER (ORDER BY count(*) DESC) AS r
FROM analytics.events
GROUP BY event_type;

-- name: events_089
SELECT tier, user_id, signup_date,
       count(*) OVER (PARTITION BY tier) AS in_tier,
       first_value(user_id) OVER (PARTITION BY tier ORDER BY signup_date, user_id) AS earliest
FROM analytics.users
WHERE user_id % 10 = 3
ORDER BY tier, signup_date, user_id;

-- name: events_090
SELECT *
FROM (SELECT user_id, event_id, revenue,
             row_number() OVER (PARTITION BY user_id ORDER BY revenue DESC, event_id) AS rn
      FROM analytics.events
      WHERE revenue IS NOT NULL) r
WHERE rn = 1
ORDER BY revenue DESC, user_id
LIMIT 15;

-- name: events_091
SELECT country, count(*) AS users,
       round(avg(count(*)) OVER (), 4) AS avg_users,
       lag(country) OVER (ORDER BY country NULLS FIRST) AS prev_country
FROM analytics.users
GROUP BY country
ORDER BY country NULLS FIRST;

-- name: events_092
SELECT user_id, event_id, duration_ms,
       avg(duration_ms) OVER (PARTITION BY user_id ORDER BY event_id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS smooth
FROM analytics.events
WHERE user_id = 64
ORDER BY event_id;

-- Co-located joins on user_id.
-- name: events_093
SELECT u.tier, count(*) AS events, count(DISTINCT u.user_id) AS users
FROM analytics.users u JOIN analytics.events e ON e.user_id = u.user_id
GROUP BY u.tier;

-- name: events_094
SELECT u.user_id, u.username, count(s.session_id) AS sessions
FROM analytics.users u LEFT JOIN analytics.sessions s ON s.user_id = u.user_id
GROUP BY u.user_id, u.username
HAVING count(s.session_id) = 0
ORDER BY u.user_id;

-- name: events_095
SELECT s.user_id, s.session_id, count(e.event_id) AS events, sum(e.revenue) AS revenue
FROM analytics.sessions s
JOIN analytics.events e ON e.user_id = s.user_id AND e.session_id = s.session_id
GROUP BY s.user_id, s.session_id
HAVING count(e.event_id) > 3;

-- name: events_096
SELECT u.country, e.event_type, count(*)
FROM analytics.users u JOIN analytics.events e USING (user_id)
WHERE u.tier = 'premium'
GROUP BY u.country, e.event_type;

-- name: events_097
SELECT count(*)
FROM analytics.sessions s
JOIN analytics.events e ON e.user_id = s.user_id AND e.session_id = s.session_id
WHERE e.occurred_at < s.started_at;

-- name: events_098
SELECT u.user_id, count(*) FILTER (WHERE e.event_type = 'error') AS errors
FROM analytics.users u JOIN analytics.events e ON e.user_id = u.user_id
WHERE u.country = 'JP'
GROUP BY u.user_id;

-- name: events_099
SELECT u.signup_date, e.occurred_at::date - u.signup_date AS days_to_event, e.event_id
FROM analytics.users u JOIN analytics.events e ON e.user_id = u.user_id
WHERE u.user_id = 123
ORDER BY e.event_id;

-- name: events_100
SELECT count(*), count(s.session_id), count(e.event_id)
FROM analytics.sessions s
FULL JOIN analytics.events e ON e.user_id = s.user_id AND e.session_id = s.session_id;

-- Reference table and non-co-located joins (devices is distributed by device_id).
-- name: events_101
SELECT t.name, count(*) FROM analytics.devices d JOIN analytics.device_types t ON t.type_id = d.type_id GROUP BY t.name;

-- name: events_102
SELECT t.category, count(d.device_id)
FROM analytics.device_types t LEFT JOIN analytics.devices d ON d.type_id = t.type_id
GROUP BY t.category
ORDER BY t.category NULLS LAST;

-- name: events_103
SELECT d.os, count(*) AS events
FROM analytics.events e JOIN analytics.devices d ON d.device_id = e.device_id
GROUP BY d.os;

-- name: events_104
SELECT count(*) FILTER (WHERE d.device_id IS NULL) AS unknown_device, count(*) AS all_events
FROM analytics.events e LEFT JOIN analytics.devices d ON d.device_id = e.device_id;

-- name: events_105
SELECT u.user_id, count(d.device_id) AS devices
FROM analytics.users u JOIN analytics.devices d ON d.owner_id = u.user_id
GROUP BY u.user_id
HAVING count(d.device_id) > 1
ORDER BY u.user_id;

-- name: events_106
SELECT t.name, count(*) AS sessions
FROM analytics.sessions s
JOIN analytics.devices d ON d.device_id = s.device_id
JOIN analytics.device_types t ON t.type_id = d.type_id
GROUP BY t.name;

-- name: events_107
SELECT e.event_type, t.category, count(*)
FROM analytics.events e
JOIN analytics.devices d ON d.device_id = e.device_id
LEFT JOIN analytics.device_types t ON t.type_id = d.type_id
GROUP BY e.event_type, t.category;

-- name: events_108
SELECT d.device_id, d.model, t.name FROM analytics.devices d LEFT JOIN analytics.device_types t USING (type_id)
WHERE d.device_id BETWEEN 1010 AND 1030
ORDER BY d.device_id;

-- Subqueries.
-- name: events_109
SELECT user_id, username FROM analytics.users
WHERE user_id IN (SELECT user_id FROM analytics.events WHERE event_type = 'purchase' AND revenue > 190)
ORDER BY user_id;

-- name: events_110
SELECT u.user_id FROM analytics.users u
WHERE NOT EXISTS (SELECT 1 FROM analytics.events e WHERE e.user_id = u.user_id)
ORDER BY u.user_id;

-- name: events_111
SELECT count(*) FROM analytics.events WHERE device_id IN (SELECT device_id FROM analytics.devices WHERE os = 'ios');

-- name: events_112
SELECT u.user_id, (SELECT max(occurred_at) FROM analytics.events e WHERE e.user_id = u.user_id) AS last_seen
FROM analytics.users u
WHERE u.user_id <= 15
ORDER BY 1;

-- name: events_113
SELECT n_events, count(*) AS users
FROM (SELECT user_id, count(*) AS n_events FROM analytics.events GROUP BY user_id) per_user
GROUP BY n_events;

-- name: events_114
SELECT event_id, revenue FROM analytics.events
WHERE revenue > (SELECT avg(revenue) + 1.5 * stddev(revenue) FROM analytics.events)
ORDER BY event_id;

-- name: events_115
SELECT user_id FROM analytics.users u
WHERE EXISTS (SELECT 1 FROM analytics.events e WHERE e.user_id = u.user_id AND e.event_type = 'signup')
  AND NOT EXISTS (SELECT 1 FROM analytics.events e WHERE e.user_id = u.user_id AND e.event_type = 'purchase');

-- name: events_116
SELECT s.session_id FROM analytics.sessions s
WHERE s.device_id NOT IN (SELECT device_id FROM analytics.devices)
ORDER BY s.session_id;

-- name: events_117
SELECT tier, (SELECT count(*) FROM analytics.users u2 WHERE u2.tier = u.tier) AS n
FROM (SELECT DISTINCT tier FROM analytics.users) u;

-- CTEs.
-- name: events_118
WITH purchases AS (
  SELECT user_id, sum(revenue) AS spent FROM analytics.events WHERE event_type = 'purchase' GROUP BY user_id
)
SELECT u.tier, count(*) AS buyers, sum(p.spent) AS spent, max(p.spent) AS top
FROM purchases p JOIN analytics.users u USING (user_id)
GROUP BY u.tier
ORDER BY u.tier;

-- name: events_119
WITH first_event AS (
  SELECT DISTINCT ON (user_id) user_id, event_type, occurred_at
  FROM analytics.events
  ORDER BY user_id, occurred_at, event_id
)
SELECT event_type, count(*) FROM first_event GROUP BY event_type;

-- name: events_120
WITH sessions_per_user AS (SELECT user_id, count(*) AS n FROM analytics.sessions GROUP BY user_id),
     buckets AS (SELECT CASE WHEN n < 3 THEN 'light' WHEN n < 5 THEN 'regular' ELSE 'heavy' END AS bucket, user_id
                 FROM sessions_per_user)
SELECT bucket, count(*) FROM buckets GROUP BY bucket ORDER BY bucket;

-- name: events_121
WITH recent AS NOT MATERIALIZED (SELECT * FROM analytics.events WHERE occurred_at >= '2024-03-01')
SELECT event_type, count(*) FROM recent GROUP BY event_type;

-- DISTINCT, set operations.
-- name: events_122
SELECT DISTINCT event_type FROM analytics.events ORDER BY event_type;

-- name: events_123
SELECT DISTINCT ON (user_id) user_id, event_id, occurred_at
FROM analytics.events
WHERE user_id <= 30
ORDER BY user_id, occurred_at DESC, event_id DESC;

-- name: events_124
SELECT DISTINCT country, tier FROM analytics.users;

-- name: events_125
SELECT user_id FROM analytics.events WHERE event_type = 'click'
INTERSECT
SELECT user_id FROM analytics.events WHERE event_type = 'purchase';

-- name: events_126
SELECT user_id FROM analytics.users
EXCEPT
SELECT user_id FROM analytics.sessions;

-- name: events_127
SELECT user_id, 'event' AS src FROM analytics.events WHERE event_id <= 20
UNION ALL
SELECT user_id, 'archived' FROM analytics.archived_events
UNION ALL
SELECT user_id, 'session' FROM analytics.sessions WHERE session_id <= 10;

-- name: events_128
SELECT owner_id AS user_id FROM analytics.devices WHERE os = 'macos'
UNION
SELECT user_id FROM analytics.users WHERE tier = 'premium' AND country = 'FR'
ORDER BY 1 NULLS FIRST;

-- Expressions, LATERAL, VALUES, generate_series.
-- name: events_129
SELECT u.user_id, recent.event_id, recent.event_type
FROM analytics.users u
CROSS JOIN LATERAL (SELECT event_id, event_type FROM analytics.events e
                    WHERE e.user_id = u.user_id ORDER BY occurred_at DESC, event_id DESC LIMIT 2) recent
WHERE u.user_id BETWEEN 30 AND 40
ORDER BY u.user_id, recent.event_id;

-- name: events_130
SELECT v.t, count(e.event_id)
FROM (VALUES ('page_view'), ('purchase'), ('refund')) AS v (t)
LEFT JOIN analytics.events e ON e.event_type = v.t
GROUP BY v.t
ORDER BY v.t;

-- name: events_131
SELECT CASE WHEN duration_ms IS NULL THEN 'n/a' WHEN duration_ms < 0 THEN 'negative'
            WHEN duration_ms < 1000 THEN 'fast' ELSE 'slow' END AS speed,
       count(*)
FROM analytics.events
GROUP BY 1;

-- name: events_132
SELECT user_id, coalesce(country, '??') AS country, upper(username) AS name, length(username)
FROM analytics.users
WHERE user_id % 50 = 0
ORDER BY user_id;

-- name: events_133
SELECT revenue, revenue::int AS whole, revenue::text AS txt, round(revenue / 3, 4) AS third, revenue * 1.5 AS more
FROM analytics.events
WHERE revenue IS NOT NULL AND user_id < 15
ORDER BY event_id;

-- name: events_134
SELECT g AS min_events, (SELECT count(*) FROM (SELECT user_id FROM analytics.events GROUP BY user_id HAVING count(*) >= g) s) AS users
FROM generate_series(5, 25, 5) AS g
ORDER BY g;

-- name: events_135
SELECT split_part(payload->>'page', '/', 3) AS page_no, count(*)
FROM analytics.events
WHERE payload->>'page' LIKE '/p/1%'
GROUP BY 1;

-- name: events_136
SELECT username FROM analytics.users WHERE username LIKE 'user_00_1' ORDER BY username;

-- name: events_137
SELECT concat_ws('|', user_id, username, country, tier) AS line FROM analytics.users WHERE user_id < 12 ORDER BY user_id;

-- Transaction-time functions (replaced by the coordinator's time on the workers): every row is
-- dated 2024 or 2025, so the answers do not depend on the moment the test runs.

-- name: events_138
SELECT count(*), bool_and(occurred_at < now()) FROM analytics.events WHERE user_id = 17 AND occurred_at < CURRENT_TIMESTAMP;

-- name: events_139
SELECT count(*), min(occurred_at) < LOCALTIMESTAMP(0) FROM analytics.events WHERE occurred_at < now() - interval '1 day';

-- name: events_140
SELECT user_id, count(*) FILTER (WHERE occurred_at <= transaction_timestamp()) AS past
FROM analytics.events GROUP BY user_id ORDER BY user_id LIMIT 5;

-- name: events_141
SELECT u.tier, count(*) FROM analytics.users u JOIN analytics.events e ON e.user_id = u.user_id
WHERE e.occurred_at <= pg_catalog.now() AND u.signup_date <= CURRENT_DATE
GROUP BY u.tier ORDER BY u.tier;

-- name: events_142
SELECT now() > '2020-01-01' AS after_2020, CURRENT_DATE > date '2020-01-01', now()::date = CURRENT_DATE AS today, LOCALTIME IS NOT NULL
FROM analytics.users WHERE user_id = 3;

-- name: events_143
SELECT count(*) FROM analytics.events
WHERE user_id IN (SELECT user_id FROM analytics.users WHERE signup_date < CURRENT_DATE - 30);

-- name: events_144
SELECT type_id, CURRENT_TIMESTAMP(2) > '2020-01-01' FROM analytics.device_types ORDER BY type_id;

-- name: events_145
SELECT date_trunc('year', occurred_at) < date_trunc('year', now()) AS before_this_year, count(*)
FROM analytics.events GROUP BY 1;

-- Syntax Calcite's grammar does not read: gathered, found by position (UnparsedReads).

-- name: events_146
SELECT count(*), count(DISTINCT user_id)
FROM (WITH x AS MATERIALIZED (SELECT user_id, event_type FROM analytics.events WHERE user_id < 100) SELECT user_id FROM x WHERE event_type IS NOT NULL) AS s;

-- name: events_147
SELECT u.user_id, u.username, e.n
FROM analytics.users u
JOIN (SELECT user_id, count(*) AS n FROM analytics.events GROUP BY user_id ORDER BY count(*) DESC FETCH FIRST 5 ROWS WITH TIES) e ON e.user_id = u.user_id
ORDER BY e.n DESC, u.user_id;

-- Edge semantics, second batch.
-- name: events_148
SELECT e.event_id, t.ord, t.tag, jsonb_typeof(t.tag) AS kind
FROM analytics.events e
CROSS JOIN LATERAL jsonb_array_elements(e.payload->'tags') WITH ORDINALITY AS t (tag, ord)
WHERE e.user_id = 77
ORDER BY e.event_id, t.ord;

-- name: events_149
SELECT l.lang, count(*) AS users,
       jsonb_agg(u.user_id ORDER BY u.user_id) FILTER (WHERE u.user_id < 40) AS first_ids
FROM analytics.users u
CROSS JOIN LATERAL jsonb_array_elements_text(u.attrs->'langs') AS l (lang)
GROUP BY l.lang
ORDER BY l.lang;

-- name: events_150
SELECT tier,
       count(*) FILTER (WHERE attrs->'langs' ? 'en') AS has_en,
       count(*) FILTER (WHERE attrs->'langs' ?| array['de', 'ja']) AS de_or_ja,
       count(*) FILTER (WHERE attrs->'langs' ?& array['fr', 'ja']) AS fr_and_ja,
       count(*) FILTER (WHERE attrs->'langs' = '[]') AS no_langs,
       count(*) FILTER (WHERE attrs @> '{"newsletter": true}') AS newsletter
FROM analytics.users
GROUP BY tier
ORDER BY tier;

-- name: events_151
SELECT user_id,
       jsonb_build_object('n', count(*), 'types', jsonb_agg(DISTINCT event_type ORDER BY event_type),
                          'revenue', sum(revenue), 'last', max(occurred_at)) AS summary
FROM analytics.events
WHERE user_id IN (21, 22, 381)
GROUP BY user_id
ORDER BY user_id;

-- name: events_152
SELECT e.user_id, count(DISTINCT e.event_id) AS events, count(i.value) AS items,
       sum((i.value)::int) AS item_sum, count(*) FILTER (WHERE i.value IS NULL) AS without_items
FROM analytics.events e
LEFT JOIN LATERAL jsonb_array_elements(e.payload->'items') AS i ON true
WHERE e.payload ? 'items' AND e.user_id BETWEEN 60 AND 75
GROUP BY e.user_id
ORDER BY e.user_id;

-- name: events_153
SELECT g.d::date AS day, (g.d + interval '1 month')::date AS month_later, extract(dow FROM g.d) AS dow,
       count(s.session_id) AS sessions, count(DISTINCT s.user_id) AS users
FROM generate_series(timestamp '2024-01-28', timestamp '2024-03-02', interval '1 day 12 hours') AS g (d)
LEFT JOIN analytics.sessions s ON s.started_at >= g.d AND s.started_at < g.d + interval '36 hours'
GROUP BY g.d
ORDER BY g.d;

-- name: events_154
SELECT session_id, ended_at - started_at AS len,
       extract(epoch FROM ended_at - started_at) / 60 AS minutes,
       (started_at + interval '1 month - 1 day')::date AS renew,
       date_trunc('hour', started_at) + interval '90 minutes' AS slot,
       justify_hours(ended_at - started_at + interval '30 hours') AS padded
FROM analytics.sessions
WHERE user_id = 99
ORDER BY session_id;

-- name: events_155
SELECT date_trunc('day', logged_at, 'Asia/Tokyo') AT TIME ZONE 'UTC' AS tokyo_day_utc,
       (logged_at AT TIME ZONE 'America/New_York')::date AS ny_date, count(*)
FROM analytics.events
WHERE logged_at < timestamptz '2024-01-04 00:00:00+00'
GROUP BY 1, 2
ORDER BY 1, 2;

-- name: events_156
SELECT u.user_id,
       (SELECT count(*) FROM analytics.sessions s WHERE s.user_id = u.user_id) AS sessions,
       (SELECT sum(e.revenue) FROM analytics.events e WHERE e.user_id = u.user_id AND e.event_type = 'purchase') AS spent,
       (SELECT e.event_type FROM analytics.events e WHERE e.user_id = u.user_id
        ORDER BY e.occurred_at DESC, e.event_id DESC LIMIT 1) AS last_type
FROM analytics.users u
WHERE u.tier = 'premium' AND u.user_id % 7 = 0
ORDER BY u.user_id;

-- name: events_157
SELECT d.device_id, d.type_id,
       (SELECT t.name FROM analytics.device_types t WHERE t.type_id = d.type_id) AS type_name,
       (SELECT count(*) FROM analytics.device_types t
        WHERE t.category = (SELECT t2.category FROM analytics.device_types t2 WHERE t2.type_id = d.type_id)) AS same_category
FROM analytics.devices d
WHERE d.device_id % 20 = 0 OR d.type_id = 9
ORDER BY d.device_id;

-- name: events_158
SELECT t.type_id, t.name,
       (SELECT count(*) FROM analytics.devices d WHERE d.type_id = t.type_id) AS devices,
       (SELECT min(d.registered_on) FROM analytics.devices d WHERE d.type_id = t.type_id AND d.os = 'ios') AS first_ios,
       (SELECT count(*) FROM analytics.events e JOIN analytics.devices d ON d.device_id = e.device_id
        WHERE d.type_id = t.type_id AND e.event_type = 'purchase') AS purchases
FROM analytics.device_types t
ORDER BY t.type_id;

-- name: events_159
SELECT user_id, event_id, duration_ms,
       sum(duration_ms) OVER (PARTITION BY user_id ORDER BY event_id ROWS BETWEEN 2 PRECEDING AND 1 PRECEDING) AS prev2,
       sum(duration_ms) OVER (PARTITION BY user_id ORDER BY event_id RANGE BETWEEN 500 PRECEDING AND 500 FOLLOWING) AS near_ids,
       count(*) OVER (PARTITION BY user_id ORDER BY event_id GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE CURRENT ROW) AS neighbours,
       count(*) OVER (PARTITION BY user_id ORDER BY occurred_at RANGE BETWEEN interval '7 days' PRECEDING AND CURRENT ROW) AS last_week
FROM analytics.events
WHERE user_id BETWEEN 200 AND 215
ORDER BY user_id, event_id;

-- name: events_160
SELECT user_id, total,
       ntile(4) OVER w AS quartile,
       round((percent_rank() OVER w)::numeric, 6) AS pct_rank,
       round((cume_dist() OVER w)::numeric, 6) AS cume,
       rank() OVER (ORDER BY total DESC NULLS LAST) AS rnk
FROM (SELECT user_id, sum(duration_ms) AS total FROM analytics.events GROUP BY user_id) t
WINDOW w AS (ORDER BY total, user_id)
ORDER BY user_id;

-- name: events_161
SELECT user_id, event_id, event_type,
       first_value(event_type) OVER w AS first_type,
       last_value(event_type) OVER w AS last_so_far,
       nth_value(event_id, 2) OVER w AS second_id,
       last_value(event_id) OVER (PARTITION BY user_id ORDER BY occurred_at, event_id
                                  ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW) AS last_other,
       nth_value(event_id, 3) OVER (PARTITION BY user_id ORDER BY occurred_at, event_id
                                    ROWS BETWEEN CURRENT ROW AND 4 FOLLOWING) AS third_ahead
FROM analytics.events
WHERE user_id % 50 = 7
WINDOW w AS (PARTITION BY user_id ORDER BY occurred_at, event_id)
ORDER BY user_id, occurred_at, event_id;

-- name: events_162
SELECT country, tier, n,
       sum(n) OVER (PARTITION BY tier ORDER BY n GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW EXCLUDE GROUP) AS prev_group,
       sum(n) OVER (PARTITION BY tier ORDER BY n RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING EXCLUDE TIES) AS from_here,
       dense_rank() OVER (PARTITION BY tier ORDER BY n DESC) AS dr
FROM (SELECT country, tier, count(*) AS n FROM analytics.users GROUP BY country, tier) g
ORDER BY tier, n, country NULLS FIRST;

-- name: events_163
SELECT event_id, duration_ms, duration_ms / 7 AS int_div, duration_ms % 7 AS int_mod, mod(duration_ms, -7) AS mod_neg,
       div(duration_ms, 7) AS div_fn, duration_ms / 7.0 AS num_div, round(duration_ms / 2.0) AS half_round,
       round(duration_ms / 7.0, 2) AS r2, trunc(duration_ms / 7.0, 2) AS t2, round(duration_ms, -1) AS r_tens,
       trunc(duration_ms::numeric, -1) AS t_tens
FROM analytics.events
WHERE duration_ms < 25
ORDER BY event_id;

-- name: events_164
SELECT event_type,
       sum(9223372036854775807 - user_id) AS huge_sum,
       sum(duration_ms) AS int_sum, sum(duration_ms::bigint) AS bigint_sum,
       sum(duration_ms) / count(*) AS int_avg, sum(duration_ms)::numeric / count(*) AS num_avg,
       avg(revenue) AS avg_revenue, sum(revenue) / nullif(count(revenue), 0) AS per_paid,
       coalesce(max(revenue), min(duration_ms)) AS mixed, coalesce(sum(revenue), 0) AS revenue0,
       count(nullif(payload->>'ref', 'r1')) AS ref_not_r1
FROM analytics.events
GROUP BY event_type
ORDER BY event_type;

-- name: events_165
SELECT user_id AS k, count(*) AS v FROM analytics.events WHERE user_id BETWEEN 1 AND 4 GROUP BY user_id
UNION ALL
SELECT user_id + 1000, sum(revenue) FROM analytics.events WHERE user_id BETWEEN 1 AND 4 GROUP BY user_id
UNION
SELECT -1, 2.50
ORDER BY k;

-- name: events_166
SELECT user_id, left(username, 4) AS l4, right(username, -5) AS tail, regexp_replace(username, '[0-9]', '#', 'g') AS masked,
       split_part(username, '_', 2) AS num, position('0' IN username) AS first_zero, upper(left(country, 1)) AS c1,
       length(coalesce(country, '')) AS clen
FROM analytics.users
WHERE user_id % 45 = 0
ORDER BY username COLLATE "C" DESC, user_id;

-- name: events_167
SELECT model, count(*) AS n
FROM analytics.devices
GROUP BY model
ORDER BY length(model) DESC, model COLLATE "C"
LIMIT 8 OFFSET 2;

-- name: events_168
SELECT u.country, count(*) AS users
FROM analytics.users u
GROUP BY u.country
HAVING max(u.signup_date) > date '2023-10-01' AND count(DISTINCT u.tier) = 3
   AND sum((u.attrs->>'age')::int) > 1000 AND bool_or(u.attrs IS NULL);

-- name: events_169
SELECT extract(month FROM started_at)::int AS m, (extract(day FROM started_at)::int - 1) / 10 AS dekad,
       ended_at IS NULL AS open, count(*), min(session_id)
FROM analytics.sessions
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3;

-- name: events_170
SELECT u.user_id, u.tier
FROM analytics.users u
WHERE EXISTS (SELECT 1 FROM analytics.sessions s
              WHERE s.user_id = u.user_id
                AND EXISTS (SELECT 1 FROM analytics.events e
                            WHERE e.user_id = u.user_id AND e.session_id = s.session_id
                              AND e.revenue > (SELECT avg(e2.revenue) * 1.8 FROM analytics.events e2 WHERE e2.user_id = s.user_id)))
ORDER BY u.user_id;

-- name: events_171
SELECT count(*) FILTER (WHERE country IN ('US', NULL)) AS in_with_null,
       count(*) FILTER (WHERE country NOT IN ('US', NULL)) AS not_in_with_null,
       count(*) FILTER (WHERE country NOT IN ('US', 'DE')) AS not_in,
       count(*) FILTER (WHERE (country IN ('US', NULL)) IS NULL) AS unknown,
       count(*) FILTER (WHERE user_id = ANY (ARRAY[3, 33, 333, NULL]::bigint[])) AS any_array,
       count(*) FILTER (WHERE user_id <> ALL (ARRAY[1, 2, NULL]::bigint[])) AS ne_all_null,
       count(*) FILTER (WHERE tier = ANY ('{premium,basic}')) AS paying
FROM analytics.users;

-- name: events_172
SELECT u.user_id FROM analytics.users u
WHERE u.user_id NOT IN (SELECT d.owner_id FROM analytics.devices d)
ORDER BY u.user_id;

-- name: events_173
SELECT e.event_id, e.user_id, e.revenue
FROM analytics.events e
WHERE e.revenue >= ALL (SELECT e2.revenue FROM analytics.events e2 WHERE e2.user_id = e.user_id AND e2.revenue IS NOT NULL)
  AND e.revenue > 190
  AND e.device_id = ANY (SELECT d.device_id FROM analytics.devices d WHERE d.os IN ('ios', 'android', 'linux'))
ORDER BY e.event_id;

-- name: events_174
SELECT (SELECT count(*) FROM analytics.users u WHERE u.user_id > ALL (SELECT a.user_id FROM analytics.archived_events a)) AS gt_all_empty,
       (SELECT count(*) FROM analytics.users u WHERE u.user_id = ANY (SELECT a.user_id FROM analytics.archived_events a)) AS eq_any_empty,
       (SELECT count(*) FROM analytics.users u WHERE u.user_id NOT IN (SELECT a.user_id FROM analytics.archived_events a)) AS not_in_empty,
       (SELECT max(a.event_id) FROM analytics.archived_events a) AS max_empty,
       (SELECT count(DISTINCT a.event_type) FROM analytics.archived_events a) AS distinct_empty,
       (SELECT count(*) FROM analytics.users u LEFT JOIN analytics.archived_events a ON a.user_id = u.user_id
        WHERE a.event_id IS NULL) AS anti_join;

-- name: events_175
SELECT d.device_id, d.os
FROM analytics.devices d
WHERE EXISTS (SELECT 1 FROM analytics.events e WHERE e.device_id = d.device_id AND e.event_type = 'error' AND e.payload->>'msg' = 'timeout')
  AND NOT EXISTS (SELECT 1 FROM analytics.sessions s WHERE s.device_id = d.device_id AND s.ended_at IS NULL)
ORDER BY d.device_id;

-- name: events_176
SELECT (SELECT count(*) FROM (SELECT user_id, event_id FROM analytics.events ORDER BY user_id, event_id LIMIT 0) z) AS limit_zero,
       (SELECT count(*) FROM (SELECT user_id FROM analytics.users ORDER BY user_id OFFSET 400) o) AS offset_all,
       (SELECT count(*) FROM (SELECT user_id FROM analytics.users ORDER BY user_id OFFSET 399) o) AS offset_last,
       (SELECT count(*) FROM (SELECT user_id FROM analytics.users ORDER BY user_id LIMIT ALL) a) AS limit_all;

-- name: events_177
SELECT u.user_id, u.username FROM analytics.users u JOIN analytics.events e ON e.user_id = u.user_id
ORDER BY e.revenue DESC NULLS LAST, e.event_id LIMIT 0;
