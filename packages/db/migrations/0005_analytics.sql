CREATE INDEX `conversation_events_kind_at_idx` ON `conversation_events` (`kind`,`at`);--> statement-breakpoint
CREATE INDEX `conversations_opened_idx` ON `conversations` (`opened_at`);--> statement-breakpoint
CREATE INDEX `inbound_events_type_occurred_idx` ON `inbound_events` (`type`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `outbox_created_idx` ON `outbox` (`created_at`,`status`,`run_id`,`id`);--> statement-breakpoint
CREATE INDEX `outbox_statuses_outbox_status_idx` ON `outbox_statuses` (`outbox_id`,`status`,`at`);--> statement-breakpoint
CREATE INDEX `runs_flow_of_idx` ON `runs` (`id`,`flow_id`);--> statement-breakpoint
CREATE INDEX `runs_created_flow_idx` ON `runs` (`created_at`,`flow_id`,`status`);