import { index, integer, json, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { isoTime, textC } from '../columns.js';

// Postgres tables of this area, mirroring ../../schema-campaigns.ts (see ../columns.ts for times).

export const campaigns = pgTable(
  'campaigns',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    channel: text('channel').notNull(),
    template: json('template').notNull().$type<Record<string, unknown>>(),
    audience: json('audience').notNull().$type<Record<string, unknown>>(),
    schedule: json('schedule').notNull().$type<Record<string, unknown>>(),
    replyFlowId: text('reply_flow_id'),
    status: text('status').notNull().default('draft'),
    waitingReason: text('waiting_reason'),
    waitingUntil: isoTime('waiting_until'),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: isoTime('lease_expires_at'),
    createdAt: isoTime('created_at').notNull(),
    updatedAt: isoTime('updated_at').notNull(),
    startedAt: isoTime('started_at'),
    finishedAt: isoTime('finished_at'),
  },
  (t) => [index('campaigns_status_idx').on(t.status, t.waitingUntil)],
);

export const campaignRecipients = pgTable(
  'campaign_recipients',
  {
    campaignId: text('campaign_id').notNull(),
    /** Byte order, as SQLite pages them. */
    waId: textC('wa_id').notNull(),
    name: text('name'),
    status: text('status').notNull().default('pending'),
    reason: text('reason'),
    outboxId: text('outbox_id'),
    queuedAt: isoTime('queued_at'),
    repliedAt: isoTime('replied_at'),
    dueAt: isoTime('due_at'),
    attempts: integer('attempts').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.waId] }),
    index('campaign_recipients_status_idx').on(t.campaignId, t.status, t.dueAt),
    index('campaign_recipients_outbox_idx').on(t.outboxId),
    index('campaign_recipients_wa_idx').on(t.waId, t.queuedAt),
  ],
);
