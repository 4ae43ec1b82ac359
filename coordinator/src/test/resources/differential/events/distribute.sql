-- Run on Basalt only, after data.sql: the rows move to the shards.
SELECT create_reference_table('analytics.device_types');
SELECT create_distributed_table('analytics.users', 'user_id');
SELECT create_distributed_table('analytics.sessions', 'user_id', colocate_with => 'analytics.users');
SELECT create_distributed_table('analytics.events', 'user_id', colocate_with => 'analytics.users');
SELECT create_distributed_table('analytics.archived_events', 'user_id', colocate_with => 'analytics.users');
SELECT create_distributed_table('analytics.devices', 'device_id', shard_count => 4);
