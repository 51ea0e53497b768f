import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// Outgoing event subscriptions (docs/integrations.md): other systems' URLs, what is owed to each, and
// every attempt to deliver it. Times are ISO-8601 UTC strings, as in ./schema.ts.

/** A URL subscribed to event types; `secret` is the vault's ciphertext of the signing secret. */
export const subscriptions = sqliteTable('subscriptions', {
  id: text('id').primaryKey(),
  url: text('url').notNull(),
  /** The event types delivered, a JSON array of strings. */
  eventTypes: text('event_types', { mode: 'json' }).notNull().$type<string[]>(),
  secret: text('secret').notNull(),
  description: text('description').notNull().default(''),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
});

/**
 * One event owed to one subscription. `body` is the exact JSON text posted (and signed) on every
 * attempt; one row per subscription and event id, so an event emitted twice is delivered once.
 */
export const subscriptionDeliveries = sqliteTable(
  'subscription_deliveries',
  {
    id: text('id').primaryKey(),
    subscriptionId: text('subscription_id').notNull(),
    eventId: text('event_id').notNull(),
    eventType: text('event_type').notNull(),
    body: text('body').notNull(),
    /** pending, delivering (claimed), delivered or dead (out of retries; replayable). */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: text('next_attempt_at'),
    /** While `delivering`: when the claim lapses and another worker may take the delivery back. */
    claimExpiresAt: text('claim_expires_at'),
    /** The retry window (24 hours by default) counts from here; a replay starts it again. */
    firstAttemptAt: text('first_attempt_at'),
    lastError: text('last_error'),
    lastHttpStatus: integer('last_http_status'),
    createdAt: text('created_at').notNull(),
    deliveredAt: text('delivered_at'),
  },
  (t) => [
    uniqueIndex('subscription_deliveries_event_uq').on(t.subscriptionId, t.eventId),
    index('subscription_deliveries_due_idx').on(t.status, t.nextAttemptAt),
    index('subscription_deliveries_list_idx').on(t.subscriptionId, t.createdAt),
  ],
);

/** The delivery log: every attempt, with the receiver's HTTP status or the network error. */
export const subscriptionAttempts = sqliteTable(
  'subscription_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    deliveryId: text('delivery_id').notNull(),
    at: text('at').notNull(),
    httpStatus: integer('http_status'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
  },
  (t) => [index('subscription_attempts_delivery_idx').on(t.deliveryId, t.id)],
);
