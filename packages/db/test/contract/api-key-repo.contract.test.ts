import { describe, expect, it } from 'vitest';
import { ApiKeyRepository } from '../../src/api-key-repo.js';
import { openDb } from '../../src/connection.js';
import { PgApiKeyRepository } from '../../src/pg/api-key-repo.js';
import { migratePg, pgDb } from '../../src/pg/connection.js';
import { asyncOf } from '../../src/ports.js';
import { describeWithPostgres, freshSchema, migratedPool, poolOn } from '../pg-harness.js';
import { apiKeyRepoContract } from './api-key-repo.contract.js';

describe('SQLite', () => {
  apiKeyRepoContract(async () => asyncOf(new ApiKeyRepository(openDb({ path: ':memory:' }))));
});

describeWithPostgres('Postgres', () => {
  apiKeyRepoContract(async () => new PgApiKeyRepository(pgDb(await migratedPool())));

  it('revokes a key once when two processes revoke it at once', async () => {
    const schema = await freshSchema();
    const first = poolOn(schema);
    await migratePg(first);
    const a = new PgApiKeyRepository(pgDb(first));
    const b = new PgApiKeyRepository(pgDb(poolOn(schema)));
    const at = '2026-03-01T10:00:00.000Z';
    await a.create({ id: 'k1', name: 'CI', role: 'builder', secretHash: 'h1', createdBy: 'u1' }, at);
    const outcomes = await Promise.all([a.revoke('k1', at), b.revoke('k1', at), b.revokeCreatedBy('u1', at)]);
    expect(outcomes.filter((o) => o === true || (Array.isArray(o) && o.length > 0))).toHaveLength(1);
  });
});
