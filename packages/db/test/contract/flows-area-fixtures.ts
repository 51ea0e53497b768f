import { initialState, type RunStore } from '@switchboard/engine';
import type { Json } from '@switchboard/flow-schema';

// Run fixtures the flows-area contracts share (flow, call, run and wait queries need runs in a state).

export const T0 = new Date('2026-03-01T10:00:00.000Z');

export interface NewRunOptions {
  flowId?: string;
  flowVersion?: number;
  contactId?: string | null;
  createdAt?: string;
}

export async function queuedRun(store: RunStore, id: string, options: NewRunOptions = {}): Promise<void> {
  await store.createRun({
    id,
    flowId: options.flowId ?? 'f',
    flowVersion: options.flowVersion ?? 1,
    triggerNodeId: 't',
    contactId: options.contactId ?? null,
    createdAt: options.createdAt ?? T0.toISOString(),
    state: initialState('t', null),
  });
}

/** Run `id`, created and claimed, then parked on `keys` (one wait row each). */
export async function parkedRun(
  store: RunStore,
  id: string,
  keys: string[],
  options: NewRunOptions = {},
): Promise<void> {
  await queuedRun(store, id, options);
  await claim(store, id);
  await store.commitStep({
    lease: { runId: id, owner: `w-${id}` },
    step: null,
    run: {
      status: 'waiting',
      state: initialState('t', null),
      wakeAt: null,
      error: null,
      finishedAt: null,
      addWaits: keys.map((wakeKey, i) => ({ token: `${id}-${i}`, wakeAt: null, wakeKey })),
      removeWaits: [],
    },
    leaseUntil: null,
  });
}

/** Run `id` that ran one step per output in `outputs` and then succeeded with `vars`. */
export async function succeededRun(
  store: RunStore,
  id: string,
  outputs: Json[],
  vars: Record<string, Json>,
  options: NewRunOptions = {},
): Promise<void> {
  await queuedRun(store, id, options);
  await claim(store, id);
  const lease = { runId: id, owner: `w-${id}` };
  const at = T0.toISOString();
  for (const [seq, output] of outputs.entries()) {
    const step = { id: `${id}-s${seq}`, runId: id, seq, nodeId: `n${seq}`, nodeType: 'x', attempt: 1 };
    await store.beginStep(lease, { ...step, input: null, startedAt: at });
    const last = seq === outputs.length - 1;
    await store.commitStep({
      lease,
      step: {
        id: step.id,
        status: 'succeeded',
        ports: [],
        output,
        error: null,
        finishedAt: at,
        durationMs: 1,
      },
      run: {
        status: last ? 'succeeded' : 'running',
        state: { ...initialState('t', null), vars },
        wakeAt: null,
        error: null,
        finishedAt: last ? at : null,
        addWaits: [],
        removeWaits: [],
      },
      leaseUntil: last ? null : new Date(T0.getTime() + 60_000),
    });
  }
}

async function claim(store: RunStore, id: string): Promise<void> {
  const claimed = await store.claimRuns({ owner: `w-${id}`, now: T0, leaseMs: 60_000, limit: 100 });
  if (!claimed.some((r) => r.id === id)) throw new Error(`fixture: run ${id} was not claimed`);
}
