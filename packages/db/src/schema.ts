import { sql } from 'drizzle-orm';
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// Times are ISO-8601 UTC strings (they sort as text), except lease expiry, which is compared as epoch ms.

export const flows = sqliteTable(
  'flows',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    active: integer('active', { mode: 'boolean' }).notNull().default(false),
    currentVersion: integer('current_version').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    deletedAt: text('deleted_at'),
  },
  (t) => [index('flows_name_idx').on(t.name)],
);

/** Every saved version of a flow, immutable: runs point at the version they started on. */
export const flowVersions = sqliteTable(
  'flow_versions',
  {
    flowId: text('flow_id').notNull(),
    version: integer('version').notNull(),
    document: text('document', { mode: 'json' }).notNull(),
    /**
     * False for a draft: a document shaped like a flow that still has validation errors (the editor
     * saves work in progress). Such a version is never run, and an active flow never gets one.
     */
    valid: integer('valid', { mode: 'boolean' }).notNull().default(true),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.flowId, t.version] })],
);

export const runs = sqliteTable(
  'runs',
  {
    id: text('id').primaryKey(),
    flowId: text('flow_id').notNull(),
    flowVersion: integer('flow_version').notNull(),
    status: text('status').notNull(),
    triggerNodeId: text('trigger_node_id').notNull(),
    contactId: text('contact_id'),
    state: text('state', { mode: 'json' }).notNull(),
    error: text('error', { mode: 'json' }),
    wakeAt: text('wake_at'),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: integer('lease_expires_at').notNull().default(0),
    createdAt: text('created_at').notNull(),
    startedAt: text('started_at'),
    finishedAt: text('finished_at'),
  },
  (t) => [
    index('runs_claim_idx').on(t.status, t.wakeAt),
    index('runs_flow_idx').on(t.flowId, t.createdAt),
    index('runs_contact_idx').on(t.contactId, t.createdAt),
    index('runs_created_idx').on(t.createdAt),
  ],
);

/** One row per attempt of one node: the executions view reads these. */
export const runSteps = sqliteTable(
  'run_steps',
  {
    id: text('id').primaryKey(),
    runId: text('run_id').notNull(),
    seq: integer('seq').notNull(),
    nodeId: text('node_id').notNull(),
    nodeType: text('node_type').notNull(),
    attempt: integer('attempt').notNull(),
    status: text('status').notNull(),
    ports: text('ports', { mode: 'json' }).notNull().default(sql`'[]'`),
    input: text('input', { mode: 'json' }),
    output: text('output', { mode: 'json' }),
    error: text('error', { mode: 'json' }),
    startedAt: text('started_at').notNull(),
    finishedAt: text('finished_at'),
    durationMs: integer('duration_ms'),
  },
  (t) => [index('run_steps_run_idx').on(t.runId, t.seq)],
);

/** A parked branch: woken at `wake_at`, or when something delivers `wake_key` (e.g. a reply). */
export const runWaits = sqliteTable(
  'run_waits',
  {
    token: text('token').primaryKey(),
    runId: text('run_id').notNull(),
    wakeAt: text('wake_at'),
    wakeKey: text('wake_key'),
    fired: integer('fired', { mode: 'boolean' }).notNull().default(false),
    payload: text('payload', { mode: 'json' }),
  },
  (t) => [index('run_waits_key_idx').on(t.wakeKey), index('run_waits_run_idx').on(t.runId)],
);

/** Business numbers. Secrets (access token, app secret, verify token) are stored encrypted, never returned. */
export const channels = sqliteTable('channels', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  phoneNumberId: text('phone_number_id').notNull().unique(),
  wabaId: text('waba_id'),
  displayPhoneNumber: text('display_phone_number'),
  /** AES-256-GCM ciphertext of the JSON secrets (see the server's vault). */
  secrets: text('secrets').notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
});

/** Every accepted webhook body, raw bytes as received, stored before the 200. */
export const webhookDeliveries = sqliteTable('webhook_deliveries', {
  // Integer keys keep the per-request insert to the table b-tree alone (no separate key index).
  id: integer('id').primaryKey({ autoIncrement: true }),
  provider: text('provider').notNull(),
  channelId: text('channel_id'),
  rawBody: blob('raw_body', { mode: 'buffer' }).notNull(),
  receivedAt: text('received_at').notNull(),
});

/**
 * Normalized events, one per message/status/opt-in/error, written in the same transaction as their
 * delivery. The unique key makes a provider's re-delivery a no-op. `id` grows with arrival, so it is
 * also the arrival order; the pending index is partial, so processed events leave it.
 */
export const inboundEvents = sqliteTable(
  'inbound_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    provider: text('provider').notNull(),
    providerEventId: text('provider_event_id').notNull(),
    deliveryId: integer('delivery_id').notNull(),
    type: text('type').notNull(),
    channelId: text('channel_id'),
    waId: text('wa_id'),
    normalized: text('normalized', { mode: 'json' }).notNull(),
    status: text('status').notNull().default('pending'),
    occurredAt: text('occurred_at').notNull(),
    receivedAt: text('received_at').notNull(),
    processedAt: text('processed_at'),
    error: text('error'),
  },
  (t) => [
    uniqueIndex('inbound_events_provider_event_uq').on(t.provider, t.providerEventId),
    index('inbound_events_pending_idx').on(t.id).where(sql`status = 'pending'`),
    index('inbound_events_type_idx').on(t.type, t.id),
    index('inbound_events_wa_idx').on(t.waId, t.id),
  ],
);

export const contacts = sqliteTable(
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
    consent: text('consent', { mode: 'json' }).notNull().default(sql`'{}'`),
    attributes: text('attributes', { mode: 'json' }).notNull().default(sql`'{}'`),
    tags: text('tags', { mode: 'json' }).notNull().default(sql`'[]'`),
    timezone: text('timezone'),
    lastInboundAt: text('last_inbound_at'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [uniqueIndex('contacts_channel_wa_uq').on(t.channel, t.waId)],
);

/**
 * Outgoing messages, keyed by the step's idempotency key so a re-run step cannot send twice.
 * status: queued → sending → sent → delivered → read, or failed / refused (policy).
 */
export const outbox = sqliteTable(
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
    payload: text('payload', { mode: 'json' }).notNull(),
    status: text('status').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: text('next_attempt_at'),
    providerMessageId: text('provider_message_id'),
    lastError: text('last_error', { mode: 'json' }),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('outbox_idempotency_uq').on(t.idempotencyKey),
    index('outbox_status_idx').on(t.status, t.nextAttemptAt),
    index('outbox_provider_id_idx').on(t.providerMessageId),
    index('outbox_recipient_idx').on(t.recipient, t.createdAt),
  ],
);

/** Every status an outgoing message went through, with its time, source and error. */
export const outboxStatuses = sqliteTable(
  'outbox_statuses',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    outboxId: text('outbox_id').notNull(),
    status: text('status').notNull(),
    at: text('at').notNull(),
    source: text('source').notNull(),
    error: text('error', { mode: 'json' }),
  },
  (t) => [index('outbox_statuses_outbox_idx').on(t.outboxId, t.id)],
);

/**
 * Runs started by another run's "call flow" node: the parent link bounds call depth (A → B → A loops
 * stop), and the unique idempotency key (the calling step's) makes a re-run step find its first child.
 */
export const runCalls = sqliteTable(
  'run_calls',
  {
    childRunId: text('child_run_id').primaryKey(),
    parentRunId: text('parent_run_id').notNull(),
    parentNodeId: text('parent_node_id').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    depth: integer('depth').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('run_calls_idempotency_uq').on(t.idempotencyKey),
    index('run_calls_parent_idx').on(t.parentRunId),
  ],
);

/**
 * When each active scheduled flow fires next (one row per flow whose trigger is `trigger.schedule`).
 * The server starts the run and moves `next_fire_at` on in one transaction, so a crash neither loses
 * nor repeats an occurrence. `cron`, `timezone` and `missed` are the trigger's settled params, kept to
 * tell whether a new flow version changed the schedule (an unchanged one keeps its next time).
 */
export const flowSchedules = sqliteTable(
  'flow_schedules',
  {
    flowId: text('flow_id').primaryKey(),
    nodeId: text('node_id').notNull(),
    flowVersion: integer('flow_version').notNull(),
    cron: text('cron').notNull(),
    timezone: text('timezone').notNull(),
    missed: text('missed').notNull(),
    nextFireAt: text('next_fire_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('flow_schedules_due_idx').on(t.nextFireAt)],
);

/**
 * The editor's simulator: which flow each simulated customer (a WhatsApp id on the built-in
 * `simulator` channel) is testing, and when its conversation was last cleared. A table of its own
 * rather than contact attributes, so flows never see (or overwrite) it in `contact.attributes`.
 */
export const simulatorSessions = sqliteTable('simulator_sessions', {
  waId: text('wa_id').primaryKey(),
  flowId: text('flow_id'),
  /** Messages and runs from before this are no longer shown (a "fresh start"). */
  clearedAt: text('cleared_at'),
  updatedAt: text('updated_at').notNull(),
});

/**
 * One row per simulated customer message, written before it is posted to the ingress: the flow it is
 * meant for and its clock override. The dispatcher reads it by the message's wamid, so two messages in
 * flight never mix up their flows or clocks.
 */
export const simulatorMessages = sqliteTable(
  'simulator_messages',
  {
    messageId: text('message_id').primaryKey(),
    waId: text('wa_id').notNull(),
    flowId: text('flow_id').notNull(),
    /** The runs this message starts or resumes see `now` shifted by this much; null: real time. */
    clockOffsetMs: integer('clock_offset_ms'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('simulator_messages_wa_idx').on(t.waId)],
);
