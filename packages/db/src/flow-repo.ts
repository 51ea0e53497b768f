import { type AnyColumn, and, asc, desc, eq, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from './connection.js';
import { flows, flowVersions, runs, runWaits } from './schema.js';

/** A flow document as stored; the server validates it before it gets here. */
export interface FlowDocument {
  id: string;
  name: string;
  description?: string;
  [key: string]: unknown;
}

export interface FlowRecord {
  id: string;
  name: string;
  description: string;
  active: boolean;
  version: number;
  /** The latest version has no validation errors (false: it is a draft, which never runs). */
  valid: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface FlowVersionRecord {
  version: number;
  valid: boolean;
  createdAt: string;
}

/** Flows with their full version history. Saving an unchanged document adds no version. */
export class FlowRepository {
  /** Bumped on every write, so callers can cache what they derive from the flows (e.g. active triggers). */
  generation = 0;

  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Saves a document as the next version (creating the flow if new). Returns the record and whether it
   * changed. `valid: false` stores a draft (the caller validated it and found errors).
   */
  save(
    doc: FlowDocument,
    { valid = true }: { valid?: boolean } = {},
  ): { flow: FlowRecord; created: boolean; changed: boolean } {
    this.generation++;
    const at = this.now().toISOString();
    return this.db.transaction(
      (tx) => {
        const existing = tx.select().from(flows).where(eq(flows.id, doc.id)).get();
        if (!existing) {
          tx.insert(flows)
            .values({
              id: doc.id,
              name: doc.name,
              description: doc.description ?? '',
              currentVersion: 1,
              createdAt: at,
              updatedAt: at,
            })
            .run();
          tx.insert(flowVersions)
            .values({ flowId: doc.id, version: 1, document: doc, valid, createdAt: at })
            .run();
          return { flow: this.record(tx, doc.id)!, created: true, changed: true };
        }
        const currentKey = and(
          eq(flowVersions.flowId, doc.id),
          eq(flowVersions.version, existing.currentVersion),
        );
        const current = tx
          .select({ document: flowVersions.document, valid: flowVersions.valid })
          .from(flowVersions)
          .where(currentKey)
          .get();
        const changed = JSON.stringify(current?.document) !== JSON.stringify(doc);
        const version = changed ? existing.currentVersion + 1 : existing.currentVersion;
        if (changed)
          tx.insert(flowVersions)
            .values({ flowId: doc.id, version, document: doc, valid, createdAt: at })
            .run();
        // Validity is derived from the document and the node catalog, which can change between releases:
        // an unchanged document saved again records what the caller found now.
        else if (current && current.valid !== valid)
          tx.update(flowVersions).set({ valid }).where(currentKey).run();
        tx.update(flows)
          .set({
            name: doc.name,
            description: doc.description ?? '',
            currentVersion: version,
            deletedAt: null,
            ...(changed || existing.deletedAt ? { updatedAt: at } : {}),
          })
          .where(eq(flows.id, doc.id))
          .run();
        return { flow: this.record(tx, doc.id)!, created: existing.deletedAt !== null, changed };
      },
      { behavior: 'immediate' },
    );
  }

  get(id: string): (FlowRecord & { document: FlowDocument }) | undefined {
    const flow = this.record(this.db, id);
    if (!flow) return undefined;
    const document = this.getVersion(id, flow.version)!;
    return { ...flow, document };
  }

  getVersion(id: string, version: number): FlowDocument | undefined {
    const row = this.db
      .select({ document: flowVersions.document })
      .from(flowVersions)
      .where(and(eq(flowVersions.flowId, id), eq(flowVersions.version, version)))
      .get();
    return row?.document as FlowDocument | undefined;
  }

  /**
   * Changes whenever any flow is saved, activated, deactivated or deleted (every write moves its
   * `updated_at` and saves add versions): a cheap check for caches that other processes' writes
   * invalidate.
   */
  changeMarker(): string {
    const row = this.db
      .select({
        n: sql<number>`count(*)`,
        at: sql<string | null>`max(${flows.updatedAt})`,
        versions: sql<number | null>`sum(${flows.currentVersion})`,
        active: sql<number | null>`sum(${flows.active})`,
      })
      .from(flows)
      .get();
    return `${row?.n ?? 0}|${row?.at ?? ''}|${row?.versions ?? 0}|${row?.active ?? 0}`;
  }

  list(options: { search?: string; active?: boolean } = {}): FlowRecord[] {
    const pattern = options.search ? `%${options.search.replace(/[%_\\]/g, (c) => `\\${c}`)}%` : undefined;
    return this.db
      .select({ flow: flows, valid: flowVersions.valid })
      .from(flows)
      .innerJoin(flowVersions, currentVersionOn)
      .where(
        and(
          isNull(flows.deletedAt),
          options.active === undefined ? undefined : eq(flows.active, options.active),
          pattern ? or(likeEscaped(flows.name, pattern), likeEscaped(flows.id, pattern)) : undefined,
        ),
      )
      .orderBy(asc(flows.name))
      .all()
      .map(toRecord);
  }

  versions(id: string): FlowVersionRecord[] {
    return this.db
      .select({ version: flowVersions.version, valid: flowVersions.valid, createdAt: flowVersions.createdAt })
      .from(flowVersions)
      .where(eq(flowVersions.flowId, id))
      .orderBy(desc(flowVersions.version))
      .all();
  }

  setActive(id: string, active: boolean): FlowRecord | undefined {
    this.generation++;
    this.db
      .update(flows)
      .set({ active, updatedAt: this.now().toISOString() })
      .where(and(eq(flows.id, id), isNull(flows.deletedAt)))
      .run();
    return this.record(this.db, id);
  }

  /**
   * Deletes a flow from listings and cancels its unfinished runs. Versions stay, so past
   * executions still show the flow they ran.
   */
  delete(id: string): boolean {
    this.generation++;
    const at = this.now().toISOString();
    return this.db.transaction(
      (tx) => {
        const changed = tx
          .update(flows)
          .set({ deletedAt: at, active: false, updatedAt: at })
          .where(and(eq(flows.id, id), isNull(flows.deletedAt)))
          .run().changes;
        if (changed === 0) return false;
        const open = tx
          .select({ id: runs.id })
          .from(runs)
          .where(
            and(
              eq(runs.flowId, id),
              or(eq(runs.status, 'queued'), eq(runs.status, 'running'), eq(runs.status, 'waiting')),
            ),
          )
          .all();
        for (const run of open) {
          tx.update(runs)
            .set({ status: 'cancelled', finishedAt: at, leaseOwner: null, leaseExpiresAt: 0, wakeAt: null })
            .where(eq(runs.id, run.id))
            .run();
          tx.delete(runWaits).where(eq(runWaits.runId, run.id)).run();
        }
        return true;
      },
      { behavior: 'immediate' },
    );
  }

  private record(db: Pick<Db, 'select'>, id: string): FlowRecord | undefined {
    const row = db
      .select({ flow: flows, valid: flowVersions.valid })
      .from(flows)
      .innerJoin(flowVersions, currentVersionOn)
      .where(and(eq(flows.id, id), isNull(flows.deletedAt)))
      .get();
    return row ? toRecord(row) : undefined;
  }
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

function likeEscaped(column: AnyColumn, pattern: string): SQL {
  return sql`${column} like ${pattern} escape '\\'`;
}
