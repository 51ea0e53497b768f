import { describe, expect, it } from 'vitest';
import type { Json } from '../json.js';
import { initialState } from '../state.js';
import type { NewRun, RunStore, RunUpdate } from '../store.js';

/**
 * The behaviour every `RunStore` must have. Each implementation's test file calls this with a factory
 * that returns a fresh, empty store (for SQLite: a new database with migrations applied).
 */
export function runStoreContract(name: string, makeStore: () => Promise<RunStore> | RunStore): void {
  const T0 = new Date('2026-03-01T10:00:00.000Z');
  const later = (ms: number) => new Date(T0.getTime() + ms);
  const newRun = (id: string, createdAt = T0.toISOString()): NewRun => ({
    id,
    flowId: 'flow-1',
    flowVersion: 3,
    triggerNodeId: 'start',
    contactId: 'c-1',
    createdAt,
    state: initialState('start', { text: 'hola ñandú 🎉' }),
  });
  const update = (over: Partial<RunUpdate> = {}): RunUpdate => ({
    status: 'running',
    state: initialState('start', null),
    wakeAt: null,
    error: null,
    finishedAt: null,
    addWaits: [],
    removeWaits: [],
    ...over,
  });

  describe(`RunStore contract: ${name}`, () => {
    it('creates a queued run and hands it to exactly one claimer, with its snapshot intact', async () => {
      const store = await makeStore();
      await store.createRun(newRun('r1'));
      expect((await store.getRun('r1'))?.status).toBe('queued');
      const [claimed, ...rest] = await store.claimRuns({ owner: 'a', now: T0, leaseMs: 1000, limit: 10 });
      expect(rest).toHaveLength(0);
      expect(claimed?.id).toBe('r1');
      expect(claimed?.status).toBe('running');
      expect(claimed?.flowVersion).toBe(3);
      expect(claimed?.state).toEqual(initialState('start', { text: 'hola ñandú 🎉' }));
      expect(await store.claimRuns({ owner: 'b', now: later(500), leaseMs: 1000, limit: 10 })).toEqual([]);
    });

    it('claims oldest first and respects the limit', async () => {
      const store = await makeStore();
      await store.createRun(newRun('late', later(2).toISOString()));
      await store.createRun(newRun('early', later(1).toISOString()));
      const claimed = await store.claimRuns({ owner: 'a', now: later(10), leaseMs: 1000, limit: 1 });
      expect(claimed.map((r) => r.id)).toEqual(['early']);
    });

    it('refuses writes from a worker whose lease expired and was taken over', async () => {
      const store = await makeStore();
      await store.createRun(newRun('r1'));
      await store.claimRuns({ owner: 'a', now: T0, leaseMs: 1000, limit: 1 });
      const taken = await store.claimRuns({ owner: 'b', now: later(1001), leaseMs: 1000, limit: 1 });
      expect(taken.map((r) => r.id)).toEqual(['r1']);
      await expect(
        store.commitStep({
          lease: { runId: 'r1', owner: 'a' },
          step: null,
          run: update(),
          leaseUntil: later(5000),
        }),
      ).rejects.toThrow(/lease lost/);
      await expect(store.renewLease({ runId: 'r1', owner: 'a' }, later(9000))).rejects.toThrow(/lease lost/);
      await store.commitStep({
        lease: { runId: 'r1', owner: 'b' },
        step: null,
        run: update(),
        leaseUntil: later(5000),
      });
    });

    it('records a step from begin to finish, and marks a step cut off by a crash as interrupted', async () => {
      const store = await makeStore();
      await store.createRun(newRun('r1'));
      await store.claimRuns({ owner: 'a', now: T0, leaseMs: 1000, limit: 1 });
      const lease = { runId: 'r1', owner: 'a' };
      const start = { runId: 'r1', nodeType: 'test.echo', attempt: 1, startedAt: T0.toISOString() };
      await store.beginStep(lease, { ...start, id: 's1', seq: 1, nodeId: 'start', input: { a: 1 } });
      await store.commitStep({
        lease,
        step: {
          id: 's1',
          status: 'succeeded',
          ports: ['out'],
          output: { b: [1, 'dos'] },
          error: null,
          finishedAt: later(5).toISOString(),
          durationMs: 5,
        },
        run: update(),
        leaseUntil: later(1000),
      });
      await store.beginStep(lease, { ...start, id: 's2', seq: 2, nodeId: 'next', input: null });
      // the worker dies here; another one takes over after the lease expires
      await store.claimRuns({ owner: 'b', now: later(2000), leaseMs: 1000, limit: 1 });
      const steps = await store.getSteps('r1');
      expect(steps.map((s) => [s.seq, s.nodeId, s.status])).toEqual([
        [1, 'start', 'succeeded'],
        [2, 'next', 'failed'],
      ]);
      expect(steps[0]).toMatchObject({
        input: { a: 1 },
        output: { b: [1, 'dos'] },
        ports: ['out'],
        durationMs: 5,
      });
      expect(steps[1]?.error?.code).toBe('E008');
    });

    it('keeps a waiting run parked until its wake-up time, then hands it out again', async () => {
      const store = await makeStore();
      await store.createRun(newRun('r1'));
      await store.claimRuns({ owner: 'a', now: T0, leaseMs: 1000, limit: 1 });
      await store.commitStep({
        lease: { runId: 'r1', owner: 'a' },
        step: null,
        run: update({
          status: 'waiting',
          wakeAt: later(60_000).toISOString(),
          addWaits: [{ token: 'w1', wakeAt: later(60_000).toISOString(), wakeKey: null }],
        }),
        leaseUntil: null,
      });
      expect((await store.getRun('r1'))?.wakeAt).toBe(later(60_000).toISOString());
      expect(await store.claimRuns({ owner: 'b', now: later(59_999), leaseMs: 1000, limit: 1 })).toEqual([]);
      const due = await store.claimRuns({ owner: 'b', now: later(60_000), leaseMs: 1000, limit: 1 });
      expect(due.map((r) => r.id)).toEqual(['r1']);
      expect(due[0]?.firedWaits).toEqual([]);
    });

    it('wakes runs parked on a key exactly once, passing the payload', async () => {
      const store = await makeStore();
      await store.createRun(newRun('r1'));
      await store.claimRuns({ owner: 'a', now: T0, leaseMs: 1000, limit: 1 });
      const lease = { runId: 'r1', owner: 'a' };
      await store.commitStep({
        lease,
        step: null,
        run: update({ status: 'waiting', addWaits: [{ token: 'w1', wakeAt: null, wakeKey: 'reply:c-1' }] }),
        leaseUntil: null,
      });
      expect(await store.claimRuns({ owner: 'a', now: later(10), leaseMs: 1000, limit: 1 })).toEqual([]);
      expect(await store.fireWaits({ key: 'reply:other', payload: null, now: later(20) })).toEqual([]);
      const payload: Json = { text: 'sí' };
      expect(await store.fireWaits({ key: 'reply:c-1', payload, now: later(20) })).toEqual(['r1']);
      expect(await store.fireWaits({ key: 'reply:c-1', payload, now: later(21) })).toEqual([]);
      const [woken] = await store.claimRuns({ owner: 'a', now: later(30), leaseMs: 1000, limit: 1 });
      expect(woken?.firedWaits).toEqual([{ token: 'w1', payload }]);
      await store.commitStep({
        lease,
        step: null,
        run: update({ status: 'succeeded', removeWaits: ['w1'], finishedAt: later(31).toISOString() }),
        leaseUntil: null,
      });
      expect(await store.fireWaits({ key: 'reply:c-1', payload, now: later(40) })).toEqual([]);
      expect((await store.getRun('r1'))?.status).toBe('succeeded');
    });

    it('skips a timed wait on request: the run is handed out now, with the wait listed as due', async () => {
      const store = await makeStore();
      await store.createRun(newRun('r1'));
      expect(await store.wakeTimedWaits({ runId: 'r1', now: T0 })).toBe(0); // queued: nothing to skip
      await store.claimRuns({ owner: 'a', now: T0, leaseMs: 1000, limit: 1 });
      const dayLater = later(86_400_000).toISOString();
      await store.commitStep({
        lease: { runId: 'r1', owner: 'a' },
        step: null,
        run: update({
          status: 'waiting',
          wakeAt: dayLater,
          addWaits: [
            { token: 'timed', wakeAt: dayLater, wakeKey: 'reply:c-1' },
            { token: 'keyed', wakeAt: null, wakeKey: 'reply:c-2' },
          ],
        }),
        leaseUntil: null,
      });
      expect(await store.claimRuns({ owner: 'b', now: later(10), leaseMs: 1000, limit: 1 })).toEqual([]);
      expect(await store.wakeTimedWaits({ runId: 'nope', now: later(20) })).toBe(0);
      expect(await store.wakeTimedWaits({ runId: 'r1', now: later(20) })).toBe(1);
      expect((await store.getRun('r1'))?.wakeAt).toBe(later(20).toISOString());
      const [woken] = await store.claimRuns({ owner: 'b', now: later(30), leaseMs: 1000, limit: 1 });
      expect(woken?.id).toBe('r1');
      expect(woken?.dueWaits).toEqual(['timed']);
      expect(woken?.firedWaits).toEqual([]);
      // While it runs (leased) there is nothing to skip: its snapshot is about to be rewritten.
      expect(await store.wakeTimedWaits({ runId: 'r1', now: later(40) })).toBe(0);
      // A run parked only on a key (a reply with no timeout) has no time to skip. (Another contact's: r1
      // still runs, and one contact's runs are handed out one at a time.)
      await store.createRun({ ...newRun('r2'), contactId: 'c-2' });
      await store.claimRuns({ owner: 'a', now: later(50), leaseMs: 1000, limit: 2 });
      await store.commitStep({
        lease: { runId: 'r2', owner: 'a' },
        step: null,
        run: update({
          status: 'waiting',
          addWaits: [{ token: 'only-key', wakeAt: null, wakeKey: 'reply:c-3' }],
        }),
        leaseUntil: null,
      });
      expect(await store.wakeTimedWaits({ runId: 'r2', now: later(60) })).toBe(0);
      expect((await store.getRun('r2'))?.wakeAt).toBeNull();
    });

    it('cancels an unfinished run, after which its worker can no longer write', async () => {
      const store = await makeStore();
      await store.createRun(newRun('r1'));
      await store.claimRuns({ owner: 'a', now: T0, leaseMs: 1000, limit: 1 });
      expect(await store.cancelRun({ runId: 'r1', now: later(1) })).toBe(true);
      await expect(
        store.commitStep({
          lease: { runId: 'r1', owner: 'a' },
          step: null,
          run: update(),
          leaseUntil: later(1000),
        }),
      ).rejects.toThrow(/cancelled/);
      expect((await store.getRun('r1'))?.status).toBe('cancelled');
      expect(await store.cancelRun({ runId: 'r1', now: later(2) })).toBe(false);
      expect(await store.claimRuns({ owner: 'b', now: later(5000), leaseMs: 1000, limit: 1 })).toEqual([]);
    });

    it('does not hand out finished runs', async () => {
      const store = await makeStore();
      await store.createRun(newRun('r1'));
      await store.claimRuns({ owner: 'a', now: T0, leaseMs: 1000, limit: 1 });
      await store.commitStep({
        lease: { runId: 'r1', owner: 'a' },
        step: null,
        run: update({
          status: 'failed',
          error: { message: 'boom', code: 'x' },
          finishedAt: later(1).toISOString(),
        }),
        leaseUntil: null,
      });
      expect(await store.claimRuns({ owner: 'a', now: later(99_999), leaseMs: 1000, limit: 1 })).toEqual([]);
      expect(await store.getRun('r1')).toMatchObject({
        status: 'failed',
        error: { message: 'boom', code: 'x' },
      });
    });
  });
}
