-- Event analytics in the schema "analytics": users, sessions and events distributed by user_id
-- and co-located; devices distributed by device_id (not co-located with users); device_types
-- is a reference table; archived_events stays empty.

CREATE SCHEMA analytics;

CREATE TABLE analytics.device_types (
  type_id int PRIMARY KEY,
  name text NOT NULL,
  category text
);

CREATE TABLE analytics.users (
  user_id bigint PRIMARY KEY,
  username text NOT NULL,
  signup_date date NOT NULL,
  country text,
  tier text NOT NULL,
  attrs jsonb
);

CREATE TABLE analytics.sessions (
  user_id bigint NOT NULL,
  session_id bigint NOT NULL,
  device_id int,
  started_at timestamp NOT NULL,
  ended_at timestamp,
  PRIMARY KEY (user_id, session_id)
);

CREATE TABLE analytics.events (
  user_id bigint NOT NULL,
  event_id bigint NOT NULL,
  session_id bigint,
  device_id int,
  event_type text NOT NULL,
  occurred_at timestamp NOT NULL,
  logged_at timestamptz NOT NULL,
  duration_ms int,
  revenue numeric(10,2),
  payload jsonb,
  PRIMARY KEY (user_id, event_id)
);
CREATE INDEX events_type_idx ON analytics.events (event_type);
CREATE INDEX events_payload_idx ON analytics.events USING gin (payload);

CREATE TABLE analytics.devices (
  device_id int PRIMARY KEY,
  owner_id bigint,
  type_id int,
  os text,
  model text,
  registered_on date
);

CREATE TABLE analytics.archived_events (
  user_id bigint NOT NULL,
  event_id bigint NOT NULL,
  event_type text,
  payload jsonb,
  PRIMARY KEY (user_id, event_id)
);
