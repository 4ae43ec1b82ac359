CREATE TABLE public.plain_columns_102008 (
  id bigint NOT NULL,
  name text COLLATE pg_catalog."C" DEFAULT 'unnamed'::text NOT NULL,
  price numeric(10,2) DEFAULT 0.00,
  created timestamp with time zone DEFAULT now(),
  tags text[] DEFAULT '{}'::text[],
  flag boolean DEFAULT false,
  code character varying(20) COLLATE pg_catalog."POSIX",
  note text DEFAULT 'it''s; fine'::text,
  ts timestamp(3) without time zone,
  amount double precision DEFAULT '-1.5'::numeric NOT NULL,
  ch character(3) DEFAULT 'abc'::bpchar
);
