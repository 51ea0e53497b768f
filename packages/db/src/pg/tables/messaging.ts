// Postgres tables of this area, mirroring ../../schema.ts (see ../columns.ts for times).
// The unique indexes carry the guarantees several server processes rely on: a provider's re-delivery
// of an event and a re-run step's send are no-ops (`on conflict do nothing` on them).
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  customType,
  index,
  integer,
  json,
  pgTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { isoTime } from '../columns.js';

/** Raw bytes, read back as a Buffer like SQLite's `blob({ mode: 'buffer' })`. */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({
  dataType: () => 'bytea',
});

/** Business numbers. Secrets (access token, app secret, verify token) are stored encrypted, never returned. */
export const channels = pgTable('channels', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  phoneNumberId: text('phone_number_id').notNull().unique(),
  wabaId: text('waba_id'),
  displayPhoneNumber: text('display_phone_number'),
  /** AES-256-GCM ciphertext of the JSON secrets (see the server's vault). */
  secrets: text('secrets').notNull(),
  createdAt: isoTime('created_at').notNull(),
  updatedAt: isoTime('updated_at').notNull(),
});

/** Every accepted webhook body, raw bytes as received, stored before the 200. */
export const webhookDeliveries = pgTable('webhook_deliveries', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  provider: text('provider').notNull(),
  channelId: text('channel_id'),
  rawBody: bytea('raw_body').notNull(),
  receivedAt: isoTime('received_at').notNull(),
});

/**
 * Normalized events, one per message/status/opt-in/error, written in the same transaction as their
 * delivery. The unique key makes a provider's re-delivery a no-op. `id` grows with arrival; the pending
 * index is partial, so processed events leave it.
 */
export const inboundEvents = pgTable(
  'inbound_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    provider: text('provider').notNull(),
    providerEventId: text('provider_event_id').notNull(),
    deliveryId: bigint('delivery_id', { mode: 'number' }).notNull(),
    type: text('type').notNull(),
    channelId: text('channel_id'),
    waId: text('wa_id'),
    normalized: json('normalized').notNull(),
    status: text('status').notNull().default('pending'),
    occurredAt: isoTime('occurred_at').notNull(),
    receivedAt: isoTime('received_at').notNull(),
    /** While `pending`: the lease of the process that took it (see PgEventRepository#pending). */
    processedAt: isoTime('processed_at'),
    error: text('error'),
  },
  (t) => [
    uniqueIndex('inbound_events_provider_event_uq').on(t.provider, t.providerEventId),
    index('inbound_events_pending_idx').on(t.id).where(sql`status = 'pending'`),
    index('inbound_events_type_idx').on(t.type, t.id),
    index('inbound_events_wa_idx').on(t.waId, t.id),
    // Analytics: consent changes in a date range.
    index('inbound_events_type_occurred_idx').on(t.type, t.occurredAt),
  ],
);

export const contacts = pgTable(
  'contacts',
  {
    id: text('id').primaryKey(),
    channel: text('channel').notNull().default('default'),
    waId: text('wa_id').notNull(),
    name: text('name'),
    /** E.164 with "+", derived from the WhatsApp id. */
    phone: text('phone'),
    country: text('country'),
    /** Per category (all, marketing, utility): { optedIn, source, at }. */
    consent: json('consent').notNull().default(sql`'{}'::json`),
    attributes: json('attributes').notNull().default(sql`'{}'::json`),
    tags: json('tags').notNull().default(sql`'[]'::json`),
    timezone: text('timezone'),
    lastInboundAt: isoTime('last_inbound_at'),
    createdAt: isoTime('created_at').notNull(),
    updatedAt: isoTime('updated_at').notNull(),
  },
  (t) => [uniqueIndex('contacts_channel_wa_uq').on(t.channel, t.waId)],
);

/**
 * Outgoing messages, keyed by the step's idempotency key so a re-run step cannot send twice.
 * status: queued → sending → sent → delivered → read, or failed / refused (policy).
 */
export const outbox = pgTable(
  'outbox',
  {
    id: text('id').primaryKey(),
    idempotencyKey: text('idempotency_key').notNull(),
    runId: text('run_id'),
    nodeId: text('node_id'),
    channel: text('channel').notNull(),
    recipient: text('recipient').notNull(),
    kind: text('kind').notNull(),
    category: text('category'),
    payload: json('payload').notNull(),
    status: text('status').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: isoTime('next_attempt_at'),
    /** While `sending`: when the claim lapses and another sender may take the message back. */
    claimExpiresAt: isoTime('claim_expires_at'),
    providerMessageId: text('provider_message_id'),
    lastError: json('last_error'),
    createdAt: isoTime('created_at').notNull(),
    updatedAt: isoTime('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('outbox_idempotency_uq').on(t.idempotencyKey),
    index('outbox_status_idx').on(t.status, t.nextAttemptAt),
    index('outbox_provider_id_idx').on(t.providerMessageId),
    index('outbox_recipient_idx').on(t.recipient, t.createdAt),
    // Claims look for a recipient's older queued or sending messages (per-recipient order).
    index('outbox_recipient_order_idx').on(t.channel, t.recipient, t.status, t.createdAt),
    // Analytics: messages created in a date range, counted by status and run, and their status history
    // found by id, without reading the rows.
    index('outbox_created_idx').on(t.createdAt, t.status, t.runId, t.id),
    // Analytics: the read messages of a range, whose time to read the messaging report samples.
    index('outbox_read_idx').on(t.createdAt, t.id).where(sql`${t.status} in ('read', 'played')`),
  ],
);

/** Every status an outgoing message went through, with its time, source and error. */
export const outboxStatuses = pgTable(
  'outbox_statuses',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    outboxId: text('outbox_id').notNull(),
    status: text('status').notNull(),
    at: isoTime('at').notNull(),
    source: text('source').notNull(),
    error: json('error'),
  },
  (t) => [
    index('outbox_statuses_outbox_idx').on(t.outboxId, t.id),
    // Analytics: when a message was first accepted and first read (time to read).
    index('outbox_statuses_outbox_status_idx').on(t.outboxId, t.status, t.at),
  ],
);
