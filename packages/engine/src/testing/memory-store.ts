import type { RunSummary, StepRecord } from '@switchboard/flow-schema';
import { EngineError } from '../errors.js';
import type { Json } from '../json.js';
import type { RunState } from '../state.js';
import type { ClaimedRun, Lease, NewRun, RunStore, StepFinish, StepStart, WaitRow } from '../store.js';

interface MemRun extends RunSummary {
  state: RunState;
  leaseOwner: string | null;
  leaseUntil: number;
}
interface MemWait extends WaitRow {
  runId: string;
  fired: boolean;
  payload: Json;
}

/**
 * A `RunStore` in plain memory, for tests, the CLI's one-off `run` and the benchmark's baseline.
 * It keeps the same rules as the database stores (leases, cancellation, atomic commits): it passes the
 * same contract suite.
 */
export class MemoryRunStore implements RunStore {
  private readonly runs = new Map<string, MemRun>();
  private readonly steps = new Map<string, StepRecord[]>();
  private readonly waits = new Map<string, MemWait>();

  async createRun(run: NewRun): Promise<void> {
    if (this.runs.has(run.id)) throw new Error(`run ${run.id} already exists`);
    this.runs.set(run.id, {
      id: run.id,
      flowId: run.flowId,
      flowVersion: run.flowVersion,
      status: 'queued',
      triggerNodeId: run.triggerNodeId,
      contactId: run.contactId,
      error: null,
      createdAt: run.createdAt,
      startedAt: null,
      finishedAt: null,
      wakeAt: null,
      state: structuredClone(run.state),
      leaseOwner: null,
      leaseUntil: 0,
    });
    this.steps.set(run.id, run.triggerStep ? [structuredClone(run.triggerStep)] : []);
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
    const at = now.toISOString();
    const t = now.getTime();
    const claimable = [...this.runs.values()]
      .filter((r) => r.leaseOwner === null || r.leaseUntil <= t)
      .filter(
        (r) =>
          r.status === 'queued' ||
          r.status === 'running' ||
          (r.status === 'waiting' && r.wakeAt !== null && r.wakeAt <= at),
      )
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0))
      .slice(0, limit);
    const claimed: ClaimedRun[] = [];
    for (const run of claimable) {
      run.leaseOwner = owner;
      run.leaseUntil = t + leaseMs;
      run.status = 'running';
      run.startedAt ??= at;
      for (const step of this.steps.get(run.id) ?? []) {
        if (step.status !== 'running') continue;
        step.status = 'failed';
        step.error = {
          message: 'interrupted: the process stopped during this step',
          code: 'E008',
          retryable: true,
        };
        step.finishedAt = at;
      }
      const fired = [...this.waits.entries()]
        .filter(([, w]) => w.runId === run.id && w.fired)
        .map(([token, w]) => ({ token, payload: structuredClone(w.payload) }));
      const due = [...this.waits.entries()]
        .filter(([, w]) => w.runId === run.id && !w.fired && w.wakeAt !== null && w.wakeAt <= at)
        .map(([token]) => token);
      const { state, leaseOwner: _o, leaseUntil: _u, ...summary } = run;
      claimed.push({ ...summary, state: structuredClone(state), firedWaits: fired, dueWaits: due });
    }
    return claimed;
  }

  async beginStep(lease: Lease, step: StepStart): Promise<void> {
    this.held(lease);
    this.steps.get(step.runId)!.push({
      ...structuredClone(step),
      status: 'running',
      ports: [],
      output: null,
      error: null,
      finishedAt: null,
      durationMs: null,
    });
  }

  async commitStep({ lease, step, run, leaseUntil }: Parameters<RunStore['commitStep']>[0]): Promise<void> {
    const current = this.held(lease);
    if (step) this.finishStep(lease.runId, step);
    current.status = run.status;
    current.state = structuredClone(run.state);
    current.wakeAt = run.wakeAt;
    current.error = run.error;
    current.finishedAt = run.finishedAt;
    for (const token of run.removeWaits) this.waits.delete(token);
    for (const w of run.addWaits)
      this.waits.set(w.token, { ...w, runId: lease.runId, fired: false, payload: null });
    current.leaseOwner = leaseUntil ? lease.owner : null;
    current.leaseUntil = leaseUntil ? leaseUntil.getTime() : 0;
  }

  async renewLease(lease: Lease, until: Date): Promise<void> {
    this.held(lease).leaseUntil = until.getTime();
  }

  async fireWaits({ key, payload, now }: { key: string; payload: Json; now: Date }): Promise<string[]> {
    const woken: string[] = [];
    for (const w of this.waits.values()) {
      if (w.wakeKey !== key || w.fired) continue;
      const run = this.runs.get(w.runId);
      if (run?.status !== 'waiting') continue;
      w.fired = true;
      w.payload = structuredClone(payload);
      run.wakeAt = now.toISOString();
      woken.push(w.runId);
    }
    return woken;
  }

  async wakeTimedWaits({ runId, now }: { runId: string; now: Date }): Promise<number> {
    const run = this.runs.get(runId);
    if (run?.status !== 'waiting') return 0;
    const at = now.toISOString();
    let moved = 0;
    for (const w of this.waits.values()) {
      if (w.runId !== runId || w.fired || w.wakeAt === null) continue;
      if (w.wakeAt > at) w.wakeAt = at;
      moved++;
    }
    if (moved > 0 && (run.wakeAt === null || run.wakeAt > at)) run.wakeAt = at;
    return moved;
  }

  async cancelRun({ runId, now }: { runId: string; now: Date }): Promise<boolean> {
    const run = this.runs.get(runId);
    if (!run || run.status === 'succeeded' || run.status === 'failed' || run.status === 'cancelled')
      return false;
    run.status = 'cancelled';
    run.finishedAt = now.toISOString();
    run.leaseOwner = null;
    run.wakeAt = null;
    for (const [token, w] of this.waits) if (w.runId === runId) this.waits.delete(token);
    return true;
  }

  async getRun(runId: string): Promise<RunSummary | undefined> {
    const run = this.runs.get(runId);
    if (!run) return undefined;
    const { state: _s, leaseOwner: _o, leaseUntil: _u, ...summary } = run;
    return structuredClone(summary);
  }

  async getSteps(runId: string): Promise<StepRecord[]> {
    return structuredClone(this.steps.get(runId) ?? []);
  }

  private held(lease: Lease): MemRun {
    const run = this.runs.get(lease.runId);
    if (!run) throw new EngineError('E006', lease.runId);
    if (run.status === 'cancelled') throw new EngineError('E009', lease.runId);
    if (run.leaseOwner !== lease.owner) throw new EngineError('E004', lease.runId);
    return run;
  }

  private finishStep(runId: string, step: StepFinish) {
    const record = this.steps.get(runId)!.find((s) => s.id === step.id);
    if (!record) throw new Error(`step ${step.id} was never begun`);
    Object.assign(record, structuredClone(step));
  }
}
