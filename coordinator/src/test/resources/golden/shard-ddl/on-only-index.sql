CREATE TABLE public.measurements_102014 (
  id bigint NOT NULL,
  at date NOT NULL,
  v real
);

CREATE INDEX measurements_at_idx_102014 ON ONLY public.measurements_102014 USING btree (at);
