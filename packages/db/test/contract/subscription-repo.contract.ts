import { expect, it } from 'vitest';
import type { AsyncOf } from '../../src/ports.js';
import type { SubscriptionRepository } from '../../src/subscription-repo.js';

const T0 = '2026-03-01T10:00:00.000Z';
const T1 = '2026-03-01T10:00:10.000Z';
const T2 = '2026-03-01T10:05:00.000Z';

type Repo = AsyncOf<SubscriptionRepository>;

const sub = (id: string, eventTypes: string[], active = true) => ({
  id,
  url: `https://example.com/${id}`,
  eventTypes,
  secret: `v1:sealed-${id}`,
  description: '',
  active,
});
const event = (eventId: string, eventType = 'message.received', at = T0) => ({
  eventId,
  eventType,
  body: JSON.stringify({ id: eventId, type: eventType, occurredAt: at, data: { n: 1 } }),
  at,
});

/** The behaviours of SubscriptionRepository that the server relies on, on any database. */
export function subscriptionRepoContract(make: () => Promise<Repo>): void {
  it('stores a subscription and reads it back, updates and removes it', async () => {
    const repo = await make();
    const created = await repo.create(sub('s1', ['message.received', 'run.failed']), T0);
    expect(created).toMatchObject({ id: 's1', eventTypes: ['message.received', 'run.failed'], active: true });
    expect(await repo.get('s1')).toEqual(created);
    expect(await repo.update('s1', { active: false, description: 'crm' }, T1)).toMatchObject({
      active: false,
      description: 'crm',
      createdAt: T0,
      updatedAt: T1,
    });
    expect(await repo.update('nope', { active: false }, T1)).toBeUndefined();
    expect((await repo.list()).map((s) => s.id)).toEqual(['s1']);
    expect(await repo.remove('s1')).toBe(true);
    expect(await repo.remove('s1')).toBe(false);
    expect(await repo.list()).toEqual([]);
  });

  it('fans an event out to the active subscriptions of its type, once per event id', async () => {
    const repo = await make();
    await repo.create(sub('a', ['message.received']), T0);
    await repo.create(sub('b', ['message.received', 'message.status']), T0);
    await repo.create(sub('c', ['message.status']), T0);
    await repo.create(sub('off', ['message.received'], false), T0);
    expect(await repo.fanOut(event('e1'))).toBe(2);
    expect(await repo.fanOut(event('e1'))).toBe(0);
    expect((await repo.deliveries('a')).map((d) => [d.eventId, d.status, d.attempts])).toEqual([
      ['e1', 'pending', 0],
    ]);
    expect(await repo.deliveries('c')).toEqual([]);
    expect(await repo.deliveries('off')).toEqual([]);
  });

  it('claims a due delivery once, under a lease; a lapsed claim is taken again', async () => {
    const repo = await make();
    await repo.create(sub('a', ['message.received']), T0);
    await repo.fanOut(event('e1'));
    const [claimed] = await repo.claimDue(T0, 10, 60_000);
    expect(claimed).toMatchObject({ status: 'delivering', attempts: 1, firstAttemptAt: T0 });
    expect(await repo.claimDue(T1, 10, 60_000)).toEqual([]);
    const again = await repo.claimDue(T2, 10, 60_000);
    expect(again.map((d) => [d.id, d.attempts, d.firstAttemptAt])).toEqual([[claimed!.id, 2, T0]]);
  });

  it('logs attempts and moves the delivery on: retry later, then delivered', async () => {
    const repo = await make();
    await repo.create(sub('a', ['message.received']), T0);
    await repo.fanOut(event('e1'));
    const [d] = await repo.claimDue(T0, 10);
    const base = { deliveryId: d!.id, durationMs: 5 };
    expect(
      await repo.recordAttempt({
        ...base,
        at: T0,
        httpStatus: 500,
        error: null,
        outcome: 'retry',
        retryAt: T1,
      }),
    ).toMatchObject({ status: 'pending', nextAttemptAt: T1, lastHttpStatus: 500 });
    expect(await repo.claimDue(T0, 10)).toEqual([]);
    const [second] = await repo.claimDue(T1, 10);
    expect(second?.attempts).toBe(2);
    expect(
      await repo.recordAttempt({ ...base, at: T1, httpStatus: 204, error: null, outcome: 'delivered' }),
    ).toMatchObject({ status: 'delivered', deliveredAt: T1, nextAttemptAt: null });
    expect((await repo.attempts([d!.id])).map((a) => [a.at, a.httpStatus, a.error, a.durationMs])).toEqual([
      [T0, 500, null, 5],
      [T1, 204, null, 5],
    ]);
    // An outcome for a delivery no longer being delivered (replayed, say) changes nothing.
    expect(
      await repo.recordAttempt({ ...base, at: T2, httpStatus: null, error: 'late', outcome: 'dead' }),
    ).toBeUndefined();
    expect((await repo.delivery(d!.id))?.status).toBe('delivered');
  });

  it('replays dead deliveries with a fresh window, and only those of the subscription', async () => {
    const repo = await make();
    await repo.create(sub('a', ['message.received']), T0);
    await repo.create(sub('b', ['message.received']), T0);
    await repo.fanOut(event('e1'));
    await repo.fanOut(event('e2'));
    for (const d of await repo.claimDue(T0, 10))
      await repo.recordAttempt({
        deliveryId: d.id,
        at: T0,
        httpStatus: null,
        error: 'connection refused',
        durationMs: 1,
        outcome: 'dead',
      });
    const dead = await repo.deliveries('a', { status: 'dead' });
    expect(dead).toHaveLength(2);
    expect(await repo.replay('b', dead[0]!.id, T1)).toBeUndefined();
    expect(await repo.replay('a', dead[0]!.id, T1)).toMatchObject({
      status: 'pending',
      attempts: 0,
      firstAttemptAt: null,
      nextAttemptAt: T1,
    });
    expect(await repo.replay('a', dead[0]!.id, T1)).toBeUndefined(); // pending now: nothing to replay
    expect(await repo.replayDead('a', T1)).toBe(1);
    expect(await repo.deliveries('a', { status: 'dead' })).toEqual([]);
    expect(await repo.deliveries('b', { status: 'dead' })).toHaveLength(2);
  });

  it('queues a ping for one subscription even when inactive; unknown subscriptions get none', async () => {
    const repo = await make();
    await repo.create(sub('off', ['message.received'], false), T0);
    expect(await repo.enqueueFor('off', event('ping-1', 'ping'))).toMatchObject({
      subscriptionId: 'off',
      eventType: 'ping',
      status: 'pending',
    });
    expect(await repo.enqueueFor('nope', event('ping-2', 'ping'))).toBeUndefined();
  });

  it('removing a subscription removes its deliveries and their log', async () => {
    const repo = await make();
    await repo.create(sub('a', ['message.received']), T0);
    await repo.fanOut(event('e1'));
    const [d] = await repo.claimDue(T0, 10);
    await repo.recordAttempt({
      deliveryId: d!.id,
      at: T0,
      httpStatus: 200,
      error: null,
      durationMs: 1,
      outcome: 'delivered',
    });
    await repo.remove('a');
    expect(await repo.delivery(d!.id)).toBeUndefined();
    expect(await repo.attempts([d!.id])).toEqual([]);
  });
}
