CREATE TABLE `message_templates` (
	`id` text PRIMARY KEY NOT NULL,
	`channel_id` text NOT NULL,
	`waba_id` text NOT NULL,
	`provider_id` text NOT NULL,
	`name` text NOT NULL,
	`language` text NOT NULL,
	`category` text NOT NULL,
	`status` text NOT NULL,
	`parameter_format` text DEFAULT 'POSITIONAL' NOT NULL,
	`components` text NOT NULL,
	`quality` text,
	`rejected_reason` text,
	`last_synced_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `message_templates_provider_uq` ON `message_templates` (`channel_id`,`provider_id`);--> statement-breakpoint
CREATE INDEX `message_templates_name_idx` ON `message_templates` (`channel_id`,`name`,`language`);--> statement-breakpoint
CREATE INDEX `message_templates_provider_idx` ON `message_templates` (`provider_id`);--> statement-breakpoint
CREATE TABLE `template_syncs` (
	`channel_id` text PRIMARY KEY NOT NULL,
	`waba_id` text NOT NULL,
	`synced_at` text,
	`attempted_at` text NOT NULL,
	`last_error` text
);
