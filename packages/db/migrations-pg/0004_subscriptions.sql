CREATE TABLE "subscription_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"delivery_id" text NOT NULL,
	"at" timestamp(3) with time zone NOT NULL,
	"http_status" integer,
	"error" text,
	"duration_ms" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subscription_deliveries" (
	"id" text PRIMARY KEY NOT NULL,
	"subscription_id" text NOT NULL,
	"event_id" text NOT NULL,
	"event_type" text NOT NULL,
	"body" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp(3) with time zone,
	"claim_expires_at" timestamp(3) with time zone,
	"first_attempt_at" timestamp(3) with time zone,
	"last_error" text,
	"last_http_status" integer,
	"created_at" timestamp(3) with time zone NOT NULL,
	"delivered_at" timestamp(3) with time zone
);
--> statement-breakpoint
CREATE TABLE "subscriptions" (
	"id" text PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"event_types" json NOT NULL,
	"secret" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp(3) with time zone NOT NULL,
	"updated_at" timestamp(3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "subscription_attempts_delivery_idx" ON "subscription_attempts" USING btree ("delivery_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "subscription_deliveries_event_uq" ON "subscription_deliveries" USING btree ("subscription_id","event_id");--> statement-breakpoint
CREATE INDEX "subscription_deliveries_due_idx" ON "subscription_deliveries" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "subscription_deliveries_list_idx" ON "subscription_deliveries" USING btree ("subscription_id","created_at");