CREATE TABLE "campaign_recipients" (
	"campaign_id" text NOT NULL,
	"wa_id" text collate "C" NOT NULL,
	"name" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"reason" text,
	"outbox_id" text,
	"queued_at" timestamp(3) with time zone,
	"replied_at" timestamp(3) with time zone,
	"due_at" timestamp(3) with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "campaign_recipients_campaign_id_wa_id_pk" PRIMARY KEY("campaign_id","wa_id")
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"channel" text NOT NULL,
	"template" json NOT NULL,
	"audience" json NOT NULL,
	"schedule" json NOT NULL,
	"reply_flow_id" text,
	"status" text DEFAULT 'draft' NOT NULL,
	"waiting_reason" text,
	"waiting_until" timestamp(3) with time zone,
	"lease_owner" text,
	"lease_expires_at" timestamp(3) with time zone,
	"created_at" timestamp(3) with time zone NOT NULL,
	"updated_at" timestamp(3) with time zone NOT NULL,
	"started_at" timestamp(3) with time zone,
	"finished_at" timestamp(3) with time zone
);
--> statement-breakpoint
CREATE INDEX "campaign_recipients_status_idx" ON "campaign_recipients" USING btree ("campaign_id","status","due_at");--> statement-breakpoint
CREATE INDEX "campaign_recipients_outbox_idx" ON "campaign_recipients" USING btree ("outbox_id");--> statement-breakpoint
CREATE INDEX "campaign_recipients_wa_idx" ON "campaign_recipients" USING btree ("wa_id","queued_at");--> statement-breakpoint
CREATE INDEX "campaigns_status_idx" ON "campaigns" USING btree ("status","waiting_until");