CREATE TABLE "alert_incidents" (
	"id" text PRIMARY KEY NOT NULL,
	"rule_id" text NOT NULL,
	"rule_name" text NOT NULL,
	"metric" text NOT NULL,
	"comparison" text NOT NULL,
	"threshold" double precision NOT NULL,
	"status" text NOT NULL,
	"open_key" text,
	"opened_at" timestamp(3) with time zone NOT NULL,
	"opened_value" double precision NOT NULL,
	"resolved_at" timestamp(3) with time zone,
	"resolved_value" double precision,
	"open_notified_at" timestamp(3) with time zone,
	"resolve_notified_at" timestamp(3) with time zone,
	"notice_claim_until" timestamp(3) with time zone,
	"notice_attempts" integer DEFAULT 0 NOT NULL,
	"last_notice_error" text
);
--> statement-breakpoint
CREATE TABLE "alert_rules" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"metric" text NOT NULL,
	"comparison" text NOT NULL,
	"threshold" double precision NOT NULL,
	"duration_seconds" integer NOT NULL,
	"notify_kind" text NOT NULL,
	"notify_target" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"breaching_since" timestamp(3) with time zone,
	"created_at" timestamp(3) with time zone NOT NULL,
	"updated_at" timestamp(3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "monitoring_samples" (
	"bucket_at" timestamp(3) with time zone NOT NULL,
	"process" text NOT NULL,
	"metric" text NOT NULL,
	"label" text DEFAULT '' NOT NULL,
	"value" double precision NOT NULL,
	CONSTRAINT "monitoring_samples_bucket_at_metric_label_process_pk" PRIMARY KEY("bucket_at","metric","label","process")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "alert_incidents_open_uq" ON "alert_incidents" USING btree ("open_key");--> statement-breakpoint
CREATE INDEX "alert_incidents_rule_idx" ON "alert_incidents" USING btree ("rule_id","opened_at");--> statement-breakpoint
CREATE INDEX "alert_incidents_opened_idx" ON "alert_incidents" USING btree ("opened_at");--> statement-breakpoint
CREATE INDEX "alert_incidents_notice_idx" ON "alert_incidents" USING btree ("status") WHERE open_notified_at is null or (status = 'resolved' and resolve_notified_at is null);