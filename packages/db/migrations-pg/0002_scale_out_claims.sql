ALTER TABLE "outbox" ADD COLUMN "claim_expires_at" timestamp(3) with time zone;--> statement-breakpoint
CREATE INDEX "runs_contact_claim_idx" ON "runs" USING btree ("contact_id","status","wake_at");--> statement-breakpoint
CREATE INDEX "outbox_recipient_order_idx" ON "outbox" USING btree ("channel","recipient","status","created_at");