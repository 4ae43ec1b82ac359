-- A small TPC-H-like schema: region and nation are reference tables; orders and lineitem are
-- co-located on the order key; part and partsupp on the part key; customer and supplier are
-- distributed by their keys.

CREATE TABLE region (
  r_regionkey int PRIMARY KEY,
  r_name text NOT NULL,
  r_comment text
);

CREATE TABLE nation (
  n_nationkey int PRIMARY KEY,
  n_name text NOT NULL,
  n_regionkey int NOT NULL,
  n_comment text
);

CREATE TABLE supplier (
  s_suppkey int PRIMARY KEY,
  s_name text NOT NULL,
  s_address text NOT NULL,
  s_nationkey int NOT NULL,
  s_phone text,
  s_acctbal numeric(12,2) NOT NULL,
  s_comment text
);

CREATE TABLE customer (
  c_custkey int PRIMARY KEY,
  c_name text NOT NULL,
  c_address text NOT NULL,
  c_nationkey int NOT NULL,
  c_phone text NOT NULL,
  c_acctbal numeric(12,2) NOT NULL,
  c_mktsegment text NOT NULL,
  c_comment text
);

CREATE TABLE part (
  p_partkey int PRIMARY KEY,
  p_name text NOT NULL,
  p_mfgr text NOT NULL,
  p_brand text NOT NULL,
  p_type text NOT NULL,
  p_size int NOT NULL,
  p_container text NOT NULL,
  p_retailprice numeric(12,2) NOT NULL,
  p_comment text
);

CREATE TABLE partsupp (
  ps_partkey int NOT NULL,
  ps_suppkey int NOT NULL,
  ps_availqty int NOT NULL,
  ps_supplycost numeric(12,2) NOT NULL,
  ps_comment text,
  PRIMARY KEY (ps_partkey, ps_suppkey)
);

CREATE TABLE orders (
  o_orderkey bigint PRIMARY KEY,
  o_custkey int NOT NULL,
  o_orderstatus char(1) NOT NULL,
  o_totalprice numeric(12,2) NOT NULL,
  o_orderdate date NOT NULL,
  o_orderpriority text NOT NULL,
  o_clerk text NOT NULL,
  o_shippriority int NOT NULL,
  o_comment text
);
CREATE INDEX orders_custkey_idx ON orders (o_custkey);

CREATE TABLE lineitem (
  l_orderkey bigint NOT NULL,
  l_partkey int NOT NULL,
  l_suppkey int NOT NULL,
  l_linenumber int NOT NULL,
  l_quantity numeric(12,2) NOT NULL,
  l_extendedprice numeric(12,2) NOT NULL,
  l_discount numeric(12,2) NOT NULL,
  l_tax numeric(12,2) NOT NULL,
  l_returnflag char(1) NOT NULL,
  l_linestatus char(1) NOT NULL,
  l_shipdate date NOT NULL,
  l_commitdate date NOT NULL,
  l_receiptdate date NOT NULL,
  l_shipinstruct text NOT NULL,
  l_shipmode text NOT NULL,
  l_comment text,
  PRIMARY KEY (l_orderkey, l_linenumber)
);
CREATE INDEX lineitem_partkey_idx ON lineitem (l_partkey);
