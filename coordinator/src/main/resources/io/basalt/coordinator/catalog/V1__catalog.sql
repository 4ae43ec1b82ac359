-- Basalt catalog, version 1: Citus's pg_dist_* tables with Citus's column names, order and
-- meanings (see docs/catalog.md). They live in pg_catalog, as Citus's do, so every role finds
-- them on its search_path; writing them needs allow_system_table_mods, which this migration
-- sets for its own transaction only. Users read them; Basalt changes them through the
-- SECURITY DEFINER functions in schema basalt_internal (created by V2), which check privileges.

CREATE TYPE pg_catalog.noderole AS ENUM ('primary', 'secondary', 'unavailable');
CREATE SCHEMA citus;
CREATE TYPE citus.distribution_type AS ENUM ('hash', 'range', 'append');
GRANT USAGE ON SCHEMA citus TO PUBLIC;

CREATE SEQUENCE pg_catalog.pg_dist_nodeid_seq MINVALUE 1;
CREATE SEQUENCE pg_catalog.pg_dist_groupid_seq MINVALUE 1;
CREATE SEQUENCE pg_catalog.pg_dist_shardid_seq MINVALUE 102008 NO CYCLE;
CREATE SEQUENCE pg_catalog.pg_dist_placement_placementid_seq MINVALUE 1 NO CYCLE;
CREATE SEQUENCE pg_catalog.pg_dist_colocationid_seq MINVALUE 1 MAXVALUE 4294967296;

CREATE TABLE pg_catalog.pg_dist_node (
  nodeid int NOT NULL DEFAULT nextval('pg_catalog.pg_dist_nodeid_seq') PRIMARY KEY,
  groupid int NOT NULL DEFAULT nextval('pg_catalog.pg_dist_groupid_seq'),
  nodename text NOT NULL,
  nodeport int NOT NULL DEFAULT 5432,
  noderack text NOT NULL DEFAULT 'default',
  hasmetadata bool NOT NULL DEFAULT false,
  isactive bool NOT NULL DEFAULT true,
  noderole pg_catalog.noderole NOT NULL DEFAULT 'primary',
  nodecluster name NOT NULL DEFAULT 'default',
  metadatasynced bool NOT NULL DEFAULT false,
  shouldhaveshards bool NOT NULL DEFAULT true,
  nodeisclone bool NOT NULL DEFAULT false,
  nodeprimarynodeid int NOT NULL DEFAULT 0,
  UNIQUE (nodename, nodeport),
  CONSTRAINT primaries_are_only_allowed_in_the_default_cluster
    CHECK (NOT (nodecluster <> 'default' AND noderole = 'primary'))
);

CREATE TABLE pg_catalog.pg_dist_local_group (groupid int NOT NULL PRIMARY KEY);
INSERT INTO pg_catalog.pg_dist_local_group VALUES (0);

CREATE TABLE pg_catalog.pg_dist_colocation (
  colocationid int NOT NULL PRIMARY KEY,
  shardcount int NOT NULL,
  replicationfactor int NOT NULL,
  distributioncolumntype oid NOT NULL,
  distributioncolumncollation oid NOT NULL
);
CREATE INDEX pg_dist_colocation_configuration_index ON pg_catalog.pg_dist_colocation
  (shardcount, replicationfactor, distributioncolumntype, distributioncolumncollation);

-- partkey: Citus stores a serialised Var; Basalt stores the column's name (issue-compatible
-- meaning: "which column"), and the attribute number, type and collation are derived from the
-- shell table. column_to_column_name(logicalrelid, partkey) returns it either way.
CREATE TABLE pg_catalog.pg_dist_partition (
  logicalrelid regclass NOT NULL PRIMARY KEY,
  partmethod "char" NOT NULL,
  partkey text,
  colocationid int NOT NULL DEFAULT 0,
  repmodel "char" NOT NULL DEFAULT 'c',
  autoconverted bool NOT NULL DEFAULT false
);
CREATE INDEX pg_dist_partition_colocationid_index ON pg_catalog.pg_dist_partition (colocationid);

CREATE TABLE pg_catalog.pg_dist_shard (
  logicalrelid regclass NOT NULL,
  shardid bigint NOT NULL,
  shardstorage "char" NOT NULL,
  shardalias_dropped text,
  shardminvalue text,
  shardmaxvalue text
);
-- Citus's 4th column was dropped physically; keep the same attribute numbers.
ALTER TABLE pg_catalog.pg_dist_shard DROP COLUMN shardalias_dropped;
CREATE UNIQUE INDEX pg_dist_shard_shardid_index ON pg_catalog.pg_dist_shard (shardid);
CREATE INDEX pg_dist_shard_logical_relid_index ON pg_catalog.pg_dist_shard (logicalrelid);

CREATE TABLE pg_catalog.pg_dist_placement (
  placementid bigint NOT NULL DEFAULT nextval('pg_catalog.pg_dist_placement_placementid_seq')
    PRIMARY KEY,
  shardid bigint NOT NULL,
  shardstate int NOT NULL DEFAULT 1,
  shardlength bigint NOT NULL DEFAULT 0,
  groupid int NOT NULL,
  UNIQUE (shardid, groupid)
);
CREATE INDEX pg_dist_placement_groupid_index ON pg_catalog.pg_dist_placement (groupid);

CREATE TABLE pg_catalog.pg_dist_transaction (
  groupid int NOT NULL,
  gid text NOT NULL,
  outer_xid xid8,
  UNIQUE (groupid, gid)
);
CREATE INDEX pg_dist_transaction_group_index ON pg_catalog.pg_dist_transaction (groupid);

-- Shards whose table is gone (DROP TABLE, DROP SCHEMA ... CASCADE, a failed create) wait here
-- until Basalt has dropped them on their worker. object_type 1 = shard placement;
-- policy_type 2 = deferred on success (the row commits with the drop).
CREATE SEQUENCE pg_catalog.pg_dist_cleanup_recordid_seq;
CREATE SEQUENCE pg_catalog.pg_dist_operationid_seq;
CREATE TABLE pg_catalog.pg_dist_cleanup (
  record_id bigint NOT NULL DEFAULT nextval('pg_catalog.pg_dist_cleanup_recordid_seq')
    PRIMARY KEY,
  operation_id bigint NOT NULL DEFAULT nextval('pg_catalog.pg_dist_operationid_seq'),
  object_type int NOT NULL,
  object_name text NOT NULL,
  node_group_id int NOT NULL,
  policy_type int NOT NULL
);

CREATE TABLE pg_catalog.pg_dist_node_metadata (metadata jsonb NOT NULL);
INSERT INTO pg_catalog.pg_dist_node_metadata
  VALUES (jsonb_build_object('server_id', gen_random_uuid()::text, 'last_upgrade_version', 'basalt-1'));

-- Bumped by a statement trigger on every catalog table, so a reader can tell which snapshot of
-- the catalog it holds and keep the newest.
CREATE TABLE pg_catalog.basalt_metadata_version (version bigint NOT NULL);
INSERT INTO pg_catalog.basalt_metadata_version VALUES (1);

GRANT SELECT ON pg_catalog.pg_dist_node, pg_catalog.pg_dist_local_group,
  pg_catalog.pg_dist_colocation, pg_catalog.pg_dist_partition, pg_catalog.pg_dist_shard,
  pg_catalog.pg_dist_placement, pg_catalog.pg_dist_transaction, pg_catalog.pg_dist_cleanup,
  pg_catalog.pg_dist_node_metadata, pg_catalog.basalt_metadata_version TO PUBLIC;
