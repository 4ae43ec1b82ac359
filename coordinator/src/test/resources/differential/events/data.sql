-- Deterministic rows: everything is computed from generate_series with integer arithmetic.

INSERT INTO analytics.device_types (type_id, name, category) VALUES
  (1, 'phone', 'mobile'),
  (2, 'tablet', 'mobile'),
  (3, 'laptop', 'desktop'),
  (4, 'desktop', 'desktop'),
  (5, 'tv', NULL),
  (6, 'watch', 'wearable');

INSERT INTO analytics.users (user_id, username, signup_date, country, tier, attrs)
SELECT u,
       CASE WHEN u % 30 = 0 THEN 'guest' ELSE 'user_' || lpad(u::text, 4, '0') END,
       date '2022-01-01' + (u * 5) % 700,
       (ARRAY['US', 'DE', 'FR', 'JP', 'BR', 'IN', NULL, 'US', 'DE', ''])[1 + u % 10],
       (ARRAY['free', 'free', 'basic', 'premium'])[1 + (u * 3) % 4],
       CASE WHEN u % 8 = 0 THEN NULL
            ELSE jsonb_build_object(
                   'age', 18 + (u * 7) % 50,
                   'newsletter', u % 3 = 0,
                   'langs', CASE u % 4 WHEN 0 THEN '["en"]'::jsonb WHEN 1 THEN '["en", "de"]'::jsonb
                                       WHEN 2 THEN '[]'::jsonb ELSE '["fr", "en", "ja"]'::jsonb END,
                   'referrer', CASE WHEN u % 5 = 0 THEN NULL ELSE 'ref' || u % 7 END)
       END
FROM generate_series(1, 400) AS u;

-- Devices: owner_id refers to users (some to none), device ids start at 1000.
INSERT INTO analytics.devices (device_id, owner_id, type_id, os, model, registered_on)
SELECT 1000 + d,
       CASE WHEN d % 25 = 0 THEN NULL ELSE 1 + (d * 7) % 180 END,
       CASE WHEN d % 13 = 0 THEN 9 ELSE 1 + d % 6 END,
       (ARRAY['ios', 'android', 'linux', 'windows', 'macos', NULL])[1 + (d * 5) % 6],
       'model-' || (d % 37),
       date '2021-06-01' + (d * 11) % 900
FROM generate_series(1, 300) AS d;

-- Users 381..400 have no sessions and no events.
INSERT INTO analytics.sessions (user_id, session_id, device_id, started_at, ended_at)
SELECT 1 + (s * 13 + (s * s) % 7) % 380,
       s,
       CASE WHEN s % 17 = 0 THEN NULL ELSE 1000 + 1 + (s * 3) % 310 END,
       timestamp '2024-01-01 00:00:00' + make_interval(mins => (s * 97) % 120000),
       CASE WHEN s % 11 = 0 THEN NULL
            ELSE timestamp '2024-01-01 00:00:00' + make_interval(mins => (s * 97) % 120000 + 1 + s % 90) END
FROM generate_series(1, 1500) AS s;

-- k picks the event type; it varies independently of the session (and so of the user).
INSERT INTO analytics.events (user_id, event_id, session_id, device_id, event_type, occurred_at,
                              logged_at, duration_ms, revenue, payload)
SELECT s.user_id,
       x.e,
       s.session_id,
       s.device_id,
       (ARRAY['page_view', 'page_view', 'click', 'signup', 'purchase', 'error', 'page_view', 'click'])[1 + x.k],
       s.started_at + make_interval(secs => (x.e % 4) * 45 + x.e % 7),
       timestamptz '2024-01-01 00:00:00+00' + make_interval(mins => (x.e * 97) % 120000, secs => x.e % 60),
       CASE WHEN x.e % 12 = 0 THEN NULL ELSE (x.e * 37) % 5000 - 20 END,
       CASE WHEN x.k = 4 THEN ((x.e * 131) % 20000) / 100.0 WHEN x.e % 50 = 0 THEN -5.00 ELSE NULL END,
       CASE WHEN x.e % 20 = 0 THEN NULL
            WHEN x.k = 4 THEN jsonb_build_object('sku', 'SKU-' || x.e % 40, 'qty', 1 + x.e % 3,
                   'price', round(((x.e * 131) % 20000) / 100.0, 2), 'tags', jsonb_build_array('sale', 'q' || x.e % 4))
            WHEN x.k = 5 THEN jsonb_build_object('code', 400 + x.e % 5 * 25, 'msg',
                   CASE WHEN x.e % 3 = 0 THEN 'timeout' ELSE 'bad request' END, 'retry', x.e % 2 = 0)
            ELSE jsonb_build_object('page', '/p/' || x.e % 25, 'ref', CASE WHEN x.e % 6 = 0 THEN NULL ELSE 'r' || x.e % 6 END,
                   'meta', jsonb_build_object('w', 320 + x.e % 4 * 160, 'dark', x.e % 5 = 0),
                   'items', CASE WHEN x.e % 3 = 0 THEN '[]'::jsonb ELSE jsonb_build_array(x.e % 10, x.e % 7) END)
       END
FROM (SELECT e, (e * 7 + e / 11) % 8 AS k FROM generate_series(1, 5000) AS e) AS x
JOIN analytics.sessions s ON s.session_id = 1 + (x.e * 7) % 1500;
