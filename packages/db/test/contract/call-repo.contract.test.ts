import type { RunState } from '@switchboard/engine';
import { describe, expect, it } from 'vitest';
import { CallRepository } from '../../src/call-repo.js';
import { openDb } from '../../src/connection.js';
import { PgCallRepository } from '../../src/pg/call-repo.js';
import { migratePg, pgDb } from '../../src/pg/connection.js';
import { PgRunStore } from '../../src/pg/run-store.js';
import { asyncOf } from '../../src/ports.js';
import { SqliteRunStore } from '../../src/run-store.js';
import { describeWithPostgres, freshSchema, migratedPool, poolOn } from '../pg-harness.js';
import { callRepoContract, callRow } from './call-repo.contract.js';
import { queuedRun } from './flows-area-fixtures.js';

describe('SQLite', () =>
  callRepoContract(async () => {
    const db = openDb({ path: ':memory:' });
    return { calls: asyncOf(new CallRepository(db)), store: new SqliteRunStore<RunState>(db) };
  }));

describeWithPostgres('Postgres', () => {
  callRepoContract(async () => {
    const pool = await migratedPool();
    return { calls: new PgCallRepository(pgDb(pool)), store: new PgRunStore<RunState>(pool) };
  });

  it('records one child per idempotency key when several processes start the call at once', async () => {
    const schema = await freshSchema();
    await migratePg(poolOn(schema));
    const store = new PgRunStore<RunState>(poolOn(schema));
    await queuedRun(store, 'top');
    // Each process creates its child run and the call in one transaction, as the server does.
    const attempts = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        pgDb(poolOn(schema, 1)).transaction(async (tx) => {
          await new PgCallRepository(tx).insert(callRow(`child-${i}`, 'top'));
        }),
      ),
    );
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    const calls = new PgCallRepository(pgDb(poolOn(schema)));
    const winner = await calls.byIdempotencyKey('top:call');
    expect(winner?.childRunId).toMatch(/^child-\d$/);
  });
});
