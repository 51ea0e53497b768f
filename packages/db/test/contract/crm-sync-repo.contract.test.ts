import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/connection.js';
import { CrmSyncRepository } from '../../src/crm-sync-repo.js';
import { migratePg, pgDb } from '../../src/pg/connection.js';
import { PgCrmSyncRepository } from '../../src/pg/crm-sync-repo.js';
import { asyncOf } from '../../src/ports.js';
import { describeWithPostgres, freshSchema, migratedPool, poolOn } from '../pg-harness.js';
import { crmSyncRepoContract } from './crm-sync-repo.contract.js';

describe('SQLite', () => {
  crmSyncRepoContract(async () => asyncOf(new CrmSyncRepository(openDb({ path: ':memory:' }))));
});

describeWithPostgres('Postgres', () => {
  crmSyncRepoContract(async () => new PgCrmSyncRepository(pgDb(await migratedPool())));

  it('hands each due record to one worker when several processes claim at once', async () => {
    const schema = await freshSchema();
    const first = poolOn(schema);
    await migratePg(first);
    const repos = [first, poolOn(schema), poolOn(schema)].map((p) => new PgCrmSyncRepository(pgDb(p)));
    const at = '2026-03-01T10:00:00.000Z';
    for (let i = 0; i < 30; i++)
      await repos[0]!.enqueue({
        channel: 'default',
        messageId: `m${i}`,
        direction: 'in',
        waId: '34600000001',
        name: null,
        text: 'x',
        messageAt: at,
        provider: 'hubspot',
        at,
      });
    const claims = await Promise.all(
      Array.from({ length: 9 }, (_, i) => repos[i % 3]!.claimDue(at, 5, 60_000)),
    );
    const ids = claims.flat().map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(30);
  });
});
