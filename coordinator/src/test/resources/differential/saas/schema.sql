-- Multi-tenant SaaS: every tenant table is distributed by company_id and co-located with
-- companies; plans and country_codes are reference tables; invoices is distributed by its own
-- key (not co-located); company_notes stays empty.

CREATE TABLE plans (
  plan_id int PRIMARY KEY,
  name text NOT NULL,
  monthly_fee numeric(10,2) NOT NULL,
  max_users int
);

CREATE TABLE country_codes (
  code text PRIMARY KEY,
  name text NOT NULL,
  region text
);

CREATE TABLE companies (
  company_id bigint PRIMARY KEY,
  name text NOT NULL,
  country_code text,
  plan_id int,
  created_at timestamp NOT NULL,
  is_active boolean NOT NULL,
  employees int,
  domain text
);

CREATE TABLE campaigns (
  company_id bigint NOT NULL,
  campaign_id bigint NOT NULL,
  name text NOT NULL,
  budget numeric(12,2),
  status text,
  start_date date NOT NULL,
  end_date date,
  PRIMARY KEY (company_id, campaign_id)
);

CREATE TABLE ads (
  company_id bigint NOT NULL,
  ad_id bigint NOT NULL,
  campaign_id bigint NOT NULL,
  title text NOT NULL,
  kind text NOT NULL,
  bid numeric(8,3),
  flags int NOT NULL,
  tags text[],
  PRIMARY KEY (company_id, ad_id)
);
CREATE INDEX ads_campaign_idx ON ads (company_id, campaign_id);

CREATE TABLE ad_clicks (
  company_id bigint NOT NULL,
  click_id bigint NOT NULL,
  ad_id bigint NOT NULL,
  clicked_at timestamp NOT NULL,
  cost numeric(8,4) NOT NULL,
  country_code text,
  user_agent text,
  is_mobile boolean,
  PRIMARY KEY (company_id, click_id)
);
CREATE INDEX ad_clicks_ad_idx ON ad_clicks (company_id, ad_id);

CREATE TABLE company_users (
  company_id bigint NOT NULL,
  user_id bigint NOT NULL,
  email text NOT NULL,
  role text NOT NULL,
  score int,
  last_login date,
  PRIMARY KEY (company_id, user_id)
);

CREATE TABLE company_notes (
  company_id bigint NOT NULL,
  note_id bigint NOT NULL,
  body text,
  PRIMARY KEY (company_id, note_id)
);

CREATE TABLE invoices (
  invoice_id bigint PRIMARY KEY,
  company_id bigint NOT NULL,
  issued_on date NOT NULL,
  amount numeric(12,2) NOT NULL,
  paid boolean NOT NULL
);
