import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// Broadcast campaigns (docs/campaigns.md): one approved template sent to a snapshot of contacts. Times
// are ISO-8601 UTC strings, as in ./schema.ts.

/**
 * A campaign. `template`, `audience` and `schedule` are the JSON the server validated. While a worker
 * works on it, it holds a lease (`leaseOwner` until `leaseExpiresAt`); a worker that died lets it lapse.
 */
export const campaigns = sqliteTable(
  'campaigns',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    channel: text('channel').notNull(),
    template: text('template', { mode: 'json' }).notNull().$type<Record<string, unknown>>(),
    audience: text('audience', { mode: 'json' }).notNull().$type<Record<string, unknown>>(),
    schedule: text('schedule', { mode: 'json' }).notNull().$type<Record<string, unknown>>(),
    replyFlowId: text('reply_flow_id'),
    /** draft, scheduled, running, paused, completed or cancelled. */
    status: text('status').notNull().default('draft'),
    /** Why a running (or scheduled) campaign sends nothing now: messaging_limit, local_hours, scheduled. */
    waitingReason: text('waiting_reason'),
    /** Not looked at again before this time. */
    waitingUntil: text('waiting_until'),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: text('lease_expires_at'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    startedAt: text('started_at'),
    finishedAt: text('finished_at'),
  },
  (t) => [index('campaigns_status_idx').on(t.status, t.waitingUntil)],
);

/**
 * A campaign's audience, snapshotted at start: one row per WhatsApp id. Delivery progress is not kept
 * here: it is the outbox row's (`outboxId`), read when counting, so it cannot drift.
 * status: pending → queued (in the outbox) | skipped (with `reason`) | cancelled.
 */
export const campaignRecipients = sqliteTable(
  'campaign_recipients',
  {
    campaignId: text('campaign_id').notNull(),
    waId: text('wa_id').notNull(),
    /** The contact's name when the audience was taken. */
    name: text('name'),
    status: text('status').notNull().default('pending'),
    reason: text('reason'),
    outboxId: text('outbox_id'),
    queuedAt: text('queued_at'),
    repliedAt: text('replied_at'),
    /** Not before this time (the contact's local hours); null = at once. */
    dueAt: text('due_at'),
    attempts: integer('attempts').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.waId] }),
    index('campaign_recipients_status_idx').on(t.campaignId, t.status, t.dueAt),
    index('campaign_recipients_outbox_idx').on(t.outboxId),
    index('campaign_recipients_wa_idx').on(t.waId, t.queuedAt),
  ],
);
