import { initialState, type RunStore } from '@switchboard/engine';
import { expect, it } from 'vitest';

// Per-contact order (docs/architecture.md): a claim hands out a run of a contact only when no other run
// of that contact is being driven or due before it; contacts still run in parallel. The engine's own
// contract (`runStoreContract`) covers the rest of the store.

export const T0 = new Date('2026-03-01T10:00:00.000Z');
export const later = (ms: number) => new Date(T0.getTime() + ms);
const LEASE_MS = 1000;

export async function newRun(store: RunStore, id: string, contactId: string | null, createdMs = 0) {
  await store.createRun({
    id,
    flowId: 'f',
    flowVersion: 1,
    triggerNodeId: 't',
    contactId,
    createdAt: later(createdMs).toISOString(),
    state: initialState('t', null),
  });
}

/** Ids a claim by `owner` at `now` hands out, in the order returned. */
export async function claimIds(store: RunStore, owner: string, now = T0, limit = 10): Promise<string[]> {
  const claimed = await store.claimRuns({ owner, now, leaseMs: LEASE_MS, limit });
  return claimed.map((r) => r.id);
}

/** The driver of `runId` parks it: on a reply (no wake time) unless `wakeAt` is given. */
export async function park(store: RunStore, runId: string, owner: string, wakeAt: Date | null = null) {
  const at = wakeAt?.toISOString() ?? null;
  await store.commitStep({
    lease: { runId, owner },
    step: null,
    run: {
      status: 'waiting',
      state: initialState('t', null),
      wakeAt: at,
      error: null,
      finishedAt: null,
      addWaits: [{ token: `${runId}.w`, wakeAt: at, wakeKey: at ? null : `reply:${runId}` }],
      removeWaits: [],
    },
    leaseUntil: null,
  });
}

/** The driver of `runId` ends it. */
export async function finish(store: RunStore, runId: string, owner: string, at = T0) {
  await store.commitStep({
    lease: { runId, owner },
    step: null,
    run: {
      status: 'succeeded',
      state: initialState('t', null),
      wakeAt: null,
      error: null,
      finishedAt: at.toISOString(),
      addWaits: [],
      removeWaits: [],
    },
    leaseUntil: null,
  });
}

export function runStoreContactOrderContract(make: () => Promise<RunStore>): void {
  it("hands out one run per contact, the oldest due, while other contacts' runs go in parallel", async () => {
    const store = await make();
    await newRun(store, 'ana-2', 'ana', 2);
    await newRun(store, 'ana-1', 'ana', 1);
    await newRun(store, 'ben-1', 'ben', 3);
    await newRun(store, 'no-contact-1', null, 4);
    await newRun(store, 'no-contact-2', null, 5);
    expect(await claimIds(store, 'a')).toEqual(['ana-1', 'ben-1', 'no-contact-1', 'no-contact-2']);
    // While ana-1 is driven, another claimer (or another slot of the same one) gets nothing of Ana's.
    expect(await claimIds(store, 'b', later(10))).toEqual([]);
  });

  it("hands out the contact's next run once the one driven parks on a reply or ends", async () => {
    const store = await make();
    for (const [i, id] of ['ana-1', 'ana-2', 'ana-3'].entries()) await newRun(store, id, 'ana', i);
    expect(await claimIds(store, 'a')).toEqual(['ana-1']);
    await park(store, 'ana-1', 'a');
    expect(await claimIds(store, 'a')).toEqual(['ana-2']);
    await finish(store, 'ana-2', 'a');
    expect(await claimIds(store, 'a')).toEqual(['ana-3']);
  });

  it('does not let a run parked until a later time hold its contact up, until that time comes', async () => {
    const store = await make();
    await newRun(store, 'ana-1', 'ana', 0);
    expect(await claimIds(store, 'a')).toEqual(['ana-1']);
    await park(store, 'ana-1', 'a', later(60_000)); // a one-minute delay
    await newRun(store, 'ana-2', 'ana', 1);
    await newRun(store, 'ana-3', 'ana', 2);
    expect(await claimIds(store, 'a', later(10))).toEqual(['ana-2']);
    await finish(store, 'ana-2', 'a');
    // The delay is over: the parked run is due and older than ana-3, so it goes first.
    expect(await claimIds(store, 'a', later(60_000))).toEqual(['ana-1']);
    expect(await claimIds(store, 'b', later(60_001))).toEqual([]);
  });

  it('keeps a woken older run waiting while a younger run of its contact is driven', async () => {
    const store = await make();
    await newRun(store, 'ana-1', 'ana', 0);
    expect(await claimIds(store, 'a')).toEqual(['ana-1']);
    await park(store, 'ana-1', 'a');
    await newRun(store, 'ana-2', 'ana', 1);
    expect(await claimIds(store, 'a', later(10))).toEqual(['ana-2']);
    expect(await store.fireWaits({ key: 'reply:ana-1', payload: 'sí', now: later(20) })).toEqual(['ana-1']);
    expect(await claimIds(store, 'b', later(30))).toEqual([]);
    await park(store, 'ana-2', 'a');
    expect(await claimIds(store, 'b', later(40))).toEqual(['ana-1']);
  });

  it('lets a claimer take over the older run when its lease expires, never the younger one', async () => {
    const store = await make();
    await newRun(store, 'ana-1', 'ana', 0);
    await newRun(store, 'ana-2', 'ana', 1);
    expect(await claimIds(store, 'dead')).toEqual(['ana-1']);
    expect(await claimIds(store, 'b', later(LEASE_MS - 1))).toEqual([]);
    expect(await claimIds(store, 'b', later(LEASE_MS))).toEqual(['ana-1']);
    expect(await claimIds(store, 'c', later(LEASE_MS + 1))).toEqual([]);
  });

  it('orders runs of one contact created in the same millisecond by id, in byte order', async () => {
    const store = await make();
    await newRun(store, 'a', 'ana', 0);
    await newRun(store, 'B', 'ana', 0); // 'B' (0x42) sorts before 'a' (0x61)
    expect(await claimIds(store, 'w')).toEqual(['B']);
    await finish(store, 'B', 'w');
    expect(await claimIds(store, 'w')).toEqual(['a']);
  });

  it('counts only runs it can hand out against the limit: a held-up contact does not starve others', async () => {
    const store = await make();
    for (let i = 0; i < 5; i++) await newRun(store, `ana-${i}`, 'ana', i);
    await newRun(store, 'ben-1', 'ben', 10);
    await newRun(store, 'cai-1', 'cai', 11);
    expect(await claimIds(store, 'a', T0, 2)).toEqual(['ana-0', 'ben-1']);
    expect(await claimIds(store, 'a', T0, 2)).toEqual(['cai-1']);
  });
}
