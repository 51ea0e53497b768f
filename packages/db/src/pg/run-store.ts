import type {
  Json,
  Lease,
  RunStatus,
  RunSummary,
  StepError,
  StepFinish,
  StepRecord,
  StepStart,
  StepStatus,
  WaitRow,
} from '@switchboard/flow-schema';
import { and, asc, eq, gt, inArray, isNotNull, isNull, lte, or, type SQL, sql } from 'drizzle-orm';
import pg from 'pg';
import { StoreError } from '../run-store.js';
import { byBytes } from './account-locks.js';
import { type PgDb, type PgSession, pgDb } from './connection.js';
import { runSteps, runs, runWaits } from './schema.js';

const INTERRUPTED: StepError = {
  message: 'interrupted: the process stopped during this step',
  code: 'E008',
  retryable: true,
};

type Tx = Parameters<Parameters<PgDb['transaction']>[0]>[0];

/**
 * The engine's run store on Postgres (scale-out: several worker processes share one database). Same
 * semantics as `SqliteRunStore`; every method is one transaction (READ COMMITTED) that locks the rows
 * it decides on:
 * - claims select due runs `FOR UPDATE SKIP LOCKED`, so concurrent claimers split them and never wait
 *   on each other, and a run whose lease a claimer took is re-checked (and dropped) by the next one;
 * - writes under a lease lock the run row first (`FOR UPDATE`, `FOR SHARE` for a step's start), then
 *   check the owner, so a claim that takes the run over cannot interleave with them.
 * A lost lease, a cancelled run or a missing one throws `StoreError` with the engine's codes.
 */
export class PgRunStore<S = unknown> {
  private readonly db: PgSession;

  /** On a pool, or on a caller's open transaction (its writes then commit or roll back with it). */
  constructor(source: pg.Pool | PgSession) {
    this.db = source instanceof pg.Pool ? pgDb(source) : source;
  }

  async createRun(run: {
    id: string;
    flowId: string;
    flowVersion: number;
    triggerNodeId: string;
    contactId: string | null;
    createdAt: string;
    state: S;
    triggerStep?: StepRecord;
  }): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(runs).values({
        id: run.id,
        flowId: run.flowId,
        flowVersion: run.flowVersion,
        triggerNodeId: run.triggerNodeId,
        contactId: run.contactId,
        status: 'queued',
        state: run.state ?? null,
        createdAt: date(run.createdAt),
      });
      const step = run.triggerStep;
      if (step) {
        await tx.insert(runSteps).values({
          ...step,
          input: step.input ?? null,
          output: step.output ?? null,
          startedAt: date(step.startedAt),
          finishedAt: dateOrNull(step.finishedAt),
        });
      }
    });
  }

  async claimRuns({
    owner,
    now,
    leaseMs,
    limit,
  }: {
    owner: string;
    now: Date;
    leaseMs: number;
    limit: number;
  }) {
    const t = now.getTime();
    return this.db.transaction(async (tx) => {
      // Rows another claimer (or a lease holder's write) has locked are skipped, not waited for; a row
      // claimed and committed since this statement's snapshot is re-checked and no longer matches.
      const due = await tx
        .select({ id: runs.id, contactId: runs.contactId })
        .from(runs)
        .where(
          and(
            or(
              inArray(runs.status, ['queued', 'running']),
              and(eq(runs.status, 'waiting'), lte(runs.wakeAt, now)),
            ),
            lte(runs.leaseExpiresAt, t),
            or(isNull(runs.contactId), contactFree(now)),
          ),
        )
        .orderBy(asc(runs.createdAt), byBytes(runs.id))
        .limit(limit)
        .for('update', { skipLocked: true });
      const ids = await keepContactOrder(tx, due, now);
      if (ids.length === 0) return [];
      const at = now.toISOString();
      await tx
        .update(runs)
        .set({
          leaseOwner: owner,
          leaseExpiresAt: t + leaseMs,
          status: 'running',
          startedAt: sql`coalesce(${runs.startedAt}, ${at}::timestamptz)`,
        })
        .where(inArray(runs.id, ids));
      await tx
        .update(runSteps)
        .set({ status: 'failed', error: INTERRUPTED, finishedAt: now })
        .where(and(inArray(runSteps.runId, ids), eq(runSteps.status, 'running')));
      // Fired (keyed) waits carry their payload; due timed waits are listed because the row's time can
      // be earlier than the snapshot's (a skipped wait).
      const waits = await tx
        .select()
        .from(runWaits)
        .where(and(inArray(runWaits.runId, ids), or(eq(runWaits.fired, true), lte(runWaits.wakeAt, now))))
        .orderBy(asc(runWaits.token));
      const rows = await tx
        .select()
        .from(runs)
        .where(inArray(runs.id, ids))
        .orderBy(asc(runs.createdAt), byBytes(runs.id));
      return rows.map((row) => ({
        ...summary(row),
        state: row.state as S,
        firedWaits: waits
          .filter((w) => w.runId === row.id && w.fired)
          .map((w) => ({ token: w.token, payload: (w.payload ?? null) as Json })),
        dueWaits: waits.filter((w) => w.runId === row.id && !w.fired).map((w) => w.token),
      }));
    });
  }

  async beginStep(lease: Lease, step: StepStart): Promise<void> {
    await this.db.transaction(async (tx) => {
      // A shared lock is enough against a takeover: a claim's FOR UPDATE conflicts with it.
      await leaseHeld(tx, lease, 'share');
      await tx.insert(runSteps).values({
        id: step.id,
        runId: step.runId,
        seq: step.seq,
        nodeId: step.nodeId,
        nodeType: step.nodeType,
        attempt: step.attempt,
        status: 'running',
        input: step.input ?? null,
        startedAt: date(step.startedAt),
      });
    });
  }

  async commitStep({
    lease,
    step,
    run,
    leaseUntil,
  }: {
    lease: Lease;
    step: StepFinish | null;
    run: {
      status: RunStatus;
      state: S;
      wakeAt: string | null;
      error: StepError | null;
      finishedAt: string | null;
      addWaits: WaitRow[];
      removeWaits: string[];
    };
    leaseUntil: Date | null;
  }): Promise<void> {
    await this.db.transaction(async (tx) => {
      await leaseHeld(tx, lease, 'update');
      if (step) {
        await tx
          .update(runSteps)
          .set({
            status: step.status,
            ports: step.ports,
            output: step.output ?? null,
            error: step.error,
            finishedAt: date(step.finishedAt),
            durationMs: step.durationMs,
          })
          .where(eq(runSteps.id, step.id));
      }
      if (run.removeWaits.length > 0)
        await tx.delete(runWaits).where(inArray(runWaits.token, run.removeWaits));
      if (run.addWaits.length > 0) {
        await tx.insert(runWaits).values(
          run.addWaits.map((w) => ({
            token: w.token,
            runId: lease.runId,
            wakeAt: dateOrNull(w.wakeAt),
            wakeKey: w.wakeKey,
            fired: false,
          })),
        );
      }
      await tx
        .update(runs)
        .set({
          status: run.status,
          state: run.state ?? null,
          wakeAt: dateOrNull(run.wakeAt),
          error: run.error,
          finishedAt: dateOrNull(run.finishedAt),
          leaseOwner: leaseUntil ? lease.owner : null,
          leaseExpiresAt: leaseUntil ? leaseUntil.getTime() : 0,
        })
        .where(eq(runs.id, lease.runId));
    });
  }

  async renewLease(lease: Lease, until: Date): Promise<void> {
    await this.db.transaction(async (tx) => {
      await leaseHeld(tx, lease, 'update');
      await tx.update(runs).set({ leaseExpiresAt: until.getTime() }).where(eq(runs.id, lease.runId));
    });
  }

  async fireWaits({ key, payload, now }: { key: string; payload: Json; now: Date }): Promise<string[]> {
    return this.db.transaction(async (tx) => {
      // Lock the waiting runs first, in id order so two deliveries cannot deadlock (a run with two
      // waits on the key is listed twice: FOR UPDATE rules out DISTINCT). No claim can take them
      // meanwhile, and a run that stopped waiting since this statement's snapshot is re-checked and
      // left out. The waits' own update then runs on a fresh snapshot, so a concurrent delivery of the
      // same key that committed first leaves it nothing to fire: each wait fires exactly once.
      const waiting = await tx
        .select({ id: runs.id })
        .from(runs)
        .innerJoin(runWaits, eq(runWaits.runId, runs.id))
        .where(and(eq(runWaits.wakeKey, key), eq(runWaits.fired, false), eq(runs.status, 'waiting')))
        .orderBy(asc(runs.id))
        .for('update', { of: runs });
      if (waiting.length === 0) return [];
      const fired = await tx
        .update(runWaits)
        .set({ fired: true, payload: payload ?? null })
        .where(
          and(
            inArray(runWaits.runId, [...new Set(waiting.map((r) => r.id))]),
            eq(runWaits.wakeKey, key),
            eq(runWaits.fired, false),
          ),
        )
        .returning({ runId: runWaits.runId });
      const runIds = [...new Set(fired.map((w) => w.runId))].sort();
      if (runIds.length > 0) await tx.update(runs).set({ wakeAt: now }).where(inArray(runs.id, runIds));
      return runIds;
    });
  }

  async wakeTimedWaits({ runId, now }: { runId: string; now: Date }): Promise<number> {
    return this.db.transaction(async (tx) => {
      const [run] = await tx
        .select({ status: runs.status })
        .from(runs)
        .where(eq(runs.id, runId))
        .for('update');
      if (run?.status !== 'waiting') return 0;
      const timed = and(eq(runWaits.runId, runId), eq(runWaits.fired, false), isNotNull(runWaits.wakeAt));
      const [counted] = await tx.select({ n: sql<number>`count(*)::int` }).from(runWaits).where(timed);
      const count = counted?.n ?? 0;
      if (count === 0) return 0;
      await tx
        .update(runWaits)
        .set({ wakeAt: now })
        .where(and(timed, gt(runWaits.wakeAt, now)));
      await tx
        .update(runs)
        .set({ wakeAt: now })
        .where(and(eq(runs.id, runId), or(isNull(runs.wakeAt), gt(runs.wakeAt, now))));
      return count;
    });
  }

  async cancelRun({ runId, now }: { runId: string; now: Date }): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const changed = await tx
        .update(runs)
        .set({ status: 'cancelled', finishedAt: now, leaseOwner: null, leaseExpiresAt: 0, wakeAt: null })
        .where(and(eq(runs.id, runId), inArray(runs.status, ['queued', 'running', 'waiting'])))
        .returning({ id: runs.id });
      if (changed.length === 0) return false;
      await tx.delete(runWaits).where(eq(runWaits.runId, runId));
      return true;
    });
  }

  async getRun(runId: string): Promise<RunSummary | undefined> {
    const [row] = await this.db.select().from(runs).where(eq(runs.id, runId));
    return row ? summary(row) : undefined;
  }

  /** A run's snapshot (the engine's `RunState`). */
  async getState(runId: string): Promise<S | undefined> {
    const [row] = await this.db.select({ state: runs.state }).from(runs).where(eq(runs.id, runId));
    return row ? (row.state as S) : undefined;
  }

  async getSteps(runId: string): Promise<StepRecord[]> {
    const rows = await this.db
      .select()
      .from(runSteps)
      .where(eq(runSteps.runId, runId))
      .orderBy(asc(runSteps.seq), asc(runSteps.startedAt));
    return rows.map((s) => ({
      ...s,
      status: s.status as StepStatus,
      ports: s.ports as string[],
      error: (s.error as StepError | null) ?? null,
      startedAt: s.startedAt.toISOString(),
      finishedAt: iso(s.finishedAt),
    }));
  }
}

/** First key of the per-contact advisory locks claims take (the second is the contact id hashed). */
const CONTACT_LOCK = 0x5b_c0_17;

/**
 * Per-contact order, as a condition on a due run of table `runs` (SQLite's `CONTACT_FREE`): no other
 * run of its contact is being driven (queued or running under a live lease) or due before it (queued,
 * running under an expired lease, or waiting with its wake time reached, and older: `created_at`, then
 * id in byte order). A run parked on a reply or a later time does not hold its contact up.
 */
function contactFree(now: Date): SQL {
  const at = sql`${now.toISOString()}::timestamptz`;
  const older = sql`(o.created_at < ${runs.createdAt}
    or (o.created_at = ${runs.createdAt} and o.id collate "C" < ${runs.id} collate "C"))`;
  return sql`not exists (
      select 1 from ${runs} o
      where o.contact_id = ${runs.contactId} and o.status in ('queued', 'running')
        and (o.lease_expires_at > ${now.getTime()} or ${older}))
    and not exists (
      select 1 from ${runs} o
      where o.contact_id = ${runs.contactId} and o.status = 'waiting' and o.wake_at <= ${at} and ${older})`;
}

/**
 * Makes `contactFree` hold across concurrent claimers. The claim's select decides on its snapshot, which
 * misses another claimer's uncommitted claim of a run of the same contact (a run that became due since
 * and is older can then be taken by one claimer while another takes a younger one). So a claimer also
 * takes a transaction-scoped advisory lock per contact it is about to claim (a try: a contact another
 * claimer holds right now is left for the next claim, never waited for), then checks again in a new
 * statement, whose snapshot holds every claim of those contacts committed before it got the lock.
 * Returns the ids to claim, in `due`'s order.
 */
async function keepContactOrder(
  tx: Tx,
  due: Array<{ id: string; contactId: string | null }>,
  now: Date,
): Promise<string[]> {
  const contacts = [...new Set(due.flatMap((r) => (r.contactId === null ? [] : [r.contactId])))];
  if (contacts.length === 0) return due.map((r) => r.id);
  const locked = await tx.execute<{ contact: string }>(
    sql`select contact from json_array_elements_text(${JSON.stringify(contacts)}::json) as c(contact)
        where pg_try_advisory_xact_lock(${CONTACT_LOCK}, hashtext(contact))`,
  );
  const held = new Set(locked.rows.map((r) => r.contact));
  const candidates = due.filter((r) => r.contactId !== null && held.has(r.contactId)).map((r) => r.id);
  const free =
    candidates.length === 0
      ? []
      : await tx
          .select({ id: runs.id })
          .from(runs)
          .where(and(inArray(runs.id, candidates), contactFree(now)));
  const keep = new Set(free.map((r) => r.id));
  return due.filter((r) => r.contactId === null || keep.has(r.id)).map((r) => r.id);
}

/** Locks the run row (`share` against takeovers, `update` before rewriting it) and checks the lease. */
async function leaseHeld(tx: Tx, lease: Lease, lock: 'share' | 'update'): Promise<void> {
  const [row] = await tx
    .select({ status: runs.status, owner: runs.leaseOwner })
    .from(runs)
    .where(eq(runs.id, lease.runId))
    .for(lock);
  if (!row) throw new StoreError('E006', lease.runId);
  if (row.status === 'cancelled') throw new StoreError('E009', lease.runId);
  if (row.owner !== lease.owner) throw new StoreError('E004', lease.runId);
}

const date = (iso: string) => new Date(iso);
const dateOrNull = (iso: string | null | undefined) => (iso == null ? null : new Date(iso));
/** The engine's time format: ISO-8601 UTC with milliseconds (`Date#toISOString`). */
const iso = (d: Date | null) => (d ? d.toISOString() : null);

function summary(row: typeof runs.$inferSelect): RunSummary {
  return {
    id: row.id,
    flowId: row.flowId,
    flowVersion: row.flowVersion,
    status: row.status as RunStatus,
    triggerNodeId: row.triggerNodeId,
    contactId: row.contactId,
    error: (row.error as StepError | null) ?? null,
    createdAt: row.createdAt.toISOString(),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
    wakeAt: iso(row.wakeAt),
  };
}
