import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/connection.js';
import { migratePg, pgDb } from '../../src/pg/connection.js';
import { PgSubscriptionRepository } from '../../src/pg/subscription-repo.js';
import { asyncOf } from '../../src/ports.js';
import { SubscriptionRepository } from '../../src/subscription-repo.js';
import { describeWithPostgres, freshSchema, migratedPool, poolOn } from '../pg-harness.js';
import { subscriptionRepoContract } from './subscription-repo.contract.js';

describe('SQLite', () => {
  subscriptionRepoContract(async () => asyncOf(new SubscriptionRepository(openDb({ path: ':memory:' }))));
});

describeWithPostgres('Postgres', () => {
  subscriptionRepoContract(async () => new PgSubscriptionRepository(pgDb(await migratedPool())));

  it('hands each due delivery to one worker when several processes claim at once', async () => {
    const schema = await freshSchema();
    const first = poolOn(schema);
    await migratePg(first);
    const repos = [first, poolOn(schema), poolOn(schema)].map((p) => new PgSubscriptionRepository(pgDb(p)));
    const at = '2026-03-01T10:00:00.000Z';
    await repos[0]!.create(
      {
        id: 's',
        url: 'https://example.com',
        eventTypes: ['run.failed'],
        secret: 'x',
        description: '',
        active: true,
      },
      at,
    );
    for (let i = 0; i < 30; i++)
      await repos[0]!.fanOut({ eventId: `e${i}`, eventType: 'run.failed', body: '{}', at });
    const claims = await Promise.all(
      Array.from({ length: 9 }, (_, i) => repos[i % 3]!.claimDue(at, 5, 60_000)),
    );
    const ids = claims.flat().map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(30);
  });
});
