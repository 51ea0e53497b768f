import type { RunState } from '@switchboard/engine';
import { describe } from 'vitest';
import { openDb } from '../../src/connection.js';
import { pgDb } from '../../src/pg/connection.js';
import { pgListRuns } from '../../src/pg/run-queries.js';
import { PgRunStore } from '../../src/pg/run-store.js';
import { listRuns } from '../../src/run-queries.js';
import { SqliteRunStore } from '../../src/run-store.js';
import { describeWithPostgres, migratedPool } from '../pg-harness.js';
import { runQueriesContract } from './run-queries.contract.js';

describe('SQLite', () =>
  runQueriesContract(async () => {
    const db = openDb({ path: ':memory:' });
    return { listRuns: async (filter) => listRuns(db, filter), store: new SqliteRunStore<RunState>(db) };
  }));

describeWithPostgres('Postgres', () =>
  runQueriesContract(async () => {
    const pool = await migratedPool();
    const db = pgDb(pool);
    return { listRuns: (filter) => pgListRuns(db, filter), store: new PgRunStore<RunState>(pool) };
  }),
);
