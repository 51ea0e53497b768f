CREATE TABLE `crm_sync_records` (
	`id` text PRIMARY KEY NOT NULL,
	`channel` text NOT NULL,
	`message_id` text NOT NULL,
	`direction` text NOT NULL,
	`wa_id` text NOT NULL,
	`name` text,
	`text` text NOT NULL,
	`message_at` text NOT NULL,
	`provider` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text,
	`claim_expires_at` text,
	`first_attempt_at` text,
	`last_error` text,
	`crm_contact_id` text,
	`contact_created` integer DEFAULT false NOT NULL,
	`crm_record_id` text,
	`created_at` text NOT NULL,
	`synced_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `crm_sync_records_message_uq` ON `crm_sync_records` (`channel`,`message_id`);--> statement-breakpoint
CREATE INDEX `crm_sync_records_due_idx` ON `crm_sync_records` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `crm_sync_records_list_idx` ON `crm_sync_records` (`channel`,`created_at`);--> statement-breakpoint
CREATE TABLE `crm_sync_settings` (
	`channel` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`credential` text NOT NULL,
	`log_as` text DEFAULT 'note' NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
