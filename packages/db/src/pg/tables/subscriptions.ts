import { bigserial, boolean, index, integer, json, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { isoTime } from '../columns.js';

// Postgres tables of this area, mirroring ../../schema-subscriptions.ts (see ../columns.ts for times).

/** A URL subscribed to event types; `secret` is the vault's ciphertext of the signing secret. */
export const subscriptions = pgTable('subscriptions', {
  id: text('id').primaryKey(),
  url: text('url').notNull(),
  eventTypes: json('event_types').notNull().$type<string[]>(),
  secret: text('secret').notNull(),
  description: text('description').notNull().default(''),
  active: boolean('active').notNull().default(true),
  createdAt: isoTime('created_at').notNull(),
  updatedAt: isoTime('updated_at').notNull(),
});

/** One event owed to one subscription; `body` is the exact JSON text posted and signed. */
export const subscriptionDeliveries = pgTable(
  'subscription_deliveries',
  {
    id: text('id').primaryKey(),
    subscriptionId: text('subscription_id').notNull(),
    eventId: text('event_id').notNull(),
    eventType: text('event_type').notNull(),
    body: text('body').notNull(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: isoTime('next_attempt_at'),
    claimExpiresAt: isoTime('claim_expires_at'),
    firstAttemptAt: isoTime('first_attempt_at'),
    lastError: text('last_error'),
    lastHttpStatus: integer('last_http_status'),
    createdAt: isoTime('created_at').notNull(),
    deliveredAt: isoTime('delivered_at'),
  },
  (t) => [
    uniqueIndex('subscription_deliveries_event_uq').on(t.subscriptionId, t.eventId),
    index('subscription_deliveries_due_idx').on(t.status, t.nextAttemptAt),
    index('subscription_deliveries_list_idx').on(t.subscriptionId, t.createdAt),
  ],
);

/** The delivery log: every attempt, with the receiver's HTTP status or the network error. */
export const subscriptionAttempts = pgTable(
  'subscription_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    deliveryId: text('delivery_id').notNull(),
    at: isoTime('at').notNull(),
    httpStatus: integer('http_status'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
  },
  (t) => [index('subscription_attempts_delivery_idx').on(t.deliveryId, t.id)],
);
