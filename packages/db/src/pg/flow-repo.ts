import { and, desc, eq, inArray, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { FlowDocument, FlowRecord, FlowRepository, FlowVersionRecord } from '../flow-repo.js';
import type { AsyncOf } from '../ports.js';
import type { PgDb, PgSession } from './connection.js';
import { flows, flowVersions, runs, runWaits } from './schema.js';

// Same behaviour as the SQLite repository; writes to one flow are serialized by a per-flow advisory
// lock instead of SQLite's single writer, and `generation` counts this process's writes only.

type Tx = Parameters<Parameters<PgDb['transaction']>[0]>[0];
type Reader = Pick<PgDb, 'select'>;

/** First key of the per-flow advisory locks (the second is the flow id hashed). */
const FLOW_LOCK = 0x5b_f1_0a;

export class PgFlowRepository implements AsyncOf<FlowRepository> {
  /** Bumped on every write made through this instance (other processes' writes do not show here). */
  generation = 0;

  constructor(
    private readonly db: PgSession,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async save(
    doc: FlowDocument,
    { valid = true }: { valid?: boolean } = {},
  ): Promise<{ flow: FlowRecord; created: boolean; changed: boolean }> {
    this.generation++;
    const at = this.now().toISOString();
    return this.db.transaction(async (tx) => {
      // Two processes saving the same flow must not both read the same current version (nor both
      // insert a new flow): the lock makes the read-then-write below one step per flow.
      await lockFlow(tx, doc.id);
      const [existing] = await tx.select().from(flows).where(eq(flows.id, doc.id));
      if (!existing) {
        await tx.insert(flows).values({
          id: doc.id,
          name: doc.name,
          description: doc.description ?? '',
          currentVersion: 1,
          createdAt: at,
          updatedAt: at,
        });
        await tx
          .insert(flowVersions)
          .values({ flowId: doc.id, version: 1, document: doc, valid, createdAt: at });
        return { flow: await mustRecord(tx, doc.id), created: true, changed: true };
      }
      const currentKey = and(
        eq(flowVersions.flowId, doc.id),
        eq(flowVersions.version, existing.currentVersion),
      );
      const [current] = await tx
        .select({ document: flowVersions.document, valid: flowVersions.valid })
        .from(flowVersions)
        .where(currentKey);
      const changed = JSON.stringify(current?.document) !== JSON.stringify(doc);
      const version = changed ? existing.currentVersion + 1 : existing.currentVersion;
      if (changed)
        await tx
          .insert(flowVersions)
          .values({ flowId: doc.id, version, document: doc, valid, createdAt: at });
      // Validity depends on the node catalog too: an unchanged document saved again records it anew.
      else if (current && current.valid !== valid)
        await tx.update(flowVersions).set({ valid }).where(currentKey);
      await tx
        .update(flows)
        .set({
          name: doc.name,
          description: doc.description ?? '',
          currentVersion: version,
          deletedAt: null,
          ...(changed || existing.deletedAt ? { updatedAt: at } : {}),
        })
        .where(eq(flows.id, doc.id));
      return { flow: await mustRecord(tx, doc.id), created: existing.deletedAt !== null, changed };
    });
  }

  async get(id: string): Promise<(FlowRecord & { document: FlowDocument }) | undefined> {
    // One statement, so the record and its document come from the same snapshot.
    const [row] = await this.db
      .select({ flow: flows, valid: flowVersions.valid, document: flowVersions.document })
      .from(flows)
      .innerJoin(flowVersions, currentVersionOn)
      .where(and(eq(flows.id, id), isNull(flows.deletedAt)));
    if (!row) return undefined;
    return { ...toRecord(row), document: row.document as FlowDocument };
  }

  async getVersion(id: string, version: number): Promise<FlowDocument | undefined> {
    const [row] = await this.db
      .select({ document: flowVersions.document })
      .from(flowVersions)
      .where(and(eq(flowVersions.flowId, id), eq(flowVersions.version, version)));
    return row?.document as FlowDocument | undefined;
  }

  async changeMarker(): Promise<string> {
    const [row] = await this.db
      .select({
        n: sql<number>`count(*)::int`,
        at: sql<string | null>`max(${flows.updatedAt})`,
        versions: sql<number | null>`sum(${flows.currentVersion})::int`,
        active: sql<number | null>`count(*) filter (where ${flows.active})::int`,
      })
      .from(flows);
    const at = row?.at ? new Date(row.at).toISOString() : '';
    return `${row?.n ?? 0}|${at}|${row?.versions ?? 0}|${row?.active ?? 0}`;
  }

  async list(options: { search?: string; active?: boolean } = {}): Promise<FlowRecord[]> {
    const pattern = options.search ? `%${options.search.replace(/[%_\\]/g, (c) => `\\${c}`)}%` : undefined;
    const rows = await this.db
      .select({ flow: flows, valid: flowVersions.valid })
      .from(flows)
      .innerJoin(flowVersions, currentVersionOn)
      .where(
        and(
          isNull(flows.deletedAt),
          options.active === undefined ? undefined : eq(flows.active, options.active),
          // SQLite's `like` ignores ASCII case: `ilike` does the same here.
          pattern ? or(ilikeEscaped(flows.name, pattern), ilikeEscaped(flows.id, pattern)) : undefined,
        ),
      )
      // SQLite orders text by its bytes: "C" does the same whatever the database's collation.
      .orderBy(sql`${flows.name} collate "C"`, sql`${flows.id} collate "C"`);
    return rows.map(toRecord);
  }

  async versions(id: string): Promise<FlowVersionRecord[]> {
    return this.db
      .select({ version: flowVersions.version, valid: flowVersions.valid, createdAt: flowVersions.createdAt })
      .from(flowVersions)
      .where(eq(flowVersions.flowId, id))
      .orderBy(desc(flowVersions.version));
  }

  async setActive(id: string, active: boolean): Promise<FlowRecord | undefined> {
    this.generation++;
    await this.db
      .update(flows)
      .set({ active, updatedAt: this.now().toISOString() })
      .where(and(eq(flows.id, id), isNull(flows.deletedAt)));
    return record(this.db, id);
  }

  /** Deletes a flow from listings and cancels its unfinished runs; versions stay. */
  async delete(id: string): Promise<boolean> {
    this.generation++;
    const at = this.now().toISOString();
    return this.db.transaction(async (tx) => {
      await lockFlow(tx, id);
      const deleted = await tx
        .update(flows)
        .set({ deletedAt: at, active: false, updatedAt: at })
        .where(and(eq(flows.id, id), isNull(flows.deletedAt)))
        .returning({ id: flows.id });
      if (deleted.length === 0) return false;
      // One conditional update: a run a worker finishes meanwhile is no longer open and stays as it
      // ended; a worker holding a lease on a cancelled run finds its lease gone (the run store checks).
      const cancelled = await tx
        .update(runs)
        .set({
          status: 'cancelled',
          finishedAt: new Date(at),
          leaseOwner: null,
          leaseExpiresAt: 0,
          wakeAt: null,
        })
        .where(and(eq(runs.flowId, id), inArray(runs.status, ['queued', 'running', 'waiting'])))
        .returning({ id: runs.id });
      if (cancelled.length > 0)
        await tx.delete(runWaits).where(
          inArray(
            runWaits.runId,
            cancelled.map((r) => r.id),
          ),
        );
      return true;
    });
  }
}

async function lockFlow(tx: Tx, id: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${FLOW_LOCK}, hashtext(${id}))`);
}

async function record(db: Reader, id: string): Promise<FlowRecord | undefined> {
  const [row] = await db
    .select({ flow: flows, valid: flowVersions.valid })
    .from(flows)
    .innerJoin(flowVersions, currentVersionOn)
    .where(and(eq(flows.id, id), isNull(flows.deletedAt)));
  return row ? toRecord(row) : undefined;
}

/** The record of a flow the transaction has just written (so it exists). */
async function mustRecord(db: Reader, id: string): Promise<FlowRecord> {
  const flow = await record(db, id);
  if (!flow) throw new Error(`flow ${id} vanished inside its own transaction`);
  return flow;
}

/** Joins each flow to its current version's row (for its `valid` flag). */
const currentVersionOn = and(
  eq(flowVersions.flowId, flows.id),
  eq(flowVersions.version, flows.currentVersion),
);

function toRecord({ flow: row, valid }: { flow: typeof flows.$inferSelect; valid: boolean }): FlowRecord {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    active: row.active,
    version: row.currentVersion,
    valid,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function ilikeEscaped(column: typeof flows.name | typeof flows.id, pattern: string): SQL {
  return sql`${column} ilike ${pattern} escape '\\'`;
}
