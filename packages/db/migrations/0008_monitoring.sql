CREATE TABLE `alert_incidents` (
	`id` text PRIMARY KEY NOT NULL,
	`rule_id` text NOT NULL,
	`rule_name` text NOT NULL,
	`metric` text NOT NULL,
	`comparison` text NOT NULL,
	`threshold` real NOT NULL,
	`status` text NOT NULL,
	`open_key` text,
	`opened_at` text NOT NULL,
	`opened_value` real NOT NULL,
	`resolved_at` text,
	`resolved_value` real,
	`open_notified_at` text,
	`resolve_notified_at` text,
	`notice_claim_until` text,
	`notice_attempts` integer DEFAULT 0 NOT NULL,
	`last_notice_error` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alert_incidents_open_uq` ON `alert_incidents` (`open_key`);--> statement-breakpoint
CREATE INDEX `alert_incidents_rule_idx` ON `alert_incidents` (`rule_id`,`opened_at`);--> statement-breakpoint
CREATE INDEX `alert_incidents_opened_idx` ON `alert_incidents` (`opened_at`);--> statement-breakpoint
CREATE INDEX `alert_incidents_notice_idx` ON `alert_incidents` (`status`) WHERE open_notified_at is null or (status = 'resolved' and resolve_notified_at is null);--> statement-breakpoint
CREATE TABLE `alert_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`metric` text NOT NULL,
	`comparison` text NOT NULL,
	`threshold` real NOT NULL,
	`duration_seconds` integer NOT NULL,
	`notify_kind` text NOT NULL,
	`notify_target` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`breaching_since` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `monitoring_samples` (
	`bucket_at` text NOT NULL,
	`process` text NOT NULL,
	`metric` text NOT NULL,
	`label` text DEFAULT '' NOT NULL,
	`value` real NOT NULL,
	PRIMARY KEY(`bucket_at`, `metric`, `label`, `process`)
);
