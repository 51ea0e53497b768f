import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// The messaging report's pre-aggregated counts (docs: packages/db/README.md, "Message counts"). Triggers
// on `outbox` (migration 0012_message_counts) append one change row per message inserted, deleted or
// moved to another status, in the same transaction as the change itself; `foldMessageCounts` adds the
// changes into `message_counts` and deletes them. A report reads the counts plus the changes not yet
// folded, in one statement, so it is exact at any moment. Times are ISO-8601 UTC strings, as in ./schema.ts.

/**
 * Messages by status per time slot. `grain`: `slot` (15-minute slots, `key` ''), `flow` (UTC days, `key`
 * the flow id of the run that sent it, '' for none) or `template` (UTC days, `key` the template name).
 * Every time zone's local midnight is a quarter hour, so whole slots fall into whole local days.
 */
export const messageCounts = sqliteTable(
  'message_counts',
  {
    grain: text('grain').notNull(),
    at: text('at').notNull(),
    key: text('key').notNull(),
    status: text('status').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.grain, t.at, t.key, t.status] })],
);

/** +1 / −1 per message and status, written by the outbox triggers, until folded into message_counts. */
export const messageCountChanges = sqliteTable(
  'message_count_changes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The message's `created_at`. */
    createdAt: text('created_at').notNull(),
    runId: text('run_id'),
    /** The template's name when the message is a template, else null. */
    template: text('template'),
    status: text('status').notNull(),
    delta: integer('delta').notNull(),
  },
  (t) => [index('message_count_changes_created_idx').on(t.createdAt)],
);
