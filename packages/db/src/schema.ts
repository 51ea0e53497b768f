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

/** Every accepted webhook body, stored before the 200; the unique key makes provider retries no-ops. */
export const inboundEvents = sqliteTable(
  'inbound_events',
  {
    id: text('id').primaryKey(),
    provider: text('provider').notNull(),
    providerEventId: text('provider_event_id').notNull(),
    rawBody: blob('raw_body', { mode: 'buffer' }).notNull(),
    normalized: text('normalized', { mode: 'json' }),
    status: text('status').notNull().default('pending'),
    receivedAt: text('received_at').notNull(),
    processedAt: text('processed_at'),
    error: text('error'),
  },
  (t) => [
    uniqueIndex('inbound_events_provider_event_uq').on(t.provider, t.providerEventId),
    index('inbound_events_status_idx').on(t.status, t.receivedAt),
  ],
);

export const contacts = sqliteTable(
  'contacts',
  {
    id: text('id').primaryKey(),
    channel: text('channel').notNull().default('default'),
    waId: text('wa_id').notNull(),
    name: text('name'),
    attributes: text('attributes', { mode: 'json' }).notNull().default(sql`'{}'`),
    tags: text('tags', { mode: 'json' }).notNull().default(sql`'[]'`),
    optedIn: integer('opted_in', { mode: 'boolean' }).notNull().default(false),
    lastInboundAt: text('last_inbound_at'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [uniqueIndex('contacts_channel_wa_uq').on(t.channel, t.waId)],
);

/** Outgoing messages, keyed by the step's idempotency key so a re-run step cannot send twice. */
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
    payload: text('payload', { mode: 'json' }).notNull(),
    status: text('status').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: text('next_attempt_at'),
    providerMessageId: text('provider_message_id'),
    lastError: text('last_error'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('outbox_idempotency_uq').on(t.idempotencyKey),
    index('outbox_status_idx').on(t.status, t.nextAttemptAt),
  ],
);
