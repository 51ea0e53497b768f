import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/connection.js';
import { CredentialRepository } from '../../src/credential-repo.js';
import { migratePg, pgDb } from '../../src/pg/connection.js';
import { PgCredentialRepository } from '../../src/pg/credential-repo.js';
import { asyncOf } from '../../src/ports.js';
import { describeWithPostgres, freshSchema, migratedPool, poolOn } from '../pg-harness.js';
import { credentialRepoContract } from './credential-repo.contract.js';

describe('SQLite', () => {
  credentialRepoContract(async () => asyncOf(new CredentialRepository(openDb({ path: ':memory:' }))));
});

describeWithPostgres('Postgres', () => {
  credentialRepoContract(async () => new PgCredentialRepository(pgDb(await migratedPool())));

  it('creates a name once when two processes create it at once', async () => {
    const schema = await freshSchema();
    const first = poolOn(schema);
    await migratePg(first);
    const a = new PgCredentialRepository(pgDb(first));
    const b = new PgCredentialRepository(pgDb(poolOn(schema)));
    const at = '2026-03-01T10:00:00.000Z';
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        (i % 2 ? a : b).create({ name: 'crm', type: 'slack', data: `v${i}` }, at),
      ),
    );
    const created = outcomes.filter((o) => o !== undefined);
    expect(created).toHaveLength(1);
    expect((await a.get('crm'))?.data).toBe(created[0]?.data);
  });
});
