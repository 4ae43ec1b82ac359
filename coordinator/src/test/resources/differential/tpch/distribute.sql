-- Run on Basalt only, after data.sql: the rows move to the shards.
SELECT create_reference_table('region');
SELECT create_reference_table('nation');
SELECT create_distributed_table('orders', 'o_orderkey', shard_count => 16);
SELECT create_distributed_table('lineitem', 'l_orderkey', colocate_with => 'orders');
SELECT create_distributed_table('customer', 'c_custkey');
SELECT create_distributed_table('supplier', 's_suppkey', colocate_with => 'customer');
SELECT create_distributed_table('part', 'p_partkey', colocate_with => 'none', shard_count => 8);
SELECT create_distributed_table('partsupp', 'ps_partkey', colocate_with => 'part');
