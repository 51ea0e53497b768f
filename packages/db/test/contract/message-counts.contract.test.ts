import { eq, inArray, sql } from 'drizzle-orm';
import { describe } from 'vitest';
import { AnalyticsQueries } from '../../src/analytics-queries.js';
import { openDb } from '../../src/connection.js';
import { PgAnalyticsQueries } from '../../src/pg/analytics-queries.js';
import { pgDb } from '../../src/pg/connection.js';
import * as pg from '../../src/pg/schema.js';
import { asyncOf } from '../../src/ports.js';
import * as sqlite from '../../src/schema.js';
import { describeWithPostgres, migratedPool } from '../pg-harness.js';
import { messageCountsContract } from './message-counts.contract.js';

describe('SQLite', () =>
  messageCountsContract(async () => {
    const db = openDb({ path: ':memory:' });
    const tables = { flows: sqlite.flows, runs: sqlite.runs, outbox: sqlite.outbox };
    return {
      precounted: asyncOf(new AnalyticsQueries(db)),
      reference: asyncOf(new AnalyticsQueries(db, { precounted: false })),
      insert: async (table, rows) => {
        db.insert(tables[table])
          .values(rows as never)
          .run();
      },
      update: async (id, values) => {
        db.update(sqlite.outbox).set(values).where(eq(sqlite.outbox.id, id)).run();
      },
      remove: async (ids) => {
        db.delete(sqlite.outbox).where(inArray(sqlite.outbox.id, ids)).run();
      },
      pendingChanges: async () =>
        (db.$client.prepare('select count(*) as n from message_count_changes').get() as { n: number }).n,
    };
  }));

describeWithPostgres('Postgres', () =>
  messageCountsContract(async () => {
    const db = pgDb(await migratedPool());
    const tables = { flows: pg.flows, runs: pg.runs, outbox: pg.outbox };
    return {
      precounted: new PgAnalyticsQueries(db),
      reference: new PgAnalyticsQueries(db, { precounted: false }),
      insert: async (table, rows) => {
        // The run tables hold Dates (timestamptz in `date` mode).
        const values =
          table === 'runs' ? rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt as string) })) : rows;
        await db.insert(tables[table]).values(values as never);
      },
      update: async (id, values) => {
        await db.update(pg.outbox).set(values).where(eq(pg.outbox.id, id));
      },
      remove: async (ids) => {
        await db.delete(pg.outbox).where(inArray(pg.outbox.id, ids));
      },
      pendingChanges: async () =>
        Number(
          ((await db.execute(sql`select count(*) as n from message_count_changes`)).rows[0] as { n: string })
            .n,
        ),
    };
  }),
);
