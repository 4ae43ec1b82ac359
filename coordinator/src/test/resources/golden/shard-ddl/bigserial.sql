CREATE TABLE public.events_102009 (
  id bigint NOT NULL,
  small smallint NOT NULL,
  payload jsonb,
  seen_at timestamp with time zone DEFAULT now() NOT NULL
);
