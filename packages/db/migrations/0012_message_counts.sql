CREATE TABLE `message_count_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text NOT NULL,
	`run_id` text,
	`template` text,
	`status` text NOT NULL,
	`delta` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `message_count_changes_created_idx` ON `message_count_changes` (`created_at`);--> statement-breakpoint
CREATE TABLE `message_counts` (
	`grain` text NOT NULL,
	`at` text NOT NULL,
	`key` text NOT NULL,
	`status` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`grain`, `at`, `key`, `status`)
);--> statement-breakpoint
-- Written by hand below drizzle-kit's tables: the triggers that keep the counts (see schema-message-counts.ts)
-- and the counts of the messages already stored.
CREATE TRIGGER `outbox_counts_insert` AFTER INSERT ON `outbox` BEGIN
  INSERT INTO `message_count_changes` (`created_at`, `run_id`, `template`, `status`, `delta`) VALUES (new.created_at, new.run_id, case when new.kind = 'template' and json_valid(new.payload) then coalesce(json_extract(new.payload, '$.name'), '') end, new.status, 1);
END;--> statement-breakpoint
CREATE TRIGGER `outbox_counts_update` AFTER UPDATE OF `status`, `created_at`, `run_id`, `kind`, `payload` ON `outbox`
WHEN old.status IS NOT new.status OR old.created_at IS NOT new.created_at OR old.run_id IS NOT new.run_id
  OR old.kind IS NOT new.kind OR old.payload IS NOT new.payload
BEGIN
  INSERT INTO `message_count_changes` (`created_at`, `run_id`, `template`, `status`, `delta`) VALUES (old.created_at, old.run_id, case when old.kind = 'template' and json_valid(old.payload) then coalesce(json_extract(old.payload, '$.name'), '') end, old.status, -1);
  INSERT INTO `message_count_changes` (`created_at`, `run_id`, `template`, `status`, `delta`) VALUES (new.created_at, new.run_id, case when new.kind = 'template' and json_valid(new.payload) then coalesce(json_extract(new.payload, '$.name'), '') end, new.status, 1);
END;--> statement-breakpoint
CREATE TRIGGER `outbox_counts_delete` AFTER DELETE ON `outbox` BEGIN
  INSERT INTO `message_count_changes` (`created_at`, `run_id`, `template`, `status`, `delta`) VALUES (old.created_at, old.run_id, case when old.kind = 'template' and json_valid(old.payload) then coalesce(json_extract(old.payload, '$.name'), '') end, old.status, -1);
END;--> statement-breakpoint
INSERT INTO `message_counts` (`grain`, `at`, `key`, `status`, `n`)
SELECT 'slot', substr(o.created_at, 1, 14) || case when substr(o.created_at, 15, 2) < '15' then '00' when substr(o.created_at, 15, 2) < '30' then '15' when substr(o.created_at, 15, 2) < '45' then '30' else '45' end || ':00.000Z', '', o.status, count(*) FROM `outbox` o GROUP BY 2, 4
UNION ALL
SELECT 'flow', substr(o.created_at, 1, 10) || 'T00:00:00.000Z', coalesce(r.flow_id, ''), o.status, count(*)
FROM `outbox` o LEFT JOIN `runs` r ON r.id = o.run_id GROUP BY 2, 3, 4
UNION ALL
SELECT 'template', substr(o.created_at, 1, 10) || 'T00:00:00.000Z', case when o.kind = 'template' and json_valid(o.payload) then coalesce(json_extract(o.payload, '$.name'), '') end, o.status, count(*)
FROM `outbox` o WHERE o.kind = 'template' AND json_valid(o.payload) GROUP BY 2, 3, 4;
