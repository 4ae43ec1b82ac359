-- TPC-H-like queries (written for this corpus, sized for its small data) and simpler ones.
-- Ordered comparison applies when the outermost level has ORDER BY, so every such ORDER BY is
-- total (ends with a unique key).

-- Decision-support queries in the spirit of TPC-H.
-- name: tpch_001
-- pricing summary report (Q1)
SELECT l_returnflag, l_linestatus,
       sum(l_quantity) AS sum_qty,
       sum(l_extendedprice) AS sum_base_price,
       sum(l_extendedprice * (1 - l_discount)) AS sum_disc_price,
       sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS sum_charge,
       avg(l_quantity) AS avg_qty,
       avg(l_extendedprice) AS avg_price,
       avg(l_discount) AS avg_disc,
       count(*) AS count_order
FROM lineitem
WHERE l_shipdate <= date '1998-12-01' - interval '90 days'
GROUP BY l_returnflag, l_linestatus
ORDER BY l_returnflag, l_linestatus;

-- name: tpch_002
-- minimum cost supplier (Q2)
SELECT s.s_acctbal, s.s_name, n.n_name, p.p_partkey, p.p_mfgr, s.s_address, s.s_phone, s.s_comment
FROM part p, supplier s, partsupp ps, nation n, region r
WHERE p.p_partkey = ps.ps_partkey
  AND s.s_suppkey = ps.ps_suppkey
  AND p.p_size IN (4, 14)
  AND p.p_type LIKE '%BRASS'
  AND s.s_nationkey = n.n_nationkey
  AND n.n_regionkey = r.r_regionkey
  AND r.r_name = 'EUROPE'
  AND ps.ps_supplycost = (
    SELECT min(ps2.ps_supplycost)
    FROM partsupp ps2, supplier s2, nation n2, region r2
    WHERE p.p_partkey = ps2.ps_partkey
      AND s2.s_suppkey = ps2.ps_suppkey
      AND s2.s_nationkey = n2.n_nationkey
      AND n2.n_regionkey = r2.r_regionkey
      AND r2.r_name = 'EUROPE')
ORDER BY s.s_acctbal DESC, n.n_name, s.s_name, p.p_partkey
LIMIT 100;

-- name: tpch_003
-- shipping priority (Q3)
SELECT l.l_orderkey, sum(l.l_extendedprice * (1 - l.l_discount)) AS revenue, o.o_orderdate, o.o_shippriority
FROM customer c, orders o, lineitem l
WHERE c.c_mktsegment = 'BUILDING'
  AND c.c_custkey = o.o_custkey
  AND l.l_orderkey = o.o_orderkey
  AND o.o_orderdate < date '1995-03-15'
  AND l.l_shipdate > date '1995-03-15'
GROUP BY l.l_orderkey, o.o_orderdate, o.o_shippriority
ORDER BY revenue DESC, o.o_orderdate, l.l_orderkey
LIMIT 10;

-- name: tpch_004
-- order priority checking (Q4)
SELECT o_orderpriority, count(*) AS order_count
FROM orders
WHERE o_orderdate >= date '1993-07-01'
  AND o_orderdate < date '1993-07-01' + interval '3 months'
  AND EXISTS (SELECT * FROM lineitem WHERE l_orderkey = o_orderkey AND l_commitdate < l_receiptdate)
GROUP BY o_orderpriority
ORDER BY o_orderpriority;

-- name: tpch_005
-- local supplier volume (Q5)
SELECT n.n_name, sum(l.l_extendedprice * (1 - l.l_discount)) AS revenue
FROM customer c, orders o, lineitem l, supplier s, nation n, region r
WHERE c.c_custkey = o.o_custkey
  AND l.l_orderkey = o.o_orderkey
  AND l.l_suppkey = s.s_suppkey
  AND c.c_nationkey = s.s_nationkey
  AND s.s_nationkey = n.n_nationkey
  AND n.n_regionkey = r.r_regionkey
  AND r.r_name = 'ASIA'
  AND o.o_orderdate >= date '1994-01-01'
  AND o.o_orderdate < date '1994-01-01' + interval '2 years'
GROUP BY n.n_name
ORDER BY revenue DESC, n.n_name;

-- name: tpch_006
-- forecasting revenue change (Q6)
SELECT sum(l_extendedprice * l_discount) AS revenue
FROM lineitem
WHERE l_shipdate >= date '1994-01-01'
  AND l_shipdate < date '1994-01-01' + interval '1 year'
  AND l_discount BETWEEN 0.06 - 0.01 AND 0.06 + 0.01
  AND l_quantity < 24;

-- name: tpch_007
-- volume shipping (Q7)
SELECT supp_nation, cust_nation, l_year, sum(volume) AS revenue
FROM (SELECT n1.n_name AS supp_nation, n2.n_name AS cust_nation,
             extract(year FROM l.l_shipdate) AS l_year,
             l.l_extendedprice * (1 - l.l_discount) AS volume
      FROM supplier s, lineitem l, orders o, customer c, nation n1, nation n2
      WHERE s.s_suppkey = l.l_suppkey
        AND o.o_orderkey = l.l_orderkey
        AND c.c_custkey = o.o_custkey
        AND s.s_nationkey = n1.n_nationkey
        AND c.c_nationkey = n2.n_nationkey
        AND ((n1.n_name = 'FRANCE' AND n2.n_name = 'GERMANY') OR (n1.n_name = 'GERMANY' AND n2.n_name = 'FRANCE')
             OR (n1.n_name = 'JAPAN' AND n2.n_name = 'CHINA') OR (n1.n_name = 'CHINA' AND n2.n_name = 'JAPAN'))
        AND l.l_shipdate BETWEEN date '1993-01-01' AND date '1996-12-31') AS shipping
GROUP BY supp_nation, cust_nation, l_year
ORDER BY supp_nation, cust_nation, l_year;

-- name: tpch_008
-- national market share (Q8)
SELECT o_year, round(sum(CASE WHEN nation = 'MOROCCO' THEN volume ELSE 0 END) / sum(volume), 8) AS mkt_share
FROM (SELECT extract(year FROM o.o_orderdate) AS o_year,
             l.l_extendedprice * (1 - l.l_discount) AS volume,
             n2.n_name AS nation
      FROM part p, supplier s, lineitem l, orders o, customer c, nation n1, nation n2, region r
      WHERE p.p_partkey = l.l_partkey
        AND s.s_suppkey = l.l_suppkey
        AND l.l_orderkey = o.o_orderkey
        AND o.o_custkey = c.c_custkey
        AND c.c_nationkey = n1.n_nationkey
        AND n1.n_regionkey = r.r_regionkey
        AND r.r_name = 'AMERICA'
        AND s.s_nationkey = n2.n_nationkey
        AND o.o_orderdate BETWEEN date '1995-01-01' AND date '1996-12-31'
        AND p.p_type LIKE '%STEEL') AS all_nations
GROUP BY o_year
ORDER BY o_year;

-- name: tpch_009
-- product type profit measure (Q9)
SELECT nation, o_year, sum(amount) AS sum_profit
FROM (SELECT n.n_name AS nation,
             extract(year FROM o.o_orderdate) AS o_year,
             l.l_extendedprice * (1 - l.l_discount) - ps.ps_supplycost * l.l_quantity AS amount
      FROM part p, supplier s, lineitem l, partsupp ps, orders o, nation n
      WHERE s.s_suppkey = l.l_suppkey
        AND ps.ps_suppkey = l.l_suppkey
        AND ps.ps_partkey = l.l_partkey
        AND p.p_partkey = l.l_partkey
        AND o.o_orderkey = l.l_orderkey
        AND s.s_nationkey = n.n_nationkey
        AND p.p_name LIKE '%green%') AS profit
GROUP BY nation, o_year
ORDER BY nation, o_year DESC;

-- name: tpch_010
-- returned item reporting (Q10)
SELECT c.c_custkey, c.c_name, sum(l.l_extendedprice * (1 - l.l_discount)) AS revenue,
       c.c_acctbal, n.n_name, c.c_address, c.c_phone, c.c_comment
FROM customer c, orders o, lineitem l, nation n
WHERE c.c_custkey = o.o_custkey
  AND l.l_orderkey = o.o_orderkey
  AND o.o_orderdate >= date '1993-10-01'
  AND o.o_orderdate < date '1993-10-01' + interval '6 months'
  AND l.l_returnflag = 'R'
  AND c.c_nationkey = n.n_nationkey
GROUP BY c.c_custkey, c.c_name, c.c_acctbal, c.c_phone, n.n_name, c.c_address, c.c_comment
ORDER BY revenue DESC, c.c_custkey
LIMIT 20;

-- name: tpch_011
-- important stock identification (Q11)
SELECT ps.ps_partkey, sum(ps.ps_supplycost * ps.ps_availqty) AS value
FROM partsupp ps, supplier s, nation n
WHERE ps.ps_suppkey = s.s_suppkey AND s.s_nationkey = n.n_nationkey AND n.n_name = 'GERMANY'
GROUP BY ps.ps_partkey
HAVING sum(ps.ps_supplycost * ps.ps_availqty) > (
  SELECT sum(ps2.ps_supplycost * ps2.ps_availqty) * 0.02
  FROM partsupp ps2, supplier s2, nation n2
  WHERE ps2.ps_suppkey = s2.s_suppkey AND s2.s_nationkey = n2.n_nationkey AND n2.n_name = 'GERMANY')
ORDER BY value DESC, ps.ps_partkey;

-- name: tpch_012
-- shipping modes and order priority (Q12)
SELECT l.l_shipmode,
       sum(CASE WHEN o.o_orderpriority = '1-URGENT' OR o.o_orderpriority = '2-HIGH' THEN 1 ELSE 0 END) AS high_line_count,
       sum(CASE WHEN o.o_orderpriority <> '1-URGENT' AND o.o_orderpriority <> '2-HIGH' THEN 1 ELSE 0 END) AS low_line_count
FROM orders o, lineitem l
WHERE o.o_orderkey = l.l_orderkey
  AND l.l_shipmode IN ('MAIL', 'SHIP')
  AND l.l_commitdate < l.l_receiptdate
  AND l.l_shipdate < l.l_commitdate
  AND l.l_receiptdate >= date '1994-01-01'
  AND l.l_receiptdate < date '1994-01-01' + interval '1 year'
GROUP BY l.l_shipmode
ORDER BY l.l_shipmode;

-- name: tpch_013
-- customer distribution (Q13)
SELECT c_count, count(*) AS custdist
FROM (SELECT c.c_custkey, count(o.o_orderkey) AS c_count
      FROM customer c LEFT OUTER JOIN orders o
        ON c.c_custkey = o.o_custkey AND o.o_comment NOT LIKE '%special%requests%'
      GROUP BY c.c_custkey) AS c_orders
GROUP BY c_count
ORDER BY custdist DESC, c_count DESC;

-- name: tpch_014
-- promotion effect (Q14)
SELECT round(100.00 * sum(CASE WHEN p.p_type LIKE 'PROMO%' THEN l.l_extendedprice * (1 - l.l_discount) ELSE 0 END)
             / sum(l.l_extendedprice * (1 - l.l_discount)), 6) AS promo_revenue
FROM lineitem l, part p
WHERE l.l_partkey = p.p_partkey
  AND l.l_shipdate >= date '1995-09-01'
  AND l.l_shipdate < date '1995-09-01' + interval '1 month';

-- name: tpch_015
-- top supplier (Q15)
WITH revenue AS (
  SELECT l_suppkey AS supplier_no, sum(l_extendedprice * (1 - l_discount)) AS total_revenue
  FROM lineitem
  WHERE l_shipdate >= date '1996-01-01' AND l_shipdate < date '1996-01-01' + interval '3 months'
  GROUP BY l_suppkey)
SELECT s.s_suppkey, s.s_name, s.s_address, s.s_phone, r.total_revenue
FROM supplier s, revenue r
WHERE s.s_suppkey = r.supplier_no
  AND r.total_revenue = (SELECT max(total_revenue) FROM revenue)
ORDER BY s.s_suppkey;

-- name: tpch_016
-- parts/supplier relationship (Q16)
SELECT p.p_brand, p.p_type, p.p_size, count(DISTINCT ps.ps_suppkey) AS supplier_cnt
FROM partsupp ps, part p
WHERE p.p_partkey = ps.ps_partkey
  AND p.p_brand <> 'Brand#45'
  AND p.p_type NOT LIKE 'MEDIUM POLISHED%'
  AND p.p_size IN (49, 14, 23, 45, 19, 3, 36, 9, 40, 27)
  AND ps.ps_suppkey NOT IN (SELECT s_suppkey FROM supplier WHERE s_comment LIKE '%Customer%Complaints%')
GROUP BY p.p_brand, p.p_type, p.p_size
ORDER BY supplier_cnt DESC, p.p_brand, p.p_type, p.p_size;

-- name: tpch_017
-- small-quantity-order revenue (Q17)
SELECT round(sum(l.l_extendedprice) / 7.0, 2) AS avg_yearly
FROM lineitem l, part p
WHERE p.p_partkey = l.l_partkey
  AND p.p_brand IN ('Brand#23', 'Brand#13', 'Brand#33')
  AND l.l_quantity < (SELECT 0.5 * avg(l2.l_quantity) FROM lineitem l2 WHERE l2.l_partkey = p.p_partkey);

-- name: tpch_018
-- large volume customer (Q18)
SELECT c.c_name, c.c_custkey, o.o_orderkey, o.o_orderdate, o.o_totalprice, sum(l.l_quantity)
FROM customer c, orders o, lineitem l
WHERE o.o_orderkey IN (SELECT l_orderkey FROM lineitem GROUP BY l_orderkey HAVING sum(l_quantity) > 220)
  AND c.c_custkey = o.o_custkey
  AND o.o_orderkey = l.l_orderkey
GROUP BY c.c_name, c.c_custkey, o.o_orderkey, o.o_orderdate, o.o_totalprice
ORDER BY o.o_totalprice DESC, o.o_orderdate, o.o_orderkey
LIMIT 100;

-- name: tpch_019
-- discounted revenue (Q19)
SELECT sum(l.l_extendedprice * (1 - l.l_discount)) AS revenue
FROM lineitem l, part p
WHERE p.p_partkey = l.l_partkey
  AND ((p.p_brand = 'Brand#12' AND p.p_container IN ('SM CASE', 'SM BOX', 'SM PACK', 'SM PKG')
        AND l.l_quantity BETWEEN 1 AND 11 AND p.p_size BETWEEN 1 AND 5)
    OR (p.p_brand = 'Brand#23' AND p.p_container IN ('MED BAG', 'MED BOX', 'MED PKG', 'MED PACK')
        AND l.l_quantity BETWEEN 10 AND 20 AND p.p_size BETWEEN 1 AND 10)
    OR (p.p_brand = 'Brand#34' AND p.p_container IN ('LG CASE', 'LG BOX', 'LG PACK', 'LG PKG')
        AND l.l_quantity BETWEEN 20 AND 40 AND p.p_size BETWEEN 1 AND 50))
  AND l.l_shipmode IN ('AIR', 'REG AIR');

-- name: tpch_020
-- potential part promotion (Q20)
SELECT s.s_name, s.s_address
FROM supplier s, nation n
WHERE s.s_suppkey IN (
    SELECT ps.ps_suppkey FROM partsupp ps
    WHERE ps.ps_partkey IN (SELECT p_partkey FROM part WHERE p_name LIKE 'forest%' OR p_name LIKE 'lime%')
      AND ps.ps_availqty > (SELECT 0.5 * sum(l.l_quantity) FROM lineitem l
                            WHERE l.l_partkey = ps.ps_partkey AND l.l_suppkey = ps.ps_suppkey
                              AND l.l_shipdate >= date '1994-01-01' AND l.l_shipdate < date '1995-01-01'))
  AND s.s_nationkey = n.n_nationkey
ORDER BY s.s_name;

-- name: tpch_021
-- suppliers who kept orders waiting (Q21)
SELECT s.s_name, count(*) AS numwait
FROM supplier s, lineitem l1, orders o, nation n
WHERE s.s_suppkey = l1.l_suppkey
  AND o.o_orderkey = l1.l_orderkey
  AND o.o_orderstatus = 'F'
  AND l1.l_receiptdate > l1.l_commitdate
  AND EXISTS (SELECT * FROM lineitem l2 WHERE l2.l_orderkey = l1.l_orderkey AND l2.l_suppkey <> l1.l_suppkey)
  AND NOT EXISTS (SELECT * FROM lineitem l3
                  WHERE l3.l_orderkey = l1.l_orderkey AND l3.l_suppkey <> l1.l_suppkey
                    AND l3.l_receiptdate > l3.l_commitdate)
  AND s.s_nationkey = n.n_nationkey
  AND n.n_regionkey IN (1, 3)
GROUP BY s.s_name
ORDER BY numwait DESC, s.s_name
LIMIT 100;

-- name: tpch_022
-- global sales opportunity (Q22)
SELECT cntrycode, count(*) AS numcust, sum(c_acctbal) AS totacctbal
FROM (SELECT substring(c.c_phone FROM 1 FOR 2) AS cntrycode, c.c_acctbal
      FROM customer c
      WHERE substring(c.c_phone FROM 1 FOR 2) IN ('13', '31', '23', '29', '30', '18', '17')
        AND c.c_acctbal > (SELECT avg(c2.c_acctbal) FROM customer c2
                           WHERE c2.c_acctbal > 0.00
                             AND substring(c2.c_phone FROM 1 FOR 2) IN ('13', '31', '23', '29', '30', '18', '17'))
        AND NOT EXISTS (SELECT * FROM orders o WHERE o.o_custkey = c.c_custkey)) AS custsale
GROUP BY cntrycode
ORDER BY cntrycode;

-- Router queries by order key, part key, customer key.
-- name: tpch_023
SELECT * FROM orders WHERE o_orderkey = 300;

-- name: tpch_024
SELECT l_linenumber, l_partkey, l_quantity, l_extendedprice, l_returnflag, l_shipdate
FROM lineitem
WHERE l_orderkey = 300
ORDER BY l_linenumber;

-- name: tpch_025
SELECT o_orderkey, o_custkey, o_totalprice FROM orders WHERE o_orderkey IN (3, 6, 9, 4500, 4501) ORDER BY o_orderkey;

-- name: tpch_026
SELECT * FROM customer WHERE c_custkey = 42;

-- name: tpch_027
SELECT p_partkey, p_name, p_retailprice FROM part WHERE p_partkey = 7;

-- name: tpch_028
SELECT ps_suppkey, ps_availqty, ps_supplycost FROM partsupp WHERE ps_partkey = 7 ORDER BY ps_suppkey;

-- name: tpch_029
SELECT o.o_orderkey, o.o_orderdate, count(*) AS lines, sum(l.l_quantity) AS qty
FROM orders o JOIN lineitem l ON l.l_orderkey = o.o_orderkey
WHERE o.o_orderkey = 900
GROUP BY o.o_orderkey, o.o_orderdate;

-- name: tpch_030
SELECT count(*), sum(l_quantity) FROM lineitem WHERE l_orderkey = 1;

-- name: tpch_031
SELECT l_orderkey, l_linenumber, l_shipmode FROM lineitem WHERE l_orderkey IN (30, 60) AND l_shipmode <> 'AIR';

-- name: tpch_032
SELECT p.p_partkey, p.p_name, ps.ps_suppkey, ps.ps_supplycost
FROM part p JOIN partsupp ps ON ps.ps_partkey = p.p_partkey
WHERE p.p_partkey = 123
ORDER BY ps.ps_suppkey;

-- name: tpch_033
SELECT s_suppkey, s_name, s_phone, s_acctbal FROM supplier WHERE s_suppkey = 10;

-- Scans, filters, ordering.
-- name: tpch_034
TABLE region;

-- name: tpch_035
SELECT * FROM nation ORDER BY n_nationkey;

-- name: tpch_036
SELECT count(*) FROM lineitem;

-- name: tpch_037
SELECT o_orderkey, o_totalprice FROM orders ORDER BY o_totalprice DESC, o_orderkey LIMIT 10;

-- name: tpch_038
SELECT o_orderkey, o_orderdate FROM orders ORDER BY o_orderdate, o_orderkey LIMIT 10 OFFSET 50;

-- name: tpch_039
SELECT c_custkey, c_name, c_acctbal FROM customer WHERE c_acctbal < 0 ORDER BY c_acctbal, c_custkey LIMIT 15;

-- name: tpch_040
SELECT c_custkey, c_comment FROM customer WHERE c_comment IS NULL;

-- name: tpch_041
SELECT c_custkey, c_name FROM customer ORDER BY c_name DESC LIMIT 5;

-- name: tpch_042
SELECT p_partkey, p_type, p_size FROM part WHERE p_type LIKE 'PROMO%' AND p_size > 40;

-- name: tpch_043
SELECT s_suppkey, s_name, s_phone FROM supplier ORDER BY s_phone NULLS FIRST, s_suppkey;

-- name: tpch_044
SELECT l_orderkey, l_linenumber, l_discount, l_tax FROM lineitem WHERE l_discount = 0 AND l_tax = 0 ORDER BY l_orderkey, l_linenumber;

-- name: tpch_045
SELECT l_orderkey, l_linenumber, l_comment FROM lineitem WHERE l_comment IS NULL AND l_orderkey < 300;

-- name: tpch_046
SELECT * FROM lineitem WHERE l_shipdate > date '2000-01-01';

-- name: tpch_047
SELECT o_orderkey, o_comment FROM orders WHERE o_comment LIKE 'pending special%' ORDER BY o_orderkey DESC LIMIT 12;

-- name: tpch_048
SELECT p_partkey, p_retailprice FROM part ORDER BY p_retailprice DESC, p_partkey FETCH FIRST 7 ROWS ONLY;

-- name: tpch_049
SELECT n_name, n_comment FROM nation ORDER BY n_comment NULLS LAST, n_name;

-- Aggregates and GROUP BY.
-- name: tpch_050
SELECT count(*), sum(o_totalprice), avg(o_totalprice), min(o_totalprice), max(o_totalprice) FROM orders;

-- name: tpch_051
SELECT o_orderstatus, count(*), sum(o_totalprice), min(o_orderdate), max(o_orderdate) FROM orders GROUP BY o_orderstatus;

-- name: tpch_052
SELECT count(DISTINCT o_custkey), count(DISTINCT o_clerk), count(DISTINCT o_orderpriority) FROM orders;

-- name: tpch_053
SELECT o_clerk, count(*), sum(o_totalprice) FROM orders GROUP BY o_clerk HAVING avg(o_totalprice) > 200000;

-- name: tpch_054
SELECT l_shipmode, count(*), sum(l_quantity), round(avg(l_discount), 6) FROM lineitem GROUP BY l_shipmode ORDER BY l_shipmode;

-- name: tpch_055
SELECT extract(year FROM o_orderdate) AS y, count(*), sum(o_totalprice) FROM orders GROUP BY 1 ORDER BY 1;

-- name: tpch_056
SELECT o_orderpriority, count(*) FROM orders GROUP BY o_orderpriority HAVING count(*) > 299;

-- name: tpch_057
SELECT l_returnflag, l_linestatus, count(*) FROM lineitem GROUP BY l_returnflag, l_linestatus;

-- name: tpch_058
SELECT l_orderkey, count(*) AS lines, sum(l_quantity) AS qty FROM lineitem GROUP BY l_orderkey HAVING count(*) = 7;

-- name: tpch_059
SELECT l_partkey, count(*), sum(l_quantity) FROM lineitem GROUP BY l_partkey HAVING sum(l_quantity) > 850;

-- name: tpch_060
SELECT c_mktsegment, count(*), sum(c_acctbal), round(avg(c_acctbal), 4), min(c_acctbal), max(c_acctbal)
FROM customer
GROUP BY c_mktsegment;

-- name: tpch_061
SELECT p_mfgr, p_brand, count(*), min(p_retailprice), max(p_retailprice) FROM part GROUP BY p_mfgr, p_brand;

-- name: tpch_062
SELECT round(stddev(l_quantity), 8), round(variance(l_extendedprice), 4), round(stddev_pop(l_discount), 10) FROM lineitem;

-- name: tpch_063
SELECT bool_and(l_shipdate < l_receiptdate), bool_or(l_commitdate < l_shipdate), bit_or(l_linenumber), bit_and(l_linenumber)
FROM lineitem;

-- name: tpch_064
SELECT count(*), sum(l_quantity), avg(l_extendedprice), max(l_shipdate) FROM lineitem WHERE l_shipdate > date '2000-01-01';

-- name: tpch_065
SELECT l_shipmode, count(*) FROM lineitem WHERE l_quantity > 100 GROUP BY l_shipmode;

-- name: tpch_066
SELECT sum(l_extendedprice * (1 - l_discount)) AS disc, sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS charge,
       sum(l_quantity * 1.5) AS scaled
FROM lineitem
WHERE l_orderkey < 600;

-- name: tpch_067
SELECT date_trunc('quarter', o_orderdate)::date AS quarter, count(*), sum(o_totalprice)
FROM orders
WHERE o_orderdate >= date '1996-01-01'
GROUP BY 1
ORDER BY 1;

-- name: tpch_068
SELECT l_shipinstruct, string_agg(DISTINCT l_shipmode, '/' ORDER BY l_shipmode) AS modes FROM lineitem GROUP BY l_shipinstruct;

-- name: tpch_069
SELECT o_custkey, array_agg(o_orderkey ORDER BY o_orderkey) AS orders FROM orders WHERE o_custkey < 12 GROUP BY o_custkey;

-- name: tpch_070
SELECT r.r_name, count(*) AS nations, string_agg(n.n_name, ', ' ORDER BY n.n_name) AS names
FROM region r JOIN nation n ON n.n_regionkey = r.r_regionkey
GROUP BY r.r_name
ORDER BY r.r_name;

-- name: tpch_071
SELECT l_orderkey, sum(l_extendedprice * (1 - l_discount)) AS revenue
FROM lineitem
GROUP BY l_orderkey
ORDER BY revenue DESC, l_orderkey
LIMIT 10;

-- name: tpch_072
SELECT l_suppkey, count(*) FROM lineitem GROUP BY l_suppkey ORDER BY count(*) DESC, l_suppkey LIMIT 5;

-- name: tpch_073
SELECT o_orderstatus, o_orderpriority, count(*) FROM orders GROUP BY CUBE (o_orderstatus, o_orderpriority);

-- DISTINCT.
-- name: tpch_074
SELECT DISTINCT p_mfgr FROM part ORDER BY p_mfgr;

-- name: tpch_075
SELECT DISTINCT l_returnflag, l_linestatus FROM lineitem;

-- name: tpch_076
SELECT DISTINCT ON (o_custkey) o_custkey, o_orderkey, o_orderdate, o_totalprice
FROM orders
ORDER BY o_custkey, o_orderdate DESC, o_orderkey;

-- name: tpch_077
SELECT count(DISTINCT (l_partkey, l_suppkey)) FROM lineitem;

-- name: tpch_078
SELECT DISTINCT c_nationkey FROM customer WHERE c_acctbal > 9000;

-- Window functions.
-- name: tpch_079
SELECT o_custkey, sum(o_totalprice) AS spent, rank() OVER (ORDER BY sum(o_totalprice) DESC) AS rnk
FROM orders
GROUP BY o_custkey
ORDER BY rnk, o_custkey
LIMIT 20;

-- name: tpch_080
SELECT y, revenue, revenue - lag(revenue) OVER (ORDER BY y) AS change
FROM (SELECT extract(year FROM l_shipdate) AS y, sum(l_extendedprice) AS revenue FROM lineitem GROUP BY 1) t
ORDER BY y;

-- name: tpch_081
SELECT l_orderkey, l_linenumber, l_quantity,
       sum(l_quantity) OVER (PARTITION BY l_orderkey ORDER BY l_linenumber) AS running,
       count(*) OVER (PARTITION BY l_orderkey) AS lines
FROM lineitem
WHERE l_orderkey BETWEEN 90 AND 150
ORDER BY l_orderkey, l_linenumber;

-- name: tpch_082
SELECT c_nationkey, c_custkey, c_acctbal,
       row_number() OVER (PARTITION BY c_nationkey ORDER BY c_acctbal DESC, c_custkey) AS pos
FROM customer
ORDER BY c_nationkey, pos
LIMIT 60;

-- name: tpch_083
SELECT o_orderpriority, count(*) AS n, sum(count(*)) OVER (ORDER BY o_orderpriority) AS cumulative
FROM orders
GROUP BY o_orderpriority
ORDER BY o_orderpriority;

-- name: tpch_084
SELECT p_brand, avg_price, ntile(3) OVER (ORDER BY avg_price, p_brand) AS tier
FROM (SELECT p_brand, round(avg(p_retailprice), 2) AS avg_price FROM part GROUP BY p_brand) b
ORDER BY p_brand;

-- name: tpch_085
SELECT *
FROM (SELECT l_partkey, l_orderkey, l_linenumber, l_extendedprice,
             dense_rank() OVER (PARTITION BY l_partkey ORDER BY l_extendedprice DESC) AS dr
      FROM lineitem
      WHERE l_partkey <= 10) ranked
WHERE dr = 1
ORDER BY l_partkey, l_orderkey, l_linenumber;

-- Joins: co-located (orders/lineitem, part/partsupp), reference, and across distribution columns.
-- name: tpch_086
SELECT o.o_orderstatus, count(*), sum(l.l_quantity) FROM orders o JOIN lineitem l ON l.l_orderkey = o.o_orderkey GROUP BY o.o_orderstatus;

-- name: tpch_087
SELECT o.o_orderkey, o.o_totalprice, sum(l.l_extendedprice) AS lines_total
FROM orders o JOIN lineitem l ON l.l_orderkey = o.o_orderkey
GROUP BY o.o_orderkey, o.o_totalprice
HAVING sum(l.l_extendedprice) > o.o_totalprice * 2
ORDER BY o.o_orderkey
LIMIT 25;

-- name: tpch_088
SELECT count(*) FROM orders o LEFT JOIN lineitem l ON l.l_orderkey = o.o_orderkey WHERE l.l_orderkey IS NULL;

-- name: tpch_089
SELECT p.p_mfgr, count(*), sum(ps.ps_availqty), min(ps.ps_supplycost) FROM part p JOIN partsupp ps ON ps.ps_partkey = p.p_partkey GROUP BY p.p_mfgr;

-- name: tpch_090
SELECT n.n_name, count(*) AS customers FROM customer c JOIN nation n ON n.n_nationkey = c.c_nationkey GROUP BY n.n_name;

-- name: tpch_091
SELECT r.r_name, count(c.c_custkey), sum(c.c_acctbal)
FROM region r
LEFT JOIN nation n ON n.n_regionkey = r.r_regionkey
LEFT JOIN customer c ON c.c_nationkey = n.n_nationkey
GROUP BY r.r_name
ORDER BY r.r_name;

-- name: tpch_092
SELECT c.c_mktsegment, count(*) AS orders, sum(o.o_totalprice) FROM customer c JOIN orders o ON o.o_custkey = c.c_custkey GROUP BY c.c_mktsegment;

-- name: tpch_093
SELECT p.p_type, count(*) AS lines, sum(l.l_quantity)
FROM lineitem l JOIN part p ON p.p_partkey = l.l_partkey
WHERE p.p_size < 10
GROUP BY p.p_type;

-- name: tpch_094
SELECT s.s_name, count(*) AS parts, sum(ps.ps_availqty) FROM supplier s JOIN partsupp ps ON ps.ps_suppkey = s.s_suppkey GROUP BY s.s_name;

-- name: tpch_095
SELECT c.c_custkey, c.c_name, count(o.o_orderkey) AS orders
FROM customer c LEFT JOIN orders o ON o.o_custkey = c.c_custkey
GROUP BY c.c_custkey, c.c_name
HAVING count(o.o_orderkey) = 0
ORDER BY c.c_custkey
LIMIT 20;

-- name: tpch_096
SELECT n.n_name AS nation, r.r_name AS region FROM nation n JOIN region r ON r.r_regionkey = n.n_regionkey ORDER BY n.n_name;

-- name: tpch_097
SELECT n1.n_name AS supplier_nation, count(*)
FROM lineitem l
JOIN supplier s ON s.s_suppkey = l.l_suppkey
JOIN nation n1 ON n1.n_nationkey = s.s_nationkey
WHERE l.l_orderkey < 1500
GROUP BY n1.n_name;

-- name: tpch_098
SELECT count(*) FROM customer c JOIN supplier s ON s.s_nationkey = c.c_nationkey;

-- name: tpch_099
SELECT r.r_name, count(*) FROM region r CROSS JOIN nation n WHERE n.n_regionkey <> r.r_regionkey GROUP BY r.r_name;

-- name: tpch_100
SELECT count(*), count(o.o_orderkey), count(c.c_custkey)
FROM orders o FULL OUTER JOIN customer c ON c.c_custkey = o.o_custkey;

-- Subqueries, CTEs, set operations.
-- name: tpch_101
SELECT o_orderkey, o_totalprice FROM orders WHERE o_totalprice > (SELECT avg(o_totalprice) * 1.9 FROM orders) ORDER BY o_orderkey;

-- name: tpch_102
SELECT c_custkey FROM customer c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.o_custkey = c.c_custkey) ORDER BY c_custkey;

-- name: tpch_103
SELECT c_custkey FROM customer WHERE c_custkey NOT IN (SELECT o_custkey FROM orders);

-- name: tpch_104
SELECT c_custkey FROM customer EXCEPT SELECT o_custkey FROM orders;

-- name: tpch_105
SELECT o_orderkey FROM orders WHERE o_orderkey IN (SELECT l_orderkey FROM lineitem WHERE l_quantity = 50 AND l_discount = 0.10);

-- name: tpch_106
SELECT p_partkey, p_name FROM part WHERE p_partkey IN (SELECT ps_partkey FROM partsupp WHERE ps_availqty < 100) ORDER BY p_partkey;

-- name: tpch_107
SELECT c.c_custkey, (SELECT count(*) FROM orders o WHERE o.o_custkey = c.c_custkey) AS orders,
       (SELECT max(o.o_orderdate) FROM orders o WHERE o.o_custkey = c.c_custkey) AS last_order
FROM customer c
WHERE c.c_custkey <= 20
ORDER BY c.c_custkey;

-- name: tpch_108
WITH yearly AS (
  SELECT extract(year FROM o_orderdate) AS y, sum(o_totalprice) AS total FROM orders GROUP BY 1
)
SELECT y, total, round(100 * total / sum(total) OVER (), 4) AS pct FROM yearly ORDER BY y;

-- name: tpch_109
WITH big_orders AS (
  SELECT l_orderkey FROM lineitem GROUP BY l_orderkey HAVING sum(l_quantity) > 200
), big_customers AS (
  SELECT DISTINCT o.o_custkey FROM orders o JOIN big_orders b ON b.l_orderkey = o.o_orderkey
)
SELECT c.c_mktsegment, count(*) FROM customer c JOIN big_customers b ON b.o_custkey = c.c_custkey GROUP BY c.c_mktsegment;

-- name: tpch_110
SELECT s_nationkey AS nationkey FROM supplier
UNION
SELECT c_nationkey FROM customer WHERE c_acctbal > 9500
ORDER BY nationkey;

-- name: tpch_111
SELECT 'orders' AS t, count(*) FROM orders
UNION ALL SELECT 'lineitem', count(*) FROM lineitem
UNION ALL SELECT 'partsupp', count(*) FROM partsupp
UNION ALL SELECT 'nation', count(*) FROM nation;

-- name: tpch_112
SELECT l_suppkey FROM lineitem WHERE l_shipmode = 'FOB'
INTERSECT
SELECT ps_suppkey FROM partsupp WHERE ps_availqty > 9900;

-- name: tpch_113
SELECT o_custkey FROM orders WHERE o_orderdate < date '1993-01-01'
EXCEPT ALL
SELECT o_custkey FROM orders WHERE o_orderstatus = 'P';

-- name: tpch_114
SELECT l_orderkey, l_linenumber
FROM lineitem l
WHERE l.l_quantity > ALL (SELECT l2.l_quantity FROM lineitem l2 WHERE l2.l_orderkey = l.l_orderkey AND l2.l_linenumber <> l.l_linenumber)
  AND l.l_orderkey < 200
ORDER BY l_orderkey, l_linenumber;

-- Expressions, casts, LATERAL, generate_series.
-- name: tpch_115
SELECT c.c_custkey, top.o_orderkey, top.o_totalprice
FROM customer c
CROSS JOIN LATERAL (SELECT o_orderkey, o_totalprice FROM orders o WHERE o.o_custkey = c.c_custkey
                    ORDER BY o_totalprice DESC, o_orderkey LIMIT 2) top
WHERE c.c_custkey BETWEEN 100 AND 110
ORDER BY c.c_custkey, top.o_totalprice DESC, top.o_orderkey;

-- name: tpch_116
SELECT y, count(o.o_orderkey)
FROM generate_series(1990, 1999) AS y
LEFT JOIN orders o ON extract(year FROM o.o_orderdate) = y
GROUP BY y
ORDER BY y;

-- name: tpch_117
SELECT substring(c_phone FROM 1 FOR 2) AS cc, count(*) FROM customer GROUP BY 1 ORDER BY 1;

-- name: tpch_118
SELECT split_part(p_type, ' ', 1) AS grade, split_part(p_type, ' ', 3) AS metal, count(*) FROM part GROUP BY 1, 2;

-- name: tpch_119
SELECT l_orderkey, l_linenumber, l_receiptdate - l_shipdate AS transit,
       CASE WHEN l_receiptdate > l_commitdate THEN 'late' ELSE 'on time' END AS status
FROM lineitem
WHERE l_orderkey BETWEEN 30 AND 60
ORDER BY l_orderkey, l_linenumber;

-- name: tpch_120
SELECT o_orderkey, o_totalprice::int AS whole, o_totalprice::text AS txt, (o_totalprice / 7)::numeric(12,3) AS seventh,
       o_orderdate::text AS day, o_orderstatus::text || '-' || o_orderpriority AS tag
FROM orders
WHERE o_orderkey <= 30
ORDER BY o_orderkey;

-- name: tpch_121
SELECT coalesce(s_phone, 'n/a') AS phone, nullif(s_nationkey, 0) AS nation, greatest(s_acctbal, 0) AS credit
FROM supplier
ORDER BY s_suppkey;

-- name: tpch_122
SELECT l_returnflag, l_linestatus, l_returnflag || l_linestatus AS flags, length(l_returnflag) FROM lineitem WHERE l_orderkey = 3 ORDER BY l_linenumber;

-- name: tpch_123
SELECT sum(CASE WHEN l_discount >= 0.05 THEN l_extendedprice ELSE 0 END) AS discounted,
       sum(CASE WHEN l_discount < 0.05 THEN l_extendedprice END) AS full_price,
       count(CASE WHEN l_tax = 0 THEN 1 END) AS untaxed
FROM lineitem;

-- name: tpch_124
SELECT v.mode, count(l.l_orderkey)
FROM (VALUES ('AIR'), ('RAIL'), ('TELEPORT')) AS v (mode)
LEFT JOIN lineitem l ON l.l_shipmode = v.mode AND l.l_orderkey < 900
GROUP BY v.mode
ORDER BY v.mode;

-- name: tpch_125
SELECT o_orderdate, o_orderdate + 30 AS due, o_orderdate - date '1992-01-01' AS day_no, to_char(o_orderdate, 'Dy DD Mon YYYY') AS pretty
FROM orders
WHERE o_orderkey BETWEEN 1000 AND 1030
ORDER BY o_orderkey;

-- name: tpch_126
SELECT c_custkey, round(c_acctbal / 3, 3), trunc(c_acctbal, -2), abs(c_acctbal), sign(c_acctbal), mod(c_custkey, 7)
FROM customer
WHERE c_custkey <= 12
ORDER BY c_custkey;

-- Edge semantics, second batch.
-- name: tpch_127
SELECT r.r_name, extract(year FROM o.o_orderdate)::int AS y, count(DISTINCT o.o_orderkey) AS orders,
       sum(l.l_extendedprice * (1 - l.l_discount)) AS revenue, sum(l.l_quantity) AS qty
FROM region r
JOIN nation n ON n.n_regionkey = r.r_regionkey
JOIN customer c ON c.c_nationkey = n.n_nationkey
JOIN orders o ON o.o_custkey = c.c_custkey
JOIN lineitem l ON l.l_orderkey = o.o_orderkey
WHERE o.o_orderdate >= date '1996-01-01'
GROUP BY r.r_name, 2
HAVING count(*) > 50
ORDER BY r.r_name, y;

-- name: tpch_128
SELECT s.s_suppkey,
       (SELECT n.n_name FROM nation n WHERE n.n_nationkey = s.s_nationkey) AS nation,
       (SELECT r.r_name FROM region r WHERE r.r_regionkey = (SELECT n.n_regionkey FROM nation n WHERE n.n_nationkey = s.s_nationkey)) AS region,
       (SELECT count(*) FROM customer c WHERE c.c_nationkey = s.s_nationkey) AS local_customers,
       (SELECT max(c.c_acctbal) FROM customer c WHERE c.c_nationkey = s.s_nationkey AND c.c_acctbal < s.s_acctbal) AS richest_poorer
FROM supplier s
WHERE s.s_suppkey <= 15
ORDER BY s.s_suppkey;

-- name: tpch_129
SELECT p.p_partkey, p.p_retailprice,
       (SELECT min(ps.ps_supplycost) FROM partsupp ps WHERE ps.ps_partkey = p.p_partkey) AS min_cost,
       (SELECT count(*) FROM partsupp ps JOIN supplier s ON s.s_suppkey = ps.ps_suppkey
        WHERE ps.ps_partkey = p.p_partkey AND s.s_acctbal > 0) AS solvent_suppliers,
       (SELECT sum(l.l_quantity) FROM lineitem l WHERE l.l_partkey = p.p_partkey) AS sold
FROM part p
WHERE p.p_partkey % 17 = 3
ORDER BY p.p_partkey;

-- name: tpch_130
SELECT l_orderkey, l_linenumber, l_quantity,
       l_quantity::int / 7 AS int_div, l_quantity / 7 AS num_div, l_quantity::int % 7 AS int_mod,
       l_extendedprice / l_quantity AS unit_price, l_extendedprice * (1 - l_discount) * (1 + l_tax) AS charge,
       round(l_extendedprice * (1 - l_discount) * (1 + l_tax), 1) AS charge_r1, trunc(l_extendedprice / 3, 3) AS third_t,
       (l_extendedprice * l_discount)::numeric(12,1) AS disc_cast, (-l_quantity)::int % 4 AS neg_mod,
       l_discount * 100 / 3 AS pct_third
FROM lineitem
WHERE l_orderkey IN (3, 4500, 2001, 999)
ORDER BY l_orderkey, l_linenumber;

-- name: tpch_131
SELECT l_returnflag,
       sum(l_extendedprice / l_quantity) AS sum_unit, avg(l_linenumber) AS avg_line, avg(l_quantity::int) AS avg_qty_int,
       sum(l_linenumber) AS sum_int, sum(l_orderkey) AS sum_bigint,
       sum(l_orderkey * 1000000000000000) AS huge, sum(l_quantity) / count(*) AS avg_div,
       sum(l_quantity)::int / count(*) AS int_avg_div, max(l_tax) / min(nullif(l_tax, 0)) AS tax_ratio
FROM lineitem
GROUP BY l_returnflag
ORDER BY l_returnflag;

-- name: tpch_132
SELECT o_custkey, o_orderkey, o_orderdate, o_totalprice,
       count(*) OVER (PARTITION BY o_custkey ORDER BY o_orderdate RANGE BETWEEN interval '365 days' PRECEDING AND CURRENT ROW) AS orders_last_year,
       sum(o_totalprice) OVER (PARTITION BY o_custkey ORDER BY o_orderdate, o_orderkey ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS spent_before,
       lead(o_orderdate) OVER (PARTITION BY o_custkey ORDER BY o_orderdate, o_orderkey) - o_orderdate AS gap_days
FROM orders
WHERE o_custkey BETWEEN 10 AND 25
ORDER BY o_custkey, o_orderdate, o_orderkey;

-- name: tpch_133
SELECT c_custkey, c_mktsegment, c_acctbal,
       ntile(5) OVER w AS fifth,
       round((percent_rank() OVER w)::numeric, 6) AS pct_rank,
       round((cume_dist() OVER w)::numeric, 6) AS cume,
       rank() OVER (PARTITION BY c_nationkey ORDER BY c_acctbal DESC, c_custkey) AS in_nation
FROM customer
WINDOW w AS (PARTITION BY c_mktsegment ORDER BY c_acctbal, c_custkey)
ORDER BY c_custkey
LIMIT 40;

-- name: tpch_134
SELECT p_mfgr, p_partkey, p_size,
       first_value(p_partkey) OVER w AS smallest,
       last_value(p_partkey) OVER w AS largest,
       nth_value(p_partkey, 3) OVER w AS third,
       sum(p_size) OVER (PARTITION BY p_mfgr ORDER BY p_size GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE TIES) AS near_sizes,
       count(*) OVER (PARTITION BY p_mfgr ORDER BY p_size RANGE BETWEEN 5 PRECEDING AND 5 FOLLOWING EXCLUDE GROUP) AS similar
FROM part
WHERE p_partkey <= 60
WINDOW w AS (PARTITION BY p_mfgr ORDER BY p_size, p_partkey ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
ORDER BY p_mfgr, p_size, p_partkey;

-- name: tpch_135
SELECT DISTINCT ON (c.c_nationkey, c.c_mktsegment) c.c_nationkey, c.c_mktsegment, c.c_custkey, c.c_acctbal
FROM customer c
ORDER BY c.c_nationkey, c.c_mktsegment, c.c_acctbal DESC, c.c_custkey;

-- name: tpch_136
SELECT l_suppkey, count(*) AS lines
FROM lineitem
GROUP BY l_suppkey
HAVING avg(l_discount) > 0.05
   AND count(*) FILTER (WHERE l_returnflag = 'R') > count(*) FILTER (WHERE l_returnflag = 'A')
   AND count(DISTINCT l_shipmode) = 7
   AND min(l_shipdate) < date '1992-03-01';

-- name: tpch_137
SELECT p_partkey, p_name
FROM part
WHERE p_partkey IN (SELECT ps_partkey FROM partsupp
                    WHERE ps_suppkey IN (SELECT s_suppkey FROM supplier
                                         WHERE s_nationkey IN (SELECT n_nationkey FROM nation
                                                               WHERE n_regionkey = (SELECT r_regionkey FROM region WHERE r_name = 'ASIA'))))
  AND p_size < 8
ORDER BY p_partkey;

-- name: tpch_138
SELECT (SELECT count(*) FROM customer c WHERE c.c_phone NOT IN (SELECT s.s_phone FROM supplier s)) AS not_in_null,
       (SELECT count(*) FROM customer c WHERE c.c_phone NOT IN (SELECT s.s_phone FROM supplier s WHERE s.s_phone IS NOT NULL)) AS not_in,
       (SELECT count(*) FROM supplier s WHERE s.s_phone IN ('13-037', NULL, '16-074')) AS in_null,
       (SELECT count(*) FROM lineitem l WHERE l.l_shipmode <> ALL (ARRAY['AIR', NULL])) AS ne_all_null,
       (SELECT count(*) FROM orders o WHERE o.o_orderkey = ANY (ARRAY[3, 6, NULL, 4503]::bigint[])) AS any_array,
       (SELECT count(*) FROM orders o WHERE o.o_orderpriority = ANY ('{1-URGENT,5-LOW}'::text[])) AS any_text;

-- name: tpch_139
SELECT o.o_orderkey, o.o_totalprice
FROM orders o
WHERE o.o_totalprice > ALL (SELECT o2.o_totalprice FROM orders o2 WHERE o2.o_custkey = o.o_custkey AND o2.o_orderkey <> o.o_orderkey)
  AND o.o_custkey = ANY (SELECT c.c_custkey FROM customer c WHERE c.c_mktsegment = 'MACHINERY' AND c.c_acctbal > 5000)
ORDER BY o.o_orderkey;

-- name: tpch_140
SELECT n_nationkey AS k, n_regionkey AS v FROM nation WHERE n_nationkey < 5
UNION ALL
SELECT s_suppkey + 100, s_acctbal FROM supplier WHERE s_suppkey <= 5
UNION
SELECT o_orderkey + 10000, o_shippriority FROM orders WHERE o_orderkey <= 12
ORDER BY k;

-- name: tpch_141
SELECT c.c_custkey, c.c_nationkey
FROM customer c
WHERE EXISTS (SELECT 1 FROM orders o
              JOIN lineitem l ON l.l_orderkey = o.o_orderkey
              JOIN supplier s ON s.s_suppkey = l.l_suppkey
              WHERE o.o_custkey = c.c_custkey AND s.s_nationkey = c.c_nationkey)
  AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.o_custkey = c.c_custkey AND o.o_orderstatus = 'P')
ORDER BY c.c_custkey;

-- name: tpch_142
SELECT o.o_orderkey, c.c_name FROM orders o JOIN customer c ON c.c_custkey = o.o_custkey
ORDER BY o.o_totalprice DESC, o.o_orderkey LIMIT 0;

-- name: tpch_143
SELECT c_custkey, c_name, left(c_phone, 2) AS cc, right(c_phone, 4) AS tail,
       regexp_replace(c_name, '#0+', '#') AS short_name, split_part(c_address, ' ', 2)::int AS street_no,
       position('-' IN c_phone) AS dash, upper(left(c_mktsegment, 3)) || lower(right(c_mktsegment, 2)) AS seg
FROM customer
WHERE c_custkey % 23 = 1
ORDER BY right(c_phone, 4) DESC, c_custkey;

-- name: tpch_144
SELECT m::date AS month, extract(quarter FROM m) AS q, count(o.o_orderkey) AS orders,
       coalesce(sum(o.o_totalprice), 0) AS total, (m + interval '1 month' - interval '1 day')::date AS month_end
FROM generate_series(timestamp '1998-01-01', timestamp '1998-12-01', interval '1 month') AS m
LEFT JOIN orders o ON o.o_orderdate >= m AND o.o_orderdate < m + interval '1 month'
GROUP BY m
ORDER BY m;

-- name: tpch_145
SELECT l_orderkey, l_linenumber, l_shipdate, l_shipdate - o_orderdate AS ship_days,
       (o_orderdate + interval '1 month')::date AS plus_month, date_trunc('week', l_shipdate)::date AS ship_week,
       extract(isodow FROM l_shipdate) AS dow, (l_receiptdate - l_commitdate) * interval '1 day' AS late_by,
       age(l_receiptdate, o_orderdate) AS lifetime
FROM lineitem JOIN orders ON o_orderkey = l_orderkey
WHERE o_orderdate IN (date '1992-01-31', date '1996-02-29', date '1995-12-31')
ORDER BY l_orderkey, l_linenumber;

-- name: tpch_146
SELECT l_shipdate - l_commitdate > 0 AS shipped_late, (l_discount * 100)::int % 2 = 0 AS even_discount,
       count(*), sum(l_quantity), round(avg(l_tax), 4)
FROM lineitem
GROUP BY l_shipdate - l_commitdate > 0, (l_discount * 100)::int % 2 = 0
ORDER BY 1, 2;

-- name: tpch_147
SELECT n.n_name AS supp_nation, c.c_mktsegment,
       count(DISTINCT o.o_orderkey) AS orders,
       sum(l.l_extendedprice * (1 - l.l_discount) - ps.ps_supplycost * l.l_quantity) AS profit
FROM lineitem l
JOIN orders o ON o.o_orderkey = l.l_orderkey
JOIN customer c ON c.c_custkey = o.o_custkey
JOIN partsupp ps ON ps.ps_partkey = l.l_partkey AND ps.ps_suppkey = l.l_suppkey
JOIN part p ON p.p_partkey = ps.ps_partkey
JOIN supplier s ON s.s_suppkey = ps.ps_suppkey
JOIN nation n ON n.n_nationkey = s.s_nationkey
JOIN region r ON r.r_regionkey = n.n_regionkey
WHERE r.r_name IN ('EUROPE', 'AMERICA') AND p.p_type LIKE '%POLISHED%'
GROUP BY n.n_name, c.c_mktsegment
HAVING sum(l.l_quantity) > 100
ORDER BY profit DESC, n.n_name, c.c_mktsegment;
