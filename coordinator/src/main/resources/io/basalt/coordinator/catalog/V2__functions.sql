-- Basalt catalog, version 2: functions and views over the catalog.
-- Functions that only read or change the coordinator database are plain SQL here and work in
-- any expression. Functions that must reach the workers (create_distributed_table, ...) are run
-- by the coordinator itself when called as a top-level SELECT; their pg_catalog entries below
-- give PostgreSQL their exact signature (so Parse, Describe and named arguments behave as on
-- Citus) and refuse to run anywhere else.

CREATE SCHEMA basalt_internal;
GRANT USAGE ON SCHEMA basalt_internal TO PUBLIC;

-- ---------------------------------------------------------------- versioning and invalidation

CREATE FUNCTION basalt_internal.bump_metadata_version() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  UPDATE pg_catalog.basalt_metadata_version SET version = version + 1;
  PERFORM pg_catalog.pg_notify('basalt_metadata', '');
  RETURN NULL;
END $$;

-- For changes the catalog tables do not show (a distributed table renamed): readers reload.
CREATE FUNCTION basalt_internal.metadata_changed() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  UPDATE pg_catalog.basalt_metadata_version SET version = version + 1;
  PERFORM pg_catalog.pg_notify('basalt_metadata', '');
END $$;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['pg_dist_node', 'pg_dist_partition', 'pg_dist_shard',
      'pg_dist_placement', 'pg_dist_colocation'] LOOP
    EXECUTE format('CREATE TRIGGER basalt_metadata_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE'
      ' ON pg_catalog.%I FOR EACH STATEMENT EXECUTE FUNCTION basalt_internal.bump_metadata_version()', t);
  END LOOP;
END $$;

-- ---------------------------------------------------------------- hashing and names

-- The type's default hash opclass support function 1, as PostgreSQL's type cache finds it:
-- domains use their base type, binary-coercible types (varchar) the opclass of their target.
CREATE FUNCTION basalt_internal.hash_proc(t regtype) RETURNS regproc
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
  WITH base AS (
    SELECT CASE WHEN ty.typtype = 'd' THEN ty.typbasetype ELSE ty.oid END AS oid
    FROM pg_type ty WHERE ty.oid = t
  ), bt AS (
    SELECT b.oid, ty.typtype, ty.typcategory FROM base b JOIN pg_type ty ON ty.oid = b.oid
  )
  SELECT p.amproc
  FROM bt, pg_opclass c
  JOIN pg_am a ON a.oid = c.opcmethod AND a.amname = 'hash'
  JOIN pg_amproc p ON p.amprocfamily = c.opcfamily AND p.amproclefttype = c.opcintype
    AND p.amprocrighttype = c.opcintype AND p.amprocnum = 1
  WHERE c.opcdefault
    AND (c.opcintype = bt.oid
      OR (bt.typtype = 'e' AND c.opcintype = 'anyenum'::regtype)
      OR (bt.typcategory = 'A' AND c.opcintype = 'anyarray'::regtype)
      OR EXISTS (SELECT 1 FROM pg_cast k WHERE k.castsource = bt.oid
                 AND k.casttarget = c.opcintype AND k.castmethod = 'b'))
  ORDER BY c.opcintype = bt.oid DESC
  LIMIT 1
$$;

-- The SQL expression that hashes arg (an expression of type t) exactly as Citus does: the hash
-- proc, with the few types whose proc takes a binary-compatible type converted explicitly.
CREATE FUNCTION basalt_internal.hash_call(t regtype, arg text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
DECLARE
  proc regproc := basalt_internal.hash_proc(t);
  base regtype := (SELECT CASE WHEN typtype = 'd' THEN typbasetype ELSE oid END
                   FROM pg_type WHERE oid = t);
BEGIN
  IF proc IS NULL THEN
    RAISE EXCEPTION 'could not identify a hash function for type %', format_type(t, NULL)
      USING ERRCODE = '42883';
  END IF;
  RETURN CASE base
    WHEN 'date'::regtype THEN format('pg_catalog.hashint4((%s)::date - date ''2000-01-01'')', arg)
    WHEN 'timestamptz'::regtype
      THEN format('pg_catalog.timestamp_hash((%s)::timestamptz AT TIME ZONE ''UTC'')', arg)
    WHEN 'boolean'::regtype THEN format('pg_catalog.hashchar((%s)::bool::int::"char")', arg)
    WHEN 'bytea'::regtype THEN format('basalt_internal.hash_bytea((%s)::bytea)', arg)
    ELSE format('%s((%s)::%s)', proc, arg, base)
  END;
END $$;

-- PostgreSQL's hash_bytes (Bob Jenkins' lookup3) over a bytea, which hashvarlena computes but
-- cannot be called from SQL.
CREATE FUNCTION basalt_internal.hash_bytea(v bytea) RETURNS int
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
  len int := length(v);
  a bigint := (2654435769 + len + 3923095) % 4294967296;
  b bigint := a;
  c bigint := a;
  i int := 0;
  m bigint := 4294967296;
  k int;
BEGIN
  WHILE len - i >= 12 LOOP
    a := (a + get_byte(v, i) + (get_byte(v, i+1)::bigint << 8) + (get_byte(v, i+2)::bigint << 16) + (get_byte(v, i+3)::bigint << 24)) % m;
    b := (b + get_byte(v, i+4) + (get_byte(v, i+5)::bigint << 8) + (get_byte(v, i+6)::bigint << 16) + (get_byte(v, i+7)::bigint << 24)) % m;
    c := (c + get_byte(v, i+8) + (get_byte(v, i+9)::bigint << 8) + (get_byte(v, i+10)::bigint << 16) + (get_byte(v, i+11)::bigint << 24)) % m;
    -- mix
    a := (a - c + m) % m; a := a # basalt_internal.rot(c, 4); c := (c + b) % m;
    b := (b - a + m) % m; b := b # basalt_internal.rot(a, 6); a := (a + c) % m;
    c := (c - b + m) % m; c := c # basalt_internal.rot(b, 8); b := (b + a) % m;
    a := (a - c + m) % m; a := a # basalt_internal.rot(c, 16); c := (c + b) % m;
    b := (b - a + m) % m; b := b # basalt_internal.rot(a, 19); a := (a + c) % m;
    c := (c - b + m) % m; c := c # basalt_internal.rot(b, 4); b := (b + a) % m;
    i := i + 12;
  END LOOP;
  k := len - i;
  IF k >= 11 THEN c := (c + (get_byte(v, i+10)::bigint << 24)) % m; END IF;
  IF k >= 10 THEN c := (c + (get_byte(v, i+9)::bigint << 16)) % m; END IF;
  IF k >= 9 THEN c := (c + (get_byte(v, i+8)::bigint << 8)) % m; END IF;
  IF k >= 8 THEN b := (b + (get_byte(v, i+7)::bigint << 24)) % m; END IF;
  IF k >= 7 THEN b := (b + (get_byte(v, i+6)::bigint << 16)) % m; END IF;
  IF k >= 6 THEN b := (b + (get_byte(v, i+5)::bigint << 8)) % m; END IF;
  IF k >= 5 THEN b := (b + get_byte(v, i+4)) % m; END IF;
  IF k >= 4 THEN a := (a + (get_byte(v, i+3)::bigint << 24)) % m; END IF;
  IF k >= 3 THEN a := (a + (get_byte(v, i+2)::bigint << 16)) % m; END IF;
  IF k >= 2 THEN a := (a + (get_byte(v, i+1)::bigint << 8)) % m; END IF;
  IF k >= 1 THEN a := (a + get_byte(v, i)) % m; END IF;
  -- final
  c := c # b; c := (c - basalt_internal.rot(b, 14) + m) % m;
  a := a # c; a := (a - basalt_internal.rot(c, 11) + m) % m;
  b := b # a; b := (b - basalt_internal.rot(a, 25) + m) % m;
  c := c # b; c := (c - basalt_internal.rot(b, 16) + m) % m;
  a := a # c; a := (a - basalt_internal.rot(c, 4) + m) % m;
  b := b # a; b := (b - basalt_internal.rot(a, 14) + m) % m;
  c := c # b; c := (c - basalt_internal.rot(b, 24) + m) % m;
  RETURN (CASE WHEN c >= 2147483648 THEN c - 4294967296 ELSE c END)::int;
END $$;

CREATE FUNCTION basalt_internal.rot(x bigint, k int) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT ((x << k) & 4294967295) | (x >> (32 - k))
$$;

-- A value given as text, hashed as a value of type t (get_shard_id_for_distribution_column).
CREATE FUNCTION basalt_internal.hash_value(value text, t regtype) RETURNS int
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
DECLARE h int;
BEGIN
  EXECUTE format('SELECT pg_catalog.worker_hash(($1)::%s)', t) INTO h USING value;
  RETURN h;
END $$;

CREATE FUNCTION pg_catalog.worker_hash(value anyelement) RETURNS int
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
DECLARE
  call text := basalt_internal.hash_call(pg_typeof(value), '$1');
  h int;
BEGIN
  IF value IS NULL THEN
    RETURN NULL;
  END IF;
  EXECUTE 'SELECT ' || call INTO h USING value;
  RETURN h;
END $$;

-- An untyped literal ('abc') is text, as in Citus.
CREATE FUNCTION pg_catalog.worker_hash(value text) RETURNS int
LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT pg_catalog.hashtext(value) $$;

-- Keeps a name within max_bytes bytes without splitting a multi-byte character.
CREATE FUNCTION basalt_internal.clip_bytes(s text, max_bytes int) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
BEGIN
  WHILE octet_length(s) > max_bytes LOOP
    s := left(s, -1);
  END LOOP;
  RETURN s;
END $$;

-- <name>_<shardid>; a name that would not fit in NAMEDATALEN (63 bytes) is clipped and made
-- unique with the hash of the whole name, as Citus does.
CREATE FUNCTION basalt_internal.shard_relname(relname text, shardid bigint) RETURNS text
LANGUAGE sql IMMUTABLE STRICT SET search_path = pg_catalog AS $$
  SELECT CASE
    WHEN octet_length(relname) + octet_length('_' || shardid) < 64 THEN relname || '_' || shardid
    ELSE basalt_internal.clip_bytes(relname, 54 - octet_length('_' || shardid))
         || '_' || lpad(to_hex(hashtext(relname)), 8, '0') || '_' || shardid
  END
$$;

CREATE FUNCTION pg_catalog.shard_name(object_name regclass, shard_id bigint) RETURNS text
LANGUAGE sql STABLE STRICT SET search_path = pg_catalog AS $$
  SELECT CASE WHEN n.nspname = 'public' THEN quote_ident(s.name)
              ELSE quote_ident(n.nspname) || '.' || quote_ident(s.name) END
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  CROSS JOIN LATERAL (SELECT basalt_internal.shard_relname(c.relname, shard_id) AS name) s
  WHERE c.oid = object_name
$$;

-- partkey holds a serialised Var like Citus's; these read it back.
CREATE FUNCTION basalt_internal.partkey_attnum(partkey text) RETURNS int
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT (regexp_match(partkey, ':varattno (-?\d+)'))[1]::int
$$;

CREATE FUNCTION pg_catalog.column_to_column_name(table_name regclass, column_var_text text)
RETURNS text LANGUAGE sql STABLE STRICT SET search_path = pg_catalog AS $$
  SELECT attname::text FROM pg_attribute
  WHERE attrelid = table_name AND attnum = basalt_internal.partkey_attnum(column_var_text)
$$;

CREATE FUNCTION basalt_internal.partition_column(table_name regclass) RETURNS pg_attribute
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
  SELECT a.* FROM pg_dist_partition p
  JOIN pg_attribute a ON a.attrelid = p.logicalrelid
    AND a.attnum = basalt_internal.partkey_attnum(p.partkey)
  WHERE p.logicalrelid = table_name
$$;

CREATE FUNCTION pg_catalog.get_shard_id_for_distribution_column(table_name regclass,
    distribution_value text DEFAULT NULL)
RETURNS bigint LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
DECLARE
  part pg_dist_partition;
  col pg_attribute;
  h int;
  result bigint;
BEGIN
  SELECT * INTO part FROM pg_dist_partition WHERE logicalrelid = table_name;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'relation % is not a distributed table', table_name
      USING ERRCODE = '22023';
  END IF;
  IF part.partmethod = 'n' THEN
    SELECT shardid INTO result FROM pg_dist_shard WHERE logicalrelid = table_name;
    RETURN result;
  END IF;
  IF distribution_value IS NULL THEN
    RAISE EXCEPTION 'distribution value cannot be NULL for tables other than reference tables.'
      USING ERRCODE = '22023';
  END IF;
  col := basalt_internal.partition_column(table_name);
  h := basalt_internal.hash_value(distribution_value, col.atttypid::regtype);
  SELECT shardid INTO result FROM pg_dist_shard
  WHERE logicalrelid = table_name
    AND h BETWEEN shardminvalue::int AND shardmaxvalue::int;
  RETURN result;
END $$;

CREATE FUNCTION pg_catalog.get_shard_id_for_distribution_column(table_name regclass,
    distribution_value anyelement)
RETURNS bigint LANGUAGE sql STABLE AS $$
  SELECT pg_catalog.get_shard_id_for_distribution_column(table_name, distribution_value::text)
$$;

-- ---------------------------------------------------------------- views

CREATE FUNCTION basalt_internal.citus_table_type(p pg_catalog.pg_dist_partition) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN p.partkey IS NOT NULL THEN 'distributed'
              WHEN p.repmodel = 't' THEN 'reference'
              WHEN p.colocationid = 0 THEN 'local'
              ELSE 'distributed' END
$$;

CREATE VIEW pg_catalog.pg_dist_shard_placement AS
  SELECT pl.shardid, pl.shardstate, pl.shardlength, n.nodename, n.nodeport, pl.placementid
  FROM pg_catalog.pg_dist_placement pl
  JOIN pg_catalog.pg_dist_node n ON n.groupid = pl.groupid AND n.noderole = 'primary';

-- table_size and shard_size are NULL: Basalt does not collect shard sizes from the workers yet.
CREATE VIEW pg_catalog.citus_tables AS
  SELECT p.logicalrelid AS table_name,
         basalt_internal.citus_table_type(p) AS citus_table_type,
         coalesce(pg_catalog.column_to_column_name(p.logicalrelid, p.partkey), '<none>')
           AS distribution_column,
         p.colocationid AS colocation_id,
         NULL::text AS table_size,
         (SELECT count(*) FROM pg_catalog.pg_dist_shard s WHERE s.logicalrelid = p.logicalrelid)
           AS shard_count,
         pg_catalog.pg_get_userbyid(c.relowner) AS table_owner,
         coalesce(am.amname, 'heap') AS access_method
  FROM pg_catalog.pg_dist_partition p
  JOIN pg_catalog.pg_class c ON c.oid = p.logicalrelid
  LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam
  ORDER BY p.logicalrelid::text;

CREATE VIEW pg_catalog.citus_shards AS
  SELECT s.logicalrelid AS table_name,
         s.shardid,
         pg_catalog.shard_name(s.logicalrelid, s.shardid) AS shard_name,
         basalt_internal.citus_table_type(p) AS citus_table_type,
         p.colocationid AS colocation_id,
         n.nodename,
         n.nodeport,
         NULL::bigint AS shard_size
  FROM pg_catalog.pg_dist_shard s
  JOIN pg_catalog.pg_dist_partition p ON p.logicalrelid = s.logicalrelid
  JOIN pg_catalog.pg_dist_placement pl ON pl.shardid = s.shardid
  JOIN pg_catalog.pg_dist_node n ON n.groupid = pl.groupid AND n.noderole = 'primary'
  ORDER BY s.logicalrelid::text, s.shardid, n.nodename, n.nodeport;

GRANT SELECT ON pg_catalog.pg_dist_shard_placement, pg_catalog.citus_tables,
  pg_catalog.citus_shards TO PUBLIC;

-- ---------------------------------------------------------------- nodes

CREATE FUNCTION basalt_internal.ensure_superuser() RETURNS void
LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF NOT (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN
    RAISE EXCEPTION 'operation is not allowed' USING ERRCODE = '42501',
      HINT = 'Run the command with a superuser.';
  END IF;
END $$;

CREATE FUNCTION pg_catalog.citus_get_active_worker_nodes(OUT node_name text, OUT node_port bigint)
RETURNS SETOF record LANGUAGE sql STABLE AS $$
  SELECT nodename, nodeport::bigint FROM pg_catalog.pg_dist_node
  WHERE isactive AND noderole = 'primary' AND groupid <> 0
  ORDER BY nodename, nodeport
$$;

CREATE FUNCTION pg_catalog.citus_is_coordinator() RETURNS bool
LANGUAGE sql STABLE AS $$ SELECT true $$;

CREATE FUNCTION pg_catalog.citus_version() RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT 'Basalt 0.1 (Citus 13 compatible API) on ' || version() $$;

CREATE FUNCTION basalt_internal.node_or_error(name text, port int) RETURNS pg_catalog.pg_dist_node
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
DECLARE n pg_dist_node;
BEGIN
  SELECT * INTO n FROM pg_dist_node WHERE nodename = name AND nodeport = port;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'node at "%:%" does not exist', name, port USING ERRCODE = '22023';
  END IF;
  RETURN n;
END $$;

CREATE FUNCTION pg_catalog.citus_remove_node(nodename text, nodeport int) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
  n pg_dist_node;
  only_shard bigint;
BEGIN
  PERFORM basalt_internal.ensure_superuser();
  n := basalt_internal.node_or_error(nodename, nodeport);
  SELECT pl.shardid INTO only_shard FROM pg_dist_placement pl
  WHERE pl.groupid = n.groupid
    AND NOT EXISTS (SELECT 1 FROM pg_dist_placement o
                    WHERE o.shardid = pl.shardid AND o.groupid <> n.groupid)
  ORDER BY pl.shardid LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'cannot remove or disable the node %:% because because it contains the only shard placement for shard %',
      nodename, nodeport, only_shard USING ERRCODE = '0A000',
      DETAIL = 'One of the table(s) that prevents the operation complete successfully is '
        || (SELECT logicalrelid::text FROM pg_dist_shard WHERE shardid = only_shard),
      HINT = 'To proceed, either drop the tables or use undistribute_table() function to convert them to local tables';
  END IF;
  -- Remaining placements there are replicas (reference tables): drop them with the node.
  INSERT INTO pg_dist_cleanup (object_type, object_name, node_group_id, policy_type)
    SELECT 1, quote_ident(ns.nspname) || '.' || quote_ident(basalt_internal.shard_relname(c.relname, s.shardid)),
           n.groupid, 2
    FROM pg_dist_placement pl
    JOIN pg_dist_shard s ON s.shardid = pl.shardid
    JOIN pg_class c ON c.oid = s.logicalrelid
    JOIN pg_namespace ns ON ns.oid = c.relnamespace
    WHERE pl.groupid = n.groupid;
  DELETE FROM pg_dist_placement WHERE groupid = n.groupid;
  DELETE FROM pg_dist_node WHERE nodeid = n.nodeid;
END $$;

CREATE FUNCTION pg_catalog.master_remove_node(nodename text, nodeport int) RETURNS void
LANGUAGE sql AS $$ SELECT pg_catalog.citus_remove_node(nodename, nodeport) $$;

CREATE FUNCTION pg_catalog.citus_set_node_property(nodename text, nodeport int,
    property text, value boolean) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE n pg_dist_node;
BEGIN
  PERFORM basalt_internal.ensure_superuser();
  n := basalt_internal.node_or_error(nodename, nodeport);
  IF lower(property) <> 'shouldhaveshards' THEN
    RAISE EXCEPTION 'only the ''shouldhaveshards'' property can be set using this function'
      USING ERRCODE = '22023';
  END IF;
  UPDATE pg_dist_node SET shouldhaveshards = value WHERE nodeid = n.nodeid;
END $$;

CREATE FUNCTION pg_catalog.citus_set_coordinator_host(host text,
    port int DEFAULT current_setting('port')::int,
    node_role pg_catalog.noderole DEFAULT 'primary', node_cluster name DEFAULT 'default')
RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
  PERFORM basalt_internal.ensure_superuser();
  IF EXISTS (SELECT 1 FROM pg_dist_node WHERE groupid = 0) THEN
    UPDATE pg_dist_node SET nodename = host, nodeport = port WHERE groupid = 0;
  ELSE
    INSERT INTO pg_dist_node (groupid, nodename, nodeport, noderole, nodecluster,
        shouldhaveshards, hasmetadata, metadatasynced)
      VALUES (0, host, port, node_role, node_cluster, false, true, true);
  END IF;
END $$;

-- ---------------------------------------------------------------- tables

CREATE FUNCTION pg_catalog.truncate_local_data_after_distributing_table(function_name regclass)
RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = function_name) THEN
    RAISE EXCEPTION 'supplied parameter is not a distributed relation'
      USING ERRCODE = '22023',
      DETAIL = 'This UDF only truncates local records of distributed tables.';
  END IF;
  IF EXISTS (SELECT 1 FROM pg_constraint c
             WHERE c.contype = 'f' AND c.confrelid = function_name
               AND NOT EXISTS (SELECT 1 FROM pg_dist_partition p WHERE p.logicalrelid = c.conrelid)) THEN
    RAISE EXCEPTION 'cannot truncate a table referenced in a foreign key constraint by a local table'
      USING ERRCODE = '0A000';
  END IF;
  -- Basalt moves the rows into the shards when distributing, so normally nothing is left.
  EXECUTE format('TRUNCATE ONLY %s', function_name);
END $$;

CREATE FUNCTION basalt_internal.reject_shell_write() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'cannot write to the local table of distributed table %.%',
      quote_ident(TG_TABLE_SCHEMA), quote_ident(TG_TABLE_NAME)
    USING ERRCODE = '0A000',
    HINT = 'Its rows live in its shards; write through the Basalt coordinator.';
END $$;

-- Catalog changes for a table being distributed. Run by the coordinator inside the caller's
-- transaction, after its own validation; checks ownership again so a direct call cannot be used
-- to mark someone else's table. ranges: [{"min": "..", "max": "..", "groups": [g, ...]}, ...].
CREATE FUNCTION basalt_internal.register_table(relid regclass, method "char", key text,
    colocation int, model "char", ranges jsonb) RETURNS bigint[]
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
  r jsonb;
  g jsonb;
  sid bigint;
  ids bigint[] := '{}';
  -- citus.next_shard_id, when set, overrides the sequence (the coordinator advances it).
  next_id bigint := nullif(current_setting('citus.next_shard_id', true), '')::bigint;
BEGIN
  IF NOT pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = relid), 'MEMBER') THEN
    RAISE EXCEPTION 'must be owner of table %', relid USING ERRCODE = '42501';
  END IF;
  INSERT INTO pg_dist_partition (logicalrelid, partmethod, partkey, colocationid, repmodel)
    VALUES (relid, method, key, colocation, model);
  -- The shell keeps the definition only: a write reaching it by any path fails instead of
  -- being lost where no query would find it.
  EXECUTE format('CREATE TRIGGER basalt_shell_guard BEFORE INSERT OR UPDATE OR DELETE ON %s'
    ' FOR EACH STATEMENT EXECUTE FUNCTION basalt_internal.reject_shell_write()', relid);
  FOR r IN SELECT * FROM jsonb_array_elements(ranges) LOOP
    IF next_id IS NOT NULL AND next_id > 0 THEN
      sid := next_id;
      next_id := next_id + 1;
    ELSE
      sid := nextval('pg_dist_shardid_seq');
    END IF;
    ids := ids || sid;
    INSERT INTO pg_dist_shard (logicalrelid, shardid, shardstorage, shardminvalue, shardmaxvalue)
      VALUES (relid, sid, 't', r->>'min', r->>'max');
    FOR g IN SELECT * FROM jsonb_array_elements(r->'groups') LOOP
      INSERT INTO pg_dist_placement (shardid, shardstate, shardlength, groupid)
        VALUES (sid, 1, 0, g::int);
    END LOOP;
  END LOOP;
  RETURN ids;
END $$;

-- The co-location group for a new table: an existing one with the same layout ('default'), or
-- a new one. Serialised by an advisory lock so concurrent creates agree.
CREATE FUNCTION basalt_internal.colocation_group(shards int, replication int, coltype oid,
    colcollation oid, reuse bool) RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE id int;
BEGIN
  PERFORM pg_advisory_xact_lock(7466, 1);
  IF reuse THEN
    SELECT colocationid INTO id FROM pg_dist_colocation
    WHERE shardcount = shards AND replicationfactor = replication
      AND distributioncolumntype = coltype AND distributioncolumncollation = colcollation
    ORDER BY colocationid LIMIT 1;
    IF FOUND THEN
      RETURN id;
    END IF;
  END IF;
  id := nextval('pg_dist_colocationid_seq');
  INSERT INTO pg_dist_colocation VALUES (id, shards, replication, coltype, colcollation);
  RETURN id;
END $$;

-- Removes a table's metadata and queues its shards for dropping (after this transaction
-- commits). Used when a table is dropped and by undistribute_table.
CREATE FUNCTION basalt_internal.forget_table(relid oid, nsp text, rel text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE colocation int;
BEGIN
  SELECT colocationid INTO colocation FROM pg_dist_partition WHERE logicalrelid = relid;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  INSERT INTO pg_dist_cleanup (object_type, object_name, node_group_id, policy_type)
    SELECT 1, quote_ident(nsp) || '.' || quote_ident(basalt_internal.shard_relname(rel, s.shardid)),
           pl.groupid, 2
    FROM pg_dist_shard s JOIN pg_dist_placement pl ON pl.shardid = s.shardid
    WHERE s.logicalrelid = relid;
  DELETE FROM pg_dist_placement
    WHERE shardid IN (SELECT shardid FROM pg_dist_shard WHERE logicalrelid = relid);
  DELETE FROM pg_dist_shard WHERE logicalrelid = relid;
  DELETE FROM pg_dist_partition WHERE logicalrelid = relid;
  IF colocation <> 0 AND NOT EXISTS (SELECT 1 FROM pg_dist_partition WHERE colocationid = colocation) THEN
    DELETE FROM pg_dist_colocation WHERE colocationid = colocation;
  END IF;
END $$;
REVOKE EXECUTE ON FUNCTION basalt_internal.forget_table(oid, text, text) FROM PUBLIC;

CREATE FUNCTION basalt_internal.undistribute(relid regclass) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  IF NOT pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = relid), 'MEMBER') THEN
    RAISE EXCEPTION 'must be owner of table %', relid USING ERRCODE = '42501';
  END IF;
  PERFORM basalt_internal.forget_table(relid, n.nspname, c.relname)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = relid;
  EXECUTE format('DROP TRIGGER IF EXISTS basalt_shell_guard ON %s', relid);
END $$;

CREATE FUNCTION basalt_internal.on_sql_drop() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE d record;
BEGIN
  FOR d IN SELECT * FROM pg_event_trigger_dropped_objects()
           WHERE object_type IN ('table', 'foreign table') LOOP
    PERFORM basalt_internal.forget_table(d.objid, d.schema_name, d.object_name);
  END LOOP;
END $$;
CREATE EVENT TRIGGER basalt_sql_drop ON sql_drop EXECUTE FUNCTION basalt_internal.on_sql_drop();

-- The commit record of a two-phase commit: present if and only if the distributed transaction
-- committed, because it commits with the coordinator database's own transaction.
CREATE FUNCTION basalt_internal.record_prepared(groupid int, gid text) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$
  INSERT INTO pg_dist_transaction (groupid, gid) VALUES (groupid, gid)
$$;

-- ---------------------------------------------------------------- functions the coordinator runs

CREATE FUNCTION basalt_internal.coordinator_only(fn text) RETURNS int
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% can only be called as a top-level statement through the Basalt coordinator', fn
    USING ERRCODE = '0A000',
    HINT = format('Run it on its own: SELECT %s(...);', fn);
END $$;

-- Each function below has three entries with one signature: pg_catalog.F (what clients see),
-- basalt_internal.args_F (the coordinator evaluates the call's arguments with it, so defaults,
-- named arguments, casts and $n parameters behave exactly as PostgreSQL's) and
-- basalt_internal.result_F (the coordinator returns its result through it, so the client gets
-- PostgreSQL's own formatting of the call's result). The result comes in the session setting
-- basalt.result as JSON.
CREATE FUNCTION pg_catalog.create_distributed_table(table_name regclass, distribution_column text,
    distribution_type citus.distribution_type DEFAULT 'hash', colocate_with text DEFAULT 'default',
    shard_count int DEFAULT NULL) RETURNS void
LANGUAGE sql AS $$ SELECT basalt_internal.coordinator_only('create_distributed_table') $$;
CREATE FUNCTION basalt_internal.args_create_distributed_table(table_name regclass,
    distribution_column text, distribution_type citus.distribution_type DEFAULT 'hash',
    colocate_with text DEFAULT 'default', shard_count int DEFAULT NULL) RETURNS jsonb
LANGUAGE sql AS $$
  SELECT jsonb_build_object('table', table_name::oid, 'column', distribution_column,
    'type', distribution_type, 'colocate_with', colocate_with, 'shard_count', shard_count)
$$;
CREATE FUNCTION basalt_internal.result_create_distributed_table(table_name regclass,
    distribution_column text, distribution_type citus.distribution_type DEFAULT 'hash',
    colocate_with text DEFAULT 'default', shard_count int DEFAULT NULL) RETURNS void
LANGUAGE sql AS $$ SELECT $$;

CREATE FUNCTION pg_catalog.create_reference_table(table_name regclass) RETURNS void
LANGUAGE sql AS $$ SELECT basalt_internal.coordinator_only('create_reference_table') $$;
CREATE FUNCTION basalt_internal.args_create_reference_table(table_name regclass) RETURNS jsonb
LANGUAGE sql AS $$ SELECT jsonb_build_object('table', table_name::oid) $$;
CREATE FUNCTION basalt_internal.result_create_reference_table(table_name regclass) RETURNS void
LANGUAGE sql AS $$ SELECT $$;

CREATE FUNCTION pg_catalog.undistribute_table(table_name regclass,
    cascade_via_foreign_keys boolean DEFAULT false) RETURNS void
LANGUAGE sql AS $$ SELECT basalt_internal.coordinator_only('undistribute_table') $$;
CREATE FUNCTION basalt_internal.args_undistribute_table(table_name regclass,
    cascade_via_foreign_keys boolean DEFAULT false) RETURNS jsonb
LANGUAGE sql AS $$
  SELECT jsonb_build_object('table', table_name::oid, 'cascade', cascade_via_foreign_keys)
$$;
CREATE FUNCTION basalt_internal.result_undistribute_table(table_name regclass,
    cascade_via_foreign_keys boolean DEFAULT false) RETURNS void
LANGUAGE sql AS $$ SELECT $$;

CREATE FUNCTION pg_catalog.citus_add_node(nodename text, nodeport int, groupid int DEFAULT -1,
    noderole pg_catalog.noderole DEFAULT 'primary', nodecluster name DEFAULT 'default')
RETURNS int LANGUAGE sql AS $$ SELECT basalt_internal.coordinator_only('citus_add_node') $$;
CREATE FUNCTION basalt_internal.args_citus_add_node(nodename text, nodeport int,
    groupid int DEFAULT -1, noderole pg_catalog.noderole DEFAULT 'primary',
    nodecluster name DEFAULT 'default') RETURNS jsonb
LANGUAGE sql AS $$
  SELECT jsonb_build_object('name', nodename, 'port', nodeport, 'group', groupid,
    'role', noderole, 'cluster', nodecluster)
$$;
CREATE FUNCTION basalt_internal.result_citus_add_node(nodename text, nodeport int,
    groupid int DEFAULT -1, noderole pg_catalog.noderole DEFAULT 'primary',
    nodecluster name DEFAULT 'default') RETURNS int
LANGUAGE sql AS $$ SELECT current_setting('basalt.result')::jsonb::int $$;

CREATE FUNCTION pg_catalog.master_add_node(nodename text, nodeport int, groupid int DEFAULT -1,
    noderole pg_catalog.noderole DEFAULT 'primary', nodecluster name DEFAULT 'default')
RETURNS int LANGUAGE sql AS $$ SELECT basalt_internal.coordinator_only('master_add_node') $$;
CREATE FUNCTION basalt_internal.args_master_add_node(nodename text, nodeport int,
    groupid int DEFAULT -1, noderole pg_catalog.noderole DEFAULT 'primary',
    nodecluster name DEFAULT 'default') RETURNS jsonb
LANGUAGE sql AS $$
  SELECT basalt_internal.args_citus_add_node(nodename, nodeport, groupid, noderole, nodecluster)
$$;
CREATE FUNCTION basalt_internal.result_master_add_node(nodename text, nodeport int,
    groupid int DEFAULT -1, noderole pg_catalog.noderole DEFAULT 'primary',
    nodecluster name DEFAULT 'default') RETURNS int
LANGUAGE sql AS $$ SELECT current_setting('basalt.result')::jsonb::int $$;

CREATE FUNCTION pg_catalog.citus_check_cluster_node_health(OUT from_nodename text,
    OUT from_nodeport int, OUT to_nodename text, OUT to_nodeport int, OUT result bool)
RETURNS SETOF record LANGUAGE sql AS $$
  SELECT NULL::text, NULL::int, NULL::text, NULL::int, NULL::bool
  FROM basalt_internal.coordinator_only('citus_check_cluster_node_health')
$$;
CREATE FUNCTION basalt_internal.args_citus_check_cluster_node_health() RETURNS jsonb
LANGUAGE sql AS $$ SELECT '{}'::jsonb $$;
CREATE FUNCTION basalt_internal.result_citus_check_cluster_node_health(OUT from_nodename text,
    OUT from_nodeport int, OUT to_nodename text, OUT to_nodeport int, OUT result bool)
RETURNS SETOF record LANGUAGE sql AS $$
  SELECT r->>0, (r->>1)::int, r->>2, (r->>3)::int, (r->>4)::bool
  FROM jsonb_array_elements(current_setting('basalt.result')::jsonb) r
$$;

CREATE FUNCTION pg_catalog.recover_prepared_transactions() RETURNS int
LANGUAGE sql AS $$
  SELECT basalt_internal.coordinator_only('recover_prepared_transactions')
$$;
CREATE FUNCTION basalt_internal.args_recover_prepared_transactions() RETURNS jsonb
LANGUAGE sql AS $$ SELECT '{}'::jsonb $$;
CREATE FUNCTION basalt_internal.result_recover_prepared_transactions() RETURNS int
LANGUAGE sql AS $$ SELECT current_setting('basalt.result')::jsonb::int $$;

-- citus.* settings: defaults for every new session of this database, so SHOW works before SET.
DO $$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET citus.shard_count = 32', current_database());
  EXECUTE format('ALTER DATABASE %I SET citus.shard_replication_factor = 1', current_database());
  EXECUTE format('ALTER DATABASE %I SET citus.next_shard_id = 0', current_database());
  EXECUTE format('ALTER DATABASE %I SET citus.enable_ddl_propagation = on', current_database());
END $$;
