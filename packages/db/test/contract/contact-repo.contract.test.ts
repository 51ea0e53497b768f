import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/connection.js';
import { ContactRepository } from '../../src/contact-repo.js';
import { pgDb } from '../../src/pg/connection.js';
import { PgContactRepository } from '../../src/pg/contact-repo.js';
import { asyncOf } from '../../src/ports.js';
import { describeWithPostgres, migratedPool } from '../pg-harness.js';
import { contactRepoContract, derive } from './contact-repo.contract.js';
import { twoProcesses } from './pg-pair.js';

describe('SQLite', () =>
  contactRepoContract(async () => asyncOf(new ContactRepository(openDb({ path: ':memory:' })))));

describeWithPostgres('Postgres', () => {
  contactRepoContract(async () => new PgContactRepository(pgDb(await migratedPool())));

  it('creates one contact when two processes record its first messages at the same moment', async () => {
    const [a, b, pool] = await twoProcesses((db) => new PgContactRepository(db));
    const hours = Array.from(
      { length: 12 },
      (_, i) => `2026-01-05T${String(i + 10).padStart(2, '0')}:00:00.000Z`,
    );
    await Promise.all(
      hours.map((at, i) =>
        (i % 2 ? a : b).recordMessage({ waId: '34600000001', name: `n${i}`, at, ...derive('34600000001') }),
      ),
    );
    const { rows } = await pool.query('select id from contacts');
    expect(rows).toHaveLength(1);
    expect((await a.get('34600000001'))?.lastInboundAt).toBe('2026-01-05T21:00:00.000Z');
  });

  it('gives both processes the same contact when they ensure it together', async () => {
    const [a, b] = await twoProcesses((db) => new PgContactRepository(db));
    for (let i = 0; i < 10; i++) {
      const waId = `3460000000${i}`;
      const at = '2026-01-01T00:00:00.000Z';
      const [x, y] = await Promise.all([a.ensure({ waId, at, derive }), b.ensure({ waId, at, derive })]);
      expect(x.id).toBe(y.id);
    }
  });

  it('keeps every category when two processes set consent together', async () => {
    const [a, b] = await twoProcesses((db) => new PgContactRepository(db));
    await a.ensure({ waId: '34600000001', at: '2026-01-01T00:00:00.000Z', derive });
    const record = (source: string) => ({ optedIn: true, source, at: '2026-01-02T00:00:00.000Z' });
    await Promise.all([
      a.setConsent({ waId: '34600000001', category: 'marketing', record: record('a') }),
      b.setConsent({ waId: '34600000001', category: 'utility', record: record('b') }),
      a.setConsent({ waId: '34600000001', category: 'all', record: record('c') }),
    ]);
    expect(Object.keys((await b.get('34600000001'))?.consent ?? {}).sort()).toEqual([
      'all',
      'marketing',
      'utility',
    ]);
  });
});

describeWithPostgres('Postgres inbox scope', () => {
  it('lists only contacts and messages with a conversation in one of the teams', async () => {
    const { PgOutboxRepository } = await import('../../src/pg/outbox-repo.js');
    const pool = await migratedPool();
    const contacts = new PgContactRepository(pgDb(pool));
    const outbox = new PgOutboxRepository(pgDb(pool));
    for (const waId of ['34600000001', '34600000002']) {
      await contacts.ensure({ waId, at: '2026-01-01T00:00:00.000Z', derive });
      await outbox.enqueue({
        id: `o${waId}`,
        idempotencyKey: waId,
        channel: 'default',
        recipient: waId,
        kind: 'text',
        payload: {},
        createdAt: '2026-01-01T00:00:00.000Z',
      });
    }
    await pool.query(
      `insert into conversations (id, channel, wa_id, team_id, priority, priority_rank, state, idempotency_key,
         opened_at, updated_at)
       values ('c1', 'default', '34600000002', 'sales', 'normal', 1, 'queued', 'k1', now(), now())`,
    );
    expect((await contacts.list({ teams: ['sales', 'support'] })).map((c) => c.waId)).toEqual([
      '34600000002',
    ]);
    expect((await contacts.list({ teams: ['support'] })).map((c) => c.waId)).toEqual([]);
    expect((await outbox.list({ teams: ['sales'] })).map((r) => r.id)).toEqual(['o34600000002']);
  });
});
