-- Run on Basalt only, after data.sql: the rows move to the shards.
SELECT create_reference_table('plans');
SELECT create_reference_table('country_codes');
SELECT create_distributed_table('companies', 'company_id', shard_count => 8);
SELECT create_distributed_table('campaigns', 'company_id', colocate_with => 'companies');
SELECT create_distributed_table('ads', 'company_id', colocate_with => 'companies');
SELECT create_distributed_table('ad_clicks', 'company_id', colocate_with => 'companies');
SELECT create_distributed_table('company_users', 'company_id', colocate_with => 'companies');
SELECT create_distributed_table('company_notes', 'company_id', colocate_with => 'companies');
SELECT create_distributed_table('invoices', 'invoice_id', colocate_with => 'none', shard_count => 6);
