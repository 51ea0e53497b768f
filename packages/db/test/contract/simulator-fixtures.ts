import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../src/connection.js';
import type { PgDb } from '../../src/pg/connection.js';
import * as pgSchema from '../../src/pg/schema.js';
import * as sqliteSchema from '../../src/schema.js';

// Rows of other areas the simulator reads (runs, inbound events, outbox), written straight into each
// database: the simulator contract must not depend on the other repositories' ports.

export interface SeedRun {
  id: string;
  contactId: string;
  status: string;
  /** The trigger's channel (the simulator's, or another). */
  channelId: string;
  createdAt: string;
}

export interface SeedInbound {
  waId: string;
  channelId: string;
  messageId: string;
  text?: string;
  type?: string;
  receivedAt: string;
}

export interface SeedOutbound {
  id: string;
  recipient: string;
  channel: string;
  kind?: string;
  payload?: Record<string, unknown>;
  status?: string;
  createdAt: string;
}

export interface SimulatorSeed {
  run(run: SeedRun): Promise<void>;
  runState(id: string): Promise<unknown>;
  /** Stores a received event; returns its id. */
  inbound(event: SeedInbound): Promise<number>;
  outbound(row: SeedOutbound): Promise<void>;
  /** Records a status change of an outgoing message (history row + current status). */
  status(outboxId: string, status: string, at: string): Promise<void>;
  statusCount(outboxId: string): Promise<number>;
}

const runState = (run: SeedRun) => ({ trigger: { channelId: run.channelId }, vars: { n: 1 } });
const normalized = (e: SeedInbound) => ({ messageId: e.messageId, text: e.text ?? 'hola' });
let eventSeq = 0;
const inboundRow = (e: SeedInbound) => ({
  provider: 'whatsapp',
  providerEventId: `pe-${e.messageId}-${++eventSeq}`,
  deliveryId: 1,
  type: e.type ?? 'message.received',
  channelId: e.channelId,
  waId: e.waId,
  normalized: normalized(e),
  occurredAt: e.receivedAt,
  receivedAt: e.receivedAt,
});
const outboxRow = (o: SeedOutbound) => ({
  id: o.id,
  idempotencyKey: `k-${o.id}`,
  channel: o.channel,
  recipient: o.recipient,
  kind: o.kind ?? 'text',
  payload: o.payload ?? { text: o.id },
  status: o.status ?? 'queued',
  createdAt: o.createdAt,
  updatedAt: o.createdAt,
});
const runRow = (run: SeedRun) => ({
  id: run.id,
  flowId: 'f',
  flowVersion: 1,
  status: run.status,
  triggerNodeId: 't',
  contactId: run.contactId,
  state: runState(run),
});

export function sqliteSeed(db: Db): SimulatorSeed {
  const s = sqliteSchema;
  return {
    run: async (run) => {
      db.insert(s.runs)
        .values({ ...runRow(run), createdAt: run.createdAt })
        .run();
    },
    runState: async (id) =>
      db.select({ state: s.runs.state }).from(s.runs).where(eq(s.runs.id, id)).get()?.state,
    inbound: async (e) => {
      const [row] = db
        .insert(s.inboundEvents)
        .values(inboundRow(e))
        .returning({ id: s.inboundEvents.id })
        .all();
      return row?.id ?? -1;
    },
    outbound: async (o) => {
      db.insert(s.outbox).values(outboxRow(o)).run();
    },
    status: async (outboxId, status, at) => {
      db.insert(s.outboxStatuses).values({ outboxId, status, at, source: 'test' }).run();
      db.update(s.outbox).set({ status, updatedAt: at }).where(eq(s.outbox.id, outboxId)).run();
    },
    statusCount: async (outboxId) =>
      db
        .select({ n: sql<number>`count(*)` })
        .from(s.outboxStatuses)
        .where(eq(s.outboxStatuses.outboxId, outboxId))
        .get()?.n ?? 0,
  };
}

export function pgSeed(db: PgDb): SimulatorSeed {
  const s = pgSchema;
  return {
    run: async (run) => {
      await db.insert(s.runs).values({ ...runRow(run), createdAt: new Date(run.createdAt) });
    },
    runState: async (id) =>
      (await db.select({ state: s.runs.state }).from(s.runs).where(eq(s.runs.id, id)))[0]?.state,
    inbound: async (e) => {
      const [row] = await db
        .insert(s.inboundEvents)
        .values(inboundRow(e))
        .returning({ id: s.inboundEvents.id });
      return row?.id ?? -1;
    },
    outbound: async (o) => {
      await db.insert(s.outbox).values(outboxRow(o));
    },
    status: async (outboxId, status, at) => {
      await db.transaction(async (tx) => {
        await tx.insert(s.outboxStatuses).values({ outboxId, status, at, source: 'test' });
        await tx.update(s.outbox).set({ status, updatedAt: at }).where(eq(s.outbox.id, outboxId));
      });
    },
    statusCount: async (outboxId) => {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(s.outboxStatuses)
        .where(eq(s.outboxStatuses.outboxId, outboxId));
      return row?.n ?? 0;
    },
  };
}
