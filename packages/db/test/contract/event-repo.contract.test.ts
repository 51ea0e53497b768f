import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/connection.js';
import { EventRepository } from '../../src/event-repo.js';
import { pgDb } from '../../src/pg/connection.js';
import { PgEventRepository } from '../../src/pg/event-repo.js';
import { asyncOf } from '../../src/ports.js';
import { describeWithPostgres, migratedPool } from '../pg-harness.js';
import { eventRepoContract } from './event-repo.contract.js';
import { twoProcesses } from './pg-pair.js';

describe('SQLite', () =>
  eventRepoContract(async () => asyncOf(new EventRepository(openDb({ path: ':memory:' })))));

describeWithPostgres('Postgres', () => {
  eventRepoContract(async () => new PgEventRepository(pgDb(await migratedPool())));

  const delivery = {
    provider: 'whatsapp',
    channelId: 'default',
    rawBody: Buffer.from([0, 1, 2, 255]),
    receivedAt: '2026-01-01T00:00:00.000Z',
  };
  const event = (key: string, waId = `34600${key.replace(/\D/g, '').padStart(6, '0')}`) => ({
    providerEventId: key,
    type: 'message.received',
    channelId: 'default',
    waId,
    normalized: { key },
    occurredAt: '2026-01-01T00:00:00.000Z',
  });

  it('stores an event once when two processes store it at the same moment', async () => {
    const [a, b] = await twoProcesses((db) => new PgEventRepository(db));
    for (let round = 0; round < 20; round++) {
      const key = `msg:${round}`;
      const results = await Promise.all([
        a.storeDelivery(delivery, [event(key)]),
        b.storeDelivery(delivery, [event(key)]),
        a.storeDelivery(delivery, [event(key)]),
        b.storeDelivery(delivery, [event(key)]),
      ]);
      expect(results.flatMap((r) => r.inserted)).toEqual([key]);
      expect(results.flatMap((r) => r.duplicates)).toEqual([key, key, key]);
    }
    expect(await a.deliveryCount()).toBe(80);
  });

  it('does not deadlock when two processes store the same keys in opposite orders', async () => {
    const [a, b] = await twoProcesses((db) => new PgEventRepository(db));
    const keys = Array.from({ length: 30 }, (_, i) => `k${i}`);
    const results = await Promise.all([
      a.storeDelivery(
        delivery,
        keys.map((k) => event(k)),
      ),
      b.storeDelivery(
        delivery,
        [...keys].reverse().map((k) => event(k)),
      ),
    ]);
    expect(results.flatMap((r) => r.inserted).sort()).toEqual([...keys].sort());
    expect(results.flatMap((r) => r.duplicates).sort()).toEqual([...keys].sort());
  });

  it('hands each pending event to one process only, and again after its lease if never marked', async () => {
    const [a, b, pool] = await twoProcesses((db) => new PgEventRepository(db));
    const keys = Array.from({ length: 50 }, (_, i) => `e${String(i).padStart(2, '0')}`);
    await a.storeDelivery(
      delivery,
      keys.map((k) => event(k)),
    );
    const batches = await Promise.all([
      a.pending(10),
      b.pending(10),
      a.pending(10),
      b.pending(10),
      a.pending(10),
    ]);
    const taken = batches.flat().map((e) => e.providerEventId);
    expect(taken.sort()).toEqual(keys);
    expect(await b.pending()).toEqual([]);
    // A taker that died: once its lease ends, the event is offered again.
    await pool.query(
      "update inbound_events set processed_at = now() - interval '1 second' where provider_event_id = 'e07'",
    );
    expect((await b.pending()).map((e) => e.providerEventId)).toEqual(['e07']);
  });

  it("leaves a contact's younger events to no one while another process holds an older one", async () => {
    const [a, b] = await twoProcesses((db) => new PgEventRepository(db));
    await a.storeDelivery(delivery, [event('x1', 'X'), event('x2', 'X'), event('y1', 'Y'), event('x3', 'X')]);
    const [first] = await a.pending(1);
    expect(first?.providerEventId).toBe('x1');
    // x2 and x3 wait behind x1 (leased by a); y1 is another contact's.
    expect((await b.pending()).map((e) => e.providerEventId)).toEqual(['y1']);
    expect(await b.pending()).toEqual([]);
    if (!first) throw new Error('x1 expected');
    await a.markProcessed(first.id, '2026-01-01T00:01:00.000Z');
    // Once x1 is done, one taker gets the rest of X in order (the same batch keeps them in order).
    expect((await b.pending()).map((e) => e.providerEventId)).toEqual(['x2', 'x3']);
  });

  it('never hands two processes events of one contact at once, however the claims interleave', async () => {
    const [a, b] = await twoProcesses((db) => new PgEventRepository(db));
    const keys = Array.from({ length: 40 }, (_, i) => `c${i}`);
    // Four contacts, ten events each, interleaved.
    await a.storeDelivery(
      delivery,
      keys.map((k, i) => event(k, `C${i % 4}`)),
    );
    const batches = await Promise.all([a.pending(7), b.pending(7), a.pending(7), b.pending(7)]);
    const holders = new Map<string, number>();
    batches.forEach((batch, taker) => {
      for (const e of batch) {
        const held = holders.get(e.waId ?? '');
        expect(held === undefined || held === taker, `contact ${e.waId} split over two takers`).toBe(true);
        holders.set(e.waId ?? '', taker);
      }
    });
  });

  it('keeps the raw body bytes as received', async () => {
    const pool = await migratedPool();
    await new PgEventRepository(pgDb(pool)).storeDelivery(delivery, []);
    const { rows } = await pool.query<{ raw_body: Buffer }>('select raw_body from webhook_deliveries');
    expect(rows[0]?.raw_body).toEqual(Buffer.from([0, 1, 2, 255]));
  });
});
