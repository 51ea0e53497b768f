import type pg from 'pg';
import { expect, it } from 'vitest';
import { pgDb } from '../../src/pg/connection.js';
import { PgTeamRepository } from '../../src/pg/team-repo.js';
import { poolOn } from '../pg-harness.js';
import { rejection, UNIQUE_VIOLATION } from './team-repo.contract.js';

// Postgres only: several processes (pools) using one database at once, and data other areas own.

const AT = '2026-05-05T10:00:00.000Z';
const team = (id: string, name: string) => ({
  id,
  name,
  timezone: 'UTC',
  businessHours: null,
  holidays: [],
  slackCredential: null,
  escalationTeam: null,
});

/** Another pool on `pool`'s schema: a second server process. */
export async function sibling(pool: pg.Pool): Promise<pg.Pool> {
  const { rows } = await pool.query<{ schema: string }>('select current_schema() as schema');
  return poolOn(rows[0]?.schema ?? '');
}

/** `newPool`: a migrated schema of its own, with a pool on it (the harness's `migratedPool`). */
export function teamRepoPostgresContract(newPool: () => Promise<pg.Pool>): void {
  it('reads the type of a stored credential', async () => {
    const pool = await newPool();
    await pool.query(
      "insert into credentials (name, type, data, created_at, updated_at) values ('ops', 'slack', 'x', $1, $1)",
      [AT],
    );
    expect(await new PgTeamRepository(pgDb(pool)).credentialType('ops')).toBe('slack');
  });

  it('lets one of two processes creating teams named alike win; the other gets the unique violation', async () => {
    const pool = await newPool();
    const [a, b] = [pool, await sibling(pool)].map((p) => new PgTeamRepository(pgDb(p)));
    if (!a || !b) throw new Error('two repositories expected');
    const results = await Promise.allSettled([
      a.createTeam(team('billing', 'Facturación'), AT),
      b.createTeam(team('billing-2', 'FACTURACION'), AT),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected');
    expect(
      await rejection(Promise.reject(failed?.status === 'rejected' ? failed.reason : 'no failure')),
    ).toMatch(UNIQUE_VIOLATION);
    expect(await a.listTeams()).toHaveLength(1);
  });

  it('keeps one cursor per team when processes move it at once, and whole memberships per agent', async () => {
    const pool = await newPool();
    const repos = [pool, await sibling(pool), await sibling(pool)].map((p) => new PgTeamRepository(pgDb(p)));
    const [first] = repos;
    if (!first) throw new Error('repositories expected');
    for (const id of ['t1', 't2', 't3', 't4']) await first.createTeam(team(id, id), AT);
    await first.createAgent(
      {
        id: 'ana',
        name: 'Ana',
        email: null,
        role: 'agent',
        skills: [],
        capacity: 5,
        available: true,
        teams: [],
      },
      AT,
    );
    const memberships = [['t1', 't2'], ['t3'], ['t2', 't4']];
    await Promise.all(
      repos.flatMap((repo, i) => [
        repo.setCursor('t1', `agent-${i}`),
        repo.updateAgent('ana', { teams: memberships[i] ?? [] }, AT),
      ]),
    );
    expect(await first.cursor('t1')).toMatch(/^agent-\d$/);
    const teams = (await first.getAgent('ana'))?.teams;
    // One whole replacement won: never a mix of two.
    expect(memberships.map((m) => [...m].sort())).toContainEqual(teams);
  });

  it('never keeps a membership of a team deleted while an agent joins it', async () => {
    const pool = await newPool();
    const [a, b] = [pool, await sibling(pool)].map((p) => new PgTeamRepository(pgDb(p)));
    if (!a || !b) throw new Error('two repositories expected');
    for (let i = 0; i < 5; i++) {
      await a.createTeam(team(`t${i}`, `Team ${i}`), AT);
      const joined = b.createAgent(
        {
          id: `agent${i}`,
          name: 'A',
          email: null,
          role: 'agent',
          skills: [],
          capacity: 5,
          available: true,
          teams: [`t${i}`],
        },
        AT,
      );
      const [deleted] = await Promise.allSettled([a.deleteTeam(`t${i}`), joined]);
      expect(deleted).toEqual({ status: 'fulfilled', value: true });
      // Whichever came first, the agent ends up in no team (or was refused).
      expect((await a.getAgent(`agent${i}`))?.teams ?? []).toEqual([]);
      expect(await a.listAgents({ team: `t${i}` })).toEqual([]);
    }
  });
}
