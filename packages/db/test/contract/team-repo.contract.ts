import { expect, it } from 'vitest';
import type { AsyncOf } from '../../src/ports.js';
import { type AgentInput, type TeamInput, type TeamRepository, teamNameKey } from '../../src/team-repo.js';

// What callers of TeamRepository rely on, run on both databases (see team-repo.contract.test.ts).

const AT = '2026-05-05T10:00:00.000Z';
const LATER = '2026-05-05T11:00:00.000Z';

/** Either database's constraint errors: SQLite says `UNIQUE` / `FOREIGN KEY`, Postgres spells them out. */
export const UNIQUE_VIOLATION = /UNIQUE|duplicate key/;
export const FOREIGN_KEY_VIOLATION = /FOREIGN KEY|foreign key/;

/**
 * The message of `work`'s rejection and of its cause: drizzle wraps a Postgres error (`Failed query: …`)
 * with the database's own as its `cause`.
 */
export async function rejection(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? ` ${err.cause.message}` : '';
    return `${err instanceof Error ? err.message : String(err)}${cause}`;
  }
  throw new Error('expected a rejection');
}

const team = (id: string, name: string): TeamInput => ({
  id,
  name,
  timezone: 'Europe/Madrid',
  businessHours: [{ days: ['mon'], from: '09:00', to: '18:00' }],
  holidays: ['2026-12-25'],
  slackCredential: null,
  escalationTeam: null,
});

const agent = (id: string, teams: string[], over: Partial<AgentInput> = {}): AgentInput => ({
  id,
  name: id,
  email: null,
  role: 'agent',
  skills: ['billing'],
  capacity: 5,
  available: true,
  teams,
  ...over,
});

export function teamRepoContract(make: () => Promise<AsyncOf<TeamRepository>>): void {
  it('finds a team by id or by name ignoring case, accents and spaces; names are unique that way', async () => {
    const teams = await make();
    const created = await teams.createTeam(team('billing', 'Facturación'), AT);
    expect(created).toEqual({ ...team('billing', 'Facturación'), createdAt: AT, updatedAt: AT });
    expect((await teams.findTeam('billing'))?.name).toBe('Facturación');
    expect((await teams.findTeam('  FACTURACION '))?.id).toBe('billing');
    expect(await teams.findTeam('facturación')).toMatchObject({
      timezone: 'Europe/Madrid',
      businessHours: [{ days: ['mon'], from: '09:00', to: '18:00' }],
      holidays: ['2026-12-25'],
    });
    expect(await teams.findTeam('ventas')).toBeUndefined();
    expect(teamNameKey('Atención al Cliente')).toBe('atencion al cliente');
    expect(await rejection(teams.createTeam(team('billing2', 'FACTURACION'), AT))).toMatch(UNIQUE_VIOLATION);
    expect(await rejection(teams.createTeam(team('billing', 'Other'), AT))).toMatch(UNIQUE_VIOLATION);
    expect(await teams.teamNamed('facturacion', 'billing')).toBeUndefined();
    expect((await teams.teamNamed('facturacion', 'other'))?.id).toBe('billing');
  });

  it('updates and deletes teams; deleting removes memberships and the cursor', async () => {
    const teams = await make();
    await teams.createTeam(team('billing', 'Billing'), AT);
    await teams.createTeam({ ...team('sales', 'Sales'), escalationTeam: 'billing' }, AT);
    await teams.createAgent(agent('ana', ['billing', 'sales']), AT);
    await teams.setCursor('billing', 'ana');
    expect(await teams.updateTeam('billing', { name: 'Cobros', businessHours: null }, LATER)).toMatchObject({
      name: 'Cobros',
      businessHours: null,
      createdAt: AT,
      updatedAt: LATER,
    });
    expect((await teams.findTeam('cobros'))?.id).toBe('billing');
    expect(await teams.findTeam('billing')).toMatchObject({ name: 'Cobros' });
    expect(await teams.updateTeam('nope', { name: 'x' }, AT)).toBeUndefined();
    expect((await teams.teamsEscalatingTo('billing')).map((t) => t.id)).toEqual(['sales']);
    expect(await teams.teamsEscalatingTo('sales')).toEqual([]);
    expect(await teams.deleteTeam('billing')).toBe(true);
    expect(await teams.deleteTeam('billing')).toBe(false);
    expect((await teams.getAgent('ana'))?.teams).toEqual(['sales']);
    expect(await teams.cursor('billing')).toBeNull();
  });

  it('lists teams by id in byte order', async () => {
    const teams = await make();
    for (const id of ['sales', 'Zeta', 'billing', 'b-2']) await teams.createTeam(team(id, `Team ${id}`), AT);
    expect((await teams.listTeams()).map((t) => t.id)).toEqual(['Zeta', 'b-2', 'billing', 'sales']);
  });

  it('keeps agents with their skills and teams; `teams` replaces the memberships', async () => {
    const teams = await make();
    await teams.createTeam(team('billing', 'Billing'), AT);
    await teams.createTeam(team('sales', 'Sales'), AT);
    const bea = await teams.createAgent(agent('bea', ['sales', 'billing', 'sales']), AT);
    expect(bea).toEqual({
      ...agent('bea', ['billing', 'sales']),
      userId: null,
      createdAt: AT,
      updatedAt: AT,
    });
    await teams.createAgent(agent('ana', ['billing'], { available: false, capacity: 2 }), AT);
    expect((await teams.listAgents()).map((a) => [a.id, a.teams])).toEqual([
      ['ana', ['billing']],
      ['bea', ['billing', 'sales']],
    ]);
    expect((await teams.listAgents({ team: 'sales' })).map((a) => a.id)).toEqual(['bea']);
    expect(await teams.listAgents({ team: 'ghost' })).toEqual([]);
    expect(await teams.getAgent('ana')).toMatchObject({ available: false, capacity: 2, skills: ['billing'] });
    await teams.updateAgent('ana', { available: true, teams: ['sales'] }, LATER);
    expect(await teams.getAgent('ana')).toMatchObject({
      available: true,
      teams: ['sales'],
      updatedAt: LATER,
    });
    expect(await teams.updateAgent('ana', { capacity: 9 }, LATER)).toMatchObject({
      capacity: 9,
      teams: ['sales'],
    });
    expect(await teams.updateAgent('nobody', { available: true }, AT)).toBeUndefined();
    // A membership of a team that does not exist is refused by the foreign key, and nothing is kept.
    expect(await rejection(teams.createAgent(agent('carla', ['ghost']), AT))).toMatch(FOREIGN_KEY_VIOLATION);
    expect(await teams.getAgent('carla')).toBeUndefined();
    expect(await rejection(teams.updateAgent('ana', { capacity: 1, teams: ['ghost'] }, AT))).toMatch(
      FOREIGN_KEY_VIOLATION,
    );
    expect(await teams.getAgent('ana')).toMatchObject({ capacity: 9, teams: ['sales'] });
    expect(await teams.deleteAgent('ana')).toBe(true);
    expect(await teams.deleteAgent('ana')).toBe(false);
    expect((await teams.listAgents({ team: 'sales' })).map((a) => a.id)).toEqual(['bea']);
  });

  it('links at most one agent to a user account', async () => {
    const teams = await make();
    await teams.createAgent(agent('ana', [], { userId: 'u1' }), AT);
    expect((await teams.agentOfUser('u1'))?.id).toBe('ana');
    expect(await teams.agentOfUser('u2')).toBeUndefined();
    expect(await rejection(teams.createAgent(agent('bea', [], { userId: 'u1' }), AT))).toMatch(
      UNIQUE_VIOLATION,
    );
    await teams.updateAgent('ana', { userId: null }, LATER);
    expect(await teams.agentOfUser('u1')).toBeUndefined();
  });

  it('keeps one round-robin cursor per team; unknown credentials have no type', async () => {
    const teams = await make();
    await teams.createTeam(team('billing', 'Billing'), AT);
    expect(await teams.cursor('billing')).toBeNull();
    await teams.setCursor('billing', 'ana');
    await teams.setCursor('billing', 'bea');
    expect(await teams.cursor('billing')).toBe('bea');
    expect(await teams.credentialType('nope')).toBeUndefined();
    // The cursor of a team that does not exist is refused, as a membership is.
    expect(await rejection(teams.setCursor('ghost', 'ana'))).toMatch(FOREIGN_KEY_VIOLATION);
    expect(await teams.cursor('ghost')).toBeNull();
  });
}
