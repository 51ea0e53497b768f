CREATE INDEX "runs_flow_of_idx" ON "runs" USING btree ("id","flow_id");--> statement-breakpoint
CREATE INDEX "runs_created_flow_idx" ON "runs" USING btree ("created_at","flow_id","status");--> statement-breakpoint
CREATE INDEX "inbound_events_type_occurred_idx" ON "inbound_events" USING btree ("type","occurred_at");--> statement-breakpoint
CREATE INDEX "outbox_created_idx" ON "outbox" USING btree ("created_at","status","run_id","id");--> statement-breakpoint
CREATE INDEX "outbox_statuses_outbox_status_idx" ON "outbox_statuses" USING btree ("outbox_id","status","at");--> statement-breakpoint
CREATE INDEX "conversation_events_kind_at_idx" ON "conversation_events" USING btree ("kind","at");--> statement-breakpoint
CREATE INDEX "conversations_opened_idx" ON "conversations" USING btree ("opened_at");