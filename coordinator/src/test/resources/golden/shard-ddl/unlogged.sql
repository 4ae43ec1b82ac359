CREATE UNLOGGED TABLE public.cache_entries_102012 (
  key text NOT NULL,
  value bytea
) WITH (fillfactor=70, autovacuum_enabled=false, toast_tuple_target=256);
