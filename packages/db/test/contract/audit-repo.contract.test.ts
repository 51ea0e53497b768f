import { describe, expect, it } from 'vitest';
import { AuditRepository } from '../../src/audit-repo.js';
import { openDb } from '../../src/connection.js';
import { PgAuditRepository } from '../../src/pg/audit-repo.js';
import { migratePg, pgDb } from '../../src/pg/connection.js';
import { asyncOf } from '../../src/ports.js';
import { describeWithPostgres, freshSchema, migratedPool, poolOn } from '../pg-harness.js';
import { auditRepoContract, event } from './audit-repo.contract.js';

describe('SQLite', () => {
  auditRepoContract(async () => asyncOf(new AuditRepository(openDb({ path: ':memory:' }))));
});

describeWithPostgres('Postgres', () => {
  auditRepoContract(async () => new PgAuditRepository(pgDb(await migratedPool())));

  it('keeps every event two processes write at once, each with its own id', async () => {
    const schema = await freshSchema();
    const first = poolOn(schema);
    await migratePg(first);
    const a = new PgAuditRepository(pgDb(first));
    const b = new PgAuditRepository(pgDb(poolOn(schema)));
    const at = '2026-03-01T10:00:00.000Z';
    const ids = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).insert(event(at, `e.${i}`))),
    );
    expect(new Set(ids).size).toBe(20);
    const { items } = await b.list({ limit: 500 });
    expect(items.map((e) => e.id)).toEqual([...ids].sort((x, y) => y - x));
  });
});
