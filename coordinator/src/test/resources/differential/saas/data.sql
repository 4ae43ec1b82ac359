-- Deterministic rows: everything is computed from generate_series with integer arithmetic.

INSERT INTO plans (plan_id, name, monthly_fee, max_users) VALUES
  (1, 'free', 0.00, 3),
  (2, 'starter', 19.99, 10),
  (3, 'pro', 99.00, 50),
  (4, 'business', 299.50, NULL),
  (5, 'enterprise', 1200.00, NULL),
  (6, 'legacy', 9.99, 5);

INSERT INTO country_codes (code, name, region) VALUES
  ('us', 'United States', 'Americas'),
  ('ca', 'Canada', 'Americas'),
  ('br', 'Brazil', 'Americas'),
  ('de', 'Germany', 'Europe'),
  ('fr', 'France', 'Europe'),
  ('nl', 'Netherlands', 'Europe'),
  ('jp', 'Japan', 'Asia'),
  ('in', 'India', 'Asia'),
  ('au', 'Australia', 'Oceania'),
  ('za', 'South Africa', 'Africa'),
  ('aq', 'Antarctica', NULL),
  ('zz', '', '');

INSERT INTO companies (company_id, name, country_code, plan_id, created_at, is_active, employees, domain)
SELECT i,
       CASE WHEN i % 25 = 0 THEN 'Acme' WHEN i % 37 = 0 THEN '' ELSE 'Company ' || i END,
       (ARRAY['us', 'ca', 'br', 'de', 'fr', 'nl', 'jp', 'in', 'au', 'za', 'us', 'de', NULL, 'qq'])[1 + i % 14],
       CASE WHEN i % 17 = 0 THEN NULL ELSE 1 + (i * 7) % 5 END,
       timestamp '2020-01-01 00:00:00' + make_interval(days => i * 3, mins => (i * 37) % 1440),
       i % 6 <> 0,
       CASE WHEN i % 11 = 0 THEN NULL ELSE (i * 13) % 500 + 1 END,
       CASE WHEN i % 9 = 0 THEN NULL ELSE 'c' || i || '.example.com' END
FROM generate_series(1, 200) AS i;

-- Companies 191..200 have no campaigns (and so no ads and no clicks).
INSERT INTO campaigns (company_id, campaign_id, name, budget, status, start_date, end_date)
SELECT 1 + (g * 7) % 190,
       g,
       CASE WHEN g % 10 = 0 THEN 'Spring sale' WHEN g % 10 = 5 THEN 'spring sale' ELSE 'Campaign ' || g END,
       CASE WHEN g % 13 = 0 THEN NULL ELSE ((g * 7919) % 100000) / 100.0 + 10 END,
       CASE WHEN g % 23 = 0 THEN NULL ELSE (ARRAY['active', 'paused', 'ended', 'draft'])[1 + g % 4] END,
       date '2023-01-01' + (g * 3) % 365,
       CASE WHEN g % 3 = 0 THEN NULL ELSE date '2023-01-01' + (g * 3) % 365 + 30 + g % 60 END
FROM generate_series(1, 1000) AS g;

-- Three ads per campaign; ad_id is unique over all companies.
INSERT INTO ads (company_id, ad_id, campaign_id, title, kind, bid, flags, tags)
SELECT c.company_id,
       g,
       c.campaign_id,
       CASE WHEN g % 40 = 0 THEN '' WHEN g % 7 = 0 THEN 'Big Sale' ELSE 'Ad ' || g END,
       (ARRAY['banner', 'video', 'text', 'native'])[1 + (g * 5 + g / 7) % 4],
       CASE WHEN g % 19 = 0 THEN NULL ELSE ((g * 37) % 5000 - 500) / 1000.0 END,
       (g * 11) % 16,
       CASE g % 5 WHEN 0 THEN NULL WHEN 1 THEN ARRAY['promo'] WHEN 2 THEN ARRAY['promo', 'summer']
                  WHEN 3 THEN '{}'::text[] ELSE ARRAY['winter', 'x' || g % 3] END
FROM generate_series(1, 3000) AS g
JOIN campaigns c ON c.campaign_id = 1 + (g - 1) / 3;

-- Ads 2901..3000 get no clicks.
INSERT INTO ad_clicks (company_id, click_id, ad_id, clicked_at, cost, country_code, user_agent, is_mobile)
SELECT a.company_id,
       g,
       a.ad_id,
       timestamp '2023-03-01 00:00:00' + make_interval(mins => (g * 17) % 200000, secs => g % 60),
       ((g * 7) % 1000) / 1000.0 + 0.0125,
       (ARRAY['us', 'ca', 'br', 'de', 'fr', 'nl', 'jp', 'in', 'au', 'za', 'us', NULL, 'qq'])[1 + g % 13],
       CASE WHEN g % 10 = 0 THEN NULL WHEN g % 10 IN (1, 2, 3) THEN 'Mozilla/5.0'
            WHEN g % 10 = 4 THEN '' ELSE 'curl/' || g % 5 END,
       CASE WHEN g % 15 = 0 THEN NULL ELSE g % 3 = 0 END
FROM generate_series(1, 6000) AS g
JOIN ads a ON a.ad_id = 1 + (g * 13) % 2900;

-- Companies 181..200 have no users.
INSERT INTO company_users (company_id, user_id, email, role, score, last_login)
SELECT 1 + (g * 11) % 180,
       g,
       CASE WHEN g % 50 = 0 THEN 'shared@example.com' ELSE 'user' || g || '@example.com' END,
       (ARRAY['admin', 'editor', 'viewer', 'viewer'])[1 + (g + g / 180) % 4],
       CASE WHEN g % 9 = 0 THEN NULL ELSE (g * 31) % 201 - 100 END,
       CASE WHEN g % 4 = 0 THEN NULL ELSE date '2024-01-01' - (g * 3) % 400 END
FROM generate_series(1, 1200) AS g;

INSERT INTO invoices (invoice_id, company_id, issued_on, amount, paid)
SELECT 100000 + g,
       1 + (g * 3) % 200,
       date '2023-01-01' + (g * 5) % 500,
       ((g * 997) % 50000) / 100.0 - 50,
       g % 4 <> 0
FROM generate_series(1, 800) AS g;
