-- The commit records of one two-phase commit in one call. V2's record_prepared is an SQL
-- function called once per participant: PostgreSQL parses and plans an SQL function's body at
-- every call, which showed in the coordinator database's CPU profile of TPC-B. PL/pgSQL keeps
-- the INSERT's plan for the session.
CREATE FUNCTION basalt_internal.record_prepared(groupids int[], gids text[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  INSERT INTO pg_dist_transaction (groupid, gid)
    SELECT g, t FROM unnest(groupids, gids) AS r(g, t);
END $$;

-- The per-participant form has no caller any more.
DROP FUNCTION basalt_internal.record_prepared(int, text);
