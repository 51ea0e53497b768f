import { describe, expect, it } from 'vitest';
import { openDb } from '../src/connection.js';
import { ConversationRepository, type NewConversation } from '../src/conversation-repo.js';
import { TeamRepository, teamNameKey } from '../src/team-repo.js';

const AT = '2026-05-05T10:00:00.000Z';

function setup() {
  const db = openDb({ path: ':memory:' });
  return { db, teams: new TeamRepository(db), conversations: new ConversationRepository(db) };
}

const team = (id: string, name: string) => ({
  id,
  name,
  timezone: 'Europe/Madrid',
  businessHours: [{ days: ['mon'], from: '09:00', to: '18:00' }],
  holidays: ['2026-12-25'],
  slackCredential: null,
  escalationTeam: null,
});

const agent = (id: string, teams: string[], over: object = {}) => ({
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

let n = 0;
const conversation = (over: Partial<NewConversation> = {}): NewConversation => {
  n++;
  return {
    id: `c${String(n).padStart(3, '0')}`,
    channel: 'default',
    waId: `3460000${String(n).padStart(4, '0')}`,
    contactName: 'Ana',
    teamId: 'billing',
    priority: 'normal',
    strategy: 'roundRobin',
    skills: [],
    summary: 'mi factura',
    runId: 'run1',
    flowId: 'support',
    nodeId: 'route',
    idempotencyKey: `run1:route:${n}`,
    slaMinutes: 15,
    slaDueAt: '2026-05-05T10:15:00.000Z',
    escalation: null,
    queuedBecause: 'no_agent_available',
    ...over,
  };
};

describe('team repository', () => {
  it('finds a team by id or by name ignoring case, accents and spaces; names are unique that way', () => {
    const { teams } = setup();
    teams.createTeam(team('billing', 'Facturación'), AT);
    expect(teams.findTeam('billing')?.name).toBe('Facturación');
    expect(teams.findTeam('  FACTURACION ')?.id).toBe('billing');
    expect(teams.findTeam('facturación')).toMatchObject({
      timezone: 'Europe/Madrid',
      businessHours: [{ days: ['mon'], from: '09:00', to: '18:00' }],
      holidays: ['2026-12-25'],
    });
    expect(teams.findTeam('ventas')).toBeUndefined();
    expect(teamNameKey('Atención al Cliente')).toBe('atencion al cliente');
    expect(() => teams.createTeam(team('billing2', 'FACTURACION'), AT)).toThrow(/UNIQUE/);
    expect(teams.teamNamed('facturacion', 'billing')).toBeUndefined();
    expect(teams.teamNamed('facturacion', 'other')?.id).toBe('billing');
  });

  it('updates and deletes teams; deleting removes memberships and the cursor', () => {
    const { teams } = setup();
    teams.createTeam(team('billing', 'Billing'), AT);
    teams.createTeam({ ...team('sales', 'Sales'), escalationTeam: 'billing' }, AT);
    teams.createAgent(agent('ana', ['billing', 'sales']), AT);
    teams.setCursor('billing', 'ana');
    expect(teams.updateTeam('billing', { name: 'Cobros', businessHours: null }, 'later')).toMatchObject({
      name: 'Cobros',
      businessHours: null,
      updatedAt: 'later',
    });
    expect(teams.findTeam('cobros')?.id).toBe('billing');
    expect(teams.updateTeam('nope', { name: 'x' }, AT)).toBeUndefined();
    expect(teams.teamsEscalatingTo('billing').map((t) => t.id)).toEqual(['sales']);
    expect(teams.deleteTeam('billing')).toBe(true);
    expect(teams.deleteTeam('billing')).toBe(false);
    expect(teams.getAgent('ana')?.teams).toEqual(['sales']);
    expect(teams.cursor('billing')).toBeNull();
  });

  it('keeps agents with their skills and teams; `teams` replaces the memberships', () => {
    const { teams } = setup();
    teams.createTeam(team('billing', 'Billing'), AT);
    teams.createTeam(team('sales', 'Sales'), AT);
    teams.createAgent(agent('bea', ['sales', 'billing']), AT);
    teams.createAgent(agent('ana', ['billing'], { available: false, capacity: 2 }), AT);
    expect(teams.listAgents().map((a) => [a.id, a.teams])).toEqual([
      ['ana', ['billing']],
      ['bea', ['billing', 'sales']],
    ]);
    expect(teams.listAgents({ team: 'sales' }).map((a) => a.id)).toEqual(['bea']);
    expect(teams.getAgent('ana')).toMatchObject({ available: false, capacity: 2, skills: ['billing'] });
    teams.updateAgent('ana', { available: true, teams: ['sales'] }, 'later');
    expect(teams.getAgent('ana')).toMatchObject({ available: true, teams: ['sales'], updatedAt: 'later' });
    expect(teams.updateAgent('nobody', { available: true }, AT)).toBeUndefined();
    // A membership of a team that does not exist is refused by the foreign key, and nothing is kept.
    expect(() => teams.createAgent(agent('carla', ['ghost']), AT)).toThrow(/FOREIGN KEY/);
    expect(teams.getAgent('carla')).toBeUndefined();
    expect(teams.deleteAgent('ana')).toBe(true);
    expect(teams.listAgents({ team: 'sales' }).map((a) => a.id)).toEqual(['bea']);
  });

  it('keeps one round-robin cursor per team and reads credential types', () => {
    const { db, teams } = setup();
    teams.createTeam(team('billing', 'Billing'), AT);
    expect(teams.cursor('billing')).toBeNull();
    teams.setCursor('billing', 'ana');
    teams.setCursor('billing', 'bea');
    expect(teams.cursor('billing')).toBe('bea');
    db.$client
      .prepare(
        "insert into credentials (name, type, data, created_at, updated_at) values ('ops', 'slack', 'x', ?, ?)",
      )
      .run(AT, AT);
    expect(teams.credentialType('ops')).toBe('slack');
    expect(teams.credentialType('nope')).toBeUndefined();
  });
});

describe('conversation repository', () => {
  it('records every change in the history, in order', () => {
    const { conversations } = setup();
    const c = conversations.open(conversation(), AT);
    expect(c).toMatchObject({ state: 'queued', agentId: null, openedAt: AT, skills: [] });
    conversations.assign(c.id, 'ana', '2026-05-05T10:01:00.000Z');
    conversations.pickUp(c.id, 'ana', '2026-05-05T10:02:00.000Z');
    conversations.close(c.id, '2026-05-05T10:30:00.000Z', { by: 'api' });
    expect(conversations.get(c.id)).toMatchObject({
      state: 'closed',
      agentId: 'ana',
      assignedAt: '2026-05-05T10:01:00.000Z',
      pickedUpAt: '2026-05-05T10:02:00.000Z',
      closedAt: '2026-05-05T10:30:00.000Z',
    });
    expect(conversations.history(c.id).map((e) => [e.kind, e.data])).toEqual([
      ['opened', { team: 'billing', priority: 'normal', runId: 'run1', flowId: 'support', nodeId: 'route' }],
      ['assigned', { agent: 'ana' }],
      ['picked_up', { agent: 'ana' }],
      ['closed', { by: 'api' }],
    ]);
    expect(conversations.change('nope', { state: 'open' }, null, AT)).toBeUndefined();
  });

  it('refuses a second conversation for the same idempotency key', () => {
    const { conversations } = setup();
    conversations.open(conversation({ idempotencyKey: 'k' }), AT);
    expect(() => conversations.open(conversation({ idempotencyKey: 'k' }), AT)).toThrow(/UNIQUE/);
  });

  it('finds the contact’s conversation that is not closed', () => {
    const { conversations } = setup();
    const c = conversations.open(conversation({ waId: '34600000999' }), AT);
    expect(conversations.activeForContact('34600000999', 'default')?.id).toBe(c.id);
    expect(conversations.activeForContact('34600000999', 'other')).toBeUndefined();
    conversations.close(c.id, AT);
    expect(conversations.activeForContact('34600000999', 'default')).toBeUndefined();
  });

  it('serves a queue by priority, then age; counts what agents hold and which teams have a queue', () => {
    const { conversations } = setup();
    const old = conversations.open(conversation(), '2026-05-05T09:00:00.000Z');
    const urgent = conversations.open(conversation({ priority: 'urgent' }), '2026-05-05T09:30:00.000Z');
    const low = conversations.open(conversation({ priority: 'low' }), '2026-05-05T08:00:00.000Z');
    const newer = conversations.open(conversation(), '2026-05-05T09:10:00.000Z');
    conversations.open(conversation({ teamId: 'sales' }), AT);
    expect(conversations.queued('billing', 10).map((c) => c.id)).toEqual([
      urgent.id,
      old.id,
      newer.id,
      low.id,
    ]);
    expect(conversations.queued('billing', 2).map((c) => c.id)).toEqual([urgent.id, old.id]);
    expect(conversations.teamsWithQueue().sort()).toEqual(['billing', 'sales']);
    conversations.assign(old.id, 'ana', AT);
    conversations.assign(newer.id, 'ana', AT);
    conversations.pickUp(newer.id, 'ana', AT);
    conversations.assign(low.id, 'bea', AT);
    conversations.close(low.id, AT);
    expect(conversations.heldCounts()).toEqual(new Map([['ana', 2]]));
    expect(conversations.heldCounts(['bea'])).toEqual(new Map());
    expect(conversations.heldCounts([])).toEqual(new Map());
    expect(conversations.ofAgent('ana', ['assigned']).map((c) => c.id)).toEqual([old.id]);
    expect(conversations.countActive('billing')).toBe(3);
  });

  it('lists what is due for escalation: SLA passed, not picked up, not escalated yet', () => {
    const { conversations } = setup();
    const due = conversations.open(conversation({ slaDueAt: '2026-05-05T10:15:00.000Z' }), AT);
    const later = conversations.open(conversation({ slaDueAt: '2026-05-05T11:00:00.000Z' }), AT);
    conversations.open(conversation({ slaDueAt: null, slaMinutes: null }), AT);
    const picked = conversations.open(conversation({ slaDueAt: '2026-05-05T10:05:00.000Z' }), AT);
    conversations.pickUp(picked.id, 'ana', AT);
    const assigned = conversations.open(conversation({ slaDueAt: '2026-05-05T10:10:00.000Z' }), AT);
    conversations.assign(assigned.id, 'ana', AT);
    const now = '2026-05-05T10:20:00.000Z';
    expect(conversations.dueForEscalation(now, 10).map((c) => c.id)).toEqual([assigned.id, due.id]);
    conversations.change(due.id, { escalatedAt: now, notifyCredential: 'ops' }, { kind: 'escalated' }, now);
    expect(conversations.dueForEscalation(now, 10).map((c) => c.id)).toEqual([assigned.id]);
    expect(later.slaDueAt! > now).toBe(true);
    // The Slack post it owes is pending until it is recorded, and waits for its next try after a failure.
    expect(conversations.pendingNotifications(now, 10).map((c) => c.id)).toEqual([due.id]);
    conversations.change(due.id, { notifyAttempts: 1, notifyNextAt: '2026-05-05T10:21:00.000Z' }, null, now);
    expect(conversations.pendingNotifications(now, 10)).toEqual([]);
    expect(conversations.pendingNotifications('2026-05-05T10:21:00.000Z', 10).map((c) => c.id)).toEqual([
      due.id,
    ]);
    conversations.change(due.id, { notifiedAt: now }, null, now);
    expect(conversations.pendingNotifications('2026-05-05T11:00:00.000Z', 10)).toEqual([]);
  });

  it('lists with filters and keyset pages, queue order for open lists and newest first for closed', () => {
    const { conversations } = setup();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const c = conversations.open(
        conversation({ priority: i % 3 === 0 ? 'high' : 'normal', teamId: i < 6 ? 'billing' : 'sales' }),
        `2026-05-05T10:0${i}:00.000Z`,
      );
      ids.push(c.id);
    }
    conversations.close(ids[5]!, AT);
    const page = (filter: Parameters<typeof conversations.list>[0]) => {
      const all: string[] = [];
      let after: string | undefined;
      do {
        const result = conversations.list({ ...filter, limit: 2, ...(after ? { after } : {}) });
        all.push(...result.items.map((c) => c.id));
        after = result.nextCursor ?? undefined;
      } while (after);
      return all;
    };
    // High first (0, 3), then normal by age.
    expect(page({ state: 'active', teamId: 'billing' })).toEqual([ids[0], ids[3], ids[1], ids[2], ids[4]]);
    expect(page({})).toEqual([ids[0], ids[3], ids[6], ids[1], ids[2], ids[4], ids[5]]);
    expect(page({ priority: 'high' })).toEqual([ids[0], ids[3], ids[6]]);
    expect(page({ state: 'closed' })).toEqual([ids[5]]);
    expect(page({ since: '2026-05-05T10:02:00.000Z', until: '2026-05-05T10:04:00.000Z' })).toEqual([
      ids[3],
      ids[2],
    ]);
    expect(page({ waId: conversations.get(ids[1]!)!.waId })).toEqual([ids[1]]);
    expect(() => conversations.list({ after: 'bm9wZQ' })).toThrow(/cursor/);
    const recentCursor = conversations.list({ state: 'closed', limit: 1 });
    expect(recentCursor.nextCursor).toBeNull();
  });

  it('keeps each routing step’s first outcome by its key', () => {
    const { conversations } = setup();
    expect(conversations.request('run1:route')).toBeUndefined();
    conversations.recordRequest('run1:route', 'c1', { ok: true, state: 'queued' }, AT);
    expect(conversations.request('run1:route')).toEqual({
      conversationId: 'c1',
      outcome: { ok: true, state: 'queued' },
    });
    expect(() => conversations.recordRequest('run1:route', 'c2', {}, AT)).toThrow(/UNIQUE/);
  });
});
