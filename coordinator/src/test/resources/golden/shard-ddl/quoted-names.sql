CREATE TABLE "Sales Dept"."Order Items_102015" (
  "Item Id" bigint NOT NULL,
  "select" integer,
  "int" text,
  "Qty" integer DEFAULT 1,
  "a""b" text
);

ALTER TABLE "Sales Dept"."Order Items_102015" ADD CONSTRAINT "Order Items_pkey_102015" PRIMARY KEY ("Item Id");

ALTER TABLE "Sales Dept"."Order Items_102015" ADD CONSTRAINT "select check_102015" CHECK (("select" >= 0));

CREATE INDEX "Mixed Idx_102015" ON "Sales Dept"."Order Items_102015" USING btree ("int", "Qty");

CREATE INDEX "Order Items_select_idx_102015" ON "Sales Dept"."Order Items_102015" USING btree ("select") WHERE ("int" <> 'x'::text);
