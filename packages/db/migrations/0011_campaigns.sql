CREATE TABLE `campaign_recipients` (
	`campaign_id` text NOT NULL,
	`wa_id` text NOT NULL,
	`name` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`reason` text,
	`outbox_id` text,
	`queued_at` text,
	`replied_at` text,
	`due_at` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`campaign_id`, `wa_id`)
);
--> statement-breakpoint
CREATE INDEX `campaign_recipients_status_idx` ON `campaign_recipients` (`campaign_id`,`status`,`due_at`);--> statement-breakpoint
CREATE INDEX `campaign_recipients_outbox_idx` ON `campaign_recipients` (`outbox_id`);--> statement-breakpoint
CREATE INDEX `campaign_recipients_wa_idx` ON `campaign_recipients` (`wa_id`,`queued_at`);--> statement-breakpoint
CREATE TABLE `campaigns` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`channel` text NOT NULL,
	`template` text NOT NULL,
	`audience` text NOT NULL,
	`schedule` text NOT NULL,
	`reply_flow_id` text,
	`status` text DEFAULT 'draft' NOT NULL,
	`waiting_reason` text,
	`waiting_until` text,
	`lease_owner` text,
	`lease_expires_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`started_at` text,
	`finished_at` text
);
--> statement-breakpoint
CREATE INDEX `campaigns_status_idx` ON `campaigns` (`status`,`waiting_until`);