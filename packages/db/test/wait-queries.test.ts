import { initialState, type RunState } from '@switchboard/engine';
import { describe, expect, it } from 'vitest';
import { CallRepository } from '../src/call-repo.js';
import { openDb } from '../src/connection.js';
import { EventRepository } from '../src/event-repo.js';
import { SqliteRunStore } from '../src/run-store.js';
import { endedRunKeys, hooksSince, openHookFields, openWaitFlows, openWaits } from '../src/wait-queries.js';

const T0 = new Date('2026-03-01T10:00:00.000Z');

/** A store with run `id` parked on `keys` (one wait row each). */
async function parked(store: SqliteRunStore<RunState>, id: string, keys: string[], flowVersion = 1) {
  await store.createRun({
    id,
    flowId: 'f',
    flowVersion,
    triggerNodeId: 't',
    contactId: null,
    createdAt: T0.toISOString(),
    state: initialState('t', null),
  });
  await store.claimRuns({ owner: 'w', now: T0, leaseMs: 60_000, limit: 10 });
  await store.commitStep({
    lease: { runId: id, owner: 'w' },
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

describe('queries over open waits', () => {
  it('lists open waits by key prefix (and run), never fired ones, with the flows and hook fields they use', async () => {
    const db = openDb({ path: ':memory:' });
    const store = new SqliteRunStore<RunState>(db);
    await parked(store, 'r1', ['hook:pay:order.id=1', 'status:m1:read']);
    await parked(store, 'r2', ['hook:pay:order.id=2', 'hook:payments:id=2'], 2);
    await parked(store, 'r3', ['hook:pay:ref=x=y']);
    expect(openWaits(db, { prefix: 'hook:pay:' }).map((w) => w.wakeKey)).toEqual([
      'hook:pay:order.id=1',
      'hook:pay:order.id=2',
      'hook:pay:ref=x=y',
    ]);
    expect(openWaits(db, { prefix: 'hook:', runId: 'r2' })).toHaveLength(2);
    expect(openHookFields(db, 'pay').sort()).toEqual(['order.id', 'ref']);
    expect(openWaitFlows(db, 'hook:pay:')).toEqual(
      expect.arrayContaining([
        { flowId: 'f', flowVersion: 1 },
        { flowId: 'f', flowVersion: 2 },
      ]),
    );
    expect(store.fireWaitsNow({ key: 'hook:pay:order.id=1', payload: null, now: T0 })).toEqual(['r1']);
    expect(openWaits(db, { prefix: 'hook:pay:order' }).map((w) => w.runId)).toEqual(['r2']);
  });

  it('finds callers parked on a run that has ended', async () => {
    const db = openDb({ path: ':memory:' });
    const store = new SqliteRunStore<RunState>(db);
    await parked(store, 'child-1', []);
    await parked(store, 'child-2', []);
    await parked(store, 'parent-1', ['run:child-1:finished']);
    await parked(store, 'parent-2', ['run:child-2:finished']);
    expect(endedRunKeys(db)).toEqual([]);
    await store.cancelRun({ runId: 'child-2', now: T0 });
    expect(endedRunKeys(db)).toEqual(['run:child-2:finished']);
    store.fireWaitsNow({ key: 'run:child-2:finished', payload: null, now: T0 });
    expect(endedRunKeys(db)).toEqual([]);
  });

  it('reads hook deliveries of one path since a time, oldest first', () => {
    const db = openDb({ path: ':memory:' });
    const events = new EventRepository(db);
    const post = (path: string, body: unknown, at: string) =>
      events.storeDelivery(
        { provider: 'webhook', channelId: null, rawBody: Buffer.from('{}'), receivedAt: at },
        [
          {
            providerEventId: `${path}:${at}`,
            type: 'webhook.received',
            channelId: null,
            waId: null,
            normalized: { type: 'webhook.received', path, body, query: {} },
            occurredAt: at,
          },
        ],
      );
    post('pay', { id: 1 }, '2026-03-01T09:00:00.000Z');
    post('pay', { id: 2 }, '2026-03-01T11:00:00.000Z');
    post('other', { id: 3 }, '2026-03-01T11:30:00.000Z');
    post('pay', { id: 4 }, '2026-03-01T12:00:00.000Z');
    expect(hooksSince(db, { path: 'pay', since: T0.toISOString() }).map((d) => d.body)).toEqual([
      { id: 2 },
      { id: 4 },
    ]);
  });

  it('records calls once per idempotency key and walks the chain of callers', async () => {
    const db = openDb({ path: ':memory:' });
    const store = new SqliteRunStore<RunState>(db);
    const calls = new CallRepository(db);
    await parked(store, 'top', []);
    await parked(store, 'child', []);
    calls.insert({
      childRunId: 'child',
      parentRunId: 'top',
      parentNodeId: 'call',
      idempotencyKey: 'top:call',
      depth: 1,
      createdAt: T0.toISOString(),
    });
    expect(calls.byIdempotencyKey('top:call')?.childRunId).toBe('child');
    expect(() =>
      calls.insert({
        childRunId: 'other',
        parentRunId: 'top',
        parentNodeId: 'call',
        idempotencyKey: 'top:call',
        depth: 1,
        createdAt: T0.toISOString(),
      }),
    ).toThrow(/UNIQUE/);
    expect(calls.flowChain('child', 10)).toEqual(['f', 'f']);
    expect(calls.outcome('child')).toMatchObject({ status: 'waiting', vars: {}, output: null });
    expect(calls.outcome('nope')).toBeUndefined();
  });
});
