CREATE TABLE "crm_sync_records" (
	"id" text PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"message_id" text NOT NULL,
	"direction" text NOT NULL,
	"wa_id" text NOT NULL,
	"name" text,
	"text" text NOT NULL,
	"message_at" timestamp(3) with time zone NOT NULL,
	"provider" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp(3) with time zone,
	"claim_expires_at" timestamp(3) with time zone,
	"first_attempt_at" timestamp(3) with time zone,
	"last_error" text,
	"crm_contact_id" text,
	"contact_created" boolean DEFAULT false NOT NULL,
	"crm_record_id" text,
	"created_at" timestamp(3) with time zone NOT NULL,
	"synced_at" timestamp(3) with time zone
);
--> statement-breakpoint
CREATE TABLE "crm_sync_settings" (
	"channel" text PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"credential" text NOT NULL,
	"log_as" text DEFAULT 'note' NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp(3) with time zone NOT NULL,
	"updated_at" timestamp(3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "crm_sync_records_message_uq" ON "crm_sync_records" USING btree ("channel","message_id");--> statement-breakpoint
CREATE INDEX "crm_sync_records_due_idx" ON "crm_sync_records" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "crm_sync_records_list_idx" ON "crm_sync_records" USING btree ("channel","created_at");