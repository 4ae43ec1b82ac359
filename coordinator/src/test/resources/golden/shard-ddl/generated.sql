CREATE TABLE public.line_items_102011 (
  price numeric(12,2) NOT NULL,
  qty integer DEFAULT 1 NOT NULL,
  total numeric GENERATED ALWAYS AS ((price * (qty)::numeric)) STORED,
  label text GENERATED ALWAYS AS (upper(('x'::text || qty))) STORED
);
