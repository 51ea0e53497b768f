import { expect, it } from 'vitest';
import type { EventRepository } from '../../src/event-repo.js';
import type { AsyncOf } from '../../src/ports.js';

type Events = AsyncOf<EventRepository>;

const delivery = (n: number) => ({
  provider: 'whatsapp',
  channelId: 'default',
  rawBody: Buffer.from('{"a":"é"}'),
  receivedAt: `2026-01-01T00:00:0${n}.000Z`,
});
const event = (key: string, waId = '34600000001', type = 'message.received') => ({
  providerEventId: key,
  type,
  channelId: 'default',
  waId,
  normalized: { key },
  occurredAt: '2026-01-01T00:00:00.000Z',
});

export function eventRepoContract(make: () => Promise<Events>): void {
  it('stores a delivery and its events once, even when delivered again', async () => {
    const events = await make();
    expect(await events.storeDelivery(delivery(1), [event('msg:1')])).toEqual({
      inserted: ['msg:1'],
      duplicates: [],
    });
    expect(await events.storeDelivery(delivery(2), [event('msg:1'), event('msg:2')])).toEqual({
      inserted: ['msg:2'],
      duplicates: ['msg:1'],
    });
    expect(await events.storeDelivery(delivery(3), [])).toEqual({ inserted: [], duplicates: [] });
    expect(await events.deliveryCount()).toBe(3);
    const pending = await events.pending();
    expect(pending.map((p) => p.providerEventId)).toEqual(['msg:1', 'msg:2']);
    expect(pending[0]).toMatchObject({
      provider: 'whatsapp',
      type: 'message.received',
      channelId: 'default',
      waId: '34600000001',
      normalized: { key: 'msg:1' },
      status: 'pending',
      occurredAt: '2026-01-01T00:00:00.000Z',
      receivedAt: '2026-01-01T00:00:01.000Z',
      processedAt: null,
      error: null,
    });
    expect((await events.list({ waId: '34600000001' })).map((e) => e.providerEventId)).toEqual([
      'msg:2',
      'msg:1',
    ]);
  });

  it('counts a key repeated inside one batch as a duplicate after its first, each delivery its own result', async () => {
    const events = await make();
    const results = await events.storeDeliveries([
      { delivery: delivery(1), events: [event('a'), event('b'), event('a')] },
      { delivery: delivery(2), events: [event('b'), event('c')] },
    ]);
    expect(results).toEqual([
      { inserted: ['a', 'b'], duplicates: ['a'] },
      { inserted: ['c'], duplicates: ['b'] },
    ]);
    expect(await events.deliveryCount()).toBe(2);
    expect((await events.pending()).map((e) => e.providerEventId)).toEqual(['a', 'b', 'c']);
  });

  it('keeps apart the same event key from different providers', async () => {
    const events = await make();
    await events.storeDelivery(delivery(1), [event('k')]);
    expect(await events.storeDelivery({ ...delivery(2), provider: 'other' }, [event('k')])).toEqual({
      inserted: ['k'],
      duplicates: [],
    });
  });

  it('marks events processed or failed, and pending then leaves them out', async () => {
    const events = await make();
    await events.storeDelivery(delivery(1), [event('1'), event('2'), event('3'), event('4')]);
    const [first, second, third, fourth] = await events.pending(3);
    expect([first, second, third, fourth].map((e) => e?.providerEventId)).toEqual(['1', '2', '3', undefined]);
    if (!first || !second || !third) throw new Error('three events expected');
    await events.markAllProcessed([first.id, second.id], '2026-01-01T00:01:00.000Z');
    await events.markAllProcessed([], '2026-01-01T00:01:00.000Z');
    await events.markProcessed(third.id, '2026-01-01T00:02:00.000Z', 'boom');
    const listed = await events.list({});
    expect(listed.map((e) => [e.providerEventId, e.status, e.processedAt, e.error])).toEqual([
      ['4', 'pending', null, null],
      ['3', 'failed', '2026-01-01T00:02:00.000Z', 'boom'],
      ['2', 'processed', '2026-01-01T00:01:00.000Z', null],
      ['1', 'processed', '2026-01-01T00:01:00.000Z', null],
    ]);
    expect((await events.pending()).map((e) => e.providerEventId)).toEqual(['4']);
  });

  it('re-reads a batch inside its transaction, keeping only events still pending, oldest first', async () => {
    const events = await make();
    await events.storeDelivery(delivery(1), [event('1'), event('2'), event('3')]);
    const batch = await events.pending();
    const ids = batch.map((e) => e.id);
    await events.markProcessed(ids[1]!, '2026-01-01T00:01:00.000Z');
    expect((await events.lockPending([...ids].reverse())).map((e) => e.providerEventId)).toEqual(['1', '3']);
    expect(await events.lockPending([])).toEqual([]);
  });

  it("gives a job its contact's pending events up to its own, oldest first, and nothing once it is done", async () => {
    const events = await make();
    await events.storeDelivery(delivery(1), [
      event('a1', 'A'),
      event('b1', 'B'),
      event('a2', 'A'),
      event('a3', 'A'),
      event('h1', null as never, 'webhook.received'),
    ]);
    const keysOf = (rows: Array<{ providerEventId: string }>) => rows.map((e) => e.providerEventId);
    // a2's job also takes a1 (which may never have had a job of its own), not a3 (younger) or B's.
    expect(keysOf(await events.takeContactPending('whatsapp', 'a2'))).toEqual(['a1', 'a2']);
    // An event without a contact is taken alone.
    expect(keysOf(await events.takeContactPending('whatsapp', 'h1'))).toEqual(['h1']);
    expect(await events.takeContactPending('whatsapp', 'nope')).toEqual([]);
    expect(await events.takeContactPending('webhook', 'a2')).toEqual([]);
    const [a1, , a2] = await events.pending();
    await events.markAllProcessed([a1!.id, a2!.id], '2026-01-01T00:01:00.000Z');
    // Its job ran elsewhere: a repeat of the job takes nothing.
    expect(await events.takeContactPending('whatsapp', 'a2')).toEqual([]);
    expect(keysOf(await events.takeContactPending('whatsapp', 'a3'))).toEqual(['a3']);
  });

  it('leaves out events received more recently than minAgeMs', async () => {
    const events = await make();
    await events.storeDelivery(delivery(1), [event('old', 'A')]);
    await events.storeDelivery({ ...delivery(1), receivedAt: '2026-01-01T00:00:30.000Z' }, [
      event('new', 'B'),
    ]);
    const now = new Date('2026-01-01T00:00:40.000Z');
    expect((await events.pending(100, { minAgeMs: 20_000, now })).map((e) => e.providerEventId)).toEqual([
      'old',
    ]);
  });

  it('lists newest first by type and wa id, paginated by id', async () => {
    const events = await make();
    await events.storeDelivery(delivery(1), [
      event('1'),
      event('2', '34600000002'),
      event('3', '34600000001', 'message.status'),
      event('4'),
    ]);
    const all = await events.list({});
    expect(all.map((e) => e.providerEventId)).toEqual(['4', '3', '2', '1']);
    expect((await events.list({ type: 'message.status' })).map((e) => e.providerEventId)).toEqual(['3']);
    expect((await events.list({ waId: '34600000001', limit: 2 })).map((e) => e.providerEventId)).toEqual([
      '4',
      '3',
    ]);
    const page = await events.list({ limit: 2, beforeId: all[1]?.id });
    expect(page.map((e) => e.providerEventId)).toEqual(['2', '1']);
    expect(await events.list({ beforeId: all[3]?.id })).toEqual([]);
  });
}
