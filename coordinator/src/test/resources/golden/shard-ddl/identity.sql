CREATE TABLE public.identities_102010 (
  id bigint NOT NULL,
  alt integer NOT NULL,
  label text
);
