CREATE TABLE `agent_teams` (
	`agent_id` text NOT NULL,
	`team_id` text NOT NULL,
	PRIMARY KEY(`agent_id`, `team_id`),
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `agent_teams_team_idx` ON `agent_teams` (`team_id`);--> statement-breakpoint
CREATE TABLE `agents` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`email` text,
	`role` text DEFAULT 'agent' NOT NULL,
	`skills` text DEFAULT '[]' NOT NULL,
	`capacity` integer DEFAULT 5 NOT NULL,
	`available` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `conversation_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`conversation_id` text NOT NULL,
	`at` text NOT NULL,
	`kind` text NOT NULL,
	`data` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `conversation_events_conversation_idx` ON `conversation_events` (`conversation_id`,`id`);--> statement-breakpoint
CREATE TABLE `conversations` (
	`id` text PRIMARY KEY NOT NULL,
	`channel` text NOT NULL,
	`wa_id` text NOT NULL,
	`contact_name` text,
	`team_id` text NOT NULL,
	`agent_id` text,
	`priority` text NOT NULL,
	`priority_rank` integer NOT NULL,
	`state` text NOT NULL,
	`queued_because` text,
	`strategy` text DEFAULT 'roundRobin' NOT NULL,
	`skills` text DEFAULT '[]' NOT NULL,
	`summary` text DEFAULT '' NOT NULL,
	`run_id` text,
	`flow_id` text,
	`node_id` text,
	`idempotency_key` text NOT NULL,
	`sla_minutes` integer,
	`opened_at` text NOT NULL,
	`assigned_at` text,
	`picked_up_at` text,
	`sla_due_at` text,
	`escalation` text,
	`escalated_at` text,
	`notify_credential` text,
	`notified_at` text,
	`notify_attempts` integer DEFAULT 0 NOT NULL,
	`notify_next_at` text,
	`closed_at` text,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `conversations_idempotency_uq` ON `conversations` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `conversations_state_team_idx` ON `conversations` (`state`,`team_id`);--> statement-breakpoint
CREATE INDEX `conversations_agent_state_idx` ON `conversations` (`agent_id`,`state`);--> statement-breakpoint
CREATE INDEX `conversations_sla_idx` ON `conversations` (`sla_due_at`);--> statement-breakpoint
CREATE INDEX `conversations_contact_idx` ON `conversations` (`wa_id`,`channel`);--> statement-breakpoint
CREATE INDEX `conversations_notify_idx` ON `conversations` (`notify_next_at`) WHERE notify_credential is not null and notified_at is null;--> statement-breakpoint
CREATE TABLE `credentials` (
	`name` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`data` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`last_used_at` text
);
--> statement-breakpoint
CREATE TABLE `routing_cursors` (
	`team_id` text PRIMARY KEY NOT NULL,
	`last_agent_id` text NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `routing_requests` (
	`idempotency_key` text PRIMARY KEY NOT NULL,
	`conversation_id` text NOT NULL,
	`outcome` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `teams` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`timezone` text DEFAULT 'UTC' NOT NULL,
	`business_hours` text,
	`holidays` text DEFAULT '[]' NOT NULL,
	`slack_credential` text,
	`escalation_team` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `teams_name_uq` ON `teams` (`name`);--> statement-breakpoint
CREATE UNIQUE INDEX `teams_name_key_uq` ON `teams` (`name_key`);