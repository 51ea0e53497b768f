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
import { and, asc, eq, gt, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from './connection.js';
import { GroupCommit } from './group-commit.js';
import { runSteps, runs, runWaits } from './schema.js';
import { SqliteGate } from './sqlite-gate.js';

/** Thrown with the engine's codes so the engine treats it like its own lease/cancel errors. */
export class StoreError extends Error {
  constructor(
    readonly code: 'E004' | 'E006' | 'E009',
    runId: string,
  ) {
    const what = { E004: 'lease lost to another worker', E006: 'run not found', E009: 'run cancelled' }[code];
    super(`${what}: ${runId}`);
    this.name = 'StoreError';
  }
}

const INTERRUPTED: StepError = {
  message: 'interrupted: the process stopped during this step',
  code: 'E008',
  retryable: true,
};

/**
 * The engine's run store on SQLite: every method is one transaction, except that the step writes of
 * runs driven at the same time share one commit (each still commits before its run goes on).
 */
export class SqliteRunStore<S = unknown> {
  /** The per-step statements, prepared once: they run twice per step, so they skip query building. */
  private readonly hot: ReturnType<typeof prepareHot>;
  /** Step writes of concurrent runs share one commit (see GroupCommit). */
  private readonly group: GroupCommit;
  /** Claims due runs: the scheduler calls it whenever a slot frees up, so it is prepared once. */
  private readonly claim;

  constructor(private readonly db: Db) {
    this.hot = prepareHot(db);
    this.group = GroupCommit.of(db.$client);
    this.claim = prepareClaim<S>(db);
    this.gate = SqliteGate.of(db.$client);
  }

  /** Waits while another caller's transaction holds the connection (see SqliteGate). */
  private readonly gate: SqliteGate;

  async createRun(run: Parameters<SqliteRunStore<S>['createRunNow']>[0]): Promise<void> {
    await this.gate.run(() => this.createRunNow(run));
  }

  /** `createRun`, synchronously, so it can join a caller's transaction. */
  createRunNow(run: {
    id: string;
    flowId: string;
    flowVersion: number;
    triggerNodeId: string;
    contactId: string | null;
    createdAt: string;
    state: S;
    triggerStep?: StepRecord;
  }): void {
    // Inside the dispatcher's transaction it joins that commit; alone, run and trigger step commit together.
    const write = () => {
      this.hot.insertRun.run({ ...run, state: json(run.state) });
      const step = run.triggerStep;
      if (step) {
        this.hot.insertFinishedStep.run({
          ...step,
          ports: json(step.ports),
          input: json(step.input),
          output: json(step.output),
          error: json(step.error),
        });
      }
    };
    if (this.db.$client.inTransaction) write();
    else this.db.$client.transaction(write).immediate();
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
    return this.gate.run(() => this.claim.immediate(owner, now, leaseMs, limit));
  }

  async beginStep(lease: Lease, step: StepStart): Promise<void> {
    await this.group.add(() => this.hot.begin(lease, step));
  }

  async commitStep(args: {
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
    await this.group.add(() => this.hot.commit(args));
  }

  async renewLease(lease: Lease, until: Date): Promise<void> {
    await this.gate.run(() => this.renewLeaseNow(lease, until));
  }

  private renewLeaseNow(lease: Lease, until: Date): void {
    this.db.transaction(
      (tx) => {
        this.checkLease(tx, lease);
        tx.update(runs).set({ leaseExpiresAt: until.getTime() }).where(eq(runs.id, lease.runId)).run();
      },
      { behavior: 'immediate' },
    );
  }

  async fireWaits({ key, payload, now }: { key: string; payload: Json; now: Date }): Promise<string[]> {
    return this.gate.run(() => this.fireWaitsNow({ key, payload, now }));
  }

  /**
   * `fireWaits`, synchronously, so it can join a caller's transaction (the dispatcher marks an event
   * processed and wakes the runs waiting for it in one commit).
   */
  fireWaitsNow({ key, payload, now }: { key: string; payload: Json; now: Date }): string[] {
    const args = [key, JSON.stringify(payload ?? null), now.toISOString()] as const;
    return this.db.$client.inTransaction ? this.hot.fire(...args) : this.hot.fire.immediate(...args);
  }

  async wakeTimedWaits({ runId, now }: { runId: string; now: Date }): Promise<number> {
    const at = now.toISOString();
    return this.gate.run(() =>
      this.db.transaction(
        (tx) => {
          const run = tx.select({ status: runs.status }).from(runs).where(eq(runs.id, runId)).get();
          if (run?.status !== 'waiting') return 0;
          const timed = and(eq(runWaits.runId, runId), eq(runWaits.fired, false), isNotNull(runWaits.wakeAt));
          const count = tx.select({ n: sql<number>`count(*)` }).from(runWaits).where(timed).get()?.n ?? 0;
          if (count === 0) return 0;
          tx.update(runWaits)
            .set({ wakeAt: at })
            .where(and(timed, gt(runWaits.wakeAt, at)))
            .run();
          tx.update(runs)
            .set({ wakeAt: at })
            .where(and(eq(runs.id, runId), or(isNull(runs.wakeAt), gt(runs.wakeAt, at))))
            .run();
          return count;
        },
        { behavior: 'immediate' },
      ),
    );
  }

  async cancelRun({ runId, now }: { runId: string; now: Date }): Promise<boolean> {
    return this.gate.run(() =>
      this.db.transaction(
        (tx) => {
          const changed = tx
            .update(runs)
            .set({
              status: 'cancelled',
              finishedAt: now.toISOString(),
              leaseOwner: null,
              leaseExpiresAt: 0,
              wakeAt: null,
            })
            .where(and(eq(runs.id, runId), inArray(runs.status, ['queued', 'running', 'waiting'])))
            .run();
          if (changed.changes === 0) return false;
          tx.delete(runWaits).where(eq(runWaits.runId, runId)).run();
          return true;
        },
        { behavior: 'immediate' },
      ),
    );
  }

  async getRun(runId: string): Promise<RunSummary | undefined> {
    const row = await this.gate.run(() => this.db.select().from(runs).where(eq(runs.id, runId)).get());
    return row ? summary(row) : undefined;
  }

  /** A run's snapshot (the engine's `RunState`): e.g. the trigger payload a finished run started with. */
  getState(runId: string): S | undefined {
    const row = this.db.select({ state: runs.state }).from(runs).where(eq(runs.id, runId)).get();
    return row ? (row.state as S) : undefined;
  }

  async getSteps(runId: string): Promise<StepRecord[]> {
    return this.gate.run(() => this.getStepsNow(runId));
  }

  private getStepsNow(runId: string): StepRecord[] {
    return this.db
      .select()
      .from(runSteps)
      .where(eq(runSteps.runId, runId))
      .orderBy(asc(runSteps.seq), asc(runSteps.startedAt))
      .all()
      .map((s) => ({
        ...s,
        status: s.status as StepStatus,
        ports: s.ports as string[],
        error: (s.error as StepError | null) ?? null,
      }));
  }

  /**
   * Embedded mode only: one process owns the database (it holds the data-dir lock), so leases left by
   * a previous process that died are void and its runs can resume at once instead of after expiry.
   */
  releaseAllLeases(): number {
    // Only `running` rows hold a lease (parking, finishing and cancelling all release it), so the
    // status index finds them: a scan of every run would read all parked runs' snapshots at start-up
    // into SQLite's page cache (+50 MiB of RSS with 100,000 pending delays, see docs/benchmarks.md).
    return this.db
      .update(runs)
      .set({ leaseOwner: null, leaseExpiresAt: 0 })
      .where(and(eq(runs.status, 'running'), isNotNull(runs.leaseOwner)))
      .run().changes;
  }

  private checkLease(tx: Pick<Db, 'select'>, lease: Lease) {
    const row = tx
      .select({ status: runs.status, owner: runs.leaseOwner })
      .from(runs)
      .where(eq(runs.id, lease.runId))
      .get();
    leaseHeld(row, lease);
  }
}

function leaseHeld(row: { status: string; owner: string | null } | undefined, lease: Lease) {
  if (!row) throw new StoreError('E006', lease.runId);
  if (row.status === 'cancelled') throw new StoreError('E009', lease.runId);
  if (row.owner !== lease.owner) throw new StoreError('E004', lease.runId);
}

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/** Raw prepared statements for the two writes every step makes (same tables and columns as schema.ts). */
function prepareHot(db: Db) {
  const c = db.$client;
  const lease = c.prepare<[string], { status: string; owner: string | null }>(
    'select status, lease_owner as owner from runs where id = ?',
  );
  const insertStep = c.prepare(
    `insert into run_steps (id, run_id, seq, node_id, node_type, attempt, status, ports, input, started_at)
     values (@id, @runId, @seq, @nodeId, @nodeType, @attempt, 'running', '[]', @input, @startedAt)`,
  );
  const finishStep = c.prepare(
    `update run_steps set status = @status, ports = @ports, output = @output, error = @error,
       finished_at = @finishedAt, duration_ms = @durationMs where id = @id`,
  );
  const updateRun = c.prepare(
    `update runs set status = @status, state = @state, wake_at = @wakeAt, error = @error, finished_at = @finishedAt,
       lease_owner = @leaseOwner, lease_expires_at = @leaseExpiresAt where id = @runId`,
  );
  const addWait = c.prepare(
    'insert into run_waits (token, run_id, wake_at, wake_key, fired) values (@token, @runId, @wakeAt, @wakeKey, 0)',
  );
  const removeWait = c.prepare('delete from run_waits where token = ?');
  const insertFinishedStep = c.prepare(
    `insert into run_steps (id, run_id, seq, node_id, node_type, attempt, status, ports, input, output, error,
       started_at, finished_at, duration_ms)
     values (@id, @runId, @seq, @nodeId, @nodeType, @attempt, @status, @ports, @input, @output, @error,
       @startedAt, @finishedAt, @durationMs)`,
  );
  const insertRun = c.prepare(
    `insert into runs (id, flow_id, flow_version, trigger_node_id, contact_id, status, state, created_at)
     values (@id, @flowId, @flowVersion, @triggerNodeId, @contactId, 'queued', @state, @createdAt)`,
  );
  const waitingOn = c.prepare<[string], { token: string; runId: string }>(
    `select w.token as token, w.run_id as runId from run_waits w join runs r on r.id = w.run_id
     where w.wake_key = ? and w.fired = 0 and r.status = 'waiting'`,
  );
  const fireWait = c.prepare('update run_waits set fired = 1, payload = ? where token = ?');
  const wakeRun = c.prepare('update runs set wake_at = ? where id = ?');
  return {
    /** A new run (the dispatcher creates one per matching trigger, inside its own transaction). */
    insertRun,
    /** A step decided before any worker runs it (the trigger's, stored with its run). */
    insertFinishedStep,
    /** Marks the waits on `key` fired and makes their runs due; one transaction. */
    fire: c.transaction((key: string, payload: string, at: string): string[] => {
      const waiting = waitingOn.all(key);
      for (const w of waiting) fireWait.run(payload, w.token);
      const runIds = [...new Set(waiting.map((w) => w.runId))];
      for (const id of runIds) wakeRun.run(at, id);
      return runIds;
    }),
    /** Plain writes (no transaction of their own): they run inside the group commit's batch. */
    begin: (l: Lease, step: StepStart) => {
      leaseHeld(lease.get(l.runId), l);
      insertStep.run({ ...step, input: json(step.input) });
    },
    commit: ({ lease: l, step, run, leaseUntil }: Parameters<SqliteRunStore['commitStep']>[0]) => {
      leaseHeld(lease.get(l.runId), l);
      if (step) {
        finishStep.run({
          ...step,
          ports: json(step.ports),
          output: json(step.output),
          error: json(step.error),
        });
      }
      for (const token of run.removeWaits) removeWait.run(token);
      for (const w of run.addWaits) addWait.run({ ...w, runId: l.runId });
      updateRun.run({
        runId: l.runId,
        status: run.status,
        state: json(run.state),
        wakeAt: run.wakeAt,
        error: json(run.error),
        finishedAt: run.finishedAt,
        leaseOwner: leaseUntil ? l.owner : null,
        leaseExpiresAt: leaseUntil ? leaseUntil.getTime() : 0,
      });
    },
  };
}

/**
 * Per-contact order (a claim condition on due run `r`): no other run of r's contact is being driven
 * (queued or running under a live lease) or due before it (queued, running under an expired lease, or
 * waiting with its wake time reached, and older: `created_at`, then id). A run parked on a reply or a
 * later time does not hold its contact up. Written as two probes so that an index on
 * `(contact_id, status, wake_at)` answers each with one range: only runs that can hold the contact up
 * are read, not the contact's finished or parked ones.
 */
const CONTACT_FREE = `not exists (
         select 1 from runs o
         where o.contact_id = r.contact_id and o.status in ('queued', 'running')
           and (o.lease_expires_at > @t or o.created_at < r.created_at
             or (o.created_at = r.created_at and o.id < r.id)))
       and not exists (
         select 1 from runs o
         where o.contact_id = r.contact_id and o.status = 'waiting' and o.wake_at <= @at
           and (o.created_at < r.created_at or (o.created_at = r.created_at and o.id < r.id)))`;

/** The statements of `claimRuns`, prepared once; run ids travel as one JSON array parameter. */
function prepareClaim<S>(db: Db) {
  const c = db.$client;
  const inIds = (column: typeof runs.id | typeof runWaits.runId) =>
    sql`${column} in (select value from json_each(${sql.placeholder('ids')}))`;
  const due = c.prepare<{ at: string; t: number; limit: number }, { id: string }>(
    `select r.id from runs r
     where (r.status = 'queued' or r.status = 'running' or (r.status = 'waiting' and r.wake_at <= @at))
       and r.lease_expires_at <= @t
       and (r.contact_id is null or (${CONTACT_FREE}))
     order by r.created_at, r.id limit @limit`,
  );
  const lease = c.prepare(
    `update runs set lease_owner = ?, lease_expires_at = ?, status = 'running', started_at = coalesce(started_at, ?)
     where id in (select value from json_each(?))`,
  );
  const interrupt = c.prepare(
    `update run_steps set status = 'failed', error = ?, finished_at = ?
     where run_id in (select value from json_each(?)) and status = 'running'`,
  );
  const rows = db
    .select()
    .from(runs)
    .where(inIds(runs.id))
    .orderBy(asc(runs.createdAt), asc(runs.id))
    .prepare();
  // Fired (keyed) waits carry their payload; due timed waits are listed because the row's time can be
  // earlier than the snapshot's (a skipped wait).
  const waits = db
    .select()
    .from(runWaits)
    .where(
      and(inIds(runWaits.runId), or(eq(runWaits.fired, true), lte(runWaits.wakeAt, sql.placeholder('at')))),
    )
    .prepare();
  const interrupted = JSON.stringify(INTERRUPTED);
  return c.transaction((owner: string, now: Date, leaseMs: number, limit: number) => {
    const at = now.toISOString();
    const t = now.getTime();
    const idList = due.all({ at, t, limit }).map((r) => r.id);
    if (idList.length === 0) return [];
    const ids = JSON.stringify(idList);
    lease.run(owner, t + leaseMs, at, ids);
    interrupt.run(interrupted, at, ids);
    const fired = waits.all({ ids, at });
    return rows.all({ ids }).map((row) => ({
      ...summary(row),
      state: row.state as S,
      firedWaits: fired
        .filter((w) => w.runId === row.id && w.fired)
        .map((w) => ({ token: w.token, payload: w.payload as Json })),
      dueWaits: fired.filter((w) => w.runId === row.id && !w.fired).map((w) => w.token),
    }));
  });
}

export function summary(row: typeof runs.$inferSelect): RunSummary {
  return {
    id: row.id,
    flowId: row.flowId,
    flowVersion: row.flowVersion,
    status: row.status as RunStatus,
    triggerNodeId: row.triggerNodeId,
    contactId: row.contactId,
    error: (row.error as StepError | null) ?? null,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    wakeAt: row.wakeAt,
  };
}
