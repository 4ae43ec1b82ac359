CREATE TABLE public.orders_102013 (
  id bigint NOT NULL,
  customer_id bigint,
  other_id integer,
  other_code text,
  status text DEFAULT 'open'::text NOT NULL,
  qty integer,
  email text,
  during tstzrange
);

CREATE INDEX orders_cover_idx_102013 ON public.orders_102013 USING btree (customer_id DESC NULLS LAST) INCLUDE (qty) WITH (fillfactor='80');

CREATE INDEX orders_created_idx_102013 ON public.orders_102013 USING btree (status);

CREATE INDEX orders_hash_idx_102013 ON public.orders_102013 USING hash (email);

CREATE UNIQUE INDEX orders_lower_email_idx_102013 ON public.orders_102013 USING btree (lower(email));

CREATE INDEX orders_open_idx_102013 ON public.orders_102013 USING btree (customer_id) WHERE (status = 'open'::text);
