import type { RunState } from '@switchboard/engine';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/connection.js';
import { FlowRepository } from '../../src/flow-repo.js';
import { migratePg, pgDb } from '../../src/pg/connection.js';
import { PgFlowRepository } from '../../src/pg/flow-repo.js';
import { PgRunStore } from '../../src/pg/run-store.js';
import { asyncOf } from '../../src/ports.js';
import { SqliteRunStore } from '../../src/run-store.js';
import { describeWithPostgres, freshSchema, migratedPool, poolOn } from '../pg-harness.js';
import { flowRepoContract } from './flow-repo.contract.js';

describe('SQLite', () =>
  flowRepoContract(async (now) => {
    const db = openDb({ path: ':memory:' });
    return { repo: asyncOf(new FlowRepository(db, now)), store: new SqliteRunStore<RunState>(db) };
  }));

describeWithPostgres('Postgres', () => {
  flowRepoContract(async (now) => {
    const pool = await migratedPool();
    return { repo: new PgFlowRepository(pgDb(pool), now), store: new PgRunStore<RunState>(pool) };
  });

  it('serializes concurrent saves of one flow from several processes: one creation, no lost version', async () => {
    const schema = await freshSchema();
    await migratePg(poolOn(schema));
    const repos = Array.from({ length: 3 }, () => new PgFlowRepository(pgDb(poolOn(schema, 4))));
    const doc = (name: string) => ({ id: 'race', name, nodes: [] });
    const same = await Promise.all(Array.from({ length: 9 }, (_, i) => repos[i % 3]!.save(doc('v1'))));
    expect(same.filter((r) => r.created)).toHaveLength(1);
    expect(same.filter((r) => r.changed)).toHaveLength(1);
    const distinct = await Promise.all(
      Array.from({ length: 12 }, (_, i) => repos[i % 3]!.save(doc(`v${i + 2}`))),
    );
    expect(distinct.every((r) => r.changed)).toBe(true);
    expect(new Set(distinct.map((r) => r.flow.version)).size).toBe(12);
    const versions = await repos[0]!.versions('race');
    expect(versions.map((v) => v.version)).toEqual(Array.from({ length: 13 }, (_, i) => 13 - i));
  });
});
