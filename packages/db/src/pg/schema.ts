import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, json, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { textC } from './columns.js';

// The run tables of ../schema.ts on Postgres (the scale-out mode), same names, columns and indexes.
// Times are `timestamptz` (compared as instants, readable in SQL, not reliant on every writer formatting
// ISO strings identically); the store turns them back into the engine's ISO-8601 UTC strings
// (`Date#toISOString`, millisecond precision, so what the engine wrote is what it reads). Lease expiry
// stays epoch milliseconds (bigint), as in SQLite: the claim compares it with `now.getTime()`.
// Snapshots, step data and payloads are `json`, not `jsonb`: jsonb refuses strings holding \u0000 (a
// customer's message could, and an accepted event must never fail to store) and reorders object keys;
// nothing queries inside them.

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

export const runs = pgTable(
  'runs',
  {
    id: text('id').primaryKey(),
    flowId: text('flow_id').notNull(),
    flowVersion: integer('flow_version').notNull(),
    status: text('status').notNull(),
    triggerNodeId: text('trigger_node_id').notNull(),
    contactId: text('contact_id'),
    state: json('state').notNull(),
    error: json('error'),
    wakeAt: at('wake_at'),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: bigint('lease_expires_at', { mode: 'number' }).notNull().default(0),
    createdAt: at('created_at').notNull(),
    startedAt: at('started_at'),
    finishedAt: at('finished_at'),
  },
  (t) => [
    index('runs_claim_idx').on(t.status, t.wakeAt),
    index('runs_flow_idx').on(t.flowId, t.createdAt),
    index('runs_contact_idx').on(t.contactId, t.createdAt),
    // Claims probe a contact's queued, running and due waiting runs (one contact's runs go in order).
    index('runs_contact_claim_idx').on(t.contactId, t.status, t.wakeAt),
    index('runs_created_idx').on(t.createdAt),
    // Analytics: a message's flow through its run without reading the run's row (its snapshot is large).
    index('runs_flow_of_idx').on(t.id, t.flowId),
    // Analytics: runs created in a date range, counted by flow and status without reading the rows.
    index('runs_created_flow_idx').on(t.createdAt, t.flowId, t.status),
  ],
);

/** One row per attempt of one node: the executions view reads these. */
export const runSteps = pgTable(
  'run_steps',
  {
    id: text('id').primaryKey(),
    runId: text('run_id').notNull(),
    seq: integer('seq').notNull(),
    nodeId: text('node_id').notNull(),
    nodeType: text('node_type').notNull(),
    attempt: integer('attempt').notNull(),
    status: text('status').notNull(),
    ports: json('ports').notNull().default(sql`'[]'::json`),
    input: json('input'),
    output: json('output'),
    error: json('error'),
    startedAt: at('started_at').notNull(),
    finishedAt: at('finished_at'),
    durationMs: integer('duration_ms'),
  },
  (t) => [index('run_steps_run_idx').on(t.runId, t.seq)],
);

/** A parked branch: woken at `wake_at`, or when something delivers `wake_key` (e.g. a reply). */
export const runWaits = pgTable(
  'run_waits',
  {
    token: text('token').primaryKey(),
    runId: text('run_id').notNull(),
    wakeAt: at('wake_at'),
    // Byte order, as SQLite: the key-prefix ranges of the wait queries can then use the key index.
    wakeKey: textC('wake_key'),
    fired: boolean('fired').notNull().default(false),
    payload: json('payload'),
  },
  (t) => [index('run_waits_key_idx').on(t.wakeKey), index('run_waits_run_idx').on(t.runId)],
);

// The other tables, one file per area (each mirrors its part of ../schema.ts).
export * from './tables/index.js';
