import { describe } from 'vitest';
import { AnalyticsQueries } from '../../src/analytics-queries.js';
import { openDb } from '../../src/connection.js';
import { PgAnalyticsQueries } from '../../src/pg/analytics-queries.js';
import { pgDb } from '../../src/pg/connection.js';
import * as pg from '../../src/pg/schema.js';
import { asyncOf } from '../../src/ports.js';
import * as sqlite from '../../src/schema.js';
import { describeWithPostgres, migratedPool } from '../pg-harness.js';
import { analyticsContract, type SeedTable } from './analytics.contract.js';

const SQLITE_TABLES = {
  flows: sqlite.flows,
  runs: sqlite.runs,
  runSteps: sqlite.runSteps,
  outbox: sqlite.outbox,
  outboxStatuses: sqlite.outboxStatuses,
  teams: sqlite.teams,
  agents: sqlite.agents,
  conversations: sqlite.conversations,
  conversationEvents: sqlite.conversationEvents,
  inboundEvents: sqlite.inboundEvents,
} satisfies Record<SeedTable, unknown>;
const PG_TABLES = {
  flows: pg.flows,
  runs: pg.runs,
  runSteps: pg.runSteps,
  outbox: pg.outbox,
  outboxStatuses: pg.outboxStatuses,
  teams: pg.teams,
  agents: pg.agents,
  conversations: pg.conversations,
  conversationEvents: pg.conversationEvents,
  inboundEvents: pg.inboundEvents,
} satisfies Record<SeedTable, unknown>;

// The Postgres run tables hold Dates (timestamptz in `date` mode); everything else takes ISO strings.
const RUN_TIMES = ['createdAt', 'startedAt', 'finishedAt', 'wakeAt'];
const asDates = (row: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(row).map(([k, v]) => [
      k,
      RUN_TIMES.includes(k) && typeof v === 'string' ? new Date(v) : v,
    ]),
  );

describe('SQLite', () =>
  analyticsContract(async () => {
    const db = openDb({ path: ':memory:' });
    return {
      analytics: asyncOf(new AnalyticsQueries(db)),
      insert: async (table: SeedTable, rows) => {
        db.insert(SQLITE_TABLES[table])
          .values(rows as never)
          .run();
      },
    };
  }));

describeWithPostgres('Postgres', () =>
  analyticsContract(async () => {
    const db = pgDb(await migratedPool());
    return {
      analytics: new PgAnalyticsQueries(db),
      insert: async (table: SeedTable, rows) => {
        const values = table === 'runs' || table === 'runSteps' ? rows.map(asDates) : rows;
        await db.insert(PG_TABLES[table]).values(values as never);
      },
    };
  }),
);
