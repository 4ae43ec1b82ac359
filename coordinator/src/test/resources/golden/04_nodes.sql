-- Node management.
SET citus.shard_count TO 2;
SET citus.next_shard_id TO 106000;
-- adding a registered node returns its id
SELECT nodeid AS worker_1_id FROM pg_dist_node WHERE nodeport = :worker_1_port \gset
SELECT citus_add_node('localhost', :worker_1_port) AS added \gset
SELECT :added = :worker_1_id AS same_id;
SELECT master_add_node('localhost', :worker_2_port) AS added \gset
SELECT :added = nodeid AS same_id FROM pg_dist_node WHERE nodeport = :worker_2_port;
-- only at top level
SELECT citus_add_node('localhost', :worker_1_port) = 1;
SELECT citus_add_node('localhost', 1);
SELECT * FROM citus_check_cluster_node_health();
SELECT citus_set_node_property('localhost', :worker_2_port, 'shouldhaveshards', false);
SELECT citus_set_node_property('localhost', :worker_2_port, 'isactive', false);
SELECT citus_set_node_property('localhost', 2, 'shouldhaveshards', false);
CREATE TABLE only_on_one (k int);
SELECT create_distributed_table('only_on_one', 'k');
SELECT nodeport, count(*) FROM citus_shards WHERE table_name = 'only_on_one'::regclass GROUP BY 1;
SELECT citus_set_node_property('localhost', :worker_2_port, 'shouldhaveshards', true);
SELECT citus_remove_node('localhost', :worker_1_port);
SELECT citus_set_coordinator_host('localhost', 5432);
SELECT groupid, nodename, nodeport, shouldhaveshards FROM pg_dist_node WHERE groupid = 0;
SELECT * FROM citus_get_active_worker_nodes() ORDER BY node_port;
DELETE FROM pg_dist_node WHERE groupid = 0;
SET ROLE md5_user;
SELECT citus_set_node_property('localhost', :worker_2_port, 'shouldhaveshards', false);
SELECT citus_add_node('localhost', 2);
RESET ROLE;
DROP TABLE only_on_one;
SELECT nodeport, shouldhaveshards FROM pg_dist_node ORDER BY nodeport;
