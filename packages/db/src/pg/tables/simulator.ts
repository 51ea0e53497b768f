// Postgres tables of this area, mirroring ../../schema.ts (see ../columns.ts for times).
import { bigint, index, pgTable, text } from 'drizzle-orm/pg-core';
import { isoTime } from '../columns.js';

/**
 * The editor's simulator: which flow each simulated customer (a WhatsApp id on the built-in
 * `simulator` channel) is testing, and when its conversation was last cleared.
 */
export const simulatorSessions = pgTable('simulator_sessions', {
  waId: text('wa_id').primaryKey(),
  flowId: text('flow_id'),
  /** Messages and runs from before this are no longer shown (a "fresh start"). */
  clearedAt: isoTime('cleared_at'),
  updatedAt: isoTime('updated_at').notNull(),
});

/**
 * One row per simulated customer message, written before it is posted to the ingress: the flow it is
 * meant for and its clock override, read back by the message's wamid.
 */
export const simulatorMessages = pgTable(
  'simulator_messages',
  {
    messageId: text('message_id').primaryKey(),
    waId: text('wa_id').notNull(),
    flowId: text('flow_id').notNull(),
    /**
     * The runs this message starts or resumes see `now` shifted by this much; null: real time. bigint:
     * the simulated clock may be weeks or years away, past a 32-bit integer's 24.8 days.
     */
    clockOffsetMs: bigint('clock_offset_ms', { mode: 'number' }),
    createdAt: isoTime('created_at').notNull(),
  },
  (t) => [index('simulator_messages_wa_idx').on(t.waId)],
);
