import { boolean, index, integer, json, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { isoTime } from '../columns.js';

// Postgres tables of this area, mirroring ../../schema.ts (see ../columns.ts for times).

export const flows = pgTable(
  'flows',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    active: boolean('active').notNull().default(false),
    currentVersion: integer('current_version').notNull(),
    createdAt: isoTime('created_at').notNull(),
    updatedAt: isoTime('updated_at').notNull(),
    deletedAt: isoTime('deleted_at'),
  },
  (t) => [index('flows_name_idx').on(t.name)],
);

/** Every saved version of a flow, immutable: runs point at the version they started on. */
export const flowVersions = pgTable(
  'flow_versions',
  {
    flowId: text('flow_id').notNull(),
    version: integer('version').notNull(),
    // `json`, not `jsonb`: it keeps the document's text (key order included), which `save` compares.
    document: json('document').notNull(),
    /** False for a draft: a document that still has validation errors; never run. */
    valid: boolean('valid').notNull().default(true),
    createdAt: isoTime('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.flowId, t.version] })],
);

/**
 * Runs started by another run's "call flow" node: the parent link bounds call depth, and the unique
 * idempotency key (the calling step's) makes a re-run step find its first child.
 */
export const runCalls = pgTable(
  'run_calls',
  {
    childRunId: text('child_run_id').primaryKey(),
    parentRunId: text('parent_run_id').notNull(),
    parentNodeId: text('parent_node_id').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    depth: integer('depth').notNull(),
    createdAt: isoTime('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('run_calls_idempotency_uq').on(t.idempotencyKey),
    index('run_calls_parent_idx').on(t.parentRunId),
  ],
);

/** When each active scheduled flow fires next (one row per flow whose trigger is `trigger.schedule`). */
export const flowSchedules = pgTable(
  'flow_schedules',
  {
    flowId: text('flow_id').primaryKey(),
    nodeId: text('node_id').notNull(),
    flowVersion: integer('flow_version').notNull(),
    cron: text('cron').notNull(),
    timezone: text('timezone').notNull(),
    missed: text('missed').notNull(),
    nextFireAt: isoTime('next_fire_at').notNull(),
    updatedAt: isoTime('updated_at').notNull(),
  },
  (t) => [index('flow_schedules_due_idx').on(t.nextFireAt)],
);
