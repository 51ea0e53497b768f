import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/connection.js';
import { OutboxRepository } from '../../src/outbox-repo.js';
import { pgDb } from '../../src/pg/connection.js';
import { PgOutboxRepository } from '../../src/pg/outbox-repo.js';
import { asyncOf } from '../../src/ports.js';
import { describeWithPostgres, migratedPool } from '../pg-harness.js';
import { at, message, outboxRepoContract } from './outbox-repo.contract.js';
import { twoProcesses } from './pg-pair.js';

describe('SQLite', () =>
  outboxRepoContract(async () => asyncOf(new OutboxRepository(openDb({ path: ':memory:' })))));

describeWithPostgres('Postgres', () => {
  outboxRepoContract(async () => new PgOutboxRepository(pgDb(await migratedPool())));

  it('never hands one message to two processes claiming at the same time', async () => {
    const [a, b] = await twoProcesses((db) => new PgOutboxRepository(db));
    const ids = Array.from({ length: 60 }, (_, i) => `m${String(i).padStart(2, '0')}`);
    for (const id of ids) await a.enqueue(message(id));
    const claims = await Promise.all([
      a.claimDue(at(1), 7),
      b.claimDue(at(1), 7),
      a.claimDue(at(1), 7),
      b.claimDue(at(1), 7),
      a.claimDue(at(1), 50),
      b.claimDue(at(1), 50),
    ]);
    const claimed = claims.flat().map((r) => r.id);
    expect(claimed.sort()).toEqual(ids);
    const rows = await a.list({ limit: 500 });
    expect(rows.every((r) => r.status === 'sending' && r.attempts === 1)).toBe(true);
  });

  it('creates one row when two processes enqueue the same key at the same moment', async () => {
    const [a, b] = await twoProcesses((db) => new PgOutboxRepository(db));
    for (let round = 0; round < 10; round++) {
      const key = `run${round}:send`;
      const results = await Promise.all([
        a.enqueue(message(`a${round}`, { idempotencyKey: key })),
        b.enqueue(message(`b${round}`, { idempotencyKey: key })),
      ]);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(results[0]?.row.id).toBe(results[1]?.row.id);
      expect(await a.statuses(results[0]?.row.id ?? '')).toHaveLength(1);
    }
  });

  it('only moves status forward when webhooks for one message race', async () => {
    const [a, b] = await twoProcesses((db) => new PgOutboxRepository(db));
    for (let round = 0; round < 10; round++) {
      const id = `o${round}`;
      await a.enqueue(message(id));
      await a.markAccepted(id, `wamid.${round}`, at(1));
      const statuses = ['sent', 'read', 'delivered', 'sent', 'delivered'];
      await Promise.all(
        statuses.map((status, i) =>
          (i % 2 ? a : b).applyStatus({
            providerMessageId: `wamid.${round}`,
            status,
            at: at(2 + i),
            error: null,
          }),
        ),
      );
      expect((await a.get(id))?.status).toBe('read');
      expect(await a.statuses(id)).toHaveLength(2 + statuses.length);
    }
  });

  it('retries a failed message by hand once when two processes do it together', async () => {
    const [a, b] = await twoProcesses((db) => new PgOutboxRepository(db));
    await a.enqueue(message('o1'));
    await a.markFailed('o1', { code: 1, message: 'x' }, at(1));
    const results = await Promise.all([a.retryNow('o1', at(2)), b.retryNow('o1', at(2))]);
    expect(results.filter((r) => r !== undefined)).toHaveLength(1);
    expect((await a.statuses('o1')).map((s) => s.source)).toEqual(['api', 'api', 'manual']);
  });
});
