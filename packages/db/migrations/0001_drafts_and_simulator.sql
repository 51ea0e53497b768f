CREATE TABLE `simulator_messages` (
	`message_id` text PRIMARY KEY NOT NULL,
	`wa_id` text NOT NULL,
	`flow_id` text NOT NULL,
	`clock_offset_ms` integer,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `simulator_messages_wa_idx` ON `simulator_messages` (`wa_id`);--> statement-breakpoint
CREATE TABLE `simulator_sessions` (
	`wa_id` text PRIMARY KEY NOT NULL,
	`flow_id` text,
	`cleared_at` text,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `flow_versions` ADD `valid` integer DEFAULT true NOT NULL;