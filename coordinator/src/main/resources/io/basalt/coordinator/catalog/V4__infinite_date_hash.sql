-- Dates hash as PostgreSQL's date_hash does: hashint4 of the day number since 2000-01-01, and
-- for the infinite dates of their stored values (INT32_MAX, INT32_MIN); V2 subtracted, which
-- fails for infinite dates.
CREATE OR REPLACE FUNCTION basalt_internal.hash_call(t regtype, arg text) RETURNS text
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
    WHEN 'date'::regtype THEN format('pg_catalog.hashint4(CASE (%1$s)::date'
      || ' WHEN ''infinity'' THEN 2147483647 WHEN ''-infinity'' THEN -2147483648'
      || ' ELSE (%1$s)::date - date ''2000-01-01'' END)', arg)
    WHEN 'timestamptz'::regtype
      THEN format('pg_catalog.timestamp_hash((%s)::timestamptz AT TIME ZONE ''UTC'')', arg)
    WHEN 'boolean'::regtype THEN format('pg_catalog.hashchar((%s)::bool::int::"char")', arg)
    WHEN 'bytea'::regtype THEN format('basalt_internal.hash_bytea((%s)::bytea)', arg)
    ELSE format('%s((%s)::%s)', proc, arg, base)
  END;
END $$;
