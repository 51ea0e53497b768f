import type { RunState } from '@switchboard/engine';
import { describe } from 'vitest';
import { openDb } from '../../src/connection.js';
import { EventRepository } from '../../src/event-repo.js';
import { pgDb } from '../../src/pg/connection.js';
import { PgEventRepository } from '../../src/pg/event-repo.js';
import { PgRunStore } from '../../src/pg/run-store.js';
import {
  pgEndedRunKeys,
  pgHooksSince,
  pgOpenHookFields,
  pgOpenWaitFlows,
  pgOpenWaits,
} from '../../src/pg/wait-queries.js';
import { asyncOf } from '../../src/ports.js';
import { SqliteRunStore } from '../../src/run-store.js';
import {
  endedRunKeys,
  hooksSince,
  openHookFields,
  openWaitFlows,
  openWaits,
} from '../../src/wait-queries.js';
import { describeWithPostgres, migratedPool } from '../pg-harness.js';
import { waitQueriesContract } from './wait-queries.contract.js';

describe('SQLite', () =>
  waitQueriesContract(async () => {
    const db = openDb({ path: ':memory:' });
    return {
      openWaits: async (args) => openWaits(db, args),
      openHookFields: async (path) => openHookFields(db, path),
      openWaitFlows: async (prefix) => openWaitFlows(db, prefix),
      endedRunKeys: async () => endedRunKeys(db),
      hooksSince: async (args) => hooksSince(db, args),
      store: new SqliteRunStore<RunState>(db),
      events: asyncOf(new EventRepository(db)),
    };
  }));

describeWithPostgres('Postgres', () =>
  waitQueriesContract(async () => {
    const pool = await migratedPool();
    const db = pgDb(pool);
    return {
      openWaits: (args) => pgOpenWaits(db, args),
      openHookFields: (path) => pgOpenHookFields(db, path),
      openWaitFlows: (prefix) => pgOpenWaitFlows(db, prefix),
      endedRunKeys: () => pgEndedRunKeys(db),
      hooksSince: (args) => pgHooksSince(db, args),
      store: new PgRunStore<RunState>(pool),
      events: new PgEventRepository(db),
    };
  }),
);
