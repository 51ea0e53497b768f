import { describe } from 'vitest';
import { ChannelRepository } from '../../src/channel-repo.js';
import { openDb } from '../../src/connection.js';
import { PgChannelRepository } from '../../src/pg/channel-repo.js';
import { pgDb } from '../../src/pg/connection.js';
import { asyncOf } from '../../src/ports.js';
import { describeWithPostgres, migratedPool } from '../pg-harness.js';
import { channelRepoContract } from './channel-repo.contract.js';

describe('SQLite', () =>
  channelRepoContract(async () => asyncOf(new ChannelRepository(openDb({ path: ':memory:' })))));

describeWithPostgres('Postgres', () =>
  channelRepoContract(async () => new PgChannelRepository(pgDb(await migratedPool()))),
);
