import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/connection.js';
import { pgDb } from '../../src/pg/connection.js';
import { PgTeamRepository } from '../../src/pg/team-repo.js';
import { asyncOf } from '../../src/ports.js';
import { TeamRepository } from '../../src/team-repo.js';
import { describeWithPostgres, migratedPool } from '../pg-harness.js';
import { teamRepoContract } from './team-repo.contract.js';
import { teamRepoPostgresContract } from './team-repo.pg-contract.js';

const AT = '2026-05-05T10:00:00.000Z';

describe('SQLite', () => {
  teamRepoContract(async () => asyncOf(new TeamRepository(openDb({ path: ':memory:' }))));

  it('reads the type of a stored credential', async () => {
    const db = openDb({ path: ':memory:' });
    db.$client
      .prepare(
        "insert into credentials (name, type, data, created_at, updated_at) values ('ops', 'slack', 'x', ?, ?)",
      )
      .run(AT, AT);
    expect(await asyncOf(new TeamRepository(db)).credentialType('ops')).toBe('slack');
  });
});

describeWithPostgres('Postgres', () => {
  teamRepoContract(async () => new PgTeamRepository(pgDb(await migratedPool())));

  teamRepoPostgresContract(migratedPool);
});
