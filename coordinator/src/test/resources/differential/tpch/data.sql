-- Deterministic rows: everything is computed from generate_series with integer arithmetic.

INSERT INTO region (r_regionkey, r_name, r_comment) VALUES
  (0, 'AFRICA', 'warm'),
  (1, 'AMERICA', 'vast'),
  (2, 'ASIA', 'populous'),
  (3, 'EUROPE', NULL),
  (4, 'MIDDLE EAST', '');

INSERT INTO nation (n_nationkey, n_name, n_regionkey, n_comment)
SELECT k, name, region, CASE WHEN k % 4 = 0 THEN NULL ELSE 'nation ' || k END
FROM (VALUES (0, 'ALGERIA', 0), (1, 'ARGENTINA', 1), (2, 'BRAZIL', 1), (3, 'CANADA', 1),
             (4, 'EGYPT', 4), (5, 'ETHIOPIA', 0), (6, 'FRANCE', 3), (7, 'GERMANY', 3),
             (8, 'INDIA', 2), (9, 'INDONESIA', 2), (10, 'IRAN', 4), (11, 'IRAQ', 4),
             (12, 'JAPAN', 2), (13, 'JORDAN', 4), (14, 'KENYA', 0), (15, 'MOROCCO', 0),
             (16, 'MOZAMBIQUE', 0), (17, 'PERU', 1), (18, 'CHINA', 2), (19, 'ROMANIA', 3),
             (20, 'SAUDI ARABIA', 4), (21, 'VIETNAM', 2), (22, 'RUSSIA', 3),
             (23, 'UNITED KINGDOM', 3), (24, 'UNITED STATES', 1)) AS v (k, name, region);

INSERT INTO supplier (s_suppkey, s_name, s_address, s_nationkey, s_phone, s_acctbal, s_comment)
SELECT s,
       'Supplier#' || lpad(s::text, 9, '0'),
       'addr ' || (s * 31) % 97,
       (s * 3) % 25,
       CASE WHEN s % 10 = 0 THEN NULL ELSE (10 + (s * 3) % 25) || '-' || lpad(((s * 37) % 1000)::text, 3, '0') END,
       ((s * 7919) % 1099999) / 100.0 - 999.99,
       CASE WHEN s % 7 = 0 THEN 'Customer Complaints noted' ELSE 'reliable supplier ' || s % 5 END
FROM generate_series(1, 40) AS s;

INSERT INTO customer (c_custkey, c_name, c_address, c_nationkey, c_phone, c_acctbal, c_mktsegment, c_comment)
SELECT c,
       'Customer#' || lpad(c::text, 9, '0'),
       'street ' || (c * 17) % 251,
       (c * 7) % 25,
       (10 + (c * 7) % 25) || '-' || lpad(((c * 37) % 1000)::text, 3, '0') || '-' || lpad(((c * 53) % 10000)::text, 4, '0'),
       ((c * 7919) % 1100000) / 100.0 - 1000,
       (ARRAY['AUTOMOBILE', 'BUILDING', 'FURNITURE', 'MACHINERY', 'HOUSEHOLD'])[1 + c % 5],
       CASE WHEN c % 13 = 0 THEN NULL ELSE 'customer note ' || c % 11 END
FROM generate_series(1, 300) AS c;

INSERT INTO part (p_partkey, p_name, p_mfgr, p_brand, p_type, p_size, p_container, p_retailprice, p_comment)
SELECT p,
       (ARRAY['almond', 'azure', 'blue', 'chocolate', 'coral', 'forest', 'green', 'ivory', 'lime', 'navy', 'olive', 'rose'])[1 + p % 12]
         || ' ' || (ARRAY['metallic', 'pale', 'misty', 'spring', 'dark', 'light', 'smoke'])[1 + (p * 7) % 7],
       'Manufacturer#' || (1 + p % 5),
       'Brand#' || (1 + p % 5) || (1 + (p / 5) % 5),
       (ARRAY['STANDARD', 'SMALL', 'MEDIUM', 'LARGE', 'ECONOMY', 'PROMO'])[1 + p % 6]
         || ' ' || (ARRAY['ANODIZED', 'BURNISHED', 'PLATED', 'POLISHED', 'BRUSHED'])[1 + (p / 6) % 5]
         || ' ' || (ARRAY['TIN', 'NICKEL', 'BRASS', 'STEEL', 'COPPER'])[1 + (p * 7) % 5],
       1 + (p * 13) % 50,
       (ARRAY['SM', 'MED', 'LG', 'JUMBO', 'WRAP'])[1 + p % 5] || ' '
         || (ARRAY['CASE', 'BOX', 'BAG', 'JAR', 'PKG', 'PACK', 'CAN', 'DRUM'])[1 + (p * 3) % 8],
       (90000 + (p / 10) % 20001 + 100 * (p % 1000)) / 100.0,
       CASE WHEN p % 6 = 0 THEN NULL ELSE 'part ' || p % 9 END
FROM generate_series(1, 200) AS p;

-- Four suppliers per part.
INSERT INTO partsupp (ps_partkey, ps_suppkey, ps_availqty, ps_supplycost, ps_comment)
SELECT p,
       1 + (p + i * 10) % 40,
       1 + (p * 37 + i * 1013) % 9999,
       ((p * 13 + i * 101) % 100000) / 100.0 + 1,
       'ps ' || (p + i) % 17
FROM generate_series(1, 200) AS p, generate_series(0, 3) AS i;

-- Customers 300 and those with c_custkey % 3 = 0 place no orders.
INSERT INTO orders (o_orderkey, o_custkey, o_orderstatus, o_totalprice, o_orderdate, o_orderpriority,
                    o_clerk, o_shippriority, o_comment)
SELECT g * 3,
       cust,
       CASE WHEN odate < date '1995-01-01' THEN 'F' WHEN g % 7 = 0 THEN 'P' ELSE 'O' END,
       ((g * 104729) % 40000000) / 100.0 + 100,
       odate,
       (ARRAY['1-URGENT', '2-HIGH', '3-MEDIUM', '4-NOT SPECIFIED', '5-LOW'])[1 + g % 5],
       'Clerk#' || lpad((1 + (g * 7) % 50)::text, 9, '0'),
       0,
       CASE WHEN g % 9 = 0 THEN 'pending special requests ' || g % 4 ELSE 'regular deposits ' || g % 13 END
FROM (SELECT g,
             date '1992-01-01' + (g * 37) % 2400 AS odate,
             CASE WHEN (1 + (g * 17) % 299) % 3 = 0 THEN 2 + (g * 17) % 299 ELSE 1 + (g * 17) % 299 END AS cust
      FROM generate_series(1, 1500) AS g) AS o;

-- One to seven lines per order.
INSERT INTO lineitem (l_orderkey, l_partkey, l_suppkey, l_linenumber, l_quantity, l_extendedprice,
                      l_discount, l_tax, l_returnflag, l_linestatus, l_shipdate, l_commitdate,
                      l_receiptdate, l_shipinstruct, l_shipmode, l_comment)
SELECT x.orderkey, x.partkey, 1 + (x.partkey + ((x.g + x.n) % 4) * 10) % 40, x.n, x.qty,
       x.qty * p.p_retailprice, x.discount, x.tax,
       CASE WHEN x.receiptdate <= date '1995-06-17' THEN (CASE WHEN (x.g + x.n) % 2 = 0 THEN 'R' ELSE 'A' END)
            ELSE 'N' END,
       CASE WHEN x.shipdate > date '1995-06-17' THEN 'O' ELSE 'F' END,
       x.shipdate, x.commitdate, x.receiptdate,
       (ARRAY['DELIVER IN PERSON', 'COLLECT COD', 'NONE', 'TAKE BACK RETURN'])[1 + (x.g + x.n) % 4],
       (ARRAY['REG AIR', 'AIR', 'RAIL', 'SHIP', 'TRUCK', 'MAIL', 'FOB'])[1 + (x.g * 3 + x.n) % 7],
       CASE WHEN (x.g + x.n) % 10 = 0 THEN NULL ELSE 'line ' || x.n || ' of ' || x.g END
FROM (SELECT orderkey, g, n,
             1 + (g * 13 + n * 29) % 200 AS partkey,
             (1 + (g * 7 + n * 3) % 50)::numeric AS qty,
             ((g + n) % 11) / 100.0 AS discount,
             ((g * 3 + n) % 9) / 100.0 AS tax,
             orderdate + 1 + (g * n) % 121 AS shipdate,
             orderdate + 30 + (g + n) % 61 AS commitdate,
             orderdate + 1 + (g * n) % 121 + 1 + (g + n * 7) % 30 AS receiptdate
      FROM (SELECT o_orderkey AS orderkey, (o_orderkey / 3)::int AS g, o_orderdate AS orderdate
            FROM orders) AS o,
           generate_series(1, 1 + (g * 5) % 7) AS n) AS x
JOIN part p ON p.p_partkey = x.partkey;
