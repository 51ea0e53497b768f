import { bigserial, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { isoTime } from '../columns.js';

// Postgres tables of this area, mirroring ../../schema-message-counts.ts (see ../columns.ts for times);
// the triggers that fill them are in migration 0010_message_counts.

/** Messages by status per 15-minute slot (`slot`) or UTC day and flow (`flow`) or template (`template`). */
export const messageCounts = pgTable(
  'message_counts',
  {
    grain: text('grain').notNull(),
    at: isoTime('at').notNull(),
    key: text('key').notNull(),
    status: text('status').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.grain, t.at, t.key, t.status] })],
);

/** +1 / −1 per message and status, written by the outbox triggers, until folded into message_counts. */
export const messageCountChanges = pgTable(
  'message_count_changes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    createdAt: isoTime('created_at').notNull(),
    runId: text('run_id'),
    template: text('template'),
    status: text('status').notNull(),
    delta: integer('delta').notNull(),
  },
  (t) => [index('message_count_changes_created_idx').on(t.createdAt)],
);
