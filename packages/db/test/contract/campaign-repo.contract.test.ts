import { describe } from 'vitest';
import { CampaignRepository } from '../../src/campaign-repo.js';
import { openDb } from '../../src/connection.js';
import { OutboxRepository } from '../../src/outbox-repo.js';
import { PgCampaignRepository } from '../../src/pg/campaign-repo.js';
import { pgDb } from '../../src/pg/connection.js';
import { PgOutboxRepository } from '../../src/pg/outbox-repo.js';
import { asyncOf } from '../../src/ports.js';
import { describeWithPostgres, migratedPool } from '../pg-harness.js';
import { campaignRepoContract } from './campaign-repo.contract.js';

describe('SQLite', () =>
  campaignRepoContract(async () => {
    const db = openDb({ path: ':memory:' });
    return { campaigns: asyncOf(new CampaignRepository(db)), outbox: asyncOf(new OutboxRepository(db)) };
  }));

describeWithPostgres('Postgres', () =>
  campaignRepoContract(async () => {
    const db = pgDb(await migratedPool());
    return { campaigns: new PgCampaignRepository(db), outbox: new PgOutboxRepository(db) };
  }),
);
