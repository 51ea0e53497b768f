import type { Database, OpenWait, Repositories } from '@switchboard/db';
import { type Json, readPath } from '@switchboard/engine';
import { FINAL_RUN_STATUSES, type RunStatus } from '@switchboard/flow-schema';
import { eventsSatisfiedBy, type MessageEvent, parseHookKey, runFinishedKey } from '@switchboard/nodes';
import { outcomeView } from './call-flows.js';
import { statusView } from './status-waits.js';

export type WaitKind = 'status' | 'run' | 'hook';

interface Deps {
  database: Database;
  onWoken: (runIds: string[]) => void;
}

/**
 * Closes the gap between "the event happened" and "the wait was stored". A key delivered while no row
 * waited on it wakes nothing, so after a run parks (and at start-up, for a crash in between) this looks
 * at each open wait's event — the outbox row, the child run, the stored hook deliveries — and delivers
 * the key if the event already happened. Each delivery is its own small transaction with its check.
 */
export function waitSweeper(deps: Deps) {
  const reads = deps.database.repos.runReads;

  /** A status or run key's payload if its event already happened, else undefined. */
  async function happened(r: Repositories, kind: 'status' | 'run', key: string): Promise<Json | undefined> {
    if (kind === 'status') {
      const m = /^status:(.+):(delivered|read|failed)$/.exec(key);
      const row = m ? await r.outbox.get(m[1]!) : undefined;
      if (!m || !row || !eventsSatisfiedBy(row.status).includes(m[2] as MessageEvent)) return undefined;
      return statusView(row) as unknown as Json;
    }
    const m = /^run:(.+):finished$/.exec(key);
    const outcome = m ? await r.calls.outcome(m[1]!) : undefined;
    if (!outcome || !FINAL_RUN_STATUSES.includes(outcome.status)) return undefined;
    return outcomeView(outcome) as unknown as Json;
  }

  /**
   * For waits on hooks: the first delivery since each run started that matches its key. Deliveries are
   * read once per path (from the earliest of those runs' starts) and indexed by field and value, so a
   * start-up with many parked runs does not read them once per run.
   */
  async function hookPayloads(waits: OpenWait[]): Promise<Map<string, Json>> {
    const found = new Map<string, Json>();
    const byPath = new Map<string, Array<OpenWait & { field: string; equals: string; since: string }>>();
    for (const w of waits) {
      const parsed = parseHookKey(w.wakeKey);
      const since = await reads.runCreatedAt(w.runId);
      if (!parsed || !since) continue;
      const entry = { ...w, ...parsed, since };
      const same = byPath.get(parsed.path);
      if (same) same.push(entry);
      else byPath.set(parsed.path, [entry]);
    }
    for (const [path, list] of byPath) {
      const since = list.map((w) => w.since).sort()[0]!;
      const deliveries = await reads.hooksSince({ path, since });
      const index = new Map<string, typeof deliveries>();
      for (const field of new Set(list.map((w) => w.field))) {
        for (const d of deliveries) {
          const value = readPath(d.body, field);
          if (value === null || value === undefined || typeof value === 'object') continue;
          const k = `${field}=${String(value)}`;
          const same = index.get(k);
          if (same) same.push(d);
          else index.set(k, [d]);
        }
      }
      for (const w of list) {
        const d = index.get(`${w.field}=${w.equals}`)?.find((x) => x.receivedAt >= w.since);
        if (d) found.set(w.token, { path, ...d } as unknown as Json);
      }
    }
    return found;
  }

  /** Delivers the open waits (of one run, or all) whose event already happened; returns the runs woken. */
  async function settle(args: { runId?: string; kinds?: readonly WaitKind[] } = {}): Promise<string[]> {
    const woken: string[] = [];
    const now = new Date();
    for (const kind of args.kinds ?? (['status', 'run', 'hook'] as const)) {
      const waits = await reads.openWaits({
        prefix: `${kind}:`,
        ...(args.runId ? { runId: args.runId } : {}),
      });
      const hooks = kind === 'hook' ? await hookPayloads(waits) : undefined;
      for (const w of waits) {
        // Check and delivery share a transaction (a stored hook delivery cannot change; a key fired
        // meanwhile by the dispatcher just finds no open wait).
        await deps.database.transaction(async (r) => {
          const payload = kind === 'hook' ? hooks?.get(w.token) : await happened(r, kind, w.wakeKey);
          if (payload !== undefined)
            woken.push(...(await r.runs.fireWaits({ key: w.wakeKey, payload, now })));
        });
      }
    }
    if (woken.length > 0) deps.onWoken(woken);
    return woken;
  }

  async function deliverRunKeys(keys: string[]): Promise<void> {
    const woken: string[] = [];
    for (const key of keys) {
      await deps.database.transaction(async (r) => {
        const payload = await happened(r, 'run', key);
        if (payload !== undefined) woken.push(...(await r.runs.fireWaits({ key, payload, now: new Date() })));
      });
    }
    if (woken.length > 0) deps.onWoken(woken);
  }

  /** For the engine's `run.finished`: wakes the callers waiting on this run, if any. */
  async function runEnded(runId: string, status: RunStatus): Promise<void> {
    if (!FINAL_RUN_STATUSES.includes(status)) return;
    const key = runFinishedKey(runId);
    if ((await reads.openWaits({ prefix: key })).length > 0) await deliverRunKeys([key]);
  }

  /** The periodic sweep: callers of runs that ended unnoticed (cancelled by hand, or with their flow). */
  async function endedChildren(): Promise<void> {
    await deliverRunKeys(await reads.endedRunKeys());
  }

  return { settle, runEnded, endedChildren };
}
