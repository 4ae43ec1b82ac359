-- Multi-tenant SaaS queries. Ordered comparison applies when the outermost level has ORDER BY,
-- so every such ORDER BY is total (ends with a unique key).

-- Router queries: one distribution value, or a few.
-- name: saas_001
SELECT * FROM companies WHERE company_id = 42;

-- name: saas_002
SELECT name, country_code, employees, created_at FROM companies WHERE company_id = 7;

-- name: saas_003
SELECT * FROM companies WHERE company_id = 100000;

-- name: saas_004
SELECT campaign_id, name, budget, status FROM campaigns WHERE company_id = 8 ORDER BY campaign_id;

-- name: saas_005
SELECT ad_id, title, bid FROM ads WHERE company_id = 8 AND bid > 0 ORDER BY bid DESC, ad_id;

-- name: saas_006
SELECT count(*), sum(cost), min(clicked_at), max(clicked_at) FROM ad_clicks WHERE company_id = 15;

-- name: saas_007
SELECT * FROM companies WHERE company_id IN (3, 17, 99, 150, 4242) ORDER BY company_id;

-- name: saas_008
SELECT company_id, user_id, email, score
FROM company_users
WHERE company_id IN (1, 2, 3) AND score IS NOT NULL
ORDER BY score DESC, user_id;

-- name: saas_009
SELECT c.name, a.ad_id, a.title
FROM companies c JOIN ads a ON a.company_id = c.company_id
WHERE c.company_id = 20
ORDER BY a.ad_id;

-- name: saas_010
SELECT kind, count(*) FROM ads WHERE company_id = 33 GROUP BY kind;

-- name: saas_011
SELECT click_id, ad_id, clicked_at, cost FROM ad_clicks WHERE company_id = 5 ORDER BY click_id LIMIT 3;

-- name: saas_012
SELECT company_id, name FROM companies WHERE company_id = 10 OR company_id = 20 ORDER BY 1;

-- name: saas_013
SELECT campaign_id, name, status FROM campaigns WHERE company_id = 162 AND status IS NULL;

-- name: saas_014
SELECT company_id, is_active FROM companies WHERE company_id = ANY (ARRAY[5, 6, 7]) ORDER BY company_id;

-- name: saas_015
SELECT * FROM company_users WHERE company_id = 181;

-- name: saas_016
SELECT count(*) FROM companies c, campaigns ca WHERE c.company_id = ca.company_id AND c.company_id = 7;

-- name: saas_017
SELECT count(*) FROM ads WHERE company_id = 1 AND company_id = 2;

-- Multi-shard scans with filters and projections.
-- name: saas_018
SELECT company_id, name FROM companies WHERE employees > 450;

-- name: saas_019
SELECT company_id, name, employees FROM companies WHERE employees IS NULL;

-- name: saas_020
SELECT company_id, name FROM companies WHERE name = '';

-- name: saas_021
SELECT company_id, name FROM companies WHERE name LIKE 'Company 1%' AND is_active;

-- name: saas_022
SELECT ad_id, bid FROM ads WHERE bid < 0 ORDER BY bid, ad_id;

-- name: saas_023
SELECT company_id, campaign_id, budget * 2 AS double_budget, upper(name) AS shout
FROM campaigns
WHERE budget BETWEEN 100 AND 200;

-- name: saas_024
SELECT click_id, cost, user_agent FROM ad_clicks WHERE user_agent = '';

-- name: saas_025
SELECT ad_id, tags FROM ads WHERE 'summer' = ANY (tags) ORDER BY ad_id LIMIT 10;

-- name: saas_026
SELECT ad_id, title FROM ads WHERE tags = '{}' ORDER BY ad_id LIMIT 5;

-- name: saas_027
SELECT count(*) FROM ads WHERE tags IS NULL;

-- name: saas_028
TABLE plans;

-- name: saas_029
SELECT * FROM country_codes ORDER BY code;

-- name: saas_030
SELECT * FROM companies WHERE false;

-- name: saas_031
SELECT company_id, title FROM ads WHERE title ILIKE '%sale%' AND company_id < 40;

-- ORDER BY with LIMIT / OFFSET.
-- name: saas_032
SELECT company_id, name, created_at FROM companies ORDER BY created_at DESC, company_id LIMIT 10;

-- name: saas_033
SELECT company_id, name FROM companies ORDER BY name, company_id LIMIT 15 OFFSET 5;

-- name: saas_034
SELECT click_id, cost FROM ad_clicks ORDER BY cost DESC, click_id LIMIT 20;

-- name: saas_035
SELECT ad_id, bid FROM ads ORDER BY bid NULLS FIRST, ad_id LIMIT 25;

-- name: saas_036
SELECT ad_id, bid FROM ads ORDER BY bid DESC NULLS LAST, ad_id DESC LIMIT 25;

-- name: saas_037
SELECT company_id, employees FROM companies ORDER BY employees DESC, company_id OFFSET 190;

-- name: saas_038
SELECT company_id, domain FROM companies ORDER BY domain NULLS FIRST, company_id LIMIT 30;

-- name: saas_039
SELECT user_id, email FROM company_users ORDER BY email, user_id LIMIT 10 OFFSET 100;

-- name: saas_040
SELECT company_id, campaign_id, end_date FROM campaigns ORDER BY end_date ASC NULLS FIRST, campaign_id LIMIT 12;

-- name: saas_041
SELECT ad_id, kind, flags FROM ads WHERE company_id < 50 ORDER BY 3 DESC, 1 LIMIT 10;

-- name: saas_042
SELECT company_id, name FROM companies ORDER BY length(name), name, company_id LIMIT 20;

-- name: saas_043
SELECT click_id, clicked_at FROM ad_clicks ORDER BY clicked_at, click_id FETCH FIRST 5 ROWS ONLY;

-- name: saas_044
SELECT company_id, name FROM companies ORDER BY company_id LIMIT 0;

-- name: saas_045
SELECT plan_id, name, monthly_fee FROM plans ORDER BY monthly_fee DESC LIMIT ALL;

-- name: saas_046
SELECT company_id, country_code, employees
FROM companies
ORDER BY country_code DESC NULLS FIRST, employees NULLS LAST, company_id
LIMIT 40;

-- name: saas_047
SELECT company_id, name FROM companies ORDER BY name COLLATE "C" DESC, company_id LIMIT 12;

-- name: saas_048
TABLE companies ORDER BY company_id LIMIT 3;

-- Aggregates.
-- name: saas_049
SELECT count(*), count(employees), sum(employees), avg(employees), min(employees), max(employees)
FROM companies;

-- name: saas_050
SELECT count(*) FROM ad_clicks;

-- name: saas_051
SELECT sum(cost), avg(cost), min(cost), max(cost) FROM ad_clicks;

-- name: saas_052
SELECT bool_and(is_active), bool_or(is_active), bool_and(employees > 0), every(plan_id IS NOT NULL)
FROM companies;

-- name: saas_053
SELECT bool_and(is_mobile), bool_or(is_mobile), count(is_mobile) FROM ad_clicks;

-- name: saas_054
SELECT bit_and(flags), bit_or(flags), bit_and(flags) FILTER (WHERE flags > 7), bit_or(flags) FILTER (WHERE flags < 4)
FROM ads;

-- name: saas_055
SELECT count(DISTINCT country_code), count(DISTINCT plan_id), count(DISTINCT employees) FROM companies;

-- name: saas_056
SELECT round(stddev(employees), 6), round(variance(employees), 6),
       round(stddev_pop(employees), 6), round(var_pop(employees), 6)
FROM companies;

-- name: saas_057
SELECT round(stddev_samp(bid), 8), round(var_samp(bid), 8) FROM ads;

-- name: saas_058
SELECT array_agg(company_id ORDER BY company_id) FROM companies WHERE employees > 480;

-- name: saas_059
SELECT string_agg(name, ', ' ORDER BY name, company_id) FROM companies WHERE company_id < 30;

-- name: saas_060
SELECT jsonb_agg(jsonb_build_object('id', ad_id, 'bid', bid) ORDER BY ad_id) FROM ads WHERE company_id = 3;

-- name: saas_061
SELECT count(*) FILTER (WHERE is_mobile) AS mobile,
       count(*) FILTER (WHERE NOT is_mobile) AS desktop,
       count(*) FILTER (WHERE is_mobile IS NULL) AS unknown
FROM ad_clicks;

-- name: saas_062
SELECT avg(bid), sum(bid), count(bid) FROM ads;

-- name: saas_063
SELECT min(name), max(name), min(start_date), max(end_date), min(status), max(status) FROM campaigns;

-- name: saas_064
SELECT count(*), sum(cost), avg(cost), max(clicked_at), bool_or(is_mobile) FROM ad_clicks WHERE cost > 5;

-- name: saas_065
SELECT count(*), sum(company_id), max(body), array_agg(body ORDER BY note_id),
       string_agg(body, ',' ORDER BY note_id), bool_and(true)
FROM company_notes;

-- name: saas_066
SELECT company_id, count(*) FROM company_notes GROUP BY company_id;

-- name: saas_067
SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY employees),
       round(percentile_cont(0.25) WITHIN GROUP (ORDER BY employees)::numeric, 3),
       mode() WITHIN GROUP (ORDER BY plan_id)
FROM companies;

-- name: saas_068
SELECT sum(DISTINCT flags), avg(DISTINCT flags), count(DISTINCT (kind, flags)) FROM ads;

-- name: saas_069
SELECT string_agg(DISTINCT kind, ',' ORDER BY kind) FROM ads;

-- name: saas_070
SELECT jsonb_object_agg(kind, n ORDER BY kind)
FROM (SELECT kind, count(*) AS n FROM ads GROUP BY kind) s;

-- name: saas_071
SELECT sum(cost), sum(cost * 2), sum(cost)::numeric(20,1), round(avg(cost), 10), avg(cost)::numeric(10,3)
FROM ad_clicks;

-- name: saas_072
SELECT EXISTS (SELECT 1 FROM ads WHERE bid > 4) AS high, EXISTS (SELECT 1 FROM ads WHERE bid > 40) AS absurd;

-- GROUP BY and HAVING.
-- name: saas_073
SELECT company_id, count(*), sum(cost) FROM ad_clicks GROUP BY company_id;

-- name: saas_074
SELECT country_code, count(*) FROM ad_clicks GROUP BY country_code;

-- name: saas_075
SELECT kind, count(*), round(avg(bid), 4), min(bid), max(bid) FROM ads GROUP BY kind ORDER BY kind;

-- name: saas_076
SELECT status, count(*), sum(budget) FROM campaigns GROUP BY status ORDER BY status NULLS FIRST;

-- name: saas_077
SELECT company_id, count(*) AS n FROM ads GROUP BY company_id HAVING count(*) > 16 ORDER BY n DESC, company_id;

-- name: saas_078
SELECT kind, flags, count(*) FROM ads GROUP BY kind, flags HAVING sum(bid) > 10;

-- name: saas_079
SELECT date_trunc('month', clicked_at) AS month, count(*), sum(cost) FROM ad_clicks GROUP BY 1 ORDER BY 1;

-- name: saas_080
SELECT is_mobile, count(*) FROM ad_clicks GROUP BY is_mobile;

-- name: saas_081
SELECT extract(year FROM created_at) AS y, count(*) FROM companies GROUP BY 1 ORDER BY 1;

-- name: saas_082
SELECT plan_id, count(*), count(employees), sum(employees) FROM companies GROUP BY plan_id HAVING count(*) >= 10;

-- name: saas_083
SELECT company_id, sum(cost) / count(*) AS avg_cost, sum(cost) - min(cost) AS spread
FROM ad_clicks
GROUP BY company_id
HAVING sum(cost) > 20;

-- name: saas_084
SELECT kind, round(count(*) * 100.0 / (SELECT count(*) FROM ads), 3) AS pct FROM ads GROUP BY kind;

-- name: saas_085
SELECT user_agent, count(*) FROM ad_clicks GROUP BY user_agent ORDER BY user_agent NULLS LAST;

-- name: saas_086
SELECT company_id, role, count(*) FROM company_users GROUP BY company_id, role HAVING count(*) > 3;

-- name: saas_087
SELECT role, count(DISTINCT company_id), count(*) FROM company_users GROUP BY role;

-- name: saas_088
SELECT company_id, count(DISTINCT ad_id) FROM ad_clicks GROUP BY company_id HAVING count(DISTINCT ad_id) > 15;

-- name: saas_089
SELECT count(*) FROM ads HAVING count(*) > 100000;

-- name: saas_090
SELECT count(*) FROM ads HAVING count(*) > 10;

-- name: saas_091
SELECT lower(name) AS n, count(*) FROM campaigns GROUP BY lower(name) HAVING count(*) > 1;

-- name: saas_092
SELECT to_char(start_date, 'YYYY-MM') AS ym, count(*), min(budget), max(budget) FROM campaigns GROUP BY 1;

-- name: saas_093
SELECT kind, flags % 2 AS odd, count(*) FROM ads GROUP BY ROLLUP (kind, flags % 2);

-- name: saas_094
SELECT status, is_active, count(*)
FROM campaigns ca JOIN companies c USING (company_id)
GROUP BY GROUPING SETS ((status), (is_active), ());

-- name: saas_095
SELECT country_code, sum(cost) FROM ad_clicks GROUP BY country_code ORDER BY sum(cost) DESC, country_code NULLS FIRST LIMIT 5;

-- name: saas_096
SELECT company_id,
       sum(cost) FILTER (WHERE is_mobile) AS mobile,
       sum(cost) FILTER (WHERE NOT is_mobile) AS desktop
FROM ad_clicks
GROUP BY company_id
HAVING count(*) > 33;

-- name: saas_097
SELECT company_id, array_agg(DISTINCT role ORDER BY role) FROM company_users GROUP BY company_id HAVING count(*) > 6 AND company_id < 60;

-- name: saas_098
SELECT CASE WHEN employees IS NULL THEN 'unknown' WHEN employees < 100 THEN 'small'
            WHEN employees < 300 THEN 'medium' ELSE 'large' END AS size,
       count(*)
FROM companies
GROUP BY 1;

-- name: saas_099
SELECT extract(dow FROM clicked_at) AS dow, count(*) FROM ad_clicks GROUP BY 1 ORDER BY 1;

-- name: saas_100
SELECT tag, count(*) FROM ads, unnest(tags) AS tag GROUP BY tag;

-- DISTINCT and DISTINCT ON.
-- name: saas_101
SELECT DISTINCT kind FROM ads;

-- name: saas_102
SELECT DISTINCT country_code, is_mobile FROM ad_clicks;

-- name: saas_103
SELECT DISTINCT ON (company_id) company_id, campaign_id, budget
FROM campaigns
ORDER BY company_id, budget DESC NULLS LAST, campaign_id;

-- name: saas_104
SELECT DISTINCT ON (kind) kind, ad_id, bid FROM ads WHERE bid IS NOT NULL ORDER BY kind, bid DESC, ad_id;

-- name: saas_105
SELECT count(*) FROM (SELECT DISTINCT company_id, ad_id FROM ad_clicks) s;

-- name: saas_106
SELECT DISTINCT company_id FROM company_users WHERE score < -90 ORDER BY company_id;

-- name: saas_107
SELECT DISTINCT ON (country_code) country_code, company_id, name
FROM companies
ORDER BY country_code NULLS FIRST, company_id;

-- Window functions.
-- name: saas_108
SELECT company_id, count(*) AS ads, rank() OVER (ORDER BY count(*) DESC) AS rnk,
       dense_rank() OVER (ORDER BY count(*) DESC) AS drnk
FROM ads
GROUP BY company_id
ORDER BY company_id;

-- name: saas_109
SELECT company_id, campaign_id, budget,
       sum(budget) OVER (PARTITION BY company_id ORDER BY campaign_id) AS running
FROM campaigns
WHERE company_id < 20
ORDER BY company_id, campaign_id;

-- name: saas_110
SELECT *
FROM (SELECT company_id, click_id, cost,
             row_number() OVER (PARTITION BY company_id ORDER BY cost DESC, click_id) AS rn
      FROM ad_clicks) s
WHERE rn <= 3
ORDER BY company_id, rn;

-- name: saas_111
SELECT kind, count(*), sum(count(*)) OVER () AS total,
       round(100.0 * count(*) / sum(count(*)) OVER (), 2) AS pct
FROM ads
GROUP BY kind;

-- name: saas_112
SELECT country_code, count(*) AS n,
       lag(count(*)) OVER (ORDER BY country_code NULLS FIRST) AS prev,
       lead(count(*), 2, 0) OVER (ORDER BY country_code NULLS FIRST) AS next2
FROM ad_clicks
GROUP BY country_code
ORDER BY country_code NULLS FIRST;

-- name: saas_113
SELECT company_id, ad_id, bid,
       first_value(ad_id) OVER (PARTITION BY company_id ORDER BY bid DESC NULLS LAST, ad_id) AS best,
       last_value(ad_id) OVER (PARTITION BY company_id ORDER BY ad_id
                               ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS last
FROM ads
WHERE company_id <= 10
ORDER BY ad_id;

-- name: saas_114
SELECT company_id, employees, ntile(4) OVER (ORDER BY employees NULLS FIRST, company_id) AS quartile
FROM companies
ORDER BY company_id;

-- name: saas_115
SELECT plan_id, count(*) AS n, avg(count(*)) OVER () AS avg_n, max(count(*)) OVER () - count(*) AS gap
FROM companies
GROUP BY plan_id;

-- name: saas_116
SELECT click_id, cost,
       sum(cost) OVER (ORDER BY click_id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS moving
FROM ad_clicks
WHERE company_id = 9
ORDER BY click_id;

-- name: saas_117
SELECT company_id, sum(cost) AS spend,
       round(percent_rank() OVER (ORDER BY sum(cost))::numeric, 6) AS prank,
       round(cume_dist() OVER (ORDER BY sum(cost))::numeric, 6) AS cdist
FROM ad_clicks
GROUP BY company_id;

-- name: saas_118
SELECT company_id, clicks, sum(clicks) OVER (ORDER BY company_id) AS running
FROM (SELECT company_id, count(*) AS clicks FROM ad_clicks GROUP BY company_id) s
ORDER BY company_id;

-- Co-located joins on the distribution column.
-- name: saas_119
SELECT c.company_id, c.name, count(a.ad_id)
FROM companies c JOIN ads a ON a.company_id = c.company_id
GROUP BY c.company_id, c.name;

-- name: saas_120
SELECT c.company_id, count(k.click_id) AS clicks
FROM companies c LEFT JOIN ad_clicks k ON k.company_id = c.company_id
GROUP BY c.company_id;

-- name: saas_121
SELECT ca.company_id, ca.campaign_id, ca.name, count(*) AS ads, sum(a.bid)
FROM campaigns ca
JOIN ads a ON a.company_id = ca.company_id AND a.campaign_id = ca.campaign_id
WHERE ca.status = 'active'
GROUP BY ca.company_id, ca.campaign_id, ca.name;

-- name: saas_122
SELECT a.kind, count(*), sum(k.cost)
FROM ads a JOIN ad_clicks k ON k.company_id = a.company_id AND k.ad_id = a.ad_id
GROUP BY a.kind;

-- name: saas_123
SELECT a.company_id, a.ad_id
FROM ads a
LEFT JOIN ad_clicks k ON k.company_id = a.company_id AND k.ad_id = a.ad_id
WHERE k.click_id IS NULL
ORDER BY a.ad_id
LIMIT 20;

-- name: saas_124
SELECT count(*), count(c.company_id), count(u.user_id)
FROM companies c FULL JOIN company_users u ON u.company_id = c.company_id;

-- name: saas_125
SELECT company_id, count(*) FROM campaigns JOIN ads USING (company_id, campaign_id) GROUP BY company_id HAVING count(*) > 16;

-- name: saas_126
SELECT count(*)
FROM ads a1 JOIN ads a2 ON a1.company_id = a2.company_id AND a1.ad_id < a2.ad_id AND a1.kind = a2.kind;

-- name: saas_127
SELECT c.company_id, c.name, ca.campaign_id, a.ad_id, k.click_id
FROM companies c
JOIN campaigns ca ON ca.company_id = c.company_id
JOIN ads a ON a.company_id = ca.company_id AND a.campaign_id = ca.campaign_id
JOIN ad_clicks k ON k.company_id = a.company_id AND k.ad_id = a.ad_id
WHERE c.company_id = 61
ORDER BY k.click_id;

-- name: saas_128
SELECT u.role, count(DISTINCT k.click_id)
FROM company_users u JOIN ad_clicks k ON k.company_id = u.company_id
WHERE u.score > 95
GROUP BY u.role;

-- Joins with reference tables.
-- name: saas_129
SELECT cc.name, count(*) FROM companies c JOIN country_codes cc ON cc.code = c.country_code GROUP BY cc.name;

-- name: saas_130
SELECT p.name, count(c.company_id), sum(p.monthly_fee)
FROM plans p LEFT JOIN companies c ON c.plan_id = p.plan_id
GROUP BY p.name;

-- name: saas_131
SELECT c.company_id, c.name, p.name AS plan
FROM companies c LEFT JOIN plans p ON p.plan_id = c.plan_id
WHERE c.company_id < 40
ORDER BY c.company_id;

-- name: saas_132
SELECT cc.region, count(*), sum(k.cost)
FROM ad_clicks k JOIN country_codes cc ON cc.code = k.country_code
GROUP BY cc.region
ORDER BY cc.region NULLS LAST;

-- name: saas_133
SELECT p.name AS plan, cc.name AS country FROM plans p CROSS JOIN country_codes cc WHERE p.plan_id < 3 AND cc.region = 'Europe';

-- name: saas_134
SELECT c.company_id, c.country_code FROM companies c WHERE c.country_code NOT IN (SELECT code FROM country_codes);

-- name: saas_135
SELECT p.name, ca.status, count(*), sum(ca.budget)
FROM companies c
JOIN campaigns ca ON ca.company_id = c.company_id
JOIN plans p ON p.plan_id = c.plan_id
GROUP BY p.name, ca.status;

-- name: saas_136
SELECT cc.code, cc.name, count(c.company_id) AS companies
FROM country_codes cc LEFT JOIN companies c ON c.country_code = cc.code AND c.is_active
GROUP BY cc.code, cc.name
ORDER BY cc.code;

-- Joins not on the distribution column (not co-located).
-- name: saas_137
SELECT c.company_id, c.name, sum(i.amount), count(*)
FROM companies c JOIN invoices i ON i.company_id = c.company_id
GROUP BY c.company_id, c.name;

-- name: saas_138
SELECT i.invoice_id, i.amount, c.name
FROM invoices i JOIN companies c ON c.company_id = i.company_id
WHERE i.amount < 0
ORDER BY i.invoice_id;

-- name: saas_139
SELECT count(*), sum(a.flags) FROM ads a JOIN company_users u ON u.user_id = a.ad_id;

-- name: saas_140
SELECT count(*) FROM campaigns c JOIN ads a ON a.campaign_id = c.campaign_id;

-- name: saas_141
SELECT i.company_id, count(*), sum(amount)
FROM invoices i
WHERE i.company_id IN (SELECT company_id FROM companies WHERE NOT is_active)
GROUP BY i.company_id;

-- name: saas_142
SELECT i.paid, count(DISTINCT c.country_code)
FROM invoices i JOIN companies c ON c.company_id = i.company_id
GROUP BY i.paid;

-- Subqueries.
-- name: saas_143
SELECT company_id, name FROM companies WHERE company_id IN (SELECT company_id FROM campaigns WHERE budget > 900) ORDER BY company_id;

-- name: saas_144
SELECT c.company_id
FROM companies c
WHERE EXISTS (SELECT 1 FROM company_users u WHERE u.company_id = c.company_id AND u.role = 'admin' AND u.score > 90);

-- name: saas_145
SELECT c.company_id, c.name
FROM companies c
WHERE NOT EXISTS (SELECT 1 FROM campaigns ca WHERE ca.company_id = c.company_id)
ORDER BY c.company_id;

-- name: saas_146
SELECT c.company_id, (SELECT count(*) FROM ads a WHERE a.company_id = c.company_id) AS ads
FROM companies c
WHERE c.company_id <= 25
ORDER BY 1;

-- name: saas_147
SELECT ad_id, bid FROM ads WHERE bid > (SELECT avg(bid) * 2 FROM ads) ORDER BY ad_id;

-- name: saas_148
SELECT n_ads, count(*) FROM (SELECT company_id, count(*) AS n_ads FROM ads GROUP BY company_id) s GROUP BY n_ads;

-- name: saas_149
SELECT *
FROM (SELECT company_id, sum(cost) AS s FROM ad_clicks GROUP BY company_id ORDER BY s DESC, company_id LIMIT 5) top
ORDER BY company_id;

-- name: saas_150
SELECT count(*) FROM companies WHERE plan_id NOT IN (SELECT plan_id FROM plans WHERE max_users IS NULL);

-- name: saas_151
SELECT company_id FROM companies WHERE employees NOT IN (SELECT employees FROM companies WHERE company_id IN (11, 12));

-- name: saas_152
SELECT ad_id, bid
FROM ads
WHERE bid > ALL (SELECT bid FROM ads WHERE company_id = 2 AND bid IS NOT NULL)
ORDER BY ad_id;

-- name: saas_153
SELECT count(*) FROM ad_clicks WHERE ad_id IN (SELECT ad_id FROM ads WHERE kind = 'video');

-- name: saas_154
SELECT company_id, name FROM companies WHERE company_id = (SELECT max(company_id) FROM campaigns);

-- name: saas_155
SELECT company_id, count(*)
FROM ad_clicks
WHERE company_id IN (SELECT company_id FROM companies WHERE country_code = 'jp')
GROUP BY company_id
ORDER BY 2 DESC, 1
LIMIT 5;

-- name: saas_156
SELECT c.company_id, c.employees
FROM companies c
WHERE c.employees > (SELECT avg(employees) FROM companies c2 WHERE c2.plan_id = c.plan_id)
ORDER BY c.company_id;

-- CTEs.
-- name: saas_157
WITH totals AS (SELECT company_id, sum(cost) AS spend FROM ad_clicks GROUP BY company_id)
SELECT c.name, t.spend
FROM totals t JOIN companies c USING (company_id)
WHERE t.spend > 19
ORDER BY t.spend DESC, c.company_id;

-- name: saas_158
WITH active AS MATERIALIZED (SELECT * FROM companies WHERE is_active)
SELECT count(*), sum(employees) FROM active;

-- name: saas_159
WITH per_campaign AS (
  SELECT company_id, campaign_id, count(*) AS ads FROM ads GROUP BY company_id, campaign_id
), per_company AS (
  SELECT company_id, sum(ads) AS ads, count(*) AS campaigns FROM per_campaign GROUP BY company_id
)
SELECT campaigns, count(*) AS companies, sum(ads) FROM per_company GROUP BY campaigns ORDER BY campaigns;

-- name: saas_160
WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 6)
SELECT r.n, count(c.company_id)
FROM r LEFT JOIN companies c ON c.plan_id = r.n
GROUP BY r.n
ORDER BY r.n;

-- name: saas_161
WITH big AS (SELECT company_id FROM companies WHERE employees > 400)
SELECT (SELECT count(*) FROM big) AS big_companies,
       (SELECT count(*) FROM ads WHERE company_id IN (SELECT company_id FROM big)) AS their_ads;

-- Set operations.
-- name: saas_162
SELECT company_id FROM campaigns WHERE budget > 950 UNION SELECT company_id FROM company_users WHERE score = 100;

-- name: saas_163
SELECT 'ad' AS what, count(*) FROM ads
UNION ALL SELECT 'click', count(*) FROM ad_clicks
UNION ALL SELECT 'user', count(*) FROM company_users;

-- name: saas_164
SELECT company_id FROM campaigns INTERSECT SELECT company_id FROM company_users;

-- name: saas_165
SELECT company_id FROM companies EXCEPT SELECT company_id FROM campaigns ORDER BY 1;

-- name: saas_166
SELECT kind FROM ads WHERE company_id < 10 EXCEPT ALL SELECT kind FROM ads WHERE company_id >= 10 AND company_id < 18;

-- name: saas_167
SELECT country_code FROM companies INTERSECT ALL SELECT country_code FROM ad_clicks WHERE click_id < 100;

-- name: saas_168
SELECT company_id, name FROM companies WHERE company_id < 5
UNION
SELECT company_id, name FROM companies WHERE company_id > 195
ORDER BY company_id DESC
LIMIT 6;

-- Expressions, casts, NULL handling, LATERAL, generate_series, VALUES.
-- name: saas_169
SELECT company_id, COALESCE(domain, '(none)') AS domain FROM companies ORDER BY 2, 1 LIMIT 20;

-- name: saas_170
SELECT company_id::text || ':' || name AS label, created_at::date AS day, employees::numeric / 3 AS third
FROM companies
WHERE company_id < 10
ORDER BY company_id;

-- name: saas_171
SELECT c.company_id, top.ad_id, top.bid
FROM companies c
CROSS JOIN LATERAL (SELECT ad_id, bid FROM ads a
                    WHERE a.company_id = c.company_id AND bid IS NOT NULL
                    ORDER BY bid DESC, ad_id LIMIT 2) top
WHERE c.company_id <= 30
ORDER BY c.company_id, top.bid DESC, top.ad_id;

-- name: saas_172
SELECT c.company_id, last.clicked_at
FROM companies c
LEFT JOIN LATERAL (SELECT max(clicked_at) AS clicked_at FROM ad_clicks k WHERE k.company_id = c.company_id) last ON true
WHERE c.company_id > 180;

-- name: saas_173
SELECT d::date AS day, count(k.click_id)
FROM generate_series(timestamp '2023-03-01', timestamp '2023-03-14', interval '1 day') AS d
LEFT JOIN ad_clicks k ON k.clicked_at >= d AND k.clicked_at < d + interval '1 day'
GROUP BY d
ORDER BY d;

-- name: saas_174
SELECT g, (SELECT count(*) FROM companies WHERE plan_id = g) AS companies FROM generate_series(0, 6) AS g ORDER BY g;

-- name: saas_175
SELECT DISTINCT name FROM campaigns WHERE name ILIKE 'spring%' OR name LIKE 'Campaign 1_' ORDER BY name;

-- name: saas_176
SELECT ad_id, title, length(title), upper(title), substr(title, 1, 3), nullif(title, '') IS NULL AS blank
FROM ads
WHERE company_id = 77
ORDER BY ad_id;

-- name: saas_177
SELECT ad_id, array_length(tags, 1), cardinality(tags), array_to_string(tags, '|'), tags[1]
FROM ads
WHERE company_id = 10
ORDER BY ad_id;

-- name: saas_178
SELECT campaign_id, start_date, end_date, end_date - start_date AS days, start_date + 7 AS week_later
FROM campaigns
WHERE company_id = 50
ORDER BY campaign_id;

-- name: saas_179
SELECT count(*) FROM ad_clicks WHERE is_mobile IS DISTINCT FROM true;

-- name: saas_180
SELECT count(nullif(title, '')), count(*) - count(nullif(title, '')) AS blank FROM ads;

-- name: saas_181
SELECT company_id, greatest(employees, 100), least(employees, 100), coalesce(employees, plan_id, -1)
FROM companies
WHERE company_id BETWEEN 10 AND 20
ORDER BY company_id;

-- name: saas_182
SELECT jsonb_build_object('id', company_id, 'name', name, 'active', is_active) FROM companies WHERE company_id IN (1, 2) ORDER BY company_id;

-- name: saas_183
SELECT row_to_json(p) FROM plans p ORDER BY p.plan_id;

-- name: saas_184
SELECT v.code, count(c.company_id)
FROM (VALUES ('us'), ('de'), ('xx')) AS v (code)
LEFT JOIN companies c ON c.country_code = v.code
GROUP BY v.code;

-- name: saas_185
SELECT cost::text, cost::numeric(6,1), round(cost, 2), trunc(cost, 1), ceil(cost), floor(cost * 10) / 10
FROM ad_clicks
WHERE company_id = 3
ORDER BY click_id;

-- name: saas_186
SELECT CASE kind WHEN 'banner' THEN 1 WHEN 'video' THEN 2 ELSE 3 END AS k, count(*), sum(CASE WHEN bid > 1 THEN 1 ELSE 0 END)
FROM ads
GROUP BY 1;

-- name: saas_187
SELECT date_part('hour', clicked_at)::int AS hour, count(*) FROM ad_clicks WHERE company_id < 100 GROUP BY 1;

-- name: saas_188
SELECT i.invoice_id, i.issued_on, i.amount, sum(i.amount) OVER (ORDER BY i.issued_on, i.invoice_id) AS balance
FROM invoices i
WHERE i.company_id = 44
ORDER BY i.issued_on, i.invoice_id;

-- name: saas_189
SELECT company_id, name FROM companies WHERE company_id = 5 FOR UPDATE;

-- name: saas_190
SELECT company_id, name FROM companies WHERE employees > 100 FOR UPDATE;

-- Aggregates with ordered input (any aggregate), WITH ... [NOT] MATERIALIZED.

-- name: saas_191
SELECT c.company_id, jsonb_agg(a.title ORDER BY a.ad_id DESC) AS titles,
       count(a.bid ORDER BY a.ad_id) AS bids
FROM companies c JOIN ads a ON a.company_id = c.company_id
WHERE c.company_id = 4
GROUP BY c.company_id;

-- name: saas_192
SELECT kind, json_agg(ad_id ORDER BY bid DESC NULLS LAST, ad_id) FILTER (WHERE flags > 0) AS ids,
       sum(flags ORDER BY ad_id) AS flags
FROM ads WHERE company_id < 6
GROUP BY kind
ORDER BY kind;

-- name: saas_193
SELECT company_id, jsonb_object_agg(campaign_id, budget ORDER BY campaign_id) AS budgets
FROM campaigns
GROUP BY company_id
ORDER BY company_id;

-- name: saas_194
WITH big AS MATERIALIZED (
  SELECT company_id, name FROM companies WHERE employees > 50
), spend AS NOT MATERIALIZED (
  SELECT company_id, sum(cost) AS total FROM ad_clicks GROUP BY company_id
)
SELECT b.name, s.total
FROM big b JOIN spend s ON s.company_id = b.company_id
ORDER BY b.name, s.total;

-- name: saas_195
WITH RECURSIVE n (i) AS MATERIALIZED (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5)
SELECT n.i, count(c.company_id)
FROM n LEFT JOIN companies c ON c.company_id = n.i
GROUP BY n.i
ORDER BY n.i;

-- name: saas_196
SELECT string_agg(DISTINCT p.name, ', ' ORDER BY p.name) AS plan_names,
       array_agg(c.company_id ORDER BY c.company_id) FILTER (WHERE c.is_active) AS active
FROM companies c JOIN plans p ON p.plan_id = c.plan_id;

-- Edge semantics (NULLs, ordering, numeric types, grouping sets, ordered-set aggregates).

-- name: saas_197
SELECT company_id, employees FROM companies ORDER BY employees DESC NULLS FIRST, company_id LIMIT 25;

-- name: saas_198
SELECT company_id, campaign_id, budget FROM campaigns ORDER BY budget NULLS FIRST, campaign_id LIMIT 20 OFFSET 70;

-- name: saas_199
SELECT DISTINCT ON (country_code) country_code, company_id, employees
FROM companies
ORDER BY country_code NULLS FIRST, employees DESC NULLS LAST, company_id;

-- name: saas_200
SELECT sum(employees) AS s_int, avg(employees) AS a_int, sum(company_id) AS s_big, avg(company_id) AS a_big,
       sum(employees::smallint) AS s_small, avg(employees::smallint) AS a_small, count(employees)
FROM companies;

-- name: saas_201
SELECT kind, sum(bid) AS s_num, avg(bid) AS a_num, sum(flags) AS s_int, avg(flags) AS a_int,
       sum(ad_id) AS s_big, avg(ad_id) AS a_big, avg(bid * flags) AS a_mul
FROM ads
GROUP BY kind
ORDER BY kind;

-- name: saas_202
SELECT count(DISTINCT country_code) AS codes, count(country_code) AS with_code, count(*) AS all_rows,
       count(DISTINCT plan_id) AS plans, count(DISTINCT (country_code, plan_id)) AS pairs,
       count(DISTINCT employees % 7) AS residues
FROM companies;

-- name: saas_203
SELECT cc.region, count(DISTINCT k.company_id) AS companies, count(DISTINCT k.is_mobile) AS mobile_values,
       count(DISTINCT k.user_agent) AS agents, count(*) AS clicks
FROM ad_clicks k LEFT JOIN country_codes cc ON cc.code = k.country_code
GROUP BY cc.region
ORDER BY cc.region NULLS FIRST;

-- name: saas_204
SELECT p.plan_id,
       p.plan_id NOT IN (SELECT c.plan_id FROM companies c) AS not_in_all,
       p.plan_id NOT IN (SELECT c.plan_id FROM companies c WHERE c.plan_id IS NOT NULL) AS not_in_non_null,
       p.plan_id IN (SELECT c.plan_id FROM companies c) AS in_all
FROM plans p
ORDER BY p.plan_id;

-- name: saas_205
SELECT (SELECT count(*) FROM ad_clicks k
        WHERE k.country_code NOT IN (SELECT c.country_code FROM companies c WHERE c.company_id BETWEEN 10 AND 14)) AS with_null,
       (SELECT count(*) FROM ad_clicks k
        WHERE k.country_code NOT IN (SELECT c.country_code FROM companies c WHERE c.company_id BETWEEN 1 AND 5)) AS without_null;

-- name: saas_206
SELECT c.company_id, c.name, c.employees
FROM companies c
WHERE c.plan_id IN (SELECT p.plan_id FROM plans p WHERE p.max_users > coalesce(c.employees, 0) / 10)
  AND c.company_id <= 60
ORDER BY c.company_id;

-- name: saas_207
SELECT c.company_id
FROM companies c
WHERE EXISTS (SELECT 1 FROM company_users u WHERE u.company_id = c.company_id AND u.score IS NULL)
  AND NOT EXISTS (SELECT 1 FROM campaigns m WHERE m.company_id = c.company_id AND m.status = 'draft')
ORDER BY c.company_id;

-- name: saas_208
WITH t AS (SELECT company_id, count(*) AS n FROM ad_clicks GROUP BY company_id)
SELECT a.company_id, a.n, b.company_id AS next_id, b.n AS next_n
FROM t a LEFT JOIN t b ON b.company_id = a.company_id + 1
WHERE a.n >= (SELECT max(n) FROM t) - 4
ORDER BY a.company_id;

-- name: saas_209
SELECT company_id, name FROM companies WHERE company_id = 7
UNION ALL
SELECT company_id, name FROM companies WHERE employees < 20
UNION ALL
SELECT company_id, name FROM companies WHERE company_id = 7
ORDER BY company_id, name;

-- name: saas_210
SELECT country_code FROM companies WHERE company_id = 3
UNION
SELECT country_code FROM ad_clicks
UNION
SELECT code FROM country_codes WHERE region = 'Asia'
ORDER BY 1 NULLS FIRST;

-- name: saas_211
SELECT country_code FROM companies
INTERSECT
SELECT country_code FROM ad_clicks WHERE company_id <= 40
ORDER BY country_code NULLS LAST;

-- name: saas_212
SELECT code FROM country_codes
EXCEPT
SELECT country_code FROM companies
ORDER BY code;

-- name: saas_213
SELECT cc.region, c.country_code, grouping(cc.region, c.country_code) AS g, count(*), sum(c.employees)
FROM companies c LEFT JOIN country_codes cc ON cc.code = c.country_code
GROUP BY ROLLUP (cc.region, c.country_code)
ORDER BY g, cc.region NULLS FIRST, c.country_code NULLS FIRST;

-- name: saas_214
SELECT kind, flags % 2 AS odd, grouping(kind) AS gk, grouping(flags % 2) AS go, count(*), avg(bid), sum(bid)
FROM ads
GROUP BY CUBE (kind, flags % 2)
ORDER BY gk, go, kind, odd;

-- name: saas_215
SELECT status, end_date IS NULL AS open, grouping(status, end_date IS NULL) AS g, count(*), sum(budget)
FROM campaigns
WHERE company_id BETWEEN 1 AND 60
GROUP BY GROUPING SETS ((status), (end_date IS NULL), ())
ORDER BY g, status NULLS FIRST, open NULLS FIRST;

-- name: saas_216
SELECT c.plan_id,
       count(*) FILTER (WHERE c.is_active) AS active,
       count(*) FILTER (WHERE c.employees IS NULL) AS no_employees,
       sum(c.employees) FILTER (WHERE c.country_code IN ('us', 'de')) AS us_de,
       avg(c.employees) FILTER (WHERE false) AS none,
       max(c.name) FILTER (WHERE c.domain IS NULL) AS no_domain,
       count(DISTINCT c.country_code) FILTER (WHERE c.employees > 200) AS big_codes
FROM companies c
GROUP BY c.plan_id
ORDER BY c.plan_id NULLS FIRST;

-- name: saas_217
SELECT bool_and(is_active) AS b_and, bool_or(is_active) AS b_or, every(is_active) AS ev,
       bit_and(employees) AS bits_and, bit_or(employees) AS bits_or, count(*) AS n, sum(employees) AS s,
       avg(employees) AS a, max(name) AS mx
FROM companies
WHERE false;

-- name: saas_218
SELECT c.plan_id, bool_and(c.is_active), bit_or(a.flags), count(*)
FROM companies c JOIN ads a ON a.company_id = c.company_id
WHERE false
GROUP BY c.plan_id;

-- name: saas_219
SELECT stddev(employees) AS sd, stddev_samp(employees) AS sd_samp, stddev_pop(employees) AS sd_pop,
       variance(employees) AS var, var_pop(employees) AS v_pop, var_samp(employees) AS v_samp
FROM companies
WHERE company_id = 1;

-- name: saas_220
SELECT stddev(score) AS sd, variance(score) AS var, stddev_pop(score) AS sd_pop, var_pop(score) AS v_pop,
       stddev(budget) AS sd_budget
FROM company_users u JOIN campaigns m ON m.company_id = u.company_id AND m.campaign_id % 50 = u.user_id % 50;

-- name: saas_221
SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY employees) AS med_disc,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY employees)::numeric, 6) AS med_cont,
       percentile_disc(ARRAY[0.1, 0.5, 0.9]) WITHIN GROUP (ORDER BY employees) AS deciles,
       mode() WITHIN GROUP (ORDER BY country_code) AS top_code,
       mode() WITHIN GROUP (ORDER BY plan_id DESC) AS top_plan
FROM companies;

-- name: saas_222
SELECT kind,
       percentile_disc(0.5) WITHIN GROUP (ORDER BY bid) AS med_bid,
       round(percentile_cont(0.25) WITHIN GROUP (ORDER BY bid)::numeric, 6) AS q1_bid,
       mode() WITHIN GROUP (ORDER BY flags) AS top_flags
FROM ads
GROUP BY kind
ORDER BY kind;

-- name: saas_223
SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY clicked_at) AS med_time,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY clicked_at - timestamp '2023-03-01') AS med_offset,
       percentile_disc(0) WITHIN GROUP (ORDER BY cost DESC) AS max_cost,
       mode() WITHIN GROUP (ORDER BY user_agent) AS top_agent
FROM ad_clicks
WHERE company_id = 9;

-- name: saas_224
SELECT company_id, array_agg(DISTINCT kind ORDER BY kind) AS kinds, array_agg(DISTINCT flags ORDER BY flags DESC) AS flags
FROM ads
WHERE company_id <= 15
GROUP BY company_id
ORDER BY company_id;

-- name: saas_225
SELECT plan_id, string_agg(name, ',' ORDER BY company_id DESC) AS names,
       string_agg(domain, ';' ORDER BY domain DESC NULLS FIRST) AS domains,
       string_agg(DISTINCT country_code, '' ORDER BY country_code) AS codes
FROM companies
WHERE company_id % 10 = 0 OR company_id % 9 = 0
GROUP BY plan_id
ORDER BY plan_id NULLS LAST;

-- name: saas_226
SELECT c.country_code, count(*) AS n, sum(c.employees) AS emp,
       row_number() OVER (ORDER BY count(*) DESC, c.country_code NULLS FIRST) AS rn,
       rank() OVER (ORDER BY count(*) DESC) AS rk,
       dense_rank() OVER (ORDER BY count(*) DESC) AS drk,
       lag(count(*)) OVER (ORDER BY c.country_code NULLS FIRST) AS prev,
       sum(count(*)) OVER (ORDER BY c.country_code NULLS FIRST) AS running
FROM companies c
GROUP BY c.country_code
ORDER BY rn;

-- name: saas_227
SELECT *
FROM (
  SELECT p.name, c.company_id, sum(k.cost) AS spend,
         rank() OVER (PARTITION BY p.plan_id ORDER BY sum(k.cost) DESC, c.company_id) AS r,
         sum(sum(k.cost)) OVER (PARTITION BY p.plan_id) AS plan_total
  FROM companies c
  JOIN plans p ON p.plan_id = c.plan_id
  JOIN ad_clicks k ON k.company_id = c.company_id
  GROUP BY p.plan_id, p.name, c.company_id
) s
WHERE s.r <= 3
ORDER BY s.name, s.r;

-- name: saas_228
SELECT invoice_id, amount,
       sum(amount) OVER (ORDER BY issued_on, invoice_id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS last3,
       lag(amount, 2, 0) OVER (ORDER BY issued_on, invoice_id) AS lag2,
       first_value(invoice_id) OVER (PARTITION BY paid ORDER BY amount DESC, invoice_id) AS top_in_paid
FROM invoices
WHERE amount < 0
ORDER BY issued_on, invoice_id
LIMIT 30;

-- name: saas_229
SELECT company_id, click_id, cost FROM ad_clicks ORDER BY cost DESC, click_id LIMIT 10 OFFSET 995;

-- name: saas_230
SELECT *
FROM (SELECT company_id, country_code FROM companies ORDER BY country_code FETCH FIRST 3 ROWS WITH TIES) t
ORDER BY company_id;

-- name: saas_231
SELECT CASE WHEN employees IS NULL THEN 'unknown' WHEN employees < 100 THEN 'small'
            WHEN employees < 300 THEN 'medium' ELSE 'large' END AS size,
       count(*), min(company_id), max(company_id)
FROM companies
GROUP BY 1
ORDER BY size;

-- name: saas_232
SELECT DISTINCT m.name COLLATE "C" AS name
FROM campaigns m
WHERE m.company_id <= 60 AND (m.name ILIKE '%sale%' OR m.name LIKE 'Campaign 9%')
ORDER BY 1 DESC;

-- name: saas_233
SELECT c.company_id, t.ad_id, t.bid
FROM companies c
CROSS JOIN LATERAL (
  SELECT a.ad_id, a.bid FROM ads a WHERE a.company_id = c.company_id ORDER BY a.bid DESC NULLS LAST, a.ad_id LIMIT 2
) t
WHERE c.company_id BETWEEN 20 AND 40
ORDER BY c.company_id, t.ad_id;

-- name: saas_234
SELECT c.company_id, s.n, s.last_start
FROM companies c
LEFT JOIN LATERAL (
  SELECT count(*) AS n, max(m.start_date) AS last_start FROM campaigns m WHERE m.company_id = c.company_id
) s ON true
WHERE c.company_id >= 185
ORDER BY c.company_id;

-- name: saas_235
SELECT p.plan_id, x.company_id, x.employees
FROM plans p
LEFT JOIN LATERAL (
  SELECT c.company_id, c.employees FROM companies c WHERE c.plan_id = p.plan_id
  ORDER BY c.employees DESC NULLS LAST, c.company_id LIMIT 1
) x ON true
ORDER BY p.plan_id;

-- name: saas_236
SELECT v.id, v.label, c.name, c.employees
FROM (VALUES (1::bigint, 'one'), (50, 'fifty'), (199, 'x'), (999, 'missing'), (NULL, 'null')) AS v (id, label)
LEFT JOIN companies c ON c.company_id = v.id
ORDER BY v.id NULLS FIRST;

-- name: saas_237
SELECT g AS company_id, count(m.campaign_id) AS campaigns, sum(m.budget) AS budget
FROM generate_series(185, 195) AS g
LEFT JOIN campaigns m ON m.company_id = g
GROUP BY g
ORDER BY g;

-- name: saas_238
SELECT count(*), count(body), max(note_id), sum(note_id), avg(note_id),
       array_agg(body ORDER BY note_id) AS bodies, string_agg(body, ',' ORDER BY note_id) AS joined
FROM company_notes;

-- name: saas_239
SELECT company_id, count(*) FROM company_notes GROUP BY company_id;

-- name: saas_240
SELECT count(*), sum(cost), avg(cost), min(clicked_at) FROM ad_clicks WHERE company_id = 195;

-- name: saas_241
SELECT company_id, count(*) AS n FROM company_notes GROUP BY ROLLUP (company_id);
