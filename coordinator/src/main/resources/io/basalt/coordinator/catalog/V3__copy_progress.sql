-- Progress of COPY commands running through the coordinator, one row per client backend
-- (its Basalt process id), refreshed about once a second while the COPY runs and removed when
-- it ends. Unlogged: it is a live view, worth nothing after a crash.
CREATE UNLOGGED TABLE basalt_internal.copy_progress (
  pid int PRIMARY KEY,
  relid oid NOT NULL,
  command text NOT NULL,
  type text NOT NULL,
  bytes_processed bigint NOT NULL,
  tuples_processed bigint NOT NULL,
  started_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

-- Shaped like pg_stat_progress_copy (PostgreSQL 14+), for COPY into or out of distributed and
-- reference tables.
CREATE VIEW pg_catalog.basalt_stat_progress_copy AS
  SELECT p.pid, d.oid AS datid, d.datname, p.relid, p.command, p.type, p.bytes_processed,
         0::bigint AS bytes_total, p.tuples_processed, 0::bigint AS tuples_excluded,
         p.started_at, p.updated_at
  FROM basalt_internal.copy_progress p
  CROSS JOIN pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database();
GRANT SELECT ON pg_catalog.basalt_stat_progress_copy TO PUBLIC;
