import type { RunStore } from '@switchboard/engine';
import { expect, it } from 'vitest';
import type { EventRepository } from '../../src/event-repo.js';
import type { AsyncOf } from '../../src/ports.js';
import type { OpenWait } from '../../src/wait-queries.js';
import { parkedRun, queuedRun, T0 } from './flows-area-fixtures.js';

/** The wait queries of one database, bound to it, as promises. */
export interface WaitQueriesFixture {
  openWaits: (args: { prefix: string; runId?: string }) => Promise<OpenWait[]>;
  openHookFields: (path: string) => Promise<string[]>;
  openWaitFlows: (prefix: string) => Promise<Array<{ flowId: string; flowVersion: number }>>;
  endedRunKeys: () => Promise<string[]>;
  hooksSince: (args: {
    path: string;
    since: string;
    limit?: number;
  }) => Promise<Array<{ body: unknown; query: unknown; receivedAt: string }>>;
  store: RunStore;
  events: AsyncOf<EventRepository>;
}

export function waitQueriesContract(make: () => Promise<WaitQueriesFixture>): void {
  it('lists open waits by key prefix (and run), never fired ones, with the flows and hook fields they use', async () => {
    const q = await make();
    await parkedRun(q.store, 'r1', ['hook:pay:order.id=1', 'status:m1:read']);
    await parkedRun(q.store, 'r2', ['hook:pay:order.id=2', 'hook:payments:id=2'], { flowVersion: 2 });
    await parkedRun(q.store, 'r3', ['hook:pay:ref=x=y']);
    await queuedRun(q.store, 'not-parked');
    expect(await q.openWaits({ prefix: 'hook:pay:' })).toEqual([
      { token: 'r1-0', runId: 'r1', wakeKey: 'hook:pay:order.id=1' },
      { token: 'r2-0', runId: 'r2', wakeKey: 'hook:pay:order.id=2' },
      { token: 'r3-0', runId: 'r3', wakeKey: 'hook:pay:ref=x=y' },
    ]);
    expect(await q.openWaits({ prefix: 'hook:', runId: 'r2' })).toHaveLength(2);
    expect(await q.openWaits({ prefix: 'hook:pay:', runId: 'r9' })).toEqual([]);
    expect((await q.openHookFields('pay')).sort()).toEqual(['order.id', 'ref']);
    expect((await q.openHookFields('payments')).sort()).toEqual(['id']);
    expect(await q.openHookFields('none')).toEqual([]);
    const flows = await q.openWaitFlows('hook:pay:');
    expect(flows).toHaveLength(2);
    expect(flows).toEqual(
      expect.arrayContaining([
        { flowId: 'f', flowVersion: 1 },
        { flowId: 'f', flowVersion: 2 },
      ]),
    );
    expect(await q.store.fireWaits({ key: 'hook:pay:order.id=1', payload: null, now: T0 })).toEqual(['r1']);
    expect((await q.openWaits({ prefix: 'hook:pay:order' })).map((w) => w.runId)).toEqual(['r2']);
  });

  it('reads key prefixes by their bytes: a prefix is no wildcard and case counts', async () => {
    const q = await make();
    await parkedRun(q.store, 'r1', ['hook:a_b:x=1', 'hook:axb:x=1', 'hook:A_B:y=1', 'hook:a_b:é=1']);
    expect((await q.openWaits({ prefix: 'hook:a_b:' })).map((w) => w.wakeKey)).toEqual([
      'hook:a_b:x=1',
      'hook:a_b:é=1',
    ]);
    expect((await q.openHookFields('a_b')).sort()).toEqual(['x', 'é']);
  });

  it('finds callers parked on a run that has ended', async () => {
    const q = await make();
    await parkedRun(q.store, 'child-1', []);
    await parkedRun(q.store, 'child-2', []);
    await parkedRun(q.store, 'parent-1', ['run:child-1:finished']);
    await parkedRun(q.store, 'parent-2', ['run:child-2:finished']);
    expect(await q.endedRunKeys()).toEqual([]);
    await q.store.cancelRun({ runId: 'child-2', now: T0 });
    await q.store.cancelRun({ runId: 'child-1', now: T0 });
    expect(await q.endedRunKeys()).toEqual(['run:child-1:finished', 'run:child-2:finished']);
    await q.store.fireWaits({ key: 'run:child-2:finished', payload: null, now: T0 });
    expect(await q.endedRunKeys()).toEqual(['run:child-1:finished']);
  });

  it('reads hook deliveries of one path since a time, oldest first, the newest `limit`', async () => {
    const q = await make();
    const post = (path: string, body: unknown, at: string) =>
      q.events.storeDelivery(
        { provider: 'webhook', channelId: null, rawBody: Buffer.from('{}'), receivedAt: at },
        [
          {
            providerEventId: `${path}:${at}`,
            type: 'webhook.received',
            channelId: null,
            waId: null,
            normalized: { type: 'webhook.received', path, body, query: { q: path } },
            occurredAt: at,
          },
        ],
      );
    await post('pay', { id: 1 }, '2026-03-01T09:00:00.000Z');
    await post('pay', { id: 2 }, '2026-03-01T11:00:00.000Z');
    await post('other', { id: 3 }, '2026-03-01T11:30:00.000Z');
    await post('pay', { id: 4 }, '2026-03-01T12:00:00.000Z');
    expect(await q.hooksSince({ path: 'pay', since: T0.toISOString() })).toEqual([
      { body: { id: 2 }, query: { q: 'pay' }, receivedAt: '2026-03-01T11:00:00.000Z' },
      { body: { id: 4 }, query: { q: 'pay' }, receivedAt: '2026-03-01T12:00:00.000Z' },
    ]);
    expect(
      (await q.hooksSince({ path: 'pay', since: T0.toISOString(), limit: 1 })).map((d) => d.body),
    ).toEqual([{ id: 4 }]);
    expect(await q.hooksSince({ path: 'nope', since: T0.toISOString() })).toEqual([]);
  });
}
