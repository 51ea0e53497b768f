ALTER TABLE `outbox` ADD `claim_expires_at` text;--> statement-breakpoint
CREATE INDEX `outbox_recipient_order_idx` ON `outbox` (`channel`,`recipient`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `runs_contact_claim_idx` ON `runs` (`contact_id`,`status`,`wake_at`);