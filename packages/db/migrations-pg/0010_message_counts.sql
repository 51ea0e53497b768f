CREATE TABLE "message_count_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"created_at" timestamp(3) with time zone NOT NULL,
	"run_id" text,
	"template" text,
	"status" text NOT NULL,
	"delta" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "message_counts" (
	"grain" text NOT NULL,
	"at" timestamp(3) with time zone NOT NULL,
	"key" text NOT NULL,
	"status" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "message_counts_grain_at_key_status_pk" PRIMARY KEY("grain","at","key","status")
);
--> statement-breakpoint
CREATE INDEX "message_count_changes_created_idx" ON "message_count_changes" USING btree ("created_at");--> statement-breakpoint
-- Written by hand below drizzle-kit's tables: the trigger that keeps the counts (see
-- ../src/schema-message-counts.ts) and the counts of the messages already stored.
-- Statement-level, over the transition tables: a bulk insert writes its changes in one statement.
CREATE FUNCTION "outbox_counts_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "message_count_changes" ("created_at", "run_id", "template", "status", "delta")
  SELECT n.created_at, n.run_id, CASE WHEN n.kind = 'template' THEN coalesce(n.payload->>'name', '') END, n.status, 1 FROM new_rows n;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION "outbox_counts_deleted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "message_count_changes" ("created_at", "run_id", "template", "status", "delta")
  SELECT o.created_at, o.run_id, CASE WHEN o.kind = 'template' THEN coalesce(o.payload->>'name', '') END, o.status, -1 FROM old_rows o;
  RETURN NULL;
END $$;--> statement-breakpoint
-- Transition tables cannot go with a column list, so this runs after every update of the outbox and
-- writes changes only for the rows whose counted columns changed (an update never changes an id).
CREATE FUNCTION "outbox_counts_updated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "message_count_changes" ("created_at", "run_id", "template", "status", "delta")
  SELECT x.created_at, x.run_id, x.template, x.status, x.delta FROM (
    SELECT o.created_at, o.run_id, CASE WHEN o.kind = 'template' THEN coalesce(o.payload->>'name', '') END AS template, o.status, -1 AS delta, o.id
    FROM old_rows o
    UNION ALL
    SELECT n.created_at, n.run_id, CASE WHEN n.kind = 'template' THEN coalesce(n.payload->>'name', '') END, n.status, 1, n.id
    FROM new_rows n
  ) x
  JOIN old_rows o ON o.id = x.id JOIN new_rows n ON n.id = x.id
  WHERE o.status IS DISTINCT FROM n.status OR o.created_at IS DISTINCT FROM n.created_at
    OR o.run_id IS DISTINCT FROM n.run_id OR o.kind IS DISTINCT FROM n.kind
    OR o.payload::text IS DISTINCT FROM n.payload::text;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "outbox_counts_insert" AFTER INSERT ON "outbox" REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION "outbox_counts_inserted"();--> statement-breakpoint
CREATE TRIGGER "outbox_counts_delete" AFTER DELETE ON "outbox" REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION "outbox_counts_deleted"();--> statement-breakpoint
CREATE TRIGGER "outbox_counts_update" AFTER UPDATE ON "outbox" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION "outbox_counts_updated"();--> statement-breakpoint
INSERT INTO "message_counts" ("grain", "at", "key", "status", "n")
SELECT 'slot', date_bin('15 minutes', o.created_at, timestamptz '2000-01-01 00:00:00+00'), '', o.status, count(*)
FROM "outbox" o GROUP BY 2, 4
UNION ALL
SELECT 'flow', date_trunc('day', o.created_at, 'UTC'), coalesce(r.flow_id, ''), o.status, count(*)
FROM "outbox" o LEFT JOIN "runs" r ON r.id = o.run_id GROUP BY 2, 3, 4
UNION ALL
SELECT 'template', date_trunc('day', o.created_at, 'UTC'), coalesce(o.payload->>'name', ''), o.status, count(*)
FROM "outbox" o WHERE o.kind = 'template' GROUP BY 2, 3, 4;
