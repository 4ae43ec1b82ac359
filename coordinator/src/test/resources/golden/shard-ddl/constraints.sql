CREATE TABLE public.orders_102008 (
  id bigint NOT NULL,
  customer_id bigint,
  other_id integer,
  other_code text,
  status text DEFAULT 'open'::text NOT NULL,
  qty integer,
  email text,
  during tstzrange
);

ALTER TABLE public.orders_102008 ADD CONSTRAINT orders_pkey_102008 PRIMARY KEY (id);

ALTER TABLE public.orders_102008 ADD CONSTRAINT orders_email_key_102008 UNIQUE (email, id);

ALTER TABLE public.orders_102008 ADD CONSTRAINT orders_no_overlap_102008 EXCLUDE USING gist (during WITH &&);

ALTER TABLE public.orders_102008 ADD CONSTRAINT "Status Check_102008" CHECK ((status = ANY (ARRAY['open'::text, 'closed'::text])));

ALTER TABLE public.orders_102008 ADD CONSTRAINT orders_qty_check_102008 CHECK ((qty > 0));

ALTER TABLE public.orders_102008 ADD CONSTRAINT orders_code_fk_102008 FOREIGN KEY (other_code) REFERENCES "My Schema"."Other Table_102100"(code) MATCH FULL ON UPDATE SET NULL;

ALTER TABLE public.orders_102008 ADD CONSTRAINT orders_customer_id_fkey_102008 FOREIGN KEY (customer_id) REFERENCES public.customers_102040(id);

ALTER TABLE public.orders_102008 ADD CONSTRAINT orders_other_fk_102008 FOREIGN KEY (other_id) REFERENCES "My Schema"."Other Table_102100"(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED;
