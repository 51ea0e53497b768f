CREATE TABLE `channels` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`phone_number_id` text NOT NULL,
	`waba_id` text,
	`display_phone_number` text,
	`secrets` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `channels_phone_number_id_unique` ON `channels` (`phone_number_id`);--> statement-breakpoint
CREATE TABLE `contacts` (
	`id` text PRIMARY KEY NOT NULL,
	`channel` text DEFAULT 'default' NOT NULL,
	`wa_id` text NOT NULL,
	`name` text,
	`phone` text,
	`country` text,
	`consent` text DEFAULT '{}' NOT NULL,
	`attributes` text DEFAULT '{}' NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`timezone` text,
	`last_inbound_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contacts_channel_wa_uq` ON `contacts` (`channel`,`wa_id`);--> statement-breakpoint
CREATE TABLE `flow_schedules` (
	`flow_id` text PRIMARY KEY NOT NULL,
	`node_id` text NOT NULL,
	`flow_version` integer NOT NULL,
	`cron` text NOT NULL,
	`timezone` text NOT NULL,
	`missed` text NOT NULL,
	`next_fire_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `flow_schedules_due_idx` ON `flow_schedules` (`next_fire_at`);--> statement-breakpoint
CREATE TABLE `flow_versions` (
	`flow_id` text NOT NULL,
	`version` integer NOT NULL,
	`document` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`flow_id`, `version`)
);
--> statement-breakpoint
CREATE TABLE `flows` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`active` integer DEFAULT false NOT NULL,
	`current_version` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text
);
--> statement-breakpoint
CREATE INDEX `flows_name_idx` ON `flows` (`name`);--> statement-breakpoint
CREATE TABLE `inbound_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`provider` text NOT NULL,
	`provider_event_id` text NOT NULL,
	`delivery_id` integer NOT NULL,
	`type` text NOT NULL,
	`channel_id` text,
	`wa_id` text,
	`normalized` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`occurred_at` text NOT NULL,
	`received_at` text NOT NULL,
	`processed_at` text,
	`error` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inbound_events_provider_event_uq` ON `inbound_events` (`provider`,`provider_event_id`);--> statement-breakpoint
CREATE INDEX `inbound_events_pending_idx` ON `inbound_events` (`id`) WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX `inbound_events_type_idx` ON `inbound_events` (`type`,`id`);--> statement-breakpoint
CREATE INDEX `inbound_events_wa_idx` ON `inbound_events` (`wa_id`,`id`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`idempotency_key` text NOT NULL,
	`run_id` text,
	`node_id` text,
	`channel` text NOT NULL,
	`recipient` text NOT NULL,
	`kind` text NOT NULL,
	`category` text,
	`payload` text NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text,
	`provider_message_id` text,
	`last_error` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_idempotency_uq` ON `outbox` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `outbox_status_idx` ON `outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_provider_id_idx` ON `outbox` (`provider_message_id`);--> statement-breakpoint
CREATE INDEX `outbox_recipient_idx` ON `outbox` (`recipient`,`created_at`);--> statement-breakpoint
CREATE TABLE `outbox_statuses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`outbox_id` text NOT NULL,
	`status` text NOT NULL,
	`at` text NOT NULL,
	`source` text NOT NULL,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `outbox_statuses_outbox_idx` ON `outbox_statuses` (`outbox_id`,`id`);--> statement-breakpoint
CREATE TABLE `run_calls` (
	`child_run_id` text PRIMARY KEY NOT NULL,
	`parent_run_id` text NOT NULL,
	`parent_node_id` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`depth` integer NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `run_calls_idempotency_uq` ON `run_calls` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `run_calls_parent_idx` ON `run_calls` (`parent_run_id`);--> statement-breakpoint
CREATE TABLE `run_steps` (
	`id` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`seq` integer NOT NULL,
	`node_id` text NOT NULL,
	`node_type` text NOT NULL,
	`attempt` integer NOT NULL,
	`status` text NOT NULL,
	`ports` text DEFAULT '[]' NOT NULL,
	`input` text,
	`output` text,
	`error` text,
	`started_at` text NOT NULL,
	`finished_at` text,
	`duration_ms` integer
);
--> statement-breakpoint
CREATE INDEX `run_steps_run_idx` ON `run_steps` (`run_id`,`seq`);--> statement-breakpoint
CREATE TABLE `run_waits` (
	`token` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`wake_at` text,
	`wake_key` text,
	`fired` integer DEFAULT false NOT NULL,
	`payload` text
);
--> statement-breakpoint
CREATE INDEX `run_waits_key_idx` ON `run_waits` (`wake_key`);--> statement-breakpoint
CREATE INDEX `run_waits_run_idx` ON `run_waits` (`run_id`);--> statement-breakpoint
CREATE TABLE `runs` (
	`id` text PRIMARY KEY NOT NULL,
	`flow_id` text NOT NULL,
	`flow_version` integer NOT NULL,
	`status` text NOT NULL,
	`trigger_node_id` text NOT NULL,
	`contact_id` text,
	`state` text NOT NULL,
	`error` text,
	`wake_at` text,
	`lease_owner` text,
	`lease_expires_at` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	`started_at` text,
	`finished_at` text
);
--> statement-breakpoint
CREATE INDEX `runs_claim_idx` ON `runs` (`status`,`wake_at`);--> statement-breakpoint
CREATE INDEX `runs_flow_idx` ON `runs` (`flow_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `runs_contact_idx` ON `runs` (`contact_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `runs_created_idx` ON `runs` (`created_at`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`provider` text NOT NULL,
	`channel_id` text,
	`raw_body` blob NOT NULL,
	`received_at` text NOT NULL
);
