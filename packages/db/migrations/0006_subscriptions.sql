CREATE TABLE `subscription_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`delivery_id` text NOT NULL,
	`at` text NOT NULL,
	`http_status` integer,
	`error` text,
	`duration_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `subscription_attempts_delivery_idx` ON `subscription_attempts` (`delivery_id`,`id`);--> statement-breakpoint
CREATE TABLE `subscription_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`subscription_id` text NOT NULL,
	`event_id` text NOT NULL,
	`event_type` text NOT NULL,
	`body` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text,
	`claim_expires_at` text,
	`first_attempt_at` text,
	`last_error` text,
	`last_http_status` integer,
	`created_at` text NOT NULL,
	`delivered_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `subscription_deliveries_event_uq` ON `subscription_deliveries` (`subscription_id`,`event_id`);--> statement-breakpoint
CREATE INDEX `subscription_deliveries_due_idx` ON `subscription_deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `subscription_deliveries_list_idx` ON `subscription_deliveries` (`subscription_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `subscriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`url` text NOT NULL,
	`event_types` text NOT NULL,
	`secret` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
